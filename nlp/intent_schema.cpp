#include "nlp/intent_schema.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "nlp/number_spans.hpp"
#include "nlp/number_words.hpp"

namespace earshot::nlp {
namespace {

struct Requirement {
  std::string_view intent;
  std::array<std::string_view, 5> any_of;  // at least one of these slots (empty: unused)
};

constexpr std::array<std::string_view, 5> kTarget = {"name", "area", "floor", "domain",
                                                     "device_class"};
constexpr std::array<std::string_view, 5> kDuration = {"hours", "minutes", "seconds"};

constexpr std::array<Requirement, 11> kRequirements = {{
    {"HassTurnOn", kTarget},
    {"HassTurnOff", kTarget},
    {"HassToggle", kTarget},
    {"HassGetState", kTarget},
    {"HassLightSet", {"brightness", "color", "temperature"}},
    {"HassSetVolume", {"volume_level"}},
    {"HassClimateSetTemperature", {"temperature"}},
    {"HassStartTimer", kDuration},
    {"HassIncreaseTimer", kDuration},
    {"HassDecreaseTimer", kDuration},
    {"HassShoppingListAddItem", {"item"}},
}};

const Requirement* requirement_of(std::string_view intent) {
  const auto req = std::find_if(kRequirements.begin(), kRequirements.end(),
                                [&](const Requirement& r) { return r.intent == intent; });
  return req == kRequirements.end() ? nullptr : &*req;
}

bool required(const Requirement& req, std::string_view slot) {
  return !slot.empty() && std::find(req.any_of.begin(), req.any_of.end(), slot) != req.any_of.end();
}

constexpr int kMaxValueWords = 6;  // "ninety six point five" and a hyphen or two

}  // namespace

void recover_required_span(std::string_view text, std::string_view intent,
                           const SlotNormalizer& values, std::vector<SlotSpan>* spans) {
  const Requirement* req = requirement_of(intent);
  if (req == nullptr || std::any_of(spans->begin(), spans->end(),
                                    [&](const SlotSpan& s) { return required(*req, s.slot); }))
    return;
  const auto words = split_words(text);
  const int n = static_cast<int>(words.size());
  const auto tagged = [&](int i) {
    return std::any_of(spans->begin(), spans->end(), [&](const SlotSpan& s) {
      return s.begin < words[i].end && words[i].begin < s.end;
    });
  };
  const auto slice = [&](int i, int j) {
    return text.substr(words[i].begin, words[j].end - words[i].begin);
  };
  for (int i = 0; i < n; ++i) {
    if (tagged(i)) continue;
    // The longest run of untagged words from i that names a value or says a number.
    for (int j = std::min(n, i + kMaxValueWords) - 1; j >= i; --j) {
      bool free = true;
      for (int k = i + 1; k <= j && free; ++k) free = !tagged(k);
      if (!free) continue;
      const std::string said = normalize_words(slice(i, j));
      std::string_view slot;
      for (const auto& s : req->any_of)
        if (!s.empty() && values.names_value(s, said)) {
          slot = s;
          break;
        }
      if (slot.empty()) {
        const auto number = parse_number(slice(i, j));
        if (!number) continue;
        if (intent == "HassLightSet") {
          const std::string next = j + 1 < n ? normalize_words(slice(j + 1, j + 1)) : "";
          slot =
              (*number >= 1000 || next == "kelvin" || next == "k") ? "temperature" : "brightness";
        } else {
          // A level or a temperature; a timer's number names its unit itself (number_spans).
          for (const auto& s : req->any_of)
            if (!s.empty() && values.is_numeric(s) && !is_duration_slot(s)) slot = s;
          if (slot.empty()) continue;
        }
      }
      spans->push_back({std::string(slot), words[i].begin, words[j].end});
      return;
    }
  }
}

bool has_required_slots(std::string_view intent, const std::vector<SlotValue>& slots) {
  const Requirement* req = requirement_of(intent);
  return req == nullptr || std::any_of(slots.begin(), slots.end(),
                                       [&](const SlotValue& s) { return required(*req, s.name); });
}

}  // namespace earshot::nlp
