// Decoding one audio window: the prompt (optional previous text, start of transcript), then
// tokens chosen greedily, by sampling at a temperature, or by beam search, under the
// LogitFilter rules, until end-of-text or the length limit. Also the no-speech probability
// (the <|nocaptions|> probability right after the start token, as Whisper defines it).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "asr/logit_filter.hpp"
#include "asr/whisper_decoder.hpp"

namespace earshot::asr {

struct WindowDecodeOptions {
  float temperature = 0.0f;
  int beam_size = 1;
  float patience = 1.0f;
  int max_new_tokens = 224;
  LogitFilterOptions filter;
};

struct WindowResult {
  std::vector<int> tokens;   // generated tokens, end-of-text excluded
  std::vector<float> probs;  // probability of each generated token
  double sum_logprob = 0.0;  // over the tokens and the end-of-text
  double avg_logprob = 0.0;  // sum_logprob / (tokens + 1), as faster-whisper reports it
  float no_speech_prob = 0.0f;
};

class WindowDecoder {
 public:
  // `decoder` must have at least beam_size states for beam search.
  WindowDecoder(WhisperDecoder& decoder, const WhisperTokenizer& tok);

  // The decoder must hold this window's audio (set_audio).
  Result<WindowResult> decode(std::span<const int> prompt, const WindowDecodeOptions& o,
                              runtime::ThreadPool* pool);
  void seed(uint64_t s) { rng_.seed(s); }

 private:
  Result<WindowResult> greedy(std::span<const int> prompt, const WindowDecodeOptions& o,
                              runtime::ThreadPool* pool);
  Result<WindowResult> beam(std::span<const int> prompt, const WindowDecodeOptions& o,
                            runtime::ThreadPool* pool);
  float no_speech(std::span<const float> raw_logits) const;

  WhisperDecoder& dec_;
  const WhisperTokenizer& tok_;
  std::vector<float> logits_, logprobs_;
  std::vector<float> batch_logits_;  // [beam][vocab] of one beam step
  std::mt19937_64 rng_{0x5eed};
};

}  // namespace earshot::asr
