// AVX2 twin of quantize_rows_symmetric_i8_ref (i8f32_gemm.cpp), bit for bit: the maximum of
// |x| with a non-finite check, then round half to even (cvtps under the default rounding
// mode, as lrintf) and saturation to [-127, 127]. The scalar loop did not vectorise.
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "runtime/kernels/i8f32_gemm.hpp"

namespace earshot::kernels {

void quantize_rows_symmetric_i8_avx2(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                     float* scale) noexcept {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 big = _mm256_set1_ps(3.4028234663852886e38f);
  for (int r = 0; r < m; ++r) {
    const float* row = x + static_cast<ptrdiff_t>(r) * x_stride;
    int8_t* qrow = q + static_cast<ptrdiff_t>(r) * k;
    __m256 vmax = _mm256_setzero_ps(), bad = _mm256_setzero_ps();
    int c = 0;
    for (; c + 8 <= k; c += 8) {
      const __m256 a = _mm256_and_ps(_mm256_loadu_ps(row + c), abs_mask);
      vmax = _mm256_max_ps(vmax, a);
      bad = _mm256_or_ps(bad, _mm256_cmp_ps(a, big, _CMP_NLE_UQ));  // NaN or > FLT_MAX
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, vmax);
    float max_abs = 0.0f;
    for (float v : lanes) max_abs = v > max_abs ? v : max_abs;
    bool non_finite = _mm256_movemask_ps(bad) != 0;
    for (; c < k; ++c) {
      const float a = std::fabs(row[c]);
      max_abs = a > max_abs ? a : max_abs;
      non_finite |= !(a <= 3.4028234663852886e38f);
    }
    if (!(max_abs > 0.0f) || non_finite) {
      for (int i = 0; i < k; ++i) qrow[i] = 0;
      scale[r] = 0.0f;
      continue;
    }
    const float inv = 127.0f / max_abs;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
    c = 0;
    for (; c + 16 <= k; c += 16) {
      __m256i a = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + c), vinv));
      __m256i b = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + c + 8), vinv));
      a = _mm256_min_epi32(_mm256_max_epi32(a, lo), hi);
      b = _mm256_min_epi32(_mm256_max_epi32(b, lo), hi);
      const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);  // 16 x i16
      const __m128i n = _mm_packs_epi16(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(qrow + c), n);
    }
    for (; c < k; ++c) {
      long v = std::lrintf(row[c] * inv);
      v = v < -127 ? -127 : (v > 127 ? 127 : v);
      qrow[c] = static_cast<int8_t>(v);
    }
    scale[r] = max_abs / 127.0f;
  }
}

}  // namespace earshot::kernels
