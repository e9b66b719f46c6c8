// Regular convolution: reference loops and the pointwise (GEMM) fast path.
#include <algorithm>

#include "runtime/kernels/conv.hpp"
#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {
namespace {

// Calls body(out_index, oc, tap_in, tap_w) for every in-bounds tap of every output value,
// after init(out_index, oc) and before finish(out_index, oc).
template <typename T, typename Init, typename Tap, typename Finish>
void conv_loops(const ConvGeometry& g, const T* in, const T* w, Init init, Tap tap, Finish finish) {
  const ConvShape& s = g.s;
  for (int b = 0; b < s.batch; ++b)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox)
        for (int oc = 0; oc < s.out_c; ++oc) {
          const int64_t at = ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * s.out_c + oc;
          init(oc);
          for (int ky = 0; ky < s.k_h; ++ky) {
            const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
            if (iy < 0 || iy >= s.in_h) continue;
            for (int kx = 0; kx < s.k_w; ++kx) {
              const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
              if (ix < 0 || ix >= s.in_w) continue;
              const T* px = in + ((int64_t{b} * s.in_h + iy) * s.in_w + ix) * s.in_c;
              const T* pw = w + ((int64_t{oc} * s.k_h + ky) * s.k_w + kx) * s.in_c;
              for (int ic = 0; ic < s.in_c; ++ic) tap(px[ic], pw[ic]);
            }
          }
          finish(at, oc);
        }
}

}  // namespace

bool is_pointwise(const ConvGeometry& g) noexcept {
  const ConvShape& s = g.s;
  return s.k_h == 1 && s.k_w == 1 && s.stride_h == 1 && s.stride_w == 1;
}

Status conv_f32_ref(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                    FusedActivation act, float* out) noexcept {
  if (!in || !w || !out) return InvalidArgument("conv_f32: null tensor");
  const F32Range r = activation_range_f32(act);
  float acc = 0.0f;
  conv_loops<float>(
      g, in, w, [&](int oc) { acc = bias ? bias[oc] : 0.0f; },
      [&](float x, float wv) { acc += x * wv; },
      [&](int64_t at, int) { out[at] = std::min(std::max(acc, r.lo), r.hi); });
  return Status::Ok();
}

Status conv_i8_ref(const ConvGeometry& g, const int8_t* in, const int8_t* w, const int32_t* bias,
                   const I8ConvQuant& q, int8_t* out) noexcept {
  if (!in || !w || !out || !q.multiplier || !q.shift) {
    return InvalidArgument("conv_i8: null tensor or quantization parameters");
  }
  int32_t acc = 0;
  conv_loops<int8_t>(
      g, in, w, [&](int oc) { acc = bias ? bias[oc] : 0; },
      [&](int8_t x, int8_t wv) { acc += (int32_t{x} - q.in_zp) * int32_t{wv}; },
      [&](int64_t at, int oc) {
        const int32_t v =
            multiply_by_quantized_multiplier(acc, q.multiplier[oc], q.shift[oc]) + q.out_zp;
        out[at] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
      });
  return Status::Ok();
}

Status conv_f32(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                FusedActivation act, float* out) noexcept {
  if (!is_pointwise(g)) return conv_f32_ref(g, in, w, bias, act, out);
  F32GemmParams p;
  p.m = static_cast<int>(int64_t{g.s.batch} * g.s.in_h * g.s.in_w);
  p.n = g.s.out_c;
  p.k = g.s.in_c;
  p.a = in;
  p.b = w;
  p.b_transposed = true;
  p.bias = bias;
  p.c = out;
  EARSHOT_RETURN_IF_ERROR(f32_gemm(p));
  if (act != FusedActivation::kNone) {
    const F32Range r = activation_range_f32(act);
    for (int64_t i = 0; i < g.out_size(); ++i) out[i] = std::min(std::max(out[i], r.lo), r.hi);
  }
  return Status::Ok();
}

Status pointwise_conv_i8(const ConvGeometry& g, const int8_t* in, const PackedI8Weights& packed,
                         const int32_t* bias, const I8ConvQuant& q, int8_t* out) noexcept {
  if (!is_pointwise(g) || packed.n() != g.s.out_c || packed.k() != g.s.in_c) {
    return InvalidArgument("pointwise_conv_i8: not a 1x1 stride-1 convolution of these weights");
  }
  I8GemmParams p;
  p.m = static_cast<int>(int64_t{g.s.batch} * g.s.in_h * g.s.in_w);
  p.x = in;
  p.x_zero_point = q.in_zp;
  p.w = &packed;
  p.bias = bias;
  p.output = I8Output::kInt8;
  p.y = out;
  p.multiplier = q.multiplier;
  p.shift = q.shift;
  p.y_zero_point = q.out_zp;
  p.y_min = q.act_min;
  p.y_max = q.act_max;
  return i8_gemm(p);
}

}  // namespace earshot::kernels
