// Whisper's text decoder: token + position embeddings, pre-norm blocks of causal
// self-attention (keys/values cached per decoding state), cross-attention over the encoder
// output (projected once per audio window) and a feed-forward layer, then the final layer
// norm and the vocabulary projection (tied to the token embedding).
//
// Several decoding states (beam hypotheses) share the cross-attention cache; each owns its
// self-attention cache.
#pragma once

#include <memory>
#include <vector>

#include "asr/float_buffer.hpp"
#include "asr/whisper_weights.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::asr {

class WhisperDecoder {
 public:
  // Allocates caches for `states` hypotheses of up to n_text_ctx tokens each.
  static Result<WhisperDecoder> create(std::shared_ptr<const WhisperWeights> w, int states = 1);

  // Projects the encoder output [frames][d_model] into every layer's cross-attention cache
  // and clears every state.
  Status set_audio(const float* encoded, int frames, runtime::ThreadPool* pool);

  // Appends `n` tokens to state `s` and writes the logits of the last one ([n_vocab]).
  Status forward(int s, const int* tokens, int n, float* logits, runtime::ThreadPool* pool);
  // One token for each of `count` distinct states (a beam step), in one pass over the
  // weights; logits [count][n_vocab]. The same logits as `count` forward() calls.
  Status forward_batch(const int* states, const int* tokens, int count, float* logits,
                       runtime::ThreadPool* pool);

  // Tokens already in state s.
  int length(int s) const { return states_[s].self[0].size(); }
  int states() const { return static_cast<int>(states_.size()); }
  void clear(int s);
  // State dst becomes a copy of state src (beam search reordering).
  void copy_state(int src, int dst);
  int max_length() const { return w_->hp.n_text_ctx; }

 private:
  struct State {
    std::vector<kernels::KvCache> self;
  };
  std::shared_ptr<const WhisperWeights> w_;
  std::vector<kernels::KvCache> cross_;
  std::vector<State> states_;
  Status run(const int* tokens, int n, bool all_logits, float* logits, runtime::ThreadPool* pool);

  std::vector<float> x_, h_, qkv_, q_, att_, ffn_, scores_;
  std::vector<unsigned char> scratch_;
  FloatBuffer k_, v_, kv_;      // sized for the encoder output, filled per window
  std::vector<int> row_state_;  // the state of each row of x_
};

}  // namespace earshot::asr
