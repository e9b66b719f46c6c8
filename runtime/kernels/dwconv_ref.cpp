// Scalar reference depthwise row kernels, the whole-tensor depthwise convolution driver and
// the variant list.
#include <algorithm>
#include <iterator>
#include <vector>

#include "runtime/kernels/act_isa.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const DwConvKernels kDwConvAvx2;
#endif
#if defined(EARSHOT_OPS_NEON)
extern const DwConvKernels kDwConvNeon;
#endif

namespace {

void row_f32_ref(const DwRowF32& r) {
  for (int c = 0; c < r.channels; ++c) {
    float acc = r.bias ? r.bias[c] : 0.0f;
    for (int t = 0; t < r.taps; ++t) acc += r.in[t][c] * r.w[t][c];
    r.out[c] = std::min(std::max(acc, r.lo), r.hi);
  }
}

void row_i8_ref(const DwRowI8& r) {
  const I8ConvQuant& q = *r.q;
  for (int c = 0; c < r.channels; ++c) {
    int32_t acc = r.bias ? r.bias[c] : 0;
    for (int t = 0; t < r.taps; ++t) acc += (int32_t{r.in[t][c]} - q.in_zp) * int32_t{r.w[t][c]};
    int32_t v = multiply_by_quantized_multiplier(acc, q.multiplier[c], q.shift[c]) + q.out_zp;
    r.out[c] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

// Calls `row(in_taps, w_taps, taps, out_offset)` for every output pixel, with the taps that
// fall inside the input. Depth multiplier 1: tap pointers address whole pixels.
template <typename T, typename Row>
Status for_each_pixel(const ConvGeometry& g, const T* in, const T* w, Row row) {
  const ConvShape& s = g.s;
  if (s.k_h * s.k_w > kMaxDwTaps) {
    return InvalidArgument("depthwise convolution: more than 256 kernel taps");
  }
  const T* in_taps[kMaxDwTaps];
  const T* w_taps[kMaxDwTaps];
  for (int b = 0; b < s.batch; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        int taps = 0;
        for (int ky = 0; ky < s.k_h; ++ky) {
          const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
          if (iy < 0 || iy >= s.in_h) continue;
          for (int kx = 0; kx < s.k_w; ++kx) {
            const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
            if (ix < 0 || ix >= s.in_w) continue;
            in_taps[taps] = in + ((int64_t{b} * s.in_h + iy) * s.in_w + ix) * s.in_c;
            w_taps[taps] = w + (int64_t{ky} * s.k_w + kx) * s.out_c;
            ++taps;
          }
        }
        row(in_taps, w_taps, taps, ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * s.out_c);
      }
    }
  }
  return Status::Ok();
}

// Depth multiplier > 1 (rare; no SIMD): output channel c reads input channel c / multiplier.
template <typename T, typename Acc, typename Finish>
void dwconv_multiplier(const ConvGeometry& g, const T* in, const T* w, Acc zp, Finish finish) {
  const ConvShape& s = g.s;
  const int mult = s.out_c / s.in_c;
  for (int b = 0; b < s.batch; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        for (int c = 0; c < s.out_c; ++c) {
          Acc acc = 0;
          for (int ky = 0; ky < s.k_h; ++ky) {
            const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
            if (iy < 0 || iy >= s.in_h) continue;
            for (int kx = 0; kx < s.k_w; ++kx) {
              const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
              if (ix < 0 || ix >= s.in_w) continue;
              const Acc x = in[((int64_t{b} * s.in_h + iy) * s.in_w + ix) * s.in_c + c / mult];
              acc += (x - zp) * static_cast<Acc>(w[(int64_t{ky} * s.k_w + kx) * s.out_c + c]);
            }
          }
          finish(((int64_t{b} * g.out_h + oy) * g.out_w + ox) * s.out_c + c, c, acc);
        }
      }
    }
  }
}

}  // namespace

const DwConvKernels kDwConvRef = {"ref", row_f32_ref, row_i8_ref};

std::span<const DwConvKernels* const> dwconv_variants() noexcept {
  static const DwConvKernels* const kAll[] = {
    &kDwConvRef,
#if defined(EARSHOT_OPS_AVX2)
    &kDwConvAvx2,
#endif
#if defined(EARSHOT_OPS_NEON)
    &kDwConvNeon,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const DwConvKernels& dwconv_kernels() noexcept {
  return ops_forced_ref() ? kDwConvRef : *dwconv_variants().back();
}

Status dwconv_f32(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                  FusedActivation act, float* out, const DwConvKernels* k) noexcept {
  if (!in || !w || !out) return InvalidArgument("dwconv_f32: null tensor");
  const F32Range range = activation_range_f32(act);
  if (g.s.out_c != g.s.in_c) {
    dwconv_multiplier<float, float>(g, in, w, 0.0f, [&](int64_t at, int c, float acc) {
      acc += bias ? bias[c] : 0.0f;
      out[at] = std::min(std::max(acc, range.lo), range.hi);
    });
    return Status::Ok();
  }
  const DwConvKernels& kern = k ? *k : dwconv_kernels();
  return for_each_pixel<float>(
      g, in, w, [&](const float* const* it, const float* const* wt, int taps, int64_t at) {
        DwRowF32 r{it, wt, taps, bias, g.s.out_c, range.lo, range.hi, out + at};
        kern.row_f32(r);
      });
}

Status dwconv_i8(const ConvGeometry& g, const int8_t* in, const int8_t* w, const int32_t* bias,
                 const I8ConvQuant& q, int8_t* out, const DwConvKernels* k) noexcept {
  if (!in || !w || !out || !q.multiplier || !q.shift) {
    return InvalidArgument("dwconv_i8: null tensor or quantization parameters");
  }
  if (g.s.out_c != g.s.in_c) {
    dwconv_multiplier<int8_t, int32_t>(g, in, w, q.in_zp, [&](int64_t at, int c, int32_t acc) {
      acc += bias ? bias[c] : 0;
      int32_t v = multiply_by_quantized_multiplier(acc, q.multiplier[c], q.shift[c]) + q.out_zp;
      out[at] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
    });
    return Status::Ok();
  }
  const DwConvKernels& kern = k ? *k : dwconv_kernels();
  return for_each_pixel<int8_t>(
      g, in, w, [&](const int8_t* const* it, const int8_t* const* wt, int taps, int64_t at) {
        DwRowI8 r{it, wt, taps, bias, g.s.out_c, &q, out + at};
        kern.row_i8(r);
      });
}

}  // namespace earshot::kernels
