// float GEMM / GEMV: c[m][n] = bias[n] + sum_k a[m][k] * B(k, n), where B is b[k][n] or, with
// b_transposed, b[n][k] (the [out x in] weight layout of a linear layer). m == 1 is a GEMV.
#pragma once

#include <cstddef>

#include "earshot/status.hpp"

namespace earshot::kernels {

struct F32GemmParams {
  int m = 1;
  int n = 0;
  int k = 0;
  const float* a = nullptr;  // [m x k]
  ptrdiff_t a_stride = 0;    // 0 means k
  const float* b = nullptr;  // [k x n], or [n x k] when b_transposed
  ptrdiff_t b_stride = 0;    // 0 means n (or k when b_transposed)
  bool b_transposed = true;
  const float* bias = nullptr;  // [n], optional
  float* c = nullptr;           // [m x n]
  ptrdiff_t c_stride = 0;       // 0 means n
};

// Runs the active f32 engine. InvalidArgument on null pointers / bad shapes or strides.
// The Eigen engine may allocate a blocking buffer for large products (above Eigen's stack
// limit); keep large f32 products off the audio thread.
Status f32_gemm(const F32GemmParams& p) noexcept;

using F32GemmFn = void (*)(const F32GemmParams& p) noexcept;

// Strides with the zero defaults resolved; every variant starts with this.
static inline F32GemmParams f32_resolve_strides(F32GemmParams p) noexcept {
  if (p.a_stride == 0) p.a_stride = p.k;
  if (p.b_stride == 0) p.b_stride = p.b_transposed ? p.k : p.n;
  if (p.c_stride == 0) p.c_stride = p.n;
  return p;
}

}  // namespace earshot::kernels
