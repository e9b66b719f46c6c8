// AVX2 TFLite-optimized-rounding depthwise row (dwconv_upward.hpp): 16 channels per step
// ((x - zp) * w fits int16: |x - zp| <= 255, |w| <= 128), widened to int32, vectorised
// requantization with a round-half-up final shift; bit-exact with the scalar ref.
#include <immintrin.h>

#include <algorithm>

#include "runtime/kernels/dwconv_upward.hpp"

namespace earshot::kernels {
namespace {

// DepthwiseConvRound<kUpward> on 8 lanes. SaturatingRoundingDoublingHighMul(a, b) equals bits
// 31..62 of a * b + 2^30 for both signs (the nudge and the truncating division combine into
// one floor); its saturating case needs b == INT32_MIN, never a quantized multiplier.
__m256i requantize_upward(__m256i x, __m256i mult, __m256i shift) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i left = _mm256_max_epi32(shift, zero);
  const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  x = _mm256_sllv_epi32(x, left);
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, mult), nudge);
  const __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32)), nudge);
  const __m256i high =
      _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
  // (high + 2^(right-1)) >> right, arithmetic; the offset is 0 when right == 0.
  const __m256i offset = _mm256_srli_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), right), 1);
  return _mm256_srav_epi32(_mm256_add_epi32(high, offset), right);
}

void row_i8_upward_avx2(const DwRowI8& r) {
  const I8ConvQuant& q = *r.q;
  const int upward = upward_channels(r.channels);
  const __m256i zp = _mm256_set1_epi16(static_cast<int16_t>(q.in_zp));
  const __m256i out_zp = _mm256_set1_epi32(q.out_zp);
  const __m256i lo = _mm256_set1_epi32(q.act_min), hi = _mm256_set1_epi32(q.act_max);
  int c = 0;
  for (; c + 16 <= upward; c += 16) {  // whole groups of 8 round half up
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    if (r.bias) {
      acc0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias + c));
      acc1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r.bias + c + 8));
    }
    for (int t = 0; t < r.taps; ++t) {
      const __m256i x = _mm256_sub_epi16(
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.in[t] + c))), zp);
      const __m256i w =
          _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r.w[t] + c)));
      const __m256i p = _mm256_mullo_epi16(x, w);
      acc0 = _mm256_add_epi32(acc0, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(p)));
      acc1 = _mm256_add_epi32(acc1, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(p, 1)));
    }
    __m256i v[2] = {acc0, acc1};
    for (int h = 0; h < 2; ++h) {
      const int cc = c + 8 * h;
      const __m256i mult = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.multiplier + cc));
      const __m256i sh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.shift + cc));
      v[h] = _mm256_add_epi32(requantize_upward(v[h], mult, sh), out_zp);
      v[h] = _mm256_min_epi32(_mm256_max_epi32(v[h], lo), hi);
    }
    // Saturating packs keep the order within 128-bit lanes; fix it with one permute.
    const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(v[0], v[1]), 0xD8);
    const __m128i b8 =
        _mm_packs_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(r.out + c), b8);
  }
  for (; c < r.channels; ++c) {  // the last < 16 channels: the scalar formulas
    int32_t acc = r.bias ? r.bias[c] : 0;
    for (int t = 0; t < r.taps; ++t) acc += (int32_t{r.in[t][c]} - q.in_zp) * int32_t{r.w[t][c]};
    const int32_t v =
        requantize_dw_channel(acc, q.multiplier[c], q.shift[c], c < upward) + q.out_zp;
    r.out[c] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

}  // namespace

extern const DwUpwardKernels kDwUpwardAvx2;
const DwUpwardKernels kDwUpwardAvx2 = {"avx2", row_i8_upward_avx2};

}  // namespace earshot::kernels
