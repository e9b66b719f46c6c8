// Slot spans from the slot head's piece tags, decided per word so that a span never cuts a word
// ("orange", never "ange"): a word takes the tag of the piece holding its first byte (a word
// starting inside a piece begun by an earlier word continues that piece's slot), then BIO over
// the words. tools/nlu/train_decode.py is the reference; the training evaluation uses it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nlp/piece_tokenizer.hpp"

namespace earshot::nlp {

// A word as tools/nlu/words.py splits them: a run of letters/digits (inner ' ’ or . joining
// runs: "what's", "21.5"), or any other single non-space character ("%"). Byte offsets.
// Non-ASCII characters other than ’ count as letters (Python knows Unicode classes; the two
// differ only on non-ASCII symbols and spaces).
struct WordSpan {
  int begin = 0;
  int end = 0;
};
std::vector<WordSpan> split_words(std::string_view text);

struct SlotSpan {
  std::string slot;  // "name", from tag "B-name"
  int begin = 0;     // bytes of the text, [begin, end), on word boundaries
  int end = 0;
};

// `piece_tags[i]` indexes `tags` ("O", "B-x", "I-x") for piece i of `pieces` (of `text`).
// The first span of each slot wins (all are kept with `keep_repeats`, for rules that mend
// spans before drop_repeated_slots); words past the last piece (truncation) are "O".
std::vector<SlotSpan> decode_slot_spans(std::string_view text, const Pieces& pieces,
                                        std::span<const int> piece_tags,
                                        std::span<const std::string> tags,
                                        bool keep_repeats = false);

// Keeps the first span of each slot, in order.
void drop_repeated_slots(std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
