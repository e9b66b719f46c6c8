// Depthwise convolution (float and int8, TFLite semantics) built on one "row" kernel that
// computes every channel of one output pixel from a list of taps. The full 2-D/1-D op, the
// streaming form (dwconv_stream.hpp) and the SIMD variants all share that kernel:
//   out[c] = act(bias[c] + sum_t in[t][c] * w[t][c])                                  (float)
//   out[c] = clamp(mbqm(bias[c] + sum_t (in[t][c] - in_zp) * w[t][c], mult[c], shift[c])
//                  + out_zp, act_min, act_max)                                          (int8)
// Taps that fall into the padding are left out of the list (an int8 pad value equals the
// input zero point, so it would add nothing).
#pragma once

#include <cstdint>
#include <span>

#include "earshot/status.hpp"
#include "runtime/kernels/act.hpp"
#include "runtime/kernels/conv_geometry.hpp"

namespace earshot::kernels {

// Largest k_h * k_w the depthwise ops accept (tap pointer lists live on the stack).
inline constexpr int kMaxDwTaps = 256;

struct DwRowF32 {
  const float* const* in;  // [taps] pointers to `channels` input values
  const float* const* w;   // [taps] pointers to `channels` weights
  int taps = 0;
  const float* bias = nullptr;  // [channels], optional
  int channels = 0;
  float lo = 0.0f;  // fused activation clamp
  float hi = 0.0f;
  float* out = nullptr;
};

struct DwRowI8 {
  const int8_t* const* in;
  const int8_t* const* w;
  int taps = 0;
  const int32_t* bias = nullptr;  // optional
  int channels = 0;
  const I8ConvQuant* q = nullptr;  // multiplier / shift per channel
  int8_t* out = nullptr;
};

struct DwConvKernels {
  const char* name;
  void (*row_f32)(const DwRowF32& r);
  void (*row_i8)(const DwRowI8& r);
};

extern const DwConvKernels kDwConvRef;
std::span<const DwConvKernels* const> dwconv_variants() noexcept;
const DwConvKernels& dwconv_kernels() noexcept;

// Whole depthwise convolution (NHWC in, weights [k_h][k_w][out_c], any depth multiplier).
// InvalidArgument on null pointers or more than kMaxDwTaps taps. `k` picks the row kernel
// (tests); the default is dwconv_kernels().
Status dwconv_f32(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                  FusedActivation act, float* out, const DwConvKernels* k = nullptr) noexcept;
Status dwconv_i8(const ConvGeometry& g, const int8_t* in, const int8_t* w, const int32_t* bias,
                 const I8ConvQuant& q, int8_t* out, const DwConvKernels* k = nullptr) noexcept;

}  // namespace earshot::kernels
