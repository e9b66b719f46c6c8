// AVX2/FMA depthwise row kernels. float: 8 channels per vector, taps inner, masked tail.
// int8: 16 channels per step (int8 -> int16, (x - zp) * w fits int16 since |x - zp| <= 255 and
// |w| <= 128, widened to int32), vectorised TFLite requantization, bit-exact with the ref.
#include <immintrin.h>

#include <algorithm>

#include "runtime/kernels/act_math_avx2.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/dwconv_row_i8_avx2.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {
namespace {

void row_f32_avx2(const DwRowF32& r) {
  const __m256 lo = _mm256_set1_ps(r.lo), hi = _mm256_set1_ps(r.hi);
  for (int c = 0; c < r.channels; c += 8) {
    const bool full = c + 8 <= r.channels;
    const __m256i m = avx2::tail_mask(static_cast<size_t>(std::min(8, r.channels - c)));
    auto load = [&](const float* p) {
      return full ? _mm256_loadu_ps(p + c) : _mm256_maskload_ps(p + c, m);
    };
    __m256 acc = r.bias ? load(r.bias) : _mm256_setzero_ps();
    for (int t = 0; t < r.taps; ++t) acc = _mm256_fmadd_ps(load(r.in[t]), load(r.w[t]), acc);
    acc = _mm256_min_ps(_mm256_max_ps(acc, lo), hi);
    if (full) {
      _mm256_storeu_ps(r.out + c, acc);
    } else {
      _mm256_maskstore_ps(r.out + c, m, acc);
    }
  }
}

// TFLite MultiplyByQuantizedMultiplier on 8 lanes with per-lane multiplier and shift.
// SaturatingRoundingDoublingHighMul(a, b) equals bits 31..62 of a * b + 2^30 for both signs
// (the nudge and the truncating division combine into one floor); its saturating case needs
// b == INT32_MIN, which a quantized multiplier (in [0, 2^31)) never is.
__m256i requantize(__m256i x, __m256i mult, __m256i shift) {
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
  // RoundingDivideByPOT(high, right): round to nearest, ties away from zero.
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  const __m256i remainder = _mm256_and_si256(high, mask);
  const __m256i negative = _mm256_cmpgt_epi32(zero, high);  // -1 where high < 0
  const __m256i threshold = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), negative);
  const __m256i round_up = _mm256_cmpgt_epi32(remainder, threshold);
  return _mm256_sub_epi32(_mm256_srav_epi32(high, right), round_up);
}

void row_i8_avx2(const DwRowI8& r) {
  const I8ConvQuant& q = *r.q;
  int c = dw_row_i8_avx2_16(r, r.channels, requantize);
  for (; c < r.channels; ++c) {  // fewer than 16 channels left: the scalar formula
    int32_t acc = r.bias ? r.bias[c] : 0;
    for (int t = 0; t < r.taps; ++t) acc += (int32_t{r.in[t][c]} - q.in_zp) * int32_t{r.w[t][c]};
    int32_t v = multiply_by_quantized_multiplier(acc, q.multiplier[c], q.shift[c]) + q.out_zp;
    r.out[c] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

}  // namespace

extern const DwConvKernels kDwConvAvx2;
const DwConvKernels kDwConvAvx2 = {"avx2", row_f32_avx2, row_i8_avx2};

}  // namespace earshot::kernels
