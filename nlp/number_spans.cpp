#include "nlp/number_spans.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "nlp/number_words.hpp"
#include "nlp/slot_normalizer.hpp"

namespace earshot::nlp {
namespace {

constexpr std::array<std::string_view, 8> kTens = {"twenty", "thirty",  "forty",  "fifty",
                                                   "sixty",  "seventy", "eighty", "ninety"};
constexpr std::array<std::string_view, 9> kDigits = {"one", "two",   "three", "four", "five",
                                                     "six", "seven", "eight", "nine"};
constexpr std::string_view kStart = "start_";

bool in(std::string_view w, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// "hours" for "hour"/"hours"/"hr"..., "" for any other word.
std::string_view unit_slot(std::string_view w) {
  if (w == "hour" || w == "hours") return "hours";
  if (w == "minute" || w == "minutes" || w == "min" || w == "mins") return "minutes";
  if (w == "second" || w == "seconds" || w == "sec" || w == "secs") return "seconds";
  return {};
}

std::string_view smaller_unit(std::string_view unit) {
  if (unit == "hours") return "minutes";
  if (unit == "minutes") return "seconds";
  return {};
}

struct Words {
  std::vector<WordSpan> spans;
  std::vector<std::string> norm;

  // The word index starting at byte `begin` / ending at byte `end`, or -1.
  int starting_at(int begin) const {
    for (size_t i = 0; i < spans.size(); ++i)
      if (spans[i].begin == begin) return static_cast<int>(i);
    return -1;
  }
  int ending_at(int end) const {
    for (size_t i = 0; i < spans.size(); ++i)
      if (spans[i].end == end) return static_cast<int>(i);
    return -1;
  }
  // The next word after i that is not a hyphen, or -1.
  int next(int i) const {
    for (int j = i + 1; j < static_cast<int>(norm.size()); ++j)
      if (!norm[j].empty()) return j;
    return -1;
  }
};

}  // namespace

bool is_duration_slot(std::string_view slot) {
  if (slot.starts_with(kStart)) slot.remove_prefix(kStart.size());
  return slot == "hours" || slot == "minutes" || slot == "seconds";
}

void mend_number_spans(std::string_view text, std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  const auto is_number_span = [&](const SlotSpan& s) {
    const auto said = text.substr(s.begin, s.end - s.begin);
    // "point five" is the tail of a number whose whole the head tagged apart.
    return is_duration_slot(s.slot) || parse_number(said) ||
           (normalize_words(said).starts_with("point ") &&
            parse_number("zero " + std::string(said)));
  };
  if (std::none_of(v.begin(), v.end(), is_number_span)) return;
  Words w;
  w.spans = split_words(text);
  for (const auto& s : w.spans)
    w.norm.push_back(normalize_words(text.substr(s.begin, s.end - s.begin)));

  // Hyphens at either end of a span ("ninety-" | "-five") belong to no number.
  for (auto& s : v) {
    if (!is_duration_slot(s.slot)) continue;
    int first = w.starting_at(s.begin), last = w.ending_at(s.end);
    if (first < 0 || last < 0) continue;
    while (first < last && w.norm[first].empty()) ++first;
    while (last > first && w.norm[last].empty()) --last;
    s.begin = w.spans[first].begin;
    s.end = w.spans[last].end;
  }

  // "1/2" is one word to a listener: the span touching it covers all of it.
  for (int i = 0; i + 2 < static_cast<int>(w.norm.size()); ++i) {
    if (w.norm[i] != "1" || text.substr(w.spans[i + 1].begin, 1) != "/" || w.norm[i + 2] != "2")
      continue;
    const int b = w.spans[i].begin, e = w.spans[i + 2].end;
    auto hit = std::find_if(v.begin(), v.end(), [&](const SlotSpan& s) {
      return is_duration_slot(s.slot) && s.begin < e && b < s.end;
    });
    if (hit == v.end()) continue;
    hit->begin = std::min(hit->begin, b);
    hit->end = std::max(hit->end, e);
    const SlotSpan kept = *hit;
    std::erase_if(v, [&](const SlotSpan& s) {
      return (s.begin != kept.begin || s.end != kept.end) && s.begin < e && b < s.end;
    });
  }

  // A tens word ending a number span and a units word after it: one number. The units word
  // joins when it is untagged or a span of its own; the tens word, when the span is the units
  // word alone and the tens word is untagged.
  for (size_t i = 0; i < v.size(); ++i) {
    if (!is_number_span(v[i])) continue;
    const int last = w.ending_at(v[i].end);
    const int first = w.starting_at(v[i].begin);
    if (last < 0 || first < 0) continue;
    const auto owner = [&](int word) -> int {
      for (size_t k = 0; k < v.size(); ++k)
        if (v[k].begin < w.spans[word].end && w.spans[word].begin < v[k].end)
          return static_cast<int>(k);
      return -1;
    };
    if (in(w.norm[last], kTens)) {
      const int n = w.next(last);
      if (n < 0 || !in(w.norm[n], kDigits)) continue;
      const int other = owner(n);
      // The units word may start a longer number span ("six point five"): one number, in the
      // slot of the longer part.
      if (other >= 0 && (v[other].begin != w.spans[n].begin || !is_number_span(v[other]))) continue;
      v[i].end = w.spans[n].end;
      if (other >= 0) {
        const bool longer = v[other].end - v[other].begin > w.spans[last].end - v[i].begin;
        v[i].end = v[other].end;
        if (longer) v[i].slot = v[other].slot;
        v.erase(v.begin() + other);
        if (other < static_cast<int>(i)) --i;
      }
    } else if ((first == last && in(w.norm[first], kDigits)) || w.norm[first] == "point") {
      // "five" of "sixty-five", "point five" of "two point five": the untagged word before.
      int p = first - 1;
      while (p >= 0 && w.norm[p].empty()) --p;
      const bool before = w.norm[first] == "point" ? parse_number(w.norm[p < 0 ? 0 : p]).has_value()
                                                   : in(w.norm[p < 0 ? 0 : p], kTens);
      if (p >= 0 && before && owner(p) < 0) v[i].begin = w.spans[p].begin;
    }
  }

  // "twenty one and a half" (degrees, percent): the half belongs to the number. Durations keep
  // it apart: "fifty nine and a half minutes" is 59 minutes and 30 seconds to Home Assistant.
  for (auto& s : v) {
    if (is_duration_slot(s.slot) || !is_number_span(s)) continue;
    const int last = w.ending_at(s.end);
    int n = last < 0 ? -1 : w.next(last);
    if (n < 0 || w.norm[n] != "and") continue;
    n = w.next(n);
    if (n >= 0 && w.norm[n] == "a") n = w.next(n);
    const bool free = n >= 0 && std::none_of(v.begin(), v.end(), [&](const SlotSpan& o) {
                        return o.begin < w.spans[n].end && w.spans[n].begin < o.end;
                      });
    if (free && w.norm[n] == "half") s.end = w.spans[n].end;
  }

  // The unit said after the number names the slot ("97-minutes" is minutes whatever the head
  // said); "half a minute" is the next smaller unit.
  for (auto& s : v) {
    if (!is_duration_slot(s.slot)) continue;
    const int last = w.ending_at(s.end);
    const int first = w.starting_at(s.begin);
    if (last < 0 || first < 0) continue;
    const bool half = (first == last && w.norm[first] == "half") ||
                      (last == first + 2 && w.norm[first] == "1" && w.norm[last] == "2");
    int n = w.next(last);
    if (half && n >= 0 && (w.norm[n] == "a" || w.norm[n] == "an")) n = w.next(n);
    if (n < 0) continue;
    std::string_view unit = unit_slot(w.norm[n]);
    if (half) unit = smaller_unit(unit);
    if (unit.empty()) continue;
    const bool start = s.slot.starts_with(kStart);
    s.slot = (start ? std::string(kStart) : std::string()) + std::string(unit);
  }
}

}  // namespace earshot::nlp
