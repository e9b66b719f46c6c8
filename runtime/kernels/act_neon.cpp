// NEON activations: 4 floats per step, the tail through a small stack buffer.
#include <cstddef>
#include <cstring>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/act_math_neon.hpp"

namespace earshot::kernels {
namespace {

template <float32x4_t (*F)(float32x4_t)>
void apply(const float* x, float* y, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(y + i, F(vld1q_f32(x + i)));
  if (i < n) {
    float buf[4] = {0, 0, 0, 0};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    vst1q_f32(buf, F(vld1q_f32(buf)));
    std::memcpy(y + i, buf, (n - i) * sizeof(float));
  }
}

float32x4_t gelu_erf_ps(float32x4_t x) {
  const float32x4_t half_x = vmulq_n_f32(x, 0.5f);
  return vfmaq_f32(half_x, half_x, neon::erf_ps(vmulq_n_f32(x, 0.70710678118654752f)));
}
float32x4_t gelu_tanh_ps(float32x4_t x) {
  const float32x4_t half_x = vmulq_n_f32(x, 0.5f);
  const float32x4_t x3 = vmulq_f32(vmulq_f32(x, x), x);
  const float32x4_t inner = vmulq_n_f32(vfmaq_n_f32(x, x3, 0.044715f), 0.79788456080286536f);
  return vfmaq_f32(half_x, half_x, neon::tanh_ps(inner));
}
float32x4_t relu_ps(float32x4_t x) {
  return vmaxq_f32(x, vdupq_n_f32(0.0f));
}

}  // namespace

extern const ActKernels kActNeon;
const ActKernels kActNeon = {"neon",
                             apply<neon::sigmoid_ps>,
                             apply<neon::tanh_ps>,
                             apply<gelu_erf_ps>,
                             apply<gelu_tanh_ps>,
                             apply<relu_ps>};

}  // namespace earshot::kernels
