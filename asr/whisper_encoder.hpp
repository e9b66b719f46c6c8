// Whisper's audio encoder: two convolutions with GELU (the second of stride 2), sinusoidal
// positions, pre-norm transformer blocks and a final layer norm. It runs on any even number of
// mel frames up to 2 * n_audio_ctx: Whisper itself always feeds 3000 frames (30 s); a shorter
// input uses the first rows of the position table (the "short utterance" mode).
#pragma once

#include <memory>
#include <vector>

#include "asr/float_buffer.hpp"
#include "asr/whisper_weights.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::asr {

class WhisperEncoder {
 public:
  // Allocates every buffer for the longest input (2 * n_audio_ctx frames).
  static Result<WhisperEncoder> create(std::shared_ptr<const WhisperWeights> w);

  // mel: [frames][n_mels], frames even, 2 <= frames <= 2 * n_audio_ctx. The output,
  // [frames / 2][d_model], stays valid until the next call.
  Result<const float*> encode(const float* mel, int frames, runtime::ThreadPool* pool);
  int output_frames() const { return n_; }

 private:
  Status conv_stem(const float* mel, int frames, runtime::ThreadPool* pool);
  Status block(const EncoderLayer& l, runtime::ThreadPool* pool);
  Status self_attention(runtime::ThreadPool* pool);

  // Query rows per attention task: a multiple of the GEMM's 6-row tile, and 96 x 1500 scores
  // (576 KB) stay in L2.
  static constexpr int kQueryBlock = 96;

  std::shared_ptr<const WhisperWeights> w_;
  int n_ = 0;  // output frames of the last call
  FloatBuffer x_, h_, qkv_, kt_, att_, ffn_, scores_;
  std::vector<unsigned char> scratch_;
};

}  // namespace earshot::asr
