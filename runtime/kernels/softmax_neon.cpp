// NEON softmax: vector max, vector exp (act_math_neon.hpp) with the sum, one scaling pass.
#include <cmath>
#include <cstddef>

#include "runtime/kernels/act_math_neon.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {
namespace {

void softmax_neon(const float* x, float scale, size_t n, float* y) {
  if (n == 0) return;
  const size_t n4 = n & ~size_t{3};
  float32x4_t vmax = vdupq_n_f32(x[0]);
  for (size_t i = 0; i < n4; i += 4) vmax = vmaxq_f32(vmax, vld1q_f32(x + i));
  float mx = vmaxvq_f32(vmax);
  for (size_t i = n4; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
  const float32x4_t vm = vdupq_n_f32(mx);
  float32x4_t acc = vdupq_n_f32(0.0f);
  for (size_t i = 0; i < n4; i += 4) {
    const float32x4_t e = neon::exp_ps(vmulq_n_f32(vsubq_f32(vld1q_f32(x + i), vm), scale));
    vst1q_f32(y + i, e);
    acc = vaddq_f32(acc, e);
  }
  float sum = vaddvq_f32(acc);
  for (size_t i = n4; i < n; ++i) {
    y[i] = std::exp((x[i] - mx) * scale);
    sum += y[i];
  }
  const float inv = 1.0f / sum;
  for (size_t i = 0; i < n4; i += 4) vst1q_f32(y + i, vmulq_n_f32(vld1q_f32(y + i), inv));
  for (size_t i = n4; i < n; ++i) y[i] *= inv;
}

}  // namespace

extern const SoftmaxKernels kSoftmaxNeon;
const SoftmaxKernels kSoftmaxNeon = {"neon", softmax_neon};

}  // namespace earshot::kernels
