// Scalar reference float GEMM: plain loops, k ascending, accumulating in float.
#include "runtime/kernels/f32_gemm_variants.hpp"

namespace earshot::kernels {

void f32_gemm_ref(const F32GemmParams& params) noexcept {
  const F32GemmParams p = f32_resolve_strides(params);
  for (int m = 0; m < p.m; ++m) {
    const float* a = p.a + static_cast<ptrdiff_t>(m) * p.a_stride;
    for (int n = 0; n < p.n; ++n) {
      float acc = 0.0f;
      for (int k = 0; k < p.k; ++k) {
        const float b = p.b_transposed ? p.b[static_cast<ptrdiff_t>(n) * p.b_stride + k]
                                       : p.b[static_cast<ptrdiff_t>(k) * p.b_stride + n];
        acc += a[k] * b;
      }
      if (p.bias != nullptr) acc += p.bias[n];
      p.c[static_cast<ptrdiff_t>(m) * p.c_stride + n] = acc;
    }
  }
}

}  // namespace earshot::kernels
