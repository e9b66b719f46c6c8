// int8 weights x float activations with dynamic activation quantization (transformer linear
// layers, e.g. Whisper): each row of x is quantized symmetrically to int8 with its own scale
//   s[m] = max_k |x[m][k]| / 127,  q[m][k] = clamp(round_half_even(x[m][k] * (127 / max)), -127,
//   127)
// then y[m][n] = fma(float(sum_k q[m][k] * w[n][k]), s[m] * w_scale[n], bias[n]), the integer
// product running on an i8 GEMM variant. A zero row gives s = 0 and y = bias.
#pragma once

#include <cstddef>
#include <cstdint>

#include "earshot/status.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

struct I8F32GemmParams {
  int m = 1;
  const float* x = nullptr;  // [m x K]
  ptrdiff_t x_stride = 0;    // 0 means K
  const PackedI8Weights* w = nullptr;
  const float* w_scale = nullptr;  // [N] per output channel
  const float* bias = nullptr;     // [N], optional
  float* y = nullptr;              // [m x N]
  ptrdiff_t y_stride = 0;          // 0 means N
  void* scratch = nullptr;         // caller-owned, i8f32_scratch_bytes(m, K) bytes
  size_t scratch_bytes = 0;
};

size_t i8f32_scratch_bytes(int m, int k) noexcept;

// Quantizes rows of x as above into q ([m x k], row stride k) and scale ([m]); a row holding a
// NaN or an infinity becomes zeros with scale 0. The fastest variant the CPU runs; the _ref
// and _avx2 (x86 only) variants give the same bytes.
void quantize_rows_symmetric_i8(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                float* scale) noexcept;
void quantize_rows_symmetric_i8_ref(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                    float* scale) noexcept;
#if !defined(EARSHOT_FORCE_REF) && defined(__x86_64__)
void quantize_rows_symmetric_i8_avx2(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                     float* scale) noexcept;  // quantize_rows_avx2.cpp
#endif

// With the active i8 engine, or with a given i8 variant (tests, benchmarks).
Status i8f32_gemm(const I8F32GemmParams& p) noexcept;
Status i8f32_gemm(const I8F32GemmParams& p, I8GemmFn i8_variant) noexcept;

}  // namespace earshot::kernels
