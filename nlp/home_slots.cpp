#include "nlp/home_slots.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace earshot::nlp {
namespace {

bool is_home_slot(std::string_view slot) {
  return slot == "name" || slot == "area" || slot == "floor";
}

std::string_view words_of(std::string_view text, const SlotSpan& s) {
  return text.substr(s.begin, s.end - s.begin);
}

bool only_spaces(std::string_view t) {
  return std::all_of(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool has_slot(const std::vector<SlotSpan>& spans, std::string_view slot, const SlotSpan* but) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const SlotSpan& s) { return &s != but && s.slot == slot; });
}

bool is_article(std::string_view w) {
  std::string lower(w);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "the" || lower == "my" || lower == "our";
}

}  // namespace

void snap_home_slots(std::string_view text, const SlotNormalizer& home,
                     std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
  // Touching pieces of one known thing, each unknown as labelled.
  for (size_t i = 0; i + 1 < v.size();) {
    SlotSpan& a = v[i];
    const SlotSpan& b = v[i + 1];
    const bool touching = b.begin >= a.end && only_spaces(text.substr(a.end, b.begin - a.end));
    if (touching && is_home_slot(a.slot) && is_home_slot(b.slot) &&
        !home.in_home(a.slot, words_of(text, a)) && !home.in_home(b.slot, words_of(text, b))) {
      const SlotSpan joined{a.slot, a.begin, b.end};
      const std::string_view slot = home.home_slot(words_of(text, joined));
      if (!slot.empty()) {
        a = {std::string(slot), a.begin, b.end};
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        continue;
      }
    }
    ++i;
  }
  // A whole span that is another kind of thing in this home.
  for (auto& s : v) {
    if (!is_home_slot(s.slot) || home.in_home(s.slot, words_of(text, s))) continue;
    const std::string_view slot = home.home_slot(words_of(text, s));
    if (!slot.empty() && !has_slot(v, slot, &s)) s.slot = std::string(slot);
  }
  // An area or floor of the home said outside every span, when the model tagged none.
  const auto words = split_words(text);
  for (std::string_view slot : {"area", "floor"}) {
    if (has_slot(v, slot, nullptr)) continue;
    for (size_t i = 0; i < words.size() && !has_slot(v, slot, nullptr); ++i) {
      if (is_article(text.substr(words[i].begin, words[i].end - words[i].begin))) continue;
      std::string joined;
      for (size_t j = i; j < words.size() && j < i + 4; ++j) {
        const auto w = words[j];
        const bool covered = std::any_of(v.begin(), v.end(), [&](const SlotSpan& s) {
          return s.begin < w.end && w.begin < s.end;
        });
        if (covered) break;
        if (j > i) joined += ' ';
        joined += text.substr(w.begin, w.end - w.begin);
        if (home.in_home(slot, joined) && home.home_slot(joined) == slot) {
          v.push_back({std::string(slot), words[i].begin, w.end});
          break;
        }
      }
    }
  }
  // One span per slot, the first said winning (merges and relabels can make two).
  for (size_t i = 0; i < v.size(); ++i)
    for (size_t j = i + 1; j < v.size();)
      if (v[j].slot == v[i].slot)
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(j));
      else
        ++j;
}

}  // namespace earshot::nlp
