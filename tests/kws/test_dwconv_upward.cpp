// The TFLite-optimized-rounding depthwise row (runtime/kernels/dwconv_upward.hpp): the scalar
// formula on hand-checked ties, and every SIMD variant bit-exact with the scalar reference on
// odd channel counts, tap counts, zero points and shifts (positive shifts included).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/dwconv_upward.hpp"
#include "runtime/kernels/quant.hpp"
#include "runtime/kernels/requant_upward.hpp"

namespace earshot::kernels {
namespace {

TEST(KwsDwConvUpward, RoundsNegativeTiesUpUnlikeMultiplyByQuantizedMultiplier) {
  const int32_t half = int32_t{1} << 30;  // multiplier 0.5, shift -2: x / 8, exact high part
  EXPECT_EQ(multiply_by_quantized_multiplier_upward(-164, half, -2), -20);  // -20.5 -> -20
  EXPECT_EQ(multiply_by_quantized_multiplier(-164, half, -2), -21);         // away from zero
  EXPECT_EQ(multiply_by_quantized_multiplier_upward(164, half, -2), 21);    // +20.5 -> 21
  EXPECT_EQ(multiply_by_quantized_multiplier_upward(-162, half, -2), -20);  // -20.25
  EXPECT_EQ(multiply_by_quantized_multiplier_upward(-166, half, -2), -21);  // -20.75
  EXPECT_EQ(multiply_by_quantized_multiplier_upward(-7, half, 1), -7);      // shift > 0: x
  // Both round the high part (SaturatingRoundingDoublingHighMul) once more; they differ only
  // where it is negative and exactly halfway, by one.
  std::mt19937 rng(3);
  int ties = 0;
  for (int i = 0; i < 20000; ++i) {
    const int32_t x = static_cast<int32_t>(rng() % 200001) - 100000;
    const int32_t m = (int32_t{1} << 30) + static_cast<int32_t>(rng() % (1u << 30));
    const int right = static_cast<int>(rng() % 4);
    const int32_t high = saturating_rounding_doubling_high_mul(x, m);
    const bool tie = right > 0 && high < 0 && (high & ((1 << right) - 1)) == (1 << (right - 1));
    ties += tie;
    EXPECT_EQ(multiply_by_quantized_multiplier_upward(x, m, -right),
              multiply_by_quantized_multiplier(x, m, -right) + (tie ? 1 : 0))
        << x << " " << m << " " << right;
  }
  EXPECT_GT(ties, 100);  // the comparison saw ties
}

// The GEMV requantization (FULLY_CONNECTED batch 1): every value rounds half up, per channel
// parameters cycle over rows, the zero point and the clamp apply after rounding.
TEST(KwsRequantUpward, RoundsEveryChannelHalfUpThenClamps) {
  const int32_t acc[] = {-164, 164, -162, -166, -164, 100000};
  const int32_t mult[] = {int32_t{1} << 30, int32_t{1} << 30, int32_t{1} << 30};
  const int32_t shift[] = {-2, -2, -2};
  I8ConvQuant q{0, 3, mult, shift, -128, 127};
  int8_t y[6];
  requantize_upward_i8(acc, 6, 3, q, y);
  const int8_t want[] = {-17, 24, -17, -18, -17, 127};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(y[i], want[i]) << i;
}

// TFLite rounds half up in whole groups of 8 channels only; the rest rounds away from zero.
TEST(KwsDwConvUpward, LastChannelsOfAnIncompleteGroupRoundAwayFromZero) {
  for (const DwUpwardKernels* k : dwconv_upward_variants()) {
    for (int channels : {5, 12, 30, 60}) {
      std::vector<int8_t> in(channels, -41), w(channels, 2), out(channels);  // acc = -82
      std::vector<int32_t> mult(channels, int32_t{1} << 30), shift(channels, -1);
      const int8_t* it[] = {in.data()};
      const int8_t* wt[] = {w.data()};
      I8ConvQuant q{0, 0, mult.data(), shift.data(), -128, 127};
      k->row_i8({it, wt, 1, nullptr, channels, &q, out.data()});
      for (int c = 0; c < channels; ++c) {
        EXPECT_EQ(out[c], c < channels / 8 * 8 ? -20 : -21)
            << k->name << " " << channels << " " << c;
      }
    }
  }
}

TEST(KwsDwConvUpward, VariantsMatchTheReferenceOnOddShapes) {
  std::mt19937 rng(11);
  auto i8 = [&] { return static_cast<int8_t>(static_cast<int>(rng() % 256) - 128); };
  for (const DwUpwardKernels* k : dwconv_upward_variants()) {
    for (int channels : {1, 7, 15, 16, 17, 33, 64, 70}) {
      for (int taps : {1, 3, 5, 21}) {
        for (int trial = 0; trial < 4; ++trial) {
          std::vector<int8_t> in(static_cast<size_t>(taps) * channels);
          std::vector<int8_t> w(in.size());
          for (auto& v : in) v = i8();
          for (auto& v : w) v = i8();
          std::vector<int32_t> bias(channels), mult(channels), shift(channels);
          for (int c = 0; c < channels; ++c) {
            bias[c] = static_cast<int32_t>(rng() % 20001) - 10000;
            mult[c] = (int32_t{1} << 30) + static_cast<int32_t>(rng() % (1u << 30));
            shift[c] = static_cast<int32_t>(rng() % 14) - 12;  // -12..1
          }
          std::vector<const int8_t*> it(taps), wt(taps);
          for (int t = 0; t < taps; ++t) {
            it[t] = in.data() + static_cast<size_t>(t) * channels;
            wt[t] = w.data() + static_cast<size_t>(t) * channels;
          }
          const int32_t in_zp = static_cast<int32_t>(rng() % 256) - 128;
          const int32_t out_zp = static_cast<int32_t>(rng() % 256) - 128;
          I8ConvQuant q{in_zp, out_zp, mult.data(), shift.data(), trial == 3 ? out_zp : -128, 127};
          std::vector<int8_t> want(channels), got(channels);
          const int32_t* b = trial == 2 ? nullptr : bias.data();
          kDwUpwardRef.row_i8({it.data(), wt.data(), taps, b, channels, &q, want.data()});
          k->row_i8({it.data(), wt.data(), taps, b, channels, &q, got.data()});
          ASSERT_EQ(got, want) << k->name << " channels " << channels << " taps " << taps;
        }
      }
    }
  }
}

}  // namespace
}  // namespace earshot::kernels
