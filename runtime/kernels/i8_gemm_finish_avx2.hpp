// Vectorised output stage for the 256-bit x86 variants (AVX2, AVX-VNNI): the arithmetic of
// detail::i8_finish_tile on 8 channels at a time, bit for bit; column tails use the scalar one.
// Include only from translation units built with -mavx2 -mfma. Internal linkage (static).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "runtime/kernels/i8_gemm_epilogue.hpp"

namespace earshot::kernels::detail {

// TFLite MultiplyByQuantizedMultiplier on 8 lanes: floor((a*b + 2^30) / 2^31) from the 64-bit
// products of even and odd lanes (its low 32 bits do not depend on the shift being logical),
// saturation of INT32_MIN * INT32_MIN, then the rounding divide by 2^right.
static inline __m256i requantize8_avx2(__m256i acc, __m256i mult, __m256i shift) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i left = _mm256_max_epi32(shift, zero);
  const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  const __m256i x = _mm256_sllv_epi32(acc, left);
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(x, mult), nudge), 31);
  const __m256i odd_prod = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32));
  const __m256i odd = _mm256_slli_epi64(_mm256_add_epi64(odd_prod, nudge), 1);
  __m256i high = _mm256_blend_epi32(even, odd, 0xAA);
  const __m256i int_min = _mm256_set1_epi32(INT32_MIN);
  const __m256i both_min =
      _mm256_and_si256(_mm256_cmpeq_epi32(x, int_min), _mm256_cmpeq_epi32(mult, int_min));
  high = _mm256_blendv_epi8(high, _mm256_set1_epi32(INT32_MAX), both_min);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  const __m256i remainder = _mm256_and_si256(high, mask);
  const __m256i threshold =
      _mm256_add_epi32(_mm256_srli_epi32(mask, 1), _mm256_srli_epi32(high, 31));
  const __m256i shifted = _mm256_srav_epi32(high, right);
  // cmpgt gives -1 where the remainder passes the threshold: subtracting it adds 1.
  return _mm256_sub_epi32(shifted, _mm256_cmpgt_epi32(remainder, threshold));
}

static inline void i8_finish_tile_avx2(const I8GemmParams& p, int m0, int rows, int n0, int cols,
                                       const int32_t* raw, int raw_stride,
                                       int32_t offset) noexcept {
  const int full = cols & ~7;
  const __m256i comp = _mm256_set1_epi32(
      static_cast<int32_t>(static_cast<uint32_t>(offset) + static_cast<uint32_t>(p.x_zero_point)));
  auto load = [](const int32_t* q) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  };
  for (int r = 0; r < rows; ++r) {
    const int m = m0 + r;
    for (int c = 0; c < full; c += 8) {
      const int n = n0 + c;
      __m256i acc = load(raw + r * raw_stride + c);
      acc = _mm256_sub_epi32(acc, _mm256_mullo_epi32(comp, load(p.w->col_sums() + n)));
      if (p.bias != nullptr) acc = _mm256_add_epi32(acc, load(p.bias + n));
      const ptrdiff_t at = static_cast<ptrdiff_t>(m) * p.y_stride + n;
      switch (p.output) {
        case I8Output::kInt8: {
          const __m256i mult =
              p.per_channel ? load(p.multiplier + n) : _mm256_set1_epi32(p.multiplier[0]);
          const __m256i shift = p.per_channel ? load(p.shift + n) : _mm256_set1_epi32(p.shift[0]);
          __m256i v = _mm256_add_epi32(requantize8_avx2(acc, mult, shift),
                                       _mm256_set1_epi32(p.y_zero_point));
          v = _mm256_min_epi32(_mm256_max_epi32(v, _mm256_set1_epi32(p.y_min)),
                               _mm256_set1_epi32(p.y_max));
          const __m128i w16 =
              _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
          _mm_storel_epi64(reinterpret_cast<__m128i*>(static_cast<int8_t*>(p.y) + at),
                           _mm_packs_epi16(w16, w16));
          break;
        }
        case I8Output::kInt32:
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(static_cast<int32_t*>(p.y) + at), acc);
          break;
        case I8Output::kFloat: {
          const __m256 rs = _mm256_set1_ps(p.row_scale[p.per_row_scale ? m : 0]);
          const __m256 scale = _mm256_mul_ps(rs, _mm256_loadu_ps(p.col_scale + n));
          const __m256 b =
              p.bias_f32 != nullptr ? _mm256_loadu_ps(p.bias_f32 + n) : _mm256_setzero_ps();
          _mm256_storeu_ps(static_cast<float*>(p.y) + at,
                           _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc), scale, b));
          break;
        }
      }
    }
  }
  if (full < cols)
    i8_finish_tile(p, m0, rows, n0 + full, cols - full, raw + full, raw_stride, offset);
}

}  // namespace earshot::kernels::detail
