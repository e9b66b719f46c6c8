// Whisper's rules on the next-token logits (as OpenAI's decoder and CTranslate2 apply them):
// suppressed tokens, no blank or end-of-text as the first token, and the timestamp grammar
// (timestamps come in pairs, never decrease, the first token is a timestamp no later than
// max_initial_timestamp, and a timestamp is forced when timestamps are jointly more likely
// than any text token).
#pragma once

#include <span>
#include <vector>

#include "asr/tokenizer.hpp"

namespace earshot::asr {

struct LogitFilterOptions {
  bool timestamps = true;
  bool suppress_blank = true;
  int max_initial_timestamp_index = 50;  // 1.0 s at 0.02 s per timestamp
  // Last allowed timestamp (index from timestamp_begin), -1 for none: set for an encoder
  // window shorter than 30 s; a segment closed at it ends the window.
  int max_timestamp_index = -1;
};

class LogitFilter {
 public:
  LogitFilter(const WhisperTokenizer& tok, const LogitFilterOptions& o);
  // `generated`: tokens sampled so far in this window (after the prompt). `logits` has
  // the vocabulary's size and is changed in place (-inf where forbidden).
  void apply(std::span<const int> generated, std::span<float> logits) const;

 private:
  SpecialTokens sp_;
  LogitFilterOptions o_;
  std::vector<int> suppress_;
  int blank_ = 220;  // " "
};

// log_softmax of `logits` into `out`.
void log_softmax(std::span<const float> logits, std::span<float> out);

}  // namespace earshot::asr
