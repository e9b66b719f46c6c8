// Whisper's byte-level BPE vocabulary, read from the model file (`tokenizer.bytes` +
// `tokenizer.byte_offsets`: every token already mapped back to raw UTF-8 bytes), with the
// special token ids from the metadata. Decoding is concatenation; special and timestamp
// tokens decode to nothing.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::asr {

struct SpecialTokens {
  int eot = 50256;
  int sot = 50257;
  int translate = 50357;
  int transcribe = 50358;
  int sot_lm = 50359;
  int sot_prev = 50360;
  int no_speech = 50361;
  int no_timestamps = 50362;
  int timestamp_begin = 50363;
};

class WhisperTokenizer {
 public:
  static Result<WhisperTokenizer> load(const model::Model& m);

  const SpecialTokens& special() const { return sp_; }
  int vocab_size() const { return static_cast<int>(offsets_.size()) - 1; }
  bool is_text(int t) const { return t >= 0 && t < sp_.eot; }
  bool is_timestamp(int t) const { return t >= sp_.timestamp_begin; }
  // The raw bytes of one token (empty for special tokens).
  std::string_view bytes(int t) const;
  // Text tokens concatenated; special and timestamp tokens skipped.
  std::string decode(std::span<const int> tokens) const;
  // Ids from the metadata's `config.suppress_ids` (what "-1" means for suppress_tokens).
  const std::vector<int>& suppress_ids() const { return suppress_; }

 private:
  SpecialTokens sp_;
  std::span<const std::uint8_t> data_;
  std::span<const std::int32_t> offsets_;
  std::vector<int> suppress_;
};

}  // namespace earshot::asr
