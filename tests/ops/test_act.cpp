// Activations: every variant against double-precision formulas; int8 tables and quantization
// against TFLite's definitions.
#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.hpp"
#include "runtime/kernels/act.hpp"

namespace earshot::kernels {
namespace {

using testing::random_floats;

// Named tolerances: |got - want| <= kAbs + kRel * |want|.
constexpr double kAbs = 2e-6;
constexpr double kRel = 2e-6;

template <typename F, typename D>
void check(const char* what, const ActKernels& k, F fn, D exact) {
  for (size_t n : {1u, 3u, 7u, 8u, 9u, 17u, 63u, 64u, 65u, 1500u}) {
    auto x = random_floats(n, static_cast<uint32_t>(n), -9.0f, 9.0f);
    x[0] = 0.0f;
    if (n > 2) x[1] = 1e-4f;
    std::vector<float> y(n);
    (k.*fn)(x.data(), y.data(), n);
    for (size_t i = 0; i < n; ++i) {
      const double want = exact(static_cast<double>(x[i]));
      ASSERT_NEAR(y[i], want, kAbs + kRel * std::fabs(want))
          << what << " " << k.name << " n=" << n << " x=" << x[i];
    }
  }
}

TEST(Act, EveryVariantMatchesDoubleFormulas) {
  ASSERT_GE(act_variants().size(), 1u);
  for (const ActKernels* k : act_variants()) {
    check("sigmoid", *k, &ActKernels::sigmoid, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
    check("tanh", *k, &ActKernels::tanh, [](double v) { return std::tanh(v); });
    check("gelu_erf", *k, &ActKernels::gelu_erf,
          [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); });
    check("gelu_tanh", *k, &ActKernels::gelu_tanh, [](double v) {
      return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v)));
    });
    check("relu", *k, &ActKernels::relu, [](double v) { return v > 0 ? v : 0.0; });
  }
}

TEST(Act, ExtremeInputsSaturate) {
  for (const ActKernels* k : act_variants()) {
    const float x[9] = {-200.0f, -90.0f, -30.0f, 30.0f, 90.0f, 200.0f, -1e-8f, 1e-8f, 0.0f};
    float y[9];
    k->sigmoid(x, y, 9);
    EXPECT_NEAR(y[0], 0.0f, 1e-30f) << k->name;
    EXPECT_FLOAT_EQ(y[5], 1.0f) << k->name;
    k->tanh(x, y, 9);
    EXPECT_FLOAT_EQ(y[0], -1.0f) << k->name;
    EXPECT_FLOAT_EQ(y[5], 1.0f) << k->name;
    EXPECT_NEAR(y[6], -1e-8f, 1e-14f) << k->name;
    for (float v : y) EXPECT_FALSE(std::isnan(v)) << k->name;
  }
}

TEST(Act, FloatActivationRanges) {
  EXPECT_EQ(activation_range_f32(FusedActivation::kRelu6).hi, 6.0f);
  EXPECT_EQ(activation_range_f32(FusedActivation::kReluN1To1).lo, -1.0f);
  EXPECT_TRUE(std::isinf(activation_range_f32(FusedActivation::kNone).hi));
}

TEST(Act, LogisticLutFollowsTfliteQuantization) {
  I8Lut lut;
  const float in_scale = 0.1f;
  const int32_t in_zp = 3;
  make_i8_logistic_lut(in_scale, in_zp, &lut);
  for (int v = -128; v <= 127; ++v) {
    const double real = in_scale * (v - in_zp);
    const double want = std::round((1.0 / (1.0 + std::exp(-real))) * 256.0) - 128.0;
    const int got = lut.table[static_cast<uint8_t>(v)];
    EXPECT_NEAR(got, std::clamp(want, -128.0, 127.0), 1.0) << v;  // float vs double rounding
  }
  // Input zero point maps to sigmoid(0) = 0.5 -> 0 in the output quantization.
  EXPECT_EQ(lut.table[static_cast<uint8_t>(in_zp)], 0);
  const int8_t x[3] = {-128, static_cast<int8_t>(in_zp), 127};
  int8_t y[3];
  apply_i8_lut(lut, x, y, 3);
  EXPECT_EQ(y[0], -128 + static_cast<int>(std::round(256.0 / (1.0 + std::exp(13.1)))));
  EXPECT_EQ(y[1], 0);
  EXPECT_EQ(y[2], 127);  // 1.0 * 256 - 128 = 128 saturates
}

TEST(Act, TanhLutIsOddAroundZeroPoint) {
  I8Lut lut;
  make_i8_tanh_lut(0.05f, 0, &lut);
  for (int v = -40; v <= 40; ++v) {  // beyond |tanh| * 128 ~ 123 the ends saturate unevenly
    EXPECT_EQ(lut.table[static_cast<uint8_t>(v)], -lut.table[static_cast<uint8_t>(-v)]) << v;
  }
  EXPECT_EQ(lut.table[static_cast<uint8_t>(127)], 127);
  EXPECT_EQ(lut.table[static_cast<uint8_t>(-128)], -128);
  EXPECT_EQ(lut.table[static_cast<uint8_t>(20)],
            static_cast<int8_t>(std::round(std::tanh(1.0) * 128)));
}

TEST(Act, QuantizeDequantizeRoundTrip) {
  const float x[6] = {0.0f, 0.25f, -0.25f, 100.0f, -100.0f, NAN};
  int8_t q[6];
  quantize_f32_i8(x, q, 6, 0.5f, -10);
  EXPECT_EQ(q[0], -10);
  EXPECT_EQ(q[1], -10 + 1);  // 0.5 rounds away from zero
  EXPECT_EQ(q[2], -10 - 1);
  EXPECT_EQ(q[3], 127);
  EXPECT_EQ(q[4], -128);
  EXPECT_EQ(q[5], -10);  // NaN -> zero point, never undefined
  float back[6];
  dequantize_i8_f32(q, back, 6, 0.5f, -10);
  EXPECT_FLOAT_EQ(back[1], 0.5f);
  EXPECT_FLOAT_EQ(back[3], 68.5f);
}

}  // namespace
}  // namespace earshot::kernels
