// TFLite requantization: our implementation against a model written from the arithmetic
// definitions (floor division for the doubling high multiply, round half away from zero for
// the power-of-two divide), including ties, negative values, INT32_MIN and left/right shifts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

// round(a * b / 2^31) with ties towards +infinity, saturated (only INT32_MIN^2 overflows).
int32_t model_high_mul(int32_t a, int32_t b) {
  const __int128 ab = static_cast<__int128>(a) * b;
  __int128 q = (ab + (__int128{1} << 30)) >> 31;  // arithmetic shift = floor division
  if (q > kMax) q = kMax;
  return static_cast<int32_t>(q);
}

// x / 2^e rounded to nearest, ties away from zero.
int32_t model_divide_pot(int32_t x, int e) {
  if (e == 0) return x;
  const int64_t half = int64_t{1} << (e - 1);
  const int64_t mag = (std::llabs(static_cast<int64_t>(x)) + half) >> e;
  return static_cast<int32_t>(x < 0 ? -mag : mag);
}

int32_t model_requant(int32_t x, int32_t mult, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return model_divide_pot(model_high_mul(shifted, mult), shift > 0 ? 0 : -shift);
}

TEST(Quant, HighMulEdgeCases) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMin), kMax);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMax), -kMax);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMax, kMax), kMax - 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(0, kMin), 0);
  // Ties: a * b = +-2^30 is exactly half a unit; gemmlowp rounds +0.5 up and -0.5 to zero.
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 15, 1 << 15), 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-(1 << 15), 1 << 15), 0);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3 << 15, 1 << 15), 2);      // 1.5 -> 2
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-(3 << 15), 1 << 15), -1);  // -1.5 -> -1
}

TEST(Quant, DivideByPotTiesAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);
  EXPECT_EQ(rounding_divide_by_pot(6, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);  // -1.25 -> -1
  EXPECT_EQ(rounding_divide_by_pot(kMin, 31), -1);
  EXPECT_EQ(rounding_divide_by_pot(kMax, 31), 1);
  EXPECT_EQ(rounding_divide_by_pot(kMin, 0), kMin);
  for (int32_t x : {kMin, kMin + 1, -7, -1, 0, 1, 7, kMax})
    for (int e = 0; e <= 31; ++e) EXPECT_EQ(rounding_divide_by_pot(x, e), model_divide_pot(x, e));
}

TEST(Quant, MultiplyByQuantizedMultiplierMatchesModel) {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  std::uniform_int_distribution<int32_t> small(-70000, 70000);
  std::uniform_int_distribution<int32_t> mult(1 << 30, kMax);
  std::uniform_int_distribution<int> shift(-31, 8);
  for (int i = 0; i < 200000; ++i) {
    const int32_t x = (i & 1) ? any(rng) : small(rng);
    const int32_t m = mult(rng);
    const int s = shift(rng);
    ASSERT_EQ(multiply_by_quantized_multiplier(x, m, s), model_requant(x, m, s))
        << "x=" << x << " m=" << m << " shift=" << s;
  }
  for (int32_t x : {kMin, kMin + 1, -1, 0, 1, kMax - 1, kMax})
    for (int32_t m : {0, 1, 1 << 30, kMax})
      for (int s = -31; s <= 31; ++s)
        ASSERT_EQ(multiply_by_quantized_multiplier(x, m, s), model_requant(x, m, s))
            << "x=" << x << " m=" << m << " shift=" << s;
}

TEST(Quant, QuantizeMultiplierMatchesTflite) {
  EXPECT_EQ(quantize_multiplier(0.5).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(0.5).shift, 0);
  EXPECT_EQ(quantize_multiplier(1.0).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(1.0).shift, 1);
  EXPECT_EQ(quantize_multiplier(0.75).multiplier, 1610612736);
  EXPECT_EQ(quantize_multiplier(0.75).shift, 0);
  EXPECT_EQ(quantize_multiplier(3.0).multiplier, 1610612736);
  EXPECT_EQ(quantize_multiplier(3.0).shift, 2);
  // The fraction rounds up to 1.0: folded into the shift.
  const QuantizedMultiplier up = quantize_multiplier(1.0 - std::ldexp(1.0, -34));
  EXPECT_EQ(up.multiplier, 1 << 30);
  EXPECT_EQ(up.shift, 1);
  // Below 2^-32 everything would shift out: flushed to zero.
  EXPECT_EQ(quantize_multiplier(1e-12).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(1e-12).shift, 0);
  EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> expo(-30.0, 10.0);
  for (int i = 0; i < 10000; ++i) {
    const double scale = std::exp2(expo(rng));
    const QuantizedMultiplier q = quantize_multiplier(scale);
    ASSERT_GE(q.multiplier, 1 << 30);
    const double back = std::ldexp(static_cast<double>(q.multiplier), q.shift - 31);
    ASSERT_NEAR(back / scale, 1.0, std::ldexp(1.0, -30)) << scale;
  }
}

TEST(Quant, RequantizedValueApproximatesRealProduct) {
  for (double scale : {0.0003, 0.0123, 0.49, 0.999, 1.7, 37.5}) {
    const QuantizedMultiplier q = quantize_multiplier(scale);
    for (int32_t x : {-1000000, -12345, -3, 0, 5, 999, 54321}) {
      const double real = x * scale;
      if (std::fabs(real) > 1e9) continue;
      EXPECT_NEAR(multiply_by_quantized_multiplier(x, q.multiplier, q.shift), real, 1.0)
          << "x=" << x << " scale=" << scale;
    }
  }
}

TEST(Quant, ActivationRanges) {
  const ActivationRange none = quantized_activation_range(FusedActivation::kNone, 0.05f, -10);
  EXPECT_EQ(none.min, -128);
  EXPECT_EQ(none.max, 127);
  const ActivationRange relu = quantized_activation_range(FusedActivation::kRelu, 0.05f, -10);
  EXPECT_EQ(relu.min, -10);
  EXPECT_EQ(relu.max, 127);
  const ActivationRange relu6 = quantized_activation_range(FusedActivation::kRelu6, 0.05f, -10);
  EXPECT_EQ(relu6.min, -10);
  EXPECT_EQ(relu6.max, 110);
  // A range wider than int8 is clipped to it.
  const ActivationRange wide = quantized_activation_range(FusedActivation::kRelu6, 0.01f, 0);
  EXPECT_EQ(wide.max, 127);
  const ActivationRange n1 = quantized_activation_range(FusedActivation::kReluN1To1, 0.02f, 3);
  EXPECT_EQ(n1.min, -47);
  EXPECT_EQ(n1.max, 53);
}

}  // namespace
}  // namespace earshot::kernels
