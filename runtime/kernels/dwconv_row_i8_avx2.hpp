// The 16-channel AVX2 loop shared by the int8 depthwise rows (dwconv_avx2.cpp with TFLite's
// reference rounding, dwconv_upward_avx2.cpp with the optimized kernels' half-up rounding):
// int8 -> int16, (x - zp) * w fits int16 (|x - zp| <= 255, |w| <= 128), widened to int32, then
// `requantize(acc, multiplier, shift)` on 8 lanes, output zero point, clamp and pack.
// Include only from *_avx2.cpp files.
#pragma once

#include <immintrin.h>

#include "runtime/kernels/dwconv.hpp"

namespace earshot::kernels {

// Computes channels [0, c) for the largest multiple of 16 c <= end; returns c.
template <typename Requantize>
inline int dw_row_i8_avx2_16(const DwRowI8& r, int end, Requantize requantize) {
  const I8ConvQuant& q = *r.q;
  const __m256i zp = _mm256_set1_epi16(static_cast<int16_t>(q.in_zp));
  const __m256i out_zp = _mm256_set1_epi32(q.out_zp);
  const __m256i lo = _mm256_set1_epi32(q.act_min), hi = _mm256_set1_epi32(q.act_max);
  int c = 0;
  for (; c + 16 <= end; c += 16) {
    __m256i v[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    if (r.bias) {
      v[0] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias + c));
      v[1] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias + c + 8));
    }
    for (int t = 0; t < r.taps; ++t) {
      const __m256i x = _mm256_sub_epi16(
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.in[t] + c))), zp);
      const __m256i w =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.w[t] + c)));
      const __m256i p = _mm256_mullo_epi16(x, w);
      v[0] = _mm256_add_epi32(v[0], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(p)));
      v[1] = _mm256_add_epi32(v[1], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(p, 1)));
    }
    for (int h = 0; h < 2; ++h) {
      const int cc = c + 8 * h;
      const __m256i mult = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.multiplier + cc));
      const __m256i sh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.shift + cc));
      v[h] = _mm256_add_epi32(requantize(v[h], mult, sh), out_zp);
      v[h] = _mm256_min_epi32(_mm256_max_epi32(v[h], lo), hi);
    }
    // Saturating packs keep the order within 128-bit lanes; fix it with one permute.
    const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(v[0], v[1]), 0xD8);
    const __m128i b8 =
        _mm_packs_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(r.out + c), b8);
  }
  return c;
}

}  // namespace earshot::kernels
