// AVX2/FMA activations: 8 floats per step, the tail through masked loads and stores.
#include <cstddef>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/act_math_avx2.hpp"

namespace earshot::kernels {
namespace {

template <__m256 (*F)(__m256)>
void apply(const float* x, float* y, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, F(_mm256_loadu_ps(x + i)));
  if (i < n) {
    const __m256i m = avx2::tail_mask(n - i);
    _mm256_maskstore_ps(y + i, m, F(_mm256_maskload_ps(x + i, m)));
  }
}

__m256 gelu_erf_ps(__m256 x) {
  const __m256 half_x = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
  const __m256 e = avx2::erf_ps(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)));
  return _mm256_fmadd_ps(half_x, e, half_x);
}
__m256 gelu_tanh_ps(__m256 x) {
  const __m256 half_x = _mm256_mul_ps(x, _mm256_set1_ps(0.5f));
  const __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  const __m256 inner = _mm256_mul_ps(_mm256_set1_ps(0.79788456080286536f),
                                     _mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x));
  return _mm256_fmadd_ps(half_x, avx2::tanh_ps(inner), half_x);
}
__m256 relu_ps(__m256 x) {
  return _mm256_max_ps(x, _mm256_setzero_ps());
}

}  // namespace

extern const ActKernels kActAvx2;
const ActKernels kActAvx2 = {"avx2",
                             apply<avx2::sigmoid_ps>,
                             apply<avx2::tanh_ps>,
                             apply<gelu_erf_ps>,
                             apply<gelu_tanh_ps>,
                             apply<relu_ps>};

}  // namespace earshot::kernels
