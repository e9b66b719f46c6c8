#include "nlp/slot_spans.hpp"

#include <algorithm>

namespace earshot::nlp {
namespace {

bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Bytes of U+2019 (’), which joins letter runs like the ASCII apostrophe.
constexpr std::string_view kRightQuote = "\xE2\x80\x99";

// Length of the joiner at i (' . ’), 0 when there is none.
size_t joiner_at(std::string_view t, size_t i) {
  if (t[i] == '\'' || t[i] == '.') return 1;
  return t.substr(i, kRightQuote.size()) == kRightQuote ? kRightQuote.size() : 0;
}

bool is_letter_at(std::string_view t, size_t i) {
  const auto c = static_cast<unsigned char>(t[i]);
  if (c >= 0x80) return joiner_at(t, i) == 0;
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::vector<WordSpan> split_words(std::string_view text) {
  std::vector<WordSpan> words;
  size_t i = 0;
  while (i < text.size()) {
    if (is_space(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    const size_t begin = i;
    if (!is_letter_at(text, i)) {
      // One character of its own: a whole UTF-8 sequence when it starts one.
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      words.push_back({static_cast<int>(begin), static_cast<int>(i)});
      continue;
    }
    while (i < text.size()) {
      if (is_letter_at(text, i)) {
        ++i;
        continue;
      }
      const size_t j = joiner_at(text, i);
      if (j > 0 && i + j < text.size() && is_letter_at(text, i + j)) {
        i += j;
        continue;
      }
      break;
    }
    words.push_back({static_cast<int>(begin), static_cast<int>(i)});
  }
  return words;
}

std::vector<SlotSpan> decode_slot_spans(std::string_view text, const Pieces& pieces,
                                        std::span<const int> piece_tags,
                                        std::span<const std::string> tags, bool keep_repeats) {
  std::vector<SlotSpan> spans;
  const auto words = split_words(text);
  const size_t n_pieces = std::min(pieces.ids.size(), piece_tags.size());
  std::string current;
  int span_begin = 0, span_end = 0;
  auto close = [&] {
    if (current.empty()) return;
    const bool seen = std::any_of(spans.begin(), spans.end(),
                                  [&](const SlotSpan& s) { return s.slot == current; });
    if (!seen || keep_repeats) spans.push_back({current, span_begin, span_end});
    current.clear();
  };
  size_t p = 0;
  for (size_t w = 0; w < words.size(); ++w) {
    const int ws = words[w].begin;
    while (p < n_pieces && pieces.end[p] <= ws) ++p;
    std::string_view tag = "O";
    bool shared = false;
    if (p < n_pieces && pieces.begin[p] <= ws) {
      const int t = piece_tags[p];
      if (t >= 0 && static_cast<size_t>(t) < tags.size()) tag = tags[t];
      // The piece began inside the previous word (not just on the space before this one).
      shared = w > 0 && words[w - 1].end > pieces.begin[p];
    }
    if (tag.size() < 3 || tag == "O") {
      close();
      continue;
    }
    const std::string_view slot = tag.substr(2);
    if ((tag[0] == 'B' && !shared) || slot != current) {
      close();
      current = std::string(slot);
      span_begin = ws;
    }
    span_end = words[w].end;
  }
  close();
  return spans;
}

void drop_repeated_slots(std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  for (size_t i = 1; i < v.size();) {
    const bool seen = std::any_of(v.begin(), v.begin() + i,
                                  [&](const SlotSpan& s) { return s.slot == v[i].slot; });
    if (seen)
      v.erase(v.begin() + i);
    else
      ++i;
  }
}

}  // namespace earshot::nlp
