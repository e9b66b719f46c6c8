// Shapes of 2-D (and, with width 1, 1-D) convolutions in TFLite's layout: activations NHWC,
// regular conv weights OHWI [out_c][k_h][k_w][in_c], depthwise weights [k_h][k_w][out_c].
// 1-D convolutions over time put time in H and use W = 1 (microWakeWord's streaming models
// are built that way).
#pragma once

#include <cstdint>

#include "earshot/status.hpp"

namespace earshot::kernels {

enum class Padding { kValid, kSame };  // TFLite VALID / SAME

struct ConvShape {
  int batch = 1;
  int in_h = 0;
  int in_w = 1;
  int in_c = 0;
  int out_c = 0;  // depthwise: in_c * depth multiplier
  int k_h = 1;
  int k_w = 1;
  int stride_h = 1;
  int stride_w = 1;
  int dil_h = 1;
  int dil_w = 1;
  Padding padding = Padding::kValid;
};

struct ConvGeometry {
  ConvShape s;
  int out_h = 0;
  int out_w = 0;
  int pad_top = 0;  // TFLite SAME: total padding split with the odd one at the bottom/right
  int pad_left = 0;
  int64_t in_size() const noexcept { return int64_t{s.batch} * s.in_h * s.in_w * s.in_c; }
  int64_t out_size() const noexcept { return int64_t{s.batch} * out_h * out_w * s.out_c; }
};

// Checks the shape (positive sizes, no overflow, a depthwise out_c that is a multiple of in_c,
// at least one output) and derives the output size and padding.
Result<ConvGeometry> conv_geometry(const ConvShape& shape, bool depthwise) noexcept;

// A 1-D convolution over `frames` time steps (H = time, W = 1).
ConvShape conv1d_shape(int frames, int in_c, int out_c, int kernel, int stride, int dilation,
                       Padding padding) noexcept;

// int8 requantization parameters of a convolution / fully connected layer (TFLite semantics:
// acc = bias + sum (x - in_zp) * w, out = clamp(mbqm(acc, mult[c], shift[c]) + out_zp, lo, hi)).
struct I8ConvQuant {
  int32_t in_zp = 0;
  int32_t out_zp = 0;
  const int32_t* multiplier = nullptr;  // [out_c], per output channel
  const int32_t* shift = nullptr;       // [out_c]
  int32_t act_min = -128;
  int32_t act_max = 127;
};

// TFLite's per-channel effective scales in_scale * w_scale[c] / out_scale, computed in double,
// turned into Q31 multipliers and shifts.
void per_channel_multipliers(float in_scale, const float* w_scales, float out_scale, int n,
                             int32_t* multiplier, int32_t* shift) noexcept;

}  // namespace earshot::kernels
