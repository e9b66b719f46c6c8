// AVX2/FMA vector kernels of attention: dot product with two accumulators, axpy, softmax.
#include <cstddef>

#include "runtime/kernels/act_math_avx2.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {

extern const SoftmaxKernels kSoftmaxAvx2;

namespace {

float dot_avx2(const float* a, const float* b, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  if (i + 8 <= n) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    i += 8;
  }
  if (i < n) {
    const __m256i m = avx2::tail_mask(n - i);
    s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m), s1);
  }
  return avx2::hsum_ps(_mm256_add_ps(s0, s1));
}

void axpy_avx2(float a, const float* x, float* y, size_t n) {
  const __m256 va = _mm256_set1_ps(a);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  }
  if (i < n) {
    const __m256i m = avx2::tail_mask(n - i);
    _mm256_maskstore_ps(
        y + i, m, _mm256_fmadd_ps(va, _mm256_maskload_ps(x + i, m), _mm256_maskload_ps(y + i, m)));
  }
}

void softmax_avx2(const float* x, float scale, size_t n, float* y) {
  kSoftmaxAvx2.softmax(x, scale, n, y);
}

}  // namespace

extern const AttentionKernels kAttentionAvx2;
const AttentionKernels kAttentionAvx2 = {"avx2", dot_avx2, axpy_avx2, softmax_avx2};

}  // namespace earshot::kernels
