// TFLite's integer requantization, reimplemented bit for bit: QuantizeMultiplier (float scale ->
// Q31 multiplier + power-of-two shift) and MultiplyByQuantizedMultiplier (the default
// "double rounding" path: SaturatingRoundingDoublingHighMul then RoundingDivideByPOT).
// The inline functions have internal linkage (static) because they are compiled into
// translation units with different instruction-set flags; a shared weak copy could carry
// instructions the CPU lacks.
#pragma once

#include <cstdint>
#include <limits>

namespace earshot::kernels {

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // Q31, in [2^30, 2^31) for a non-zero positive scale
  int32_t shift = 0;       // TFLite convention: > 0 shifts left, < 0 shifts right
};

// TFLite QuantizeMultiplier (tensorflow/lite/kernels/internal/quantization_util.cc) without
// TFLITE_SINGLE_ROUNDING: frexp, round half away from zero, 2^31 folded into the shift,
// shifts below -31 flushed to zero.
QuantizedMultiplier quantize_multiplier(double scale) noexcept;

// High 32 bits of 2*a*b rounded to nearest, ties towards +infinity (gemmlowp's nudge by
// +2^30 or 1 - 2^30 then truncating division equals floor((a*b + 2^30) / 2^31)), saturating
// the one overflow case a == b == INT32_MIN.
static inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) noexcept {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // Division (not shift) truncates toward zero, as gemmlowp does.
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero (gemmlowp RoundingDivideByPOT).
static inline int32_t rounding_divide_by_pot(int32_t x, int exponent) noexcept {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// TFLite MultiplyByQuantizedMultiplier(x, multiplier, shift). The left shift wraps modulo 2^32
// like the int32 multiply TFLite does on every target it runs on.
static inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                       int32_t shift) noexcept {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

// TFLite's fused activation bounds in the quantized domain: zero_point + round(f / scale),
// clamped to the int8 range. For ReLU pass max_f = +inf, for no activation both infinite.
struct ActivationRange {
  int32_t min = -128;
  int32_t max = 127;
};
enum class FusedActivation { kNone, kRelu, kRelu6, kReluN1To1 };
ActivationRange quantized_activation_range(FusedActivation act, float output_scale,
                                           int32_t output_zero_point) noexcept;

}  // namespace earshot::kernels
