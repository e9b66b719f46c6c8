#include "asr/whisper_encoder.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/norm.hpp"
#include "runtime/kernels/softmax.hpp"

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
  e.x_.resize(n * d);
  e.h_.resize(n * d);
  // The convolution stem borrows qkv_ for its im2col columns and ffn_ for conv1's output.
  e.qkv_.resize(std::max(frames * h.n_mels * 3, n * d * 3));
  e.att_.resize(n * d);
  e.kt_.resize(n * d);
  e.ffn_.resize(std::max(n * ffn, frames * d));
  // Scores of one query block per thread (the pool has at most hardware_concurrency threads).
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  e.scores_.resize(threads * kQueryBlock * n);
  e.w_ = std::move(w);
  return e;
}

Status WhisperEncoder::conv_stem(const float* mel, int frames, runtime::ThreadPool* pool) {
  const auto& w = *w_;
  const int m = w.hp.n_mels, d = w.hp.d_model;
  // conv1: kernel 3, padding 1; column (i * 3 + k) holds mel[t + k - 1][i].
  for (int t = 0; t < frames; ++t) {
    float* c = qkv_.data() + static_cast<size_t>(t) * m * 3;
    for (int k = 0; k < 3; ++k) {
      const int src = t + k - 1;
      const float* row = (src >= 0 && src < frames) ? mel + static_cast<size_t>(src) * m : nullptr;
      for (int i = 0; i < m; ++i) c[i * 3 + k] = row ? row[i] : 0.0f;
    }
  }
  EARSHOT_RETURN_IF_ERROR(
      gemm_gelu(qkv_.data(), frames, m * 3, w.conv1_w, w.conv1_b, d, ffn_.data(), pool));
  // conv2: kernel 3, stride 2, padding 1.
  for (int t = 0; t < n_; ++t) {
    float* c = qkv_.data() + static_cast<size_t>(t) * d * 3;
    for (int k = 0; k < 3; ++k) {
      const int src = 2 * t + k - 1;
      const float* row =
          (src >= 0 && src < frames) ? ffn_.data() + static_cast<size_t>(src) * d : nullptr;
      for (int i = 0; i < d; ++i) c[i * 3 + k] = row ? row[i] : 0.0f;
    }
  }
  EARSHOT_RETURN_IF_ERROR(
      gemm_gelu(qkv_.data(), n_, d * 3, w.conv2_w, w.conv2_b, d, x_.data(), pool));
  for (size_t i = 0; i < static_cast<size_t>(n_) * d; ++i) x_[i] += w.enc_pos[i];
  return Status::Ok();
}

// Full (non-causal) self-attention over the n_ frames in qkv_ ([n][q | k | v]) as two float
// GEMMs per head and block of query rows: scores = Q K^T, softmax, out = P V (kernels::attend
// is the reference; tests/asr compares the encoder with faster-whisper's). Computing a
// block of rows at once reuses each key and value row across the block, where attending one
// query at a time streamed the whole K and V per query (memory bound, most of the encoder's
// time at 30 s).
Status WhisperEncoder::self_attention(runtime::ThreadPool* pool) {
  const int d = w_->hp.d_model, n = n_, heads = w_->hp.n_heads, hd = d / heads;
  const int blocks = (n + kQueryBlock - 1) / kQueryBlock;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  auto run = [&](int task, float* scores) -> Status {
    const int h = task / blocks, r0 = (task % blocks) * kQueryBlock;
    const int rows = std::min(kQueryBlock, n - r0);
    kernels::F32GemmParams qk;
    qk.m = rows;
    qk.n = n;
    qk.k = hd;
    qk.a = qkv_.data() + static_cast<size_t>(r0) * 3 * d + h * hd;
    qk.a_stride = 3 * d;
    qk.b = kt_.data() + static_cast<size_t>(h) * hd * n;
    qk.b_transposed = false;
    qk.c = scores;
    EARSHOT_RETURN_IF_ERROR(kernels::f32_gemm(qk));
    kernels::softmax_rows_f32(scores, scale, rows, n, scores);
    kernels::F32GemmParams pv;
    pv.m = rows;
    pv.n = hd;
    pv.k = n;
    pv.a = scores;
    pv.b = qkv_.data() + 2 * d + h * hd;
    pv.b_stride = 3 * d;
    pv.b_transposed = false;
    pv.c = att_.data() + static_cast<size_t>(r0) * d + h * hd;
    pv.c_stride = d;
    return kernels::f32_gemm(pv);
  };
  // Keys transposed to [d][n] (head h at rows [h*hd, (h+1)*hd)): the GEMM then broadcasts
  // query values against contiguous key rows instead of reducing short dot products.
  for (int t = 0; t < n; ++t) {
    const float* k = qkv_.data() + static_cast<size_t>(t) * 3 * d + d;
    for (int c = 0; c < d; ++c) kt_[static_cast<size_t>(c) * n + t] = k[c];
  }
  const int tasks = heads * blocks;
  const int threads = pool != nullptr ? std::min(pool->threads(), tasks) : 1;
  const size_t per_thread = static_cast<size_t>(kQueryBlock) * w_->hp.n_audio_ctx;
  // Sized at creation for every hardware thread; grows only if a pool reports more.
  if (scores_.size() < threads * per_thread) scores_.resize(threads * per_thread);
  if (threads == 1) {
    for (int t = 0; t < tasks; ++t) EARSHOT_RETURN_IF_ERROR(run(t, scores_.data()));
    return Status::Ok();
  }
  std::atomic<bool> failed{false};
  EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, threads, [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) {
      for (int t = static_cast<int>(c); t < tasks; t += threads) {
        if (!run(t, scores_.data() + c * per_thread).ok()) failed = true;
      }
    }
  }));
  return failed ? Internal("encoder attention failed") : Status::Ok();
}

Status WhisperEncoder::block(const EncoderLayer& l, runtime::ThreadPool* pool) {
  const int d = w_->hp.d_model, n = n_;
  const size_t nd = static_cast<size_t>(n) * d;
  kernels::layer_norm_rows_f32(x_.data(), l.attn_ln.gamma, l.attn_ln.beta, kLayerNormEps, n, d,
                               h_.data());
  EARSHOT_RETURN_IF_ERROR(apply_linear(l.qkv, h_.data(), n, qkv_.data(), pool, scratch_));
  EARSHOT_RETURN_IF_ERROR(self_attention(pool));
  EARSHOT_RETURN_IF_ERROR(apply_linear(l.attn_out, att_.data(), n, h_.data(), pool, scratch_));
  for (size_t i = 0; i < nd; ++i) x_[i] += h_[i];
  kernels::layer_norm_rows_f32(x_.data(), l.ffn_ln.gamma, l.ffn_ln.beta, kLayerNormEps, n, d,
                               h_.data());
  EARSHOT_RETURN_IF_ERROR(apply_linear(l.fc1, h_.data(), n, ffn_.data(), pool, scratch_));
  kernels::act_kernels().gelu_erf(ffn_.data(), ffn_.data(), static_cast<size_t>(n) * l.fc1.out());
  EARSHOT_RETURN_IF_ERROR(apply_linear(l.fc2, ffn_.data(), n, h_.data(), pool, scratch_));
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
