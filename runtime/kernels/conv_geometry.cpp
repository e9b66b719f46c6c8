// Convolution shape checks and TFLite's output size / padding rules.
#include "runtime/kernels/conv_geometry.hpp"

#include <algorithm>
#include <string>

#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {
namespace {

constexpr int64_t kMaxElements = int64_t{1} << 31;

// TFLite ComputeOutSize / ComputePaddingWithOffset for one spatial dimension.
bool out_and_pad(int in, int k, int stride, int dil, Padding p, int* out, int* pad) {
  const int64_t eff_k = int64_t{k - 1} * dil + 1;
  if (p == Padding::kSame) {
    *out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((int64_t{*out} - 1) * stride + eff_k - in, 0);
    *pad = static_cast<int>(total / 2);
  } else {
    if (eff_k > in) return false;
    *out = static_cast<int>((in - eff_k) / stride + 1);
    *pad = 0;
  }
  return *out > 0;
}

}  // namespace

Result<ConvGeometry> conv_geometry(const ConvShape& s, bool depthwise) noexcept {
  const int dims[] = {s.batch, s.in_h,     s.in_w,     s.in_c,  s.out_c, s.k_h,
                      s.k_w,   s.stride_h, s.stride_w, s.dil_h, s.dil_w};
  for (int d : dims) {
    if (d < 1 || d > (1 << 24)) {
      return InvalidArgument(
          "convolution: every size, stride and dilation must be in [1, 2^24], got " +
          std::to_string(d));
    }
  }
  if (depthwise && s.out_c % s.in_c != 0) {
    return InvalidArgument("depthwise convolution: out_c " + std::to_string(s.out_c) +
                           " is not a multiple of in_c " + std::to_string(s.in_c));
  }
  ConvGeometry g;
  g.s = s;
  if (!out_and_pad(s.in_h, s.k_h, s.stride_h, s.dil_h, s.padding, &g.out_h, &g.pad_top) ||
      !out_and_pad(s.in_w, s.k_w, s.stride_w, s.dil_w, s.padding, &g.out_w, &g.pad_left)) {
    return InvalidArgument("convolution: the dilated kernel (" + std::to_string(s.k_h) + "x" +
                           std::to_string(s.k_w) + ") is larger than the input (" +
                           std::to_string(s.in_h) + "x" + std::to_string(s.in_w) + ")");
  }
  const int64_t weights = int64_t{s.k_h} * s.k_w * s.out_c * (depthwise ? 1 : s.in_c);
  if (g.in_size() > kMaxElements || g.out_size() > kMaxElements || weights > kMaxElements) {
    return InvalidArgument("convolution: tensors larger than 2^31 elements");
  }
  return g;
}

ConvShape conv1d_shape(int frames, int in_c, int out_c, int kernel, int stride, int dilation,
                       Padding padding) noexcept {
  ConvShape s;
  s.in_h = frames;
  s.in_c = in_c;
  s.out_c = out_c;
  s.k_h = kernel;
  s.stride_h = stride;
  s.dil_h = dilation;
  s.padding = padding;
  return s;
}

void per_channel_multipliers(float in_scale, const float* w_scales, float out_scale, int n,
                             int32_t* multiplier, int32_t* shift) noexcept {
  for (int c = 0; c < n; ++c) {
    const double eff = static_cast<double>(in_scale) * static_cast<double>(w_scales[c]) /
                       static_cast<double>(out_scale);
    const QuantizedMultiplier q = quantize_multiplier(eff);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
}

}  // namespace earshot::kernels
