// int8 depthwise row kernels with the output rounding of TFLite's optimized depthwise
// convolution (optimized_integer_ops::DepthwiseConvPerChannel, DepthwiseConvOutputRounding::
// kUpward), which is what the TFLite runtime runs on x86 and ARM:
//   out[c] = clamp(((srdhm(acc << left, mult[c]) + 2^(right-1)) >> right) + out_zp, lo, hi)
// i.e. the final right shift rounds half up (towards +inf), where the reference
// MultiplyByQuantizedMultiplier (dwconv.hpp) rounds half away from zero. TFLite does so for
// the channels it handles in groups of 8; the last channels % 8 channels keep
// MultiplyByQuantizedMultiplier. The two differ on negative values near -x.5 (about 0.1 % of
// outputs), enough to break bit-exactness with TFLite models such as microWakeWord (measured
// against TFLite 2.17 of pymicro-wakeword on every depthwise op of its four models, 30, 32 and
// 64 channels). Same row description (DwRowI8) as dwconv.hpp.
#pragma once

#include <cstdint>
#include <span>

#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/quant.hpp"
#include "runtime/kernels/requant_upward.hpp"

namespace earshot::kernels {

// Channels [0, upward_channels(n)) round half up, the rest as MultiplyByQuantizedMultiplier.
constexpr int upward_channels(int channels) noexcept {
  return channels & ~7;
}

// One output channel of a TFLite-optimized depthwise row.
static inline int32_t requantize_dw_channel(int32_t acc, int32_t multiplier, int32_t shift,
                                            bool upward) noexcept {
  return upward ? multiply_by_quantized_multiplier_upward(acc, multiplier, shift)
                : multiply_by_quantized_multiplier(acc, multiplier, shift);
}

struct DwUpwardKernels {
  const char* name;
  void (*row_i8)(const DwRowI8& r);
};

extern const DwUpwardKernels kDwUpwardRef;
// {ref, then the SIMD variant this CPU runs}; the op uses the last one.
std::span<const DwUpwardKernels* const> dwconv_upward_variants() noexcept;
const DwUpwardKernels& dwconv_upward_kernels() noexcept;

}  // namespace earshot::kernels
