// TFLite's requantization with a round-half-up final shift, as its NEON-style optimized
// kernels do it (also on x86, through NEON_2_SSE): DepthwiseConvRound<kUpward> in the
// depthwise convolution, and the same rounding in the batch-1 FULLY_CONNECTED path (custom
// GEMV). The reference MultiplyByQuantizedMultiplier (quant.hpp) rounds that shift half away
// from zero; the two differ by one on negative values whose high part lies exactly halfway.
// Scalar only: it runs on a handful of values per inference (the FC output).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "runtime/kernels/conv_geometry.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {

// TFLite DepthwiseConvRound<kUpward>(x, multiplier, shift).
static inline int32_t multiply_by_quantized_multiplier_upward(int32_t x, int32_t multiplier,
                                                              int32_t shift) noexcept {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  const int32_t high = saturating_rounding_doubling_high_mul(shifted, multiplier);
  const uint32_t offset = right > 0 ? uint32_t{1} << (right - 1) : 0;
  // The int32 add wraps near INT32_MAX as TFLite's does (unreachable for int8 convolutions).
  return static_cast<int32_t>(static_cast<uint32_t>(high) + offset) >> right;
}

// y[i] = clamp(upward(acc[i], mult[c], shift[c]) + out_zp, act_min, act_max) with
// c = i % channels: requantizes an int32 GEMM result ([rows][channels]) TFLite-GEMV style.
inline void requantize_upward_i8(const int32_t* acc, std::size_t count, int channels,
                                 const I8ConvQuant& q, int8_t* y) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t c = i % static_cast<std::size_t>(channels);
    const int32_t v =
        multiply_by_quantized_multiplier_upward(acc[i], q.multiplier[c], q.shift[c]) + q.out_zp;
    y[i] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

}  // namespace earshot::kernels
