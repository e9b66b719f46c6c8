#include "asr/whisper_encoder.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/norm.hpp"

namespace earshot::asr {
namespace {

constexpr float kLayerNormEps = 1e-5f;

// Rows [t0, t1) of y [rows][out] = col [rows][k] W^T + b with W [out][k] (a convolution
// after im2col), then GELU.
Status gemm_gelu(const float* col, int rows, int k, const float* w, const float* b, int out,
                 float* y, runtime::ThreadPool* pool) {
  auto run = [&](int r0, int r1) -> Status {
    kernels::F32GemmParams p;
    p.m = r1 - r0;
    p.n = out;
    p.k = k;
    p.a = col + static_cast<size_t>(r0) * k;
    p.b = w;
    p.bias = b;
    p.c = y + static_cast<size_t>(r0) * out;
    EARSHOT_RETURN_IF_ERROR(kernels::f32_gemm(p));
    kernels::act_kernels().gelu_erf(p.c, p.c, static_cast<size_t>(p.m) * out);
    return Status::Ok();
  };
  if (pool == nullptr || pool->threads() == 1) return run(0, rows);
  const int chunks = pool->threads();
  const int per = (rows + chunks - 1) / chunks;
  std::atomic<bool> failed{false};
  EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, chunks, [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) {
      const int r0 = static_cast<int>(c) * per, r1 = std::min(rows, r0 + per);
      if (r0 < r1 && !run(r0, r1).ok()) failed = true;
    }
  }));
  return failed ? Internal("encoder convolution failed") : Status::Ok();
}

}  // namespace

Result<WhisperEncoder> WhisperEncoder::create(std::shared_ptr<const WhisperWeights> w) {
  if (!w) return InvalidArgument("WhisperEncoder: no weights");
  WhisperEncoder e;
  const auto& h = w->hp;
  const size_t n = h.n_audio_ctx, d = h.d_model, frames = 2 * n;
  const size_t ffn = w->enc.empty() ? 4 * d : w->enc[0].fc1.out();
  e.col_.resize(std::max(frames * h.n_mels * 3, n * d * 3));
  e.conv1_.resize(frames * d);
  e.x_.resize(n * d);
  e.h_.resize(n * d);
  e.qkv_.resize(n * 3 * d);
  e.q_.resize(n * d);
  e.k_.resize(n * d);
  e.v_.resize(n * d);
  e.att_.resize(n * d);
  e.ffn_.resize(n * ffn);
  auto cache = kernels::KvCache::create(h.n_heads, h.d_model / h.n_heads, h.n_audio_ctx);
  if (!cache.ok()) return cache.status();
  e.cache_ = std::make_unique<kernels::KvCache>(std::move(cache).value());
  e.w_ = std::move(w);
  return e;
}

Status WhisperEncoder::conv_stem(const float* mel, int frames, runtime::ThreadPool* pool) {
  const auto& w = *w_;
  const int m = w.hp.n_mels, d = w.hp.d_model;
  // conv1: kernel 3, padding 1; column (i * 3 + k) holds mel[t + k - 1][i].
  for (int t = 0; t < frames; ++t) {
    float* c = col_.data() + static_cast<size_t>(t) * m * 3;
    for (int k = 0; k < 3; ++k) {
      const int src = t + k - 1;
      const float* row = (src >= 0 && src < frames) ? mel + static_cast<size_t>(src) * m : nullptr;
      for (int i = 0; i < m; ++i) c[i * 3 + k] = row ? row[i] : 0.0f;
    }
  }
  EARSHOT_RETURN_IF_ERROR(
      gemm_gelu(col_.data(), frames, m * 3, w.conv1_w, w.conv1_b, d, conv1_.data(), pool));
  // conv2: kernel 3, stride 2, padding 1.
  for (int t = 0; t < n_; ++t) {
    float* c = col_.data() + static_cast<size_t>(t) * d * 3;
    for (int k = 0; k < 3; ++k) {
      const int src = 2 * t + k - 1;
      const float* row =
          (src >= 0 && src < frames) ? conv1_.data() + static_cast<size_t>(src) * d : nullptr;
      for (int i = 0; i < d; ++i) c[i * 3 + k] = row ? row[i] : 0.0f;
    }
  }
  EARSHOT_RETURN_IF_ERROR(
      gemm_gelu(col_.data(), n_, d * 3, w.conv2_w, w.conv2_b, d, x_.data(), pool));
  for (size_t i = 0; i < static_cast<size_t>(n_) * d; ++i) x_[i] += w.enc_pos[i];
  return Status::Ok();
}

