// KV cache, the attention driver (per query, per head: scores, softmax, weighted sum of
// values) and the scalar reference vector kernels.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <new>
#include <string>

#include "runtime/kernels/act_isa.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const AttentionKernels kAttentionAvx2;
#endif
#if defined(EARSHOT_OPS_NEON)
extern const AttentionKernels kAttentionNeon;
#endif

namespace {

float dot_ref(const float* a, const float* b, size_t n) {
  float s = 0.0f;
  for (size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

void axpy_ref(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void softmax_ref(const float* x, float scale, size_t n, float* y) {
  kSoftmaxRef.softmax(x, scale, n, y);
}

}  // namespace

const AttentionKernels kAttentionRef = {"ref", dot_ref, axpy_ref, softmax_ref};

std::span<const AttentionKernels* const> attention_variants() noexcept {
  static const AttentionKernels* const kAll[] = {
    &kAttentionRef,
#if defined(EARSHOT_OPS_AVX2)
    &kAttentionAvx2,
#endif
#if defined(EARSHOT_OPS_NEON)
    &kAttentionNeon,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const AttentionKernels& attention_kernels() noexcept {
  return ops_forced_ref() ? kAttentionRef : *attention_variants().back();
}

Result<KvCache> KvCache::create(int heads, int head_dim, int capacity) {
  if (heads < 1 || head_dim < 1 || capacity < 1 || heads > 1024 || head_dim > 4096 ||
      capacity > (1 << 20) || int64_t{heads} * head_dim * capacity > (int64_t{1} << 28)) {
    return InvalidArgument("KV cache: heads " + std::to_string(heads) + ", head_dim " +
                           std::to_string(head_dim) + ", capacity " + std::to_string(capacity) +
                           " out of range");
  }
  KvCache c;
  c.heads_ = heads;
  c.head_dim_ = head_dim;
  c.capacity_ = capacity;
  const size_t total = static_cast<size_t>(heads) * head_dim * capacity;
  c.k_.reset(new (std::nothrow) float[total]);
  c.v_.reset(new (std::nothrow) float[total]);
  if (!c.k_ || !c.v_) return ResourceExhausted("KV cache: cannot allocate");
  return c;
}

Status KvCache::copy_from(const KvCache& src) noexcept {
  if (src.heads_ != heads_ || src.head_dim_ != head_dim_ || src.capacity_ != capacity_) {
    return InvalidArgument("KV cache copy: shapes differ");
  }
  if (&src == this) return Status::Ok();
  const size_t used = static_cast<size_t>(src.size_) * head_dim_;
  for (int h = 0; h < heads_; ++h) {
    std::copy_n(src.k_.get() + offset(h), used, k_.get() + offset(h));
    std::copy_n(src.v_.get() + offset(h), used, v_.get() + offset(h));
  }
  size_ = src.size_;
  return Status::Ok();
}

Status KvCache::append(const float* k, const float* v, int n) noexcept {
  if (n < 0 || (n > 0 && (!k || !v))) return InvalidArgument("KV cache append: bad input");
  if (n > capacity_ - size_) {
    return ResourceExhausted("KV cache full: " + std::to_string(size_) + " of " +
                             std::to_string(capacity_) + " positions used, " + std::to_string(n) +
                             " more asked");
  }
  const size_t row = static_cast<size_t>(heads_) * head_dim_;
  for (int i = 0; i < n; ++i) {
    for (int h = 0; h < heads_; ++h) {
      const size_t src = i * row + static_cast<size_t>(h) * head_dim_;
      const size_t dst = offset(h) + static_cast<size_t>(size_ + i) * head_dim_;
      std::copy_n(k + src, head_dim_, k_.get() + dst);
      std::copy_n(v + src, head_dim_, v_.get() + dst);
    }
  }
  size_ += n;
  return Status::Ok();
}

Status attend(const float* q, int n_q, const KvCache& cache, bool causal, float* scores, float* out,
              const AttentionKernels* k) noexcept {
  if (!q || !scores || !out || n_q < 1) return InvalidArgument("attend: null tensor or no query");
  if (cache.size() < 1) return InvalidArgument("attend: empty KV cache");
  if (causal && n_q > cache.size()) {
    return InvalidArgument("attend: causal queries (" + std::to_string(n_q) +
                           ") exceed the cached positions (" + std::to_string(cache.size()) + ")");
  }
  const AttentionKernels& kern = k ? *k : attention_kernels();
  const size_t hd = static_cast<size_t>(cache.head_dim());
  const size_t row = hd * cache.heads();
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  for (int i = 0; i < n_q; ++i) {
    const int visible = causal ? cache.size() - n_q + i + 1 : cache.size();
    for (int h = 0; h < cache.heads(); ++h) {
      const float* qh = q + i * row + h * hd;
      const float* keys = cache.keys(h);
      const float* values = cache.values(h);
      for (int j = 0; j < visible; ++j) scores[j] = kern.dot(qh, keys + j * hd, hd);
      kern.softmax(scores, scale, static_cast<size_t>(visible), scores);
      float* oh = out + i * row + h * hd;
      std::fill_n(oh, hd, 0.0f);
      for (int j = 0; j < visible; ++j) kern.axpy(scores[j], values + j * hd, oh, hd);
    }
  }
  return Status::Ok();
}

}  // namespace earshot::kernels
