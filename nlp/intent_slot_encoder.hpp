// The NLU transformer (tools/nlu/train_model.py): piece + position embeddings, pre-LN encoder
// blocks (self-attention, GELU feed-forward), a final LayerNorm, an intent head over the mean
// of the positions and a BIO slot-tag head per piece. Weights stay in the model file (f32) or
// are packed once (int8); all activations live in buffers sized at creation for max_len pieces.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/layers/linear.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::nlp {

struct EncoderShape {
  int vocab = 0, d_model = 0, heads = 0, ffn = 0, layers = 0, max_len = 0;
  int n_intents = 0, n_tags = 0;
  float ln_eps = 1e-5f;
};

class IntentSlotEncoder {
 public:
  // Reads the shape from metadata["hparams"] and every tensor, named `prefix` + the torch name
  // ("m1." for an ensemble's second member); CorruptData on a mismatch.
  static Result<IntentSlotEncoder> load(const model::Model& m, const std::string& prefix = "");

  const EncoderShape& shape() const { return s_; }
  bool is_int8() const { return blocks_.empty() ? false : blocks_[0].qkv.is_int8(); }
  uint64_t macs(int pieces) const;
  uint64_t weight_bytes() const { return weight_bytes_; }
  uint64_t state_bytes() const;

  // ids: 1..max_len piece ids. Fills intent_logits() [n_intents] and slot_logits()
  // [ids.size()][n_tags]. No allocation.
  Status run(std::span<const int> ids);
  std::span<const float> intent_logits() const { return intent_; }
  const float* slot_logits() const { return slots_.data(); }

 private:
  struct Block {
    const float *ln1_g, *ln1_b, *ln2_g, *ln2_b;
    runtime::Linear qkv, out, fc1, fc2;
  };
  EncoderShape s_;
  const float* tok_ = nullptr;  // [vocab][d]
  const float* pos_ = nullptr;  // [max_len][d]
  std::vector<Block> blocks_;
  const float *lnf_g_ = nullptr, *lnf_b_ = nullptr;
  std::vector<runtime::Linear> heads_;  // intent, slot
  uint64_t weight_bytes_ = 0;
  kernels::KvCache cache_;
  // Activations, [max_len] rows each.
  std::vector<float> x_, h_, qkv_, q_, k_, v_, att_, ff_, scores_, pooled_, intent_, slots_;
  std::vector<uint8_t> scratch_;
};

}  // namespace earshot::nlp
