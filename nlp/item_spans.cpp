#include "nlp/item_spans.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "nlp/slot_normalizer.hpp"

namespace earshot::nlp {
namespace {

// Words that end an item: prepositions and determiners around "list", request verbs, fillers.
constexpr std::array<std::string_view, 40> kFrame = {
    "to",   "on",   "in",   "onto", "into",   "at",       "for",   "and",   "my",      "the",
    "a",    "an",   "our",  "some", "list",   "shopping", "add",   "put",   "get",     "buy",
    "need", "want", "grab", "pick", "please", "thanks",   "thank", "you",   "know",    "uh",
    "um",   "uhm",  "er",   "like", "ok",     "okay",     "more",  "extra", "another", "also"};

bool is_frame(const std::string& w) {
  return w.empty() || std::find(kFrame.begin(), kFrame.end(), w) != kFrame.end();
}

}  // namespace

void grow_item_span(std::string_view text, std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  const auto item =
      std::find_if(v.begin(), v.end(), [](const SlotSpan& s) { return s.slot == "item"; });
  if (item == v.end()) return;
  const auto words = split_words(text);
  std::vector<std::string> norm;
  for (const auto& w : words)
    norm.push_back(normalize_words(text.substr(w.begin, w.end - w.begin)));
  int first = -1, last = -1;
  for (int i = 0; i < static_cast<int>(words.size()); ++i) {
    if (words[i].begin == item->begin) first = i;
    if (words[i].end == item->end) last = i;
  }
  if (first < 0 || last < 0) return;
  // Other slots' words may join (the item is the intent's only slot); items' own never split.
  const auto taken = [&](int i) {
    return std::any_of(v.begin(), v.end(), [&](const SlotSpan& s) {
      return &s != &*item && s.slot == "item" && s.begin < words[i].end && words[i].begin < s.end;
    });
  };
  while (last + 1 < static_cast<int>(words.size()) && !is_frame(norm[last + 1]) && !taken(last + 1))
    ++last;
  while (first > 0 && !is_frame(norm[first - 1]) && !taken(first - 1)) --first;
  const SlotSpan grown{"item", words[first].begin, words[last].end};
  std::erase_if(v, [&](const SlotSpan& s) {
    return s.slot != "item" && s.begin < grown.end && grown.begin < s.end;
  });
  for (auto& s : v)
    if (s.slot == "item") {
      s = grown;
      break;
    }
}

}  // namespace earshot::nlp
