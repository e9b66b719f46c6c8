// AVX2/FMA softmax: vector max, vector exp (act_math_avx2.hpp) with the sum, one scaling pass.
#include <cstddef>

#include "runtime/kernels/act_math_avx2.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {
namespace {

void softmax_avx2(const float* x, float scale, size_t n, float* y) {
  if (n == 0) return;
  const size_t n8 = n & ~size_t{7};
  const __m256i tail = avx2::tail_mask(n - n8);
  __m256 vmax = _mm256_set1_ps(x[0]);
  for (size_t i = 0; i < n8; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + i));
  float mx = avx2::hmax_ps(vmax);
  for (size_t i = n8; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
  const __m256 vm = _mm256_set1_ps(mx);
  const __m256 vs = _mm256_set1_ps(scale);
  __m256 acc = _mm256_setzero_ps();
  for (size_t i = 0; i < n8; i += 8) {
    const __m256 e = avx2::exp_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vm), vs));
    _mm256_storeu_ps(y + i, e);
    acc = _mm256_add_ps(acc, e);
  }
  if (n8 < n) {
    __m256 e = avx2::exp_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_maskload_ps(x + n8, tail), vm), vs));
    e = _mm256_and_ps(e, _mm256_castsi256_ps(tail));
    _mm256_maskstore_ps(y + n8, tail, e);
    acc = _mm256_add_ps(acc, e);
  }
  const __m256 inv = _mm256_set1_ps(1.0f / avx2::hsum_ps(acc));
  for (size_t i = 0; i < n8; i += 8)
    _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(y + i), inv));
  if (n8 < n) {
    _mm256_maskstore_ps(y + n8, tail, _mm256_mul_ps(_mm256_maskload_ps(y + n8, tail), inv));
  }
}

}  // namespace

extern const SoftmaxKernels kSoftmaxAvx2;
const SoftmaxKernels kSoftmaxAvx2 = {"avx2", softmax_avx2};

}  // namespace earshot::kernels
