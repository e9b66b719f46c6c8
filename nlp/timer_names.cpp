#include "nlp/timer_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "nlp/number_words.hpp"
#include "nlp/slot_spans.hpp"

namespace earshot::nlp {
namespace {

// Words before "timer" that are part of how the request is said, never a timer's name.
constexpr std::array<std::string_view, 62> kFrameWords = {
    "my",      "the",     "a",        "an",       "all",    "to",   "off",     "of",       "on",
    "from",    "more",    "every",    "this",     "that",   "your", "our",     "current",  "first",
    "last",    "next",    "other",    "another",  "any",    "each", "running", "active",   "uh",
    "um",      "uhm",     "er",       "erm",      "like",   "know", "s",       "so",       "ok",
    "okay",    "please",  "increase", "decrease", "pause",  "stop", "resume",  "continue", "cancel",
    "start",   "set",     "create",   "add",      "remove", "take", "reduce",  "extend",   "check",
    "restart", "unpause", "end",      "delete",   "make",   "new",  "by",      "for"};

bool is_frame_word(const std::string& w) {
  if (std::find(kFrameWords.begin(), kFrameWords.end(), w) != kFrameWords.end()) return true;
  for (std::string_view unit : {"second", "minute", "hour", "sec", "min", "half"})
    if (w.starts_with(unit)) return true;
  return parse_number(w).has_value();
}

bool has(const std::vector<SlotValue>& slots, std::string_view name) {
  return std::any_of(slots.begin(), slots.end(), [&](const SlotValue& s) {
    return s.name == name || (s.name.starts_with("start_") && s.name.substr(6) == name);
  });
}

}  // namespace

void add_timer_name(std::string_view text, std::string_view intent, const SlotNormalizer& home,
                    std::vector<SlotValue>* slots) {
  if (intent.find("Timer") == std::string_view::npos || intent == "HassCancelAllTimers") return;
  for (std::string_view slot : {"name", "area"})
    if (has(*slots, slot)) return;
  const auto words = split_words(text);
  std::vector<std::string> norm;
  for (const auto& w : words)
    norm.push_back(normalize_words(text.substr(w.begin, w.end - w.begin)));
  const auto add = [&](size_t i) {
    const std::string& name = norm[i];
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])) || is_frame_word(name) ||
        home.in_home("area", name) || home.in_home("floor", name))
      return false;
    SlotValue v;
    v.name = "name";
    v.spoken = std::string(text.substr(words[i].begin, words[i].end - words[i].begin));
    v.text = name;
    slots->push_back(std::move(v));
    return true;
  };
  // "timer called nap", "timer named nap": the word after.
  for (size_t i = 1; i + 1 < words.size(); ++i)
    if ((norm[i] == "called" || norm[i] == "named") && norm[i - 1] == "timer" && add(i + 1)) return;
  // "the nap timer": the word before, unless a number comes right before it (then it is the
  // number's unit, however misheard: "ninety six-ours timer").
  for (size_t i = 1; i < words.size(); ++i)
    if (norm[i] == "timer") {
      size_t b = i - 1;
      while (b > 0 && norm[b - 1].empty()) --b;
      if (b == 0 || !parse_number(norm[b - 1])) add(i - 1);
      return;
    }
}

}  // namespace earshot::nlp
