// AVX2 TFLite-optimized-rounding depthwise row (dwconv_upward.hpp): 16 channels per step
// ((x - zp) * w fits int16: |x - zp| <= 255, |w| <= 128), widened to int32, vectorised
// requantization with a round-half-up final shift; bit-exact with the scalar ref.
#include <immintrin.h>

#include <algorithm>

#include "runtime/kernels/dwconv_row_i8_avx2.hpp"
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
  int c = dw_row_i8_avx2_16(r, upward, requantize_upward);  // whole groups of 8 round half up
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
