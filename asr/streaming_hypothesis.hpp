// Word-level bookkeeping of streaming hypotheses: splitting Whisper tokens into words,
// LocalAgreement-2 (what two consecutive decodes agree on becomes confirmed) and the guards
// that keep loops out of partials (n-gram runs, a tail that repeats the confirmed text).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "asr/tokenizer.hpp"

namespace earshot::asr {

// Tokens [begin, end) of one word; a word starts at a token whose bytes begin with a space.
// `norm` is the word in lower case with only letters and digits (for repetition checks).
struct TokenWord {
  size_t begin = 0, end = 0;
  std::string norm;
};

// Special and timestamp tokens are skipped (they belong to no word).
std::vector<TokenWord> split_words(const WhisperTokenizer& tok, std::span<const int> tokens);

// LocalAgreement-2: the number of leading tokens of `newer` that make up the longest run of
// leading words `older` agrees with (same letters and digits, case and punctuation aside).
// The last word of `newer` never counts (it may still grow as audio arrives), nor does a
// word that ends `older`; punctuation ending the last agreed word is left out.
size_t agreed_prefix_tokens(const WhisperTokenizer& tok, std::span<const int> older,
                            std::span<const int> newer);
// The tokens of the first `words` words of `tokens`, without the punctuation ending the last.
size_t word_prefix_tokens(const WhisperTokenizer& tok, std::span<const int> tokens, size_t words);
// Whether the first letter of the text is a capital.
bool starts_upper(const WhisperTokenizer& tok, std::span<const int> tokens);

// The number of leading tokens of `tail` to keep so that `confirmed` + tail has no word
// n-gram (n <= 4) repeated more than `max_copies` times in a row (Whisper's loops); the rest
// of the tail is dropped.
size_t loop_free_prefix(const WhisperTokenizer& tok, std::span<const int> confirmed,
                        std::span<const int> tail, int max_copies = 2);

// True when `tail` starts by repeating the last words of `confirmed` (three or more, or all
// of it when shorter): how a looping partial starts over.
bool repeats_confirmed_end(const WhisperTokenizer& tok, std::span<const int> confirmed,
                           std::span<const int> tail);

// The longest run of one word n-gram (n <= 4) repeated back to back in `words` (1 when
// nothing repeats, 0 for no words). For tests and guards.
int max_ngram_run(const std::vector<std::string>& words);

}  // namespace earshot::asr
