#include "nlp/device_words.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "nlp/slot_spans.hpp"

namespace earshot::nlp {
namespace {

struct KindWord {
  std::string_view word;
  DeviceWord kind;
};

// Home Assistant's light/fan words and cover device classes (singular and plural). A bare
// "garage" is left out: it is far more often an area.
constexpr std::array<KindWord, 25> kKinds = {{
    {"light", {"light", ""}},
    {"lights", {"light", ""}},
    {"lamp", {"light", ""}},
    {"lamps", {"light", ""}},
    {"lighting", {"light", ""}},
    {"fan", {"fan", ""}},
    {"fans", {"fan", ""}},
    {"awning", {"cover", "awning"}},
    {"awnings", {"cover", "awning"}},
    {"blind", {"cover", "blind"}},
    {"blinds", {"cover", "blind"}},
    {"curtain", {"cover", "curtain"}},
    {"curtains", {"cover", "curtain"}},
    {"shade", {"cover", "shade"}},
    {"shades", {"cover", "shade"}},
    {"shutter", {"cover", "shutter"}},
    {"shutters", {"cover", "shutter"}},
    {"gate", {"cover", "gate"}},
    {"gates", {"cover", "gate"}},
    {"window", {"cover", "window"}},
    {"windows", {"cover", "window"}},
    {"garage door", {"cover", "garage"}},
    {"garage doors", {"cover", "garage"}},
    {"door", {"cover", "door"}},
    {"doors", {"cover", "door"}},
}};

bool has(const std::vector<SlotValue>& slots, std::string_view name) {
  return std::any_of(slots.begin(), slots.end(),
                     [&](const SlotValue& s) { return s.name == name; });
}

void add(std::vector<SlotValue>* slots, std::string_view name, std::string_view value) {
  if (value.empty() || has(*slots, name)) return;
  SlotValue v;
  v.name = std::string(name);
  v.text = std::string(value);
  slots->push_back(std::move(v));
}

void add_kind(std::vector<SlotValue>* slots, const DeviceWord& kind) {
  add(slots, "domain", kind.domain);
  add(slots, "device_class", kind.device_class);
}

std::string strip_leading(std::string s) {
  for (bool again = true; again;) {
    again = false;
    for (std::string_view a : {"the ", "my ", "our ", "all ", "every ", "all the "})
      if (s.rfind(a, 0) == 0) {
        s = s.substr(a.size());
        again = true;
      }
  }
  return s;
}

// "laundry room shutters" -> place "laundry room", kind of "shutters"; the kind's words are the
// last one or two.
bool split_kind(const std::string& words, std::string* place, DeviceWord* kind) {
  for (const auto& k : kKinds) {
    if (words == k.word) {
      place->clear();
      *kind = k.kind;
      return true;
    }
    if (words.size() > k.word.size() + 1 && words.ends_with(k.word) &&
        words[words.size() - k.word.size() - 1] == ' ') {
      *place = strip_leading(words.substr(0, words.size() - k.word.size() - 1));
      *kind = k.kind;
      return true;
    }
  }
  return false;
}

}  // namespace

DeviceWord device_word(std::string_view normalized_words) {
  for (const auto& k : kKinds)
    if (k.word == normalized_words) return k.kind;
  return {};
}

void settle_device_words(std::string_view text, std::string_view intent, const SlotNormalizer& home,
                         std::vector<SlotValue>* slots) {
  const bool light_set = intent == "HassLightSet";
  if (!light_set && intent != "HassTurnOn" && intent != "HassTurnOff" && intent != "HassToggle")
    return;
  auto& v = *slots;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].name != "name" || v[i].is_number || home.in_home("name", v[i].text)) continue;
    std::string place;
    DeviceWord kind;
    if (!split_kind(strip_leading(v[i].text), &place, &kind)) continue;
    std::string_view place_slot;
    if (!place.empty()) {
      if (home.in_home("area", place))
        place_slot = "area";
      else if (home.in_home("floor", place))
        place_slot = "floor";
      else
        continue;  // "porch lamp": a name the home does not know yet
    }
    v.erase(v.begin() + static_cast<long>(i));
    if (!place_slot.empty()) add(slots, place_slot, place);
    if (!light_set || kind.domain == "light") add_kind(slots, kind);
    break;
  }
  if (has(v, "name") || has(v, "domain")) return;
  if (light_set) return add(slots, "domain", "light");
  // A cover's class said without its domain.
  for (const auto& s : v)
    if (s.name == "device_class")
      for (const auto& k : kKinds)
        if (k.kind.device_class == s.text) return add(slots, "domain", "cover");
  const auto words = split_words(text);
  std::vector<std::string> norm;
  for (const auto& w : words)
    norm.push_back(normalize_words(text.substr(w.begin, w.end - w.begin)));
  for (size_t i = 0; i < norm.size(); ++i) {
    if (i + 1 < norm.size()) {
      const DeviceWord two = device_word(norm[i] + " " + norm[i + 1]);
      if (!two.domain.empty()) return add_kind(slots, two);
    }
    const DeviceWord one = device_word(norm[i]);
    if (!one.domain.empty()) return add_kind(slots, one);
  }
}

}  // namespace earshot::nlp
