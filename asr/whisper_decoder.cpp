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
    EARSHOT_RETURN_IF_ERROR(w_->dec[l].cross_kv.apply(encoded, frames, kv_.data(), pool, scratch_));
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
  states_[dst].self = states_[src].self;
}

Status WhisperDecoder::forward(int s, const int* tokens, int n, float* logits,
                               runtime::ThreadPool* pool) {
  const auto& w = *w_;
  const auto& h = w.hp;
  if (s < 0 || s >= states() || tokens == nullptr || logits == nullptr || n < 1) {
    return InvalidArgument("WhisperDecoder::forward: bad arguments");
  }
  State& st = states_[s];
  const int offset = st.self[0].size();
  if (offset + n > h.n_text_ctx) {
    return ResourceExhausted("WhisperDecoder: more than " + std::to_string(h.n_text_ctx) +
                             " tokens");
  }
  const int d = h.d_model;
  for (int i = 0; i < n; ++i) {
    if (tokens[i] < 0 || tokens[i] >= h.n_vocab) {
      return InvalidArgument("WhisperDecoder: token out of range");
    }
    const float* e = w.tok_emb + static_cast<size_t>(tokens[i]) * d;
    const float* p = w.dec_pos + static_cast<size_t>(offset + i) * d;
    float* x = x_.data() + static_cast<size_t>(i) * d;
    for (int j = 0; j < d; ++j) x[j] = e[j] + p[j];
  }
  const size_t nd = static_cast<size_t>(n) * d;
  for (int l = 0; l < h.n_text_layers; ++l) {
    const DecoderLayer& L = w.dec[l];
    // Causal self-attention.
    kernels::layer_norm_rows_f32(x_.data(), L.self_ln.gamma, L.self_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(L.self_qkv.apply(h_.data(), n, qkv_.data(), pool, scratch_));
    float* parts[3] = {q_.data(), k_.data(), v_.data()};
    split_rows(qkv_.data(), n, d, 3, parts);
    EARSHOT_RETURN_IF_ERROR(st.self[l].append(k_.data(), v_.data(), n));
    EARSHOT_RETURN_IF_ERROR(
        kernels::attend(q_.data(), n, st.self[l], true, scores_.data(), att_.data()));
    EARSHOT_RETURN_IF_ERROR(L.self_out.apply(att_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
    // Cross-attention over the audio.
    kernels::layer_norm_rows_f32(x_.data(), L.cross_ln.gamma, L.cross_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(L.cross_q.apply(h_.data(), n, q_.data(), pool, scratch_));
    EARSHOT_RETURN_IF_ERROR(
        kernels::attend(q_.data(), n, cross_[l], false, scores_.data(), att_.data()));
    EARSHOT_RETURN_IF_ERROR(L.cross_out.apply(att_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
    // Feed-forward.
    kernels::layer_norm_rows_f32(x_.data(), L.ffn_ln.gamma, L.ffn_ln.beta, kLayerNormEps, n, d,
                                 h_.data());
    EARSHOT_RETURN_IF_ERROR(L.fc1.apply(h_.data(), n, ffn_.data(), pool, scratch_));
    kernels::act_kernels().gelu_erf(ffn_.data(), ffn_.data(), static_cast<size_t>(n) * L.fc1.out());
    EARSHOT_RETURN_IF_ERROR(L.fc2.apply(ffn_.data(), n, h_.data(), pool, scratch_));
    for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
  }
  // Only the last position's logits are needed.
  const float* last = x_.data() + static_cast<size_t>(n - 1) * d;
  kernels::layer_norm_rows_f32(last, w.dec_ln.gamma, w.dec_ln.beta, kLayerNormEps, 1, d, h_.data());
  return w.projection.apply(h_.data(), 1, logits, pool, scratch_);
}

}  // namespace earshot::asr
