#include "asr/whisper_decoder.hpp"

#include <algorithm>
#include <cstring>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/norm.hpp"

namespace earshot::asr {
namespace {

constexpr float kLayerNormEps = 1e-5f;

// Splits rows of `n` fused projections [n][parts * d] into separate [n][d] buffers.
void split_rows(const float* fused, int n, int d, int parts, float* const* out) {
  for (int t = 0; t < n; ++t) {
    const float* r = fused + static_cast<size_t>(t) * parts * d;
    for (int p = 0; p < parts; ++p) {
      std::memcpy(out[p] + static_cast<size_t>(t) * d, r + static_cast<size_t>(p) * d,
                  d * sizeof(float));
    }
  }
}

}  // namespace

Result<WhisperDecoder> WhisperDecoder::create(std::shared_ptr<const WhisperWeights> w, int states) {
  if (!w) return InvalidArgument("WhisperDecoder: no weights");
  if (states < 1 || states > 16) return InvalidArgument("WhisperDecoder: states must be 1..16");
  const auto& h = w->hp;
  const int hd = h.d_model / h.n_heads;
  WhisperDecoder dec;
  for (int l = 0; l < h.n_text_layers; ++l) {
    auto c = kernels::KvCache::create(h.n_heads, hd, h.n_audio_ctx);
    if (!c.ok()) return c.status();
    dec.cross_.push_back(std::move(c).value());
  }
  dec.states_.resize(states);
  for (auto& s : dec.states_) {
    for (int l = 0; l < h.n_text_layers; ++l) {
      auto c = kernels::KvCache::create(h.n_heads, hd, h.n_text_ctx);
      if (!c.ok()) return c.status();
      s.self.push_back(std::move(c).value());
    }
  }
  const size_t t = h.n_text_ctx, d = h.d_model;
  const size_t ffn = w->dec.empty() ? 4 * d : w->dec[0].fc1.out();
  dec.x_.resize(t * d);
  dec.h_.resize(t * d);
  dec.qkv_.resize(t * 3 * d);
  dec.q_.resize(t * d);
  dec.k_.resize(std::max<size_t>(t, h.n_audio_ctx) * d);
  dec.v_.resize(std::max<size_t>(t, h.n_audio_ctx) * d);
  dec.att_.resize(t * d);
  dec.ffn_.resize(t * ffn);
  dec.kv_.resize(static_cast<size_t>(h.n_audio_ctx) * 2 * d);
  dec.scores_.resize(std::max(h.n_audio_ctx, h.n_text_ctx));
  dec.row_state_.resize(t);
  dec.w_ = std::move(w);
  return dec;
}

Status WhisperDecoder::set_audio(const float* encoded, int frames, runtime::ThreadPool* pool) {
  const auto& h = w_->hp;
  if (encoded == nullptr || frames < 1 || frames > h.n_audio_ctx) {
    return InvalidArgument("WhisperDecoder: bad encoder output");
  }
  const int d = h.d_model;
  for (int l = 0; l < h.n_text_layers; ++l) {
    EARSHOT_RETURN_IF_ERROR(
        apply_linear(w_->dec[l].cross_kv, encoded, frames, kv_.data(), pool, scratch_));
    float* parts[2] = {k_.data(), v_.data()};
    split_rows(kv_.data(), frames, d, 2, parts);
    cross_[l].clear();
    EARSHOT_RETURN_IF_ERROR(cross_[l].append(k_.data(), v_.data(), frames));
  }
  for (int s = 0; s < states(); ++s) clear(s);
  return Status::Ok();
}

void WhisperDecoder::clear(int s) {
  for (auto& c : states_[s].self) c.clear();
}

void WhisperDecoder::copy_state(int src, int dst) {
  if (src == dst) return;
  // Same shapes by construction, so copy_from cannot fail.
  for (size_t l = 0; l < states_[dst].self.size(); ++l) {
    (void)states_[dst].self[l].copy_from(states_[src].self[l]);
  }
}

Status WhisperDecoder::forward(int s, const int* tokens, int n, float* logits,
                               runtime::ThreadPool* pool) {
  if (s < 0 || s >= states() || tokens == nullptr || logits == nullptr || n < 1 ||
      n > w_->hp.n_text_ctx) {
    return InvalidArgument("WhisperDecoder::forward: bad arguments");
  }
  std::fill(row_state_.begin(), row_state_.begin() + n, s);
  return run(tokens, n, false, logits, pool);
}

Status WhisperDecoder::forward_batch(const int* states, const int* tokens, int count, float* logits,
                                     runtime::ThreadPool* pool) {
  if (states == nullptr || tokens == nullptr || logits == nullptr || count < 1 ||
      count > this->states()) {
    return InvalidArgument("WhisperDecoder::forward_batch: bad arguments");
  }
  for (int i = 0; i < count; ++i) {
    if (states[i] < 0 || states[i] >= this->states() ||
        std::find(states, states + i, states[i]) != states + i) {
      return InvalidArgument("WhisperDecoder::forward_batch: states must be distinct and valid");
    }
    row_state_[i] = states[i];
  }
  return run(tokens, count, true, logits, pool);
}

// Rows of x_ belong to the states in row_state_; consecutive rows of one state are that
// state's next tokens in order (the prompt), rows of different states are one token of each
// hypothesis (a beam step). Linear layers run on all rows at once, so a beam step reads each
// weight once instead of once per hypothesis; attention runs per state.
Status WhisperDecoder::run(const int* tokens, int n, bool all_logits, float* logits,
                           runtime::ThreadPool* pool) {
  const auto& w = *w_;
  const auto& h = w.hp;
  const int d = h.d_model;
  for (int i = 0; i < n;) {  // embeddings, checking room in every state first
    int j = i;
    while (j < n && row_state_[j] == row_state_[i]) ++j;
    const int offset = states_[row_state_[i]].self[0].size();
    if (offset + (j - i) > h.n_text_ctx) {
      return ResourceExhausted("WhisperDecoder: more than " + std::to_string(h.n_text_ctx) +
                               " tokens");
    }
    for (int r = i; r < j; ++r) {
      if (tokens[r] < 0 || tokens[r] >= h.n_vocab) {
        return InvalidArgument("WhisperDecoder: token out of range");
      }
      const float* e = w.tok_emb + static_cast<size_t>(tokens[r]) * d;
      const float* p = w.dec_pos + static_cast<size_t>(offset + r - i) * d;
      float* x = x_.data() + static_cast<size_t>(r) * d;
      for (int c = 0; c < d; ++c) x[c] = e[c] + p[c];
    }
    i = j;
  }
  const size_t nd = static_cast<size_t>(n) * d;
  for (int l = 0; l < h.n_text_layers; ++l) {
    const DecoderLayer& L = w.dec[l];
    // Causal self-attention, each state over its own history.
    kernels::layer_norm_rows_f32(x_.data(), L.self_ln.gamma, L.self_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.self_qkv, h_.data(), n, qkv_.data(), pool, scratch_));
    float* parts[3] = {q_.data(), k_.data(), v_.data()};
    split_rows(qkv_.data(), n, d, 3, parts);
    for (int i = 0; i < n;) {
      int j = i;
      while (j < n && row_state_[j] == row_state_[i]) ++j;
      kernels::KvCache& cache = states_[row_state_[i]].self[l];
      const size_t at = static_cast<size_t>(i) * d;
      EARSHOT_RETURN_IF_ERROR(cache.append(k_.data() + at, v_.data() + at, j - i));
      EARSHOT_RETURN_IF_ERROR(
          kernels::attend(q_.data() + at, j - i, cache, true, scores_.data(), att_.data() + at));
      i = j;
    }
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.self_out, att_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
    // Cross-attention over the audio (the same for every state).
    kernels::layer_norm_rows_f32(x_.data(), L.cross_ln.gamma, L.cross_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.cross_q, h_.data(), n, q_.data(), pool, scratch_));
    EARSHOT_RETURN_IF_ERROR(
        kernels::attend(q_.data(), n, cross_[l], false, scores_.data(), att_.data()));
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.cross_out, att_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
    // Feed-forward.
    kernels::layer_norm_rows_f32(x_.data(), L.ffn_ln.gamma, L.ffn_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.fc1, h_.data(), n, ffn_.data(), pool, scratch_));
    kernels::act_kernels().gelu_erf(ffn_.data(), ffn_.data(), static_cast<size_t>(n) * L.fc1.out());
    EARSHOT_RETURN_IF_ERROR(apply_linear(L.fc2, ffn_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
  }
  // Logits of every row (a beam step) or of the prompt's last position only.
  const int first = all_logits ? 0 : n - 1, rows = n - first;
  kernels::layer_norm_rows_f32(x_.data() + static_cast<size_t>(first) * d, w.dec_ln.gamma,
                               w.dec_ln.beta, kLayerNormEps, rows, d, h_.data());
  return apply_linear(w.projection, h_.data(), rows, logits, pool, scratch_);
}

}  // namespace earshot::asr
