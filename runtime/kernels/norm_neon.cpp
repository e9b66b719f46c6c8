// NEON layer norm: the same two passes as the reference, 4 lanes at a time, scalar tail.
#include <arm_neon.h>

#include <cmath>
#include <cstddef>

#include "runtime/kernels/norm.hpp"

namespace earshot::kernels {
namespace {

void layer_norm_neon(const float* x, const float* gamma, const float* beta, float eps, size_t n,
                     float* y) {
  if (n == 0) return;
  const size_t n4 = n & ~size_t{3};
  float32x4_t acc = vdupq_n_f32(0.0f);
  for (size_t i = 0; i < n4; i += 4) acc = vaddq_f32(acc, vld1q_f32(x + i));
  float sum = vaddvq_f32(acc);
  for (size_t i = n4; i < n; ++i) sum += x[i];
  const float mean = sum / static_cast<float>(n);
  const float32x4_t vmean = vdupq_n_f32(mean);
  acc = vdupq_n_f32(0.0f);
  for (size_t i = 0; i < n4; i += 4) {
    const float32x4_t d = vsubq_f32(vld1q_f32(x + i), vmean);
    acc = vfmaq_f32(acc, d, d);
  }
  float sq = vaddvq_f32(acc);
  for (size_t i = n4; i < n; ++i) sq += (x[i] - mean) * (x[i] - mean);
  const float inv = 1.0f / std::sqrt(sq / static_cast<float>(n) + eps);
  for (size_t i = 0; i < n4; i += 4) {
    const float32x4_t g = gamma ? vld1q_f32(gamma + i) : vdupq_n_f32(1.0f);
    const float32x4_t b = beta ? vld1q_f32(beta + i) : vdupq_n_f32(0.0f);
    const float32x4_t v = vmulq_n_f32(vsubq_f32(vld1q_f32(x + i), vmean), inv);
    vst1q_f32(y + i, vfmaq_f32(b, v, g));
  }
  for (size_t i = n4; i < n; ++i) {
    y[i] = (x[i] - mean) * inv * (gamma ? gamma[i] : 1.0f) + (beta ? beta[i] : 0.0f);
  }
}

}  // namespace

extern const NormKernels kNormNeon;
const NormKernels kNormNeon = {"neon", layer_norm_neon};

}  // namespace earshot::kernels
