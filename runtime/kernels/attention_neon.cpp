// NEON vector kernels of attention: dot product with two accumulators, axpy, softmax.
#include <arm_neon.h>

#include <cstddef>

#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {

extern const SoftmaxKernels kSoftmaxNeon;

namespace {

float dot_neon(const float* a, const float* b, size_t n) {
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = vdupq_n_f32(0.0f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
    s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
  }
  for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
  float s = vaddvq_f32(vaddq_f32(s0, s1));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

void axpy_neon(float a, const float* x, float* y, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(y + i, vfmaq_n_f32(vld1q_f32(y + i), vld1q_f32(x + i), a));
  for (; i < n; ++i) y[i] += a * x[i];
}

void softmax_neon(const float* x, float scale, size_t n, float* y) {
  kSoftmaxNeon.softmax(x, scale, n, y);
}

}  // namespace

extern const AttentionKernels kAttentionNeon;
const AttentionKernels kAttentionNeon = {"neon", dot_neon, axpy_neon, softmax_neon};

}  // namespace earshot::kernels
