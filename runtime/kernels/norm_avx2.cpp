// AVX2/FMA layer norm: the same two passes as the reference, 8 lanes at a time.
#include <cmath>
#include <cstddef>

#include "runtime/kernels/act_math_avx2.hpp"
#include "runtime/kernels/norm.hpp"

namespace earshot::kernels {
namespace {

void layer_norm_avx2(const float* x, const float* gamma, const float* beta, float eps, size_t n,
                     float* y) {
  if (n == 0) return;
  const size_t n8 = n & ~size_t{7};
  const __m256i tail = avx2::tail_mask(n - n8);
  __m256 acc = _mm256_setzero_ps();
  for (size_t i = 0; i < n8; i += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps(x + i));
  if (n8 < n) acc = _mm256_add_ps(acc, _mm256_maskload_ps(x + n8, tail));
  const float mean = avx2::hsum_ps(acc) / static_cast<float>(n);
  const __m256 vmean = _mm256_set1_ps(mean);
  acc = _mm256_setzero_ps();
  for (size_t i = 0; i < n8; i += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), vmean);
    acc = _mm256_fmadd_ps(d, d, acc);
  }
  if (n8 < n) {
    // Masked-off lanes load 0; zero their centred value too so they add nothing.
    const __m256 d = _mm256_and_ps(_mm256_sub_ps(_mm256_maskload_ps(x + n8, tail), vmean),
                                   _mm256_castsi256_ps(tail));
    acc = _mm256_fmadd_ps(d, d, acc);
  }
  const float inv = 1.0f / std::sqrt(avx2::hsum_ps(acc) / static_cast<float>(n) + eps);
  const __m256 vinv = _mm256_set1_ps(inv);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 zero = _mm256_setzero_ps();
  for (size_t i = 0; i < n; i += 8) {
    const bool full = i + 8 <= n;
    const __m256 xv = full ? _mm256_loadu_ps(x + i) : _mm256_maskload_ps(x + i, tail);
    __m256 g = one, b = zero;
    if (gamma) g = full ? _mm256_loadu_ps(gamma + i) : _mm256_maskload_ps(gamma + i, tail);
    if (beta) b = full ? _mm256_loadu_ps(beta + i) : _mm256_maskload_ps(beta + i, tail);
    const __m256 v = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_sub_ps(xv, vmean), vinv), g, b);
    if (full) {
      _mm256_storeu_ps(y + i, v);
    } else {
      _mm256_maskstore_ps(y + i, tail, v);
    }
  }
}

}  // namespace

extern const NormKernels kNormAvx2;
const NormKernels kNormAvx2 = {"avx2", layer_norm_avx2};

}  // namespace earshot::kernels
