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

// With no item tagged: the words said before "(on|in|to ..) [my|the] [shopping] list", the
// frame words between them and "list" skipped ("put eggs uh on the list" -> "eggs").
void add_item_before_list(const std::vector<WordSpan>& words, const std::vector<std::string>& norm,
                          std::vector<SlotSpan>* spans) {
  const auto list = std::find(norm.begin(), norm.end(), "list");
  if (list == norm.end()) return;
  int last = static_cast<int>(list - norm.begin()) - 1;
  while (last >= 0 && is_frame(norm[last])) --last;
  if (last < 0) return;
  int first = last;
  while (first > 0 && !is_frame(norm[first - 1])) --first;
  const SlotSpan item{"item", words[first].begin, words[last].end};
  std::erase_if(*spans,
                [&](const SlotSpan& s) { return s.begin < item.end && item.begin < s.end; });
  spans->push_back(item);
}

}  // namespace

void grow_item_span(std::string_view text, std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  const auto words = split_words(text);
  std::vector<std::string> norm;
  for (const auto& w : words)
    norm.push_back(normalize_words(text.substr(w.begin, w.end - w.begin)));
  const auto item =
      std::find_if(v.begin(), v.end(), [](const SlotSpan& s) { return s.slot == "item"; });
  if (item == v.end()) return add_item_before_list(words, norm, spans);
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
