// NEON depthwise row kernels. float: 4 channels per vector, scalar tail. int8: 16 channels per
// step through int16 products widened into int32, requantized with vqrdmulh + the gemmlowp
// rounding shift (bit-exact with TFLite's scalar MultiplyByQuantizedMultiplier).
#include <arm_neon.h>

#include <algorithm>

#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {
namespace {

void row_f32_neon(const DwRowF32& r) {
  const float32x4_t lo = vdupq_n_f32(r.lo), hi = vdupq_n_f32(r.hi);
  int c = 0;
  for (; c + 4 <= r.channels; c += 4) {
    float32x4_t acc = r.bias ? vld1q_f32(r.bias + c) : vdupq_n_f32(0.0f);
    for (int t = 0; t < r.taps; ++t)
      acc = vfmaq_f32(acc, vld1q_f32(r.in[t] + c), vld1q_f32(r.w[t] + c));
    vst1q_f32(r.out + c, vminq_f32(vmaxq_f32(acc, lo), hi));
  }
  for (; c < r.channels; ++c) {
    float acc = r.bias ? r.bias[c] : 0.0f;
    for (int t = 0; t < r.taps; ++t) acc += r.in[t][c] * r.w[t][c];
    r.out[c] = std::min(std::max(acc, r.lo), r.hi);
  }
}

int32x4_t requantize(int32x4_t x, const int32_t* mult, const int32_t* shift) {
  const int32x4_t sh = vld1q_s32(shift);
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(sh, zero);
  const int32x4_t neg_right = vminq_s32(sh, zero);  // -right
  x = vqrdmulhq_s32(vshlq_s32(x, left), vld1q_s32(mult));
  const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, neg_right), 31);
  return vrshlq_s32(vqaddq_s32(x, fixup), neg_right);
}

void row_i8_neon(const DwRowI8& r) {
  const I8ConvQuant& q = *r.q;
  const int16x8_t zp = vdupq_n_s16(static_cast<int16_t>(q.in_zp));
  int c = 0;
  for (; c + 16 <= r.channels; c += 16) {
    int32x4_t acc[4];
    for (int j = 0; j < 4; ++j) acc[j] = r.bias ? vld1q_s32(r.bias + c + 4 * j) : vdupq_n_s32(0);
    for (int t = 0; t < r.taps; ++t) {
      const int8x16_t x = vld1q_s8(r.in[t] + c);
      const int8x16_t w = vld1q_s8(r.w[t] + c);
      const int16x8_t p0 =
          vmulq_s16(vsubq_s16(vmovl_s8(vget_low_s8(x)), zp), vmovl_s8(vget_low_s8(w)));
      const int16x8_t p1 = vmulq_s16(vsubq_s16(vmovl_high_s8(x), zp), vmovl_high_s8(w));
      acc[0] = vaddw_s16(acc[0], vget_low_s16(p0));
      acc[1] = vaddw_high_s16(acc[1], p0);
      acc[2] = vaddw_s16(acc[2], vget_low_s16(p1));
      acc[3] = vaddw_high_s16(acc[3], p1);
    }
    int16x4_t h[4];
    for (int j = 0; j < 4; ++j) {
      int32x4_t v = vaddq_s32(requantize(acc[j], q.multiplier + c + 4 * j, q.shift + c + 4 * j),
                              vdupq_n_s32(q.out_zp));
      v = vminq_s32(vmaxq_s32(v, vdupq_n_s32(q.act_min)), vdupq_n_s32(q.act_max));
      h[j] = vmovn_s32(v);
    }
    const int8x8_t lo8 = vmovn_s16(vcombine_s16(h[0], h[1]));
    const int8x8_t hi8 = vmovn_s16(vcombine_s16(h[2], h[3]));
    vst1q_s8(r.out + c, vcombine_s8(lo8, hi8));
  }
  for (; c < r.channels; ++c) {
    int32_t acc = r.bias ? r.bias[c] : 0;
    for (int t = 0; t < r.taps; ++t) acc += (int32_t{r.in[t][c]} - q.in_zp) * int32_t{r.w[t][c]};
    int32_t v = multiply_by_quantized_multiplier(acc, q.multiplier[c], q.shift[c]) + q.out_zp;
    r.out[c] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

}  // namespace

extern const DwConvKernels kDwConvNeon;
const DwConvKernels kDwConvNeon = {"neon", row_f32_neon, row_i8_neon};

}  // namespace earshot::kernels