Status WhisperEncoder::block(const EncoderLayer& l, runtime::ThreadPool* pool) {
  const int d = w_->hp.d_model, n = n_;
  const size_t nd = static_cast<size_t>(n) * d;
  kernels::layer_norm_rows_f32(x_.data(), l.attn_ln.gamma, l.attn_ln.beta, kLayerNormEps, n, d,
                               h_.data());
  EARSHOT_RETURN_IF_ERROR(l.qkv.apply(h_.data(), n, qkv_.data(), pool, scratch_));
  for (int t = 0; t < n; ++t) {
    const float* r = qkv_.data() + static_cast<size_t>(t) * 3 * d;
    std::memcpy(q_.data() + static_cast<size_t>(t) * d, r, d * sizeof(float));
    std::memcpy(k_.data() + static_cast<size_t>(t) * d, r + d, d * sizeof(float));
    std::memcpy(v_.data() + static_cast<size_t>(t) * d, r + 2 * d, d * sizeof(float));
  }
  cache_->clear();
  EARSHOT_RETURN_IF_ERROR(cache_->append(k_.data(), v_.data(), n));
  const int threads = pool != nullptr ? pool->threads() : 1;
  if (scores_.size() < static_cast<size_t>(threads) * cache_->capacity()) {
    scores_.resize(static_cast<size_t>(threads) * cache_->capacity());
  }
  if (threads == 1) {
    EARSHOT_RETURN_IF_ERROR(
        kernels::attend(q_.data(), n, *cache_, false, scores_.data(), att_.data()));
  } else {
    const int per = (n + threads - 1) / threads;
    std::atomic<bool> failed{false};
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, threads, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const int r0 = static_cast<int>(c) * per, r1 = std::min(n, r0 + per);
        if (r0 >= r1) continue;
        Status s = kernels::attend(q_.data() + static_cast<size_t>(r0) * d, r1 - r0, *cache_, false,
                                   scores_.data() + c * cache_->capacity(),
                                   att_.data() + static_cast<size_t>(r0) * d);
        if (!s.ok()) failed = true;
      }
    }));
    if (failed) return Internal("encoder attention failed");
  }
  EARSHOT_RETURN_IF_ERROR(l.attn_out.apply(att_.data(), n, h_.data(), pool, scratch_));
  for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
  kernels::layer_norm_rows_f32(x_.data(), l.ffn_ln.gamma, l.ffn_ln.beta, kLayerNormEps, n, d,
                               h_.data());
  EARSHOT_RETURN_IF_ERROR(l.fc1.apply(h_.data(), n, ffn_.data(), pool, scratch_));
  kernels::act_kernels().gelu_erf(ffn_.data(), ffn_.data(), static_cast<size_t>(n) * l.fc1.out());
  EARSHOT_RETURN_IF_ERROR(l.fc2.apply(ffn_.data(), n, h_.data(), pool, scratch_));
  for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
  return Status::Ok();
}

Result<const float*> WhisperEncoder::encode(const float* mel, int frames,
                                            runtime::ThreadPool* pool) {
  const auto& h = w_->hp;
  if (mel == nullptr || frames < 2 || frames % 2 != 0 || frames > 2 * h.n_audio_ctx) {
    return InvalidArgument("WhisperEncoder: need an even number of frames in [2, " +
                           std::to_string(2 * h.n_audio_ctx) + "], got " + std::to_string(frames));
  }
  n_ = frames / 2;
  EARSHOT_RETURN_IF_ERROR(conv_stem(mel, frames, pool));
  for (const auto& l : w_->enc) EARSHOT_RETURN_IF_ERROR(block(l, pool));
  kernels::layer_norm_rows_f32(x_.data(), w_->enc_ln.gamma, w_->enc_ln.beta, kLayerNormEps, n_,
                               h.d_model, x_.data());
  return static_cast<const float*>(x_.data());
}

}  // namespace earshot::asr
