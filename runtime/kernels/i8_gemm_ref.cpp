// Scalar reference i8 GEMM: the specification the optimised variants are tested against.
#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {

void i8_gemm_ref(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  const int k = p.w->k();
  for (int m = 0; m < p.m; ++m) {
    const int8_t* x = p.x + static_cast<ptrdiff_t>(m) * p.x_stride;
    for (int n = 0; n < p.w->n(); ++n) {
      // TFLite: acc += filter_val * (input_val + input_offset), input_offset = -zero_point.
      uint32_t acc = p.bias != nullptr ? static_cast<uint32_t>(p.bias[n]) : 0u;
      for (int c = 0; c < k; ++c) {
        const int32_t prod = (static_cast<int32_t>(x[c]) - p.x_zero_point) * p.w->at(n, c);
        acc += static_cast<uint32_t>(prod);
      }
      detail::i8_store(p, m, n, static_cast<int32_t>(acc));
    }
  }
}

}  // namespace earshot::kernels
