// The weights of a Whisper model (any size of the family) read from an earshot model file
// (docs/models.md, "Whisper"): hyper-parameters from the metadata, f32 tensors in place,
// linear layers f32 or int8.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/layers/linear.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::asr {

struct WhisperHparams {
  int n_mels = 80;
  int n_vocab = 51864;
  int d_model = 384;
  int n_heads = 6;
  int n_audio_layers = 4;
  int n_text_layers = 4;
  int n_audio_ctx = 1500;
  int n_text_ctx = 448;
};

struct LayerNormWeights {
  const float* gamma = nullptr;
  const float* beta = nullptr;
};

struct EncoderLayer {
  LayerNormWeights attn_ln, ffn_ln;
  runtime::Linear qkv, attn_out, fc1, fc2;
};

struct DecoderLayer {
  LayerNormWeights self_ln, cross_ln, ffn_ln;
  runtime::Linear self_qkv, self_out, cross_q, cross_kv, cross_out, fc1, fc2;
};

struct WhisperWeights {
  WhisperHparams hp;
  bool int8 = false;
  // Encoder stem: conv1 [d, n_mels, 3], conv2 [d, d, 3] (stride 2), each with bias.
  const float* conv1_w = nullptr;
  const float* conv1_b = nullptr;
  const float* conv2_w = nullptr;
  const float* conv2_b = nullptr;
  const float* enc_pos = nullptr;  // [n_audio_ctx][d]
  std::vector<EncoderLayer> enc;
  LayerNormWeights enc_ln;
  const float* tok_emb = nullptr;  // [n_vocab][d]
  const float* dec_pos = nullptr;  // [n_text_ctx][d]
  std::vector<DecoderLayer> dec;
  LayerNormWeights dec_ln;
  runtime::Linear projection;  // tied to tok_emb (f32) or its int8 copy

  // Checks that the file is a Whisper ASR model and reads every tensor.
  static Result<std::shared_ptr<WhisperWeights>> load(std::shared_ptr<model::Model> m);

 private:
  std::shared_ptr<model::Model> model_;  // keeps the mapping alive
};

// Runs `l`, first growing `scratch`: Whisper's row counts change from call to call.
inline Status apply_linear(const runtime::Linear& l, const float* x, int rows, float* y,
                           runtime::ThreadPool* pool, std::vector<unsigned char>& scratch) {
  const size_t need = l.scratch_bytes(rows, pool);
  if (scratch.size() < need) scratch.resize(need);
  return l.apply(x, rows, y, scratch.data(), scratch.size(), pool);
}

}  // namespace earshot::asr
