// Scaled dot-product attention (float, multi-head) over a key/value cache, for the Whisper
// decoder: self-attention appends each step's keys and values to a KvCache of fixed capacity
// (allocated once) and attends over everything cached; cross-attention fills a KvCache once
// with the encoder's keys and values and attends over all of it.
//
//   out_h[i] = sum_j softmax_j(q_h[i] . k_h[j] / sqrt(head_dim)) v_h[j]     for each head h
//
// Rows of q, k, v and out are [heads * head_dim] with head h at columns [h*hd, (h+1)*hd), as
// Whisper's projections produce them. With `causal`, the n_q queries are the last n_q cached
// positions and query i sees positions 0 .. size - n_q + i only.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::kernels {

class KvCache {
 public:
  static Result<KvCache> create(int heads, int head_dim, int capacity);
  // Appends n positions; k and v are [n][heads * head_dim]. ResourceExhausted (nothing
  // appended) past the capacity. No allocation.
  Status append(const float* k, const float* v, int n) noexcept;
  // Becomes a copy of `src` (same heads, head_dim and capacity), copying only the positions
  // in use (a beam taking over its parent's history). InvalidArgument on another shape.
  Status copy_from(const KvCache& src) noexcept;
  void clear() noexcept { size_ = 0; }
  int size() const noexcept { return size_; }
  int capacity() const noexcept { return capacity_; }
  int heads() const noexcept { return heads_; }
  int head_dim() const noexcept { return head_dim_; }
  // Per-head rows, [capacity][head_dim], the first size() valid.
  const float* keys(int head) const noexcept { return k_.get() + offset(head); }
  const float* values(int head) const noexcept { return v_.get() + offset(head); }

 private:
  size_t offset(int head) const noexcept {
    return static_cast<size_t>(head) * capacity_ * head_dim_;
  }
  int heads_ = 0;
  int head_dim_ = 0;
  int capacity_ = 0;
  int size_ = 0;
  // [heads][capacity][head_dim], left uninitialised: positions never reached cost no
  // resident memory (a 448-token decoder cache mostly stays empty).
  std::unique_ptr<float[]> k_, v_;
};

struct AttentionKernels {
  const char* name;
  float (*dot)(const float* a, const float* b, size_t n);
  void (*axpy)(float a, const float* x, float* y, size_t n);  // y += a * x
  void (*softmax)(const float* x, float scale, size_t n, float* y);
};

extern const AttentionKernels kAttentionRef;
std::span<const AttentionKernels* const> attention_variants() noexcept;
const AttentionKernels& attention_kernels() noexcept;

// q [n_q][heads * head_dim] -> out [n_q][heads * head_dim]. `scores` is scratch of at least
// cache.size() floats (cache.capacity() always suffices). InvalidArgument on null pointers,
// an empty cache or (causal) n_q > cache.size(). No allocation.
Status attend(const float* q, int n_q, const KvCache& cache, bool causal, float* scores, float* out,
              const AttentionKernels* k = nullptr) noexcept;

}  // namespace earshot::kernels
