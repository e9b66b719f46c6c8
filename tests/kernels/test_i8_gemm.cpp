// Every compiled i8 GEMM variant this CPU supports against the scalar reference, bit for bit:
// int8 (requantized), int32 and float outputs, zero points, strides, saturating inputs; the
// reference itself against TFLite's FullyConnected formula on unpacked weights.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_util.hpp"
#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {
namespace {

using test::Shape;

// Everything one GEMM call needs, with the requantization of a TFLite int8 FC layer.
struct Case {
  Shape s;
  std::vector<int8_t> x, w;
  std::vector<int32_t> bias, mult, shift;
  std::vector<float> row_scale, col_scale, bias_f;
  PackedI8Weights packed;
  int32_t x_zp = 0;

  Case(Shape shape, std::mt19937& rng, int wlo = -127, int whi = 127) : s(shape) {
    x = test::random_i8(static_cast<size_t>(s.m) * s.k, rng);
    w = test::random_i8(static_cast<size_t>(s.n) * s.k, rng, wlo, whi);
    std::uniform_int_distribution<int32_t> b(-30000, 30000);
    std::uniform_real_distribution<double> sc(-12.0, 1.5);  // log2 of the real multiplier
    std::uniform_int_distribution<int> zp(-128, 127);
    x_zp = zp(rng);
    for (int i = 0; i < s.n; ++i) {
      bias.push_back(b(rng));
      const QuantizedMultiplier q = quantize_multiplier(std::exp2(sc(rng)));
      mult.push_back(q.multiplier);
      shift.push_back(q.shift);
      col_scale.push_back(0.001f + 0.0001f * static_cast<float>(i % 7));
      bias_f.push_back(0.25f * static_cast<float>(i % 5) - 0.5f);
    }
    for (int i = 0; i < s.m; ++i) row_scale.push_back(0.02f + 0.001f * static_cast<float>(i));
    auto r = pack_i8_weights(w.data(), s.n, s.k);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    packed = std::move(r.value());
  }

  I8GemmParams params(I8Output out, void* y) const {
    I8GemmParams p;
    p.m = s.m;
    p.x = x.data();
    p.x_zero_point = x_zp;
    p.w = &packed;
    p.bias = bias.data();
    p.output = out;
    p.y = y;
    p.multiplier = mult.data();
    p.shift = shift.data();
    p.y_zero_point = 5;
    p.y_min = -128;
    p.y_max = 127;
    p.row_scale = row_scale.data();
    p.col_scale = col_scale.data();
    p.bias_f32 = bias_f.data();
    return p;
  }
};

std::string describe(const Shape& s, const char* variant) {
  return std::string(variant) + " m=" + std::to_string(s.m) + " n=" + std::to_string(s.n) +
         " k=" + std::to_string(s.k);
}

// Runs `variant` and ref on all three outputs and compares bit for bit.
void expect_same_as_ref(const Case& c, const I8GemmVariant& v, int y_min = -128, int y_max = 127) {
  const I8GemmVariant& ref = i8_gemm_variants()[0];
  const size_t count = static_cast<size_t>(c.s.m) * c.s.n;
  std::vector<int8_t> a8(count, 0), b8(count, 1);
  I8GemmParams pa = c.params(I8Output::kInt8, a8.data());
  pa.y_min = y_min;
  pa.y_max = y_max;
  I8GemmParams pb = pa;
  pb.y = b8.data();
  ref.run(pa);
  v.run(pb);
  ASSERT_EQ(0, std::memcmp(a8.data(), b8.data(), count)) << describe(c.s, v.name) << " int8";
  std::vector<int32_t> a32(count, 0), b32(count, 1);
  ref.run(c.params(I8Output::kInt32, a32.data()));
  v.run(c.params(I8Output::kInt32, b32.data()));
  ASSERT_EQ(a32, b32) << describe(c.s, v.name) << " int32";
  std::vector<float> af(count, 0.0f), bf(count, 1.0f);
  ref.run(c.params(I8Output::kFloat, af.data()));
  v.run(c.params(I8Output::kFloat, bf.data()));
  // Same integer accumulator and the same scalar epilogue: identical floats.
  ASSERT_EQ(0, std::memcmp(af.data(), bf.data(), count * sizeof(float)))
      << describe(c.s, v.name) << " float";
}

TEST(I8Gemm, ReferenceMatchesTfliteFullyConnected) {
  std::mt19937 rng(42);
  for (Shape s : {Shape{3, 17, 65}, Shape{1, 64, 63}, Shape{5, 33, 1}}) {
    Case c(s, rng);
    std::vector<int8_t> y(static_cast<size_t>(s.m) * s.n);
    I8GemmParams p = c.params(I8Output::kInt8, y.data());
    p.y_min = -20;  // a fused ReLU-like clamp
    p.y_max = 100;
    i8_gemm_variants()[0].run(p);
    for (int m = 0; m < s.m; ++m) {
      for (int n = 0; n < s.n; ++n) {
        int32_t acc = 0;
        for (int k = 0; k < s.k; ++k)
          acc += c.w[static_cast<size_t>(n) * s.k + k] *
                 (c.x[static_cast<size_t>(m) * s.k + k] + (-c.x_zp));
        acc += c.bias[n];
        acc = multiply_by_quantized_multiplier(acc, c.mult[n], c.shift[n]);
        acc += 5;
        acc = std::max(acc, -20);
        acc = std::min(acc, 100);
        ASSERT_EQ(y[static_cast<size_t>(m) * s.n + n], acc) << "m=" << m << " n=" << n;
      }
    }
  }
}

TEST(I8Gemm, PackingRoundTrips) {
  std::mt19937 rng(3);
  const std::vector<int8_t> w = test::random_i8(37 * 19, rng);
  auto packed = pack_i8_weights(w.data(), 37, 19);
  ASSERT_TRUE(packed.ok());
  for (int n = 0; n < 37; ++n) {
    int32_t sum = 0;
    for (int k = 0; k < 19; ++k) {
      ASSERT_EQ(packed->at(n, k), w[static_cast<size_t>(n) * 19 + k]);
      sum += w[static_cast<size_t>(n) * 19 + k];
    }
    EXPECT_EQ(packed->col_sums()[n], sum);
  }
  EXPECT_EQ(packed->panels(), 3);
  EXPECT_EQ(packed->k_groups(), 5);
}

TEST(I8Gemm, EveryVariantMatchesReferenceOnOddShapes) {
  std::mt19937 rng(11);
  for (const Shape& s : test::gemm_shapes()) {
    Case c(s, rng);
    for (const I8GemmVariant& v : i8_gemm_variants()) {
      SCOPED_TRACE(describe(s, v.name));
      expect_same_as_ref(c, v);
    }
  }
}

TEST(I8Gemm, EveryVariantMatchesReferenceWithFusedClamp) {
  std::mt19937 rng(12);
  Case c({17, 65, 63}, rng);
  for (const I8GemmVariant& v : i8_gemm_variants()) expect_same_as_ref(c, v, -3, 90);
}

// All-extreme inputs: the largest products and sums any int8 input can make, against the
// saturation traps of vpmaddubsw (u8 x s8 pairs) and the +128 offset of the VNNI kernels.
TEST(I8Gemm, EveryVariantExactOnExtremeInputs) {
  std::mt19937 rng(13);
  for (int8_t xv : {int8_t{-128}, int8_t{127}}) {
    for (int8_t wv : {int8_t{-127}, int8_t{127}}) {
      for (int32_t zp : {-128, 0, 127}) {
        Case c({5, 33, 1536}, rng);
        std::fill(c.x.begin(), c.x.end(), xv);
        std::fill(c.w.begin(), c.w.end(), wv);
        // Alternate signs along the first row so pairs mix.
        for (int k = 0; k < c.s.k; k += 2) c.w[k] = static_cast<int8_t>(-wv);
        c.packed = std::move(pack_i8_weights(c.w.data(), c.s.n, c.s.k).value());
        c.x_zp = zp;
        for (const I8GemmVariant& v : i8_gemm_variants()) {
          SCOPED_TRACE(std::string(v.name) + " x=" + std::to_string(xv) +
                       " w=" + std::to_string(wv) + " zp=" + std::to_string(zp));
          expect_same_as_ref(c, v);
        }
      }
    }
  }
}

// Weights of -128 are outside TFLite's symmetric range; variants that are exact for them must
// match, and the public entry point must give the reference result whatever is active.
TEST(I8Gemm, MinusOneTwentyEightWeights) {
  std::mt19937 rng(14);
  Case c({4, 20, 70}, rng, -128, 127);
  c.w[0] = -128;
  c.x[0] = -128;
  c.packed = std::move(pack_i8_weights(c.w.data(), c.s.n, c.s.k).value());
  ASSERT_TRUE(c.packed.has_minus_128());
  for (const I8GemmVariant& v : i8_gemm_variants())
    if (v.exact_for_minus_128) expect_same_as_ref(c, v);
  std::vector<int32_t> ref(80), got(80);
  i8_gemm_variants()[0].run(c.params(I8Output::kInt32, ref.data()));
  ASSERT_TRUE(i8_gemm(c.params(I8Output::kInt32, got.data())).ok());
  EXPECT_EQ(ref, got);
}

// Requantization edge cases through every variant's output stage (the vectorised ones have
// their own): right shifts up to 31, left shifts, the largest multipliers, accumulators pushed
// towards the int32 limits by the bias, rounding ties at every shift.
TEST(I8Gemm, EveryVariantExactOnRequantizationEdgeCases) {
  std::mt19937 rng(17);
  Case c({7, 80, 40}, rng);
  const int32_t mults[] = {1 << 30, INT32_MAX, 1518500250, (1 << 30) + 1};
  for (int n = 0; n < c.s.n; ++n) {
    c.shift[n] = -31 + (n % 40);  // -31 .. 8
    c.mult[n] = mults[n % 4];
    c.bias[n] = (n % 3 == 0) ? INT32_MAX - 5000000 : (n % 3 == 1 ? INT32_MIN + 5000000 : 1 << 20);
  }
  for (const I8GemmVariant& v : i8_gemm_variants()) {
    SCOPED_TRACE(v.name);
    expect_same_as_ref(c, v);
  }
  // Accumulators that are exact ties for the right shift: x = 1, w = 1 in one column.
  std::fill(c.x.begin(), c.x.end(), int8_t{0});
  std::fill(c.w.begin(), c.w.end(), int8_t{0});
  for (int m = 0; m < c.s.m; ++m) c.x[static_cast<size_t>(m) * c.s.k] = static_cast<int8_t>(m - 3);
  for (int n = 0; n < c.s.n; ++n) {
    c.w[static_cast<size_t>(n) * c.s.k] = 1;
    c.shift[n] = -(1 + n % 8);
    c.mult[n] = 1 << 30;  // x 0.5, then / 2^(1..8): ties for odd accumulators
    c.bias[n] = (n % 2 == 0 ? 1 : -1) * ((1 << (n % 8)) + (n % 5));
  }
  c.x_zp = 0;
  c.packed = std::move(pack_i8_weights(c.w.data(), c.s.n, c.s.k).value());
  for (const I8GemmVariant& v : i8_gemm_variants()) {
    SCOPED_TRACE(std::string(v.name) + " ties");
    expect_same_as_ref(c, v);
  }
}

TEST(I8Gemm, StridesAndPerTensorRequant) {
  std::mt19937 rng(15);
  const Shape s{6, 19, 23};
  Case c(s, rng);
  std::vector<int8_t> xs(static_cast<size_t>(s.m) * 40, 99);
  for (int m = 0; m < s.m; ++m)
    std::memcpy(&xs[static_cast<size_t>(m) * 40], &c.x[static_cast<size_t>(m) * s.k], s.k);
  for (const I8GemmVariant& v : i8_gemm_variants()) {
    std::vector<int8_t> dense(static_cast<size_t>(s.m) * s.n);
    std::vector<int8_t> strided(static_cast<size_t>(s.m) * 32, 77);
    I8GemmParams a = c.params(I8Output::kInt8, dense.data());
    a.per_channel = false;
    I8GemmParams b = a;
    b.x = xs.data();
    b.x_stride = 40;
    b.y = strided.data();
    b.y_stride = 32;
    v.run(a);
    v.run(b);
    for (int m = 0; m < s.m; ++m) {
      for (int n = 0; n < s.n; ++n)
        ASSERT_EQ(dense[static_cast<size_t>(m) * s.n + n], strided[static_cast<size_t>(m) * 32 + n])
            << v.name;
      for (int n = s.n; n < 32; ++n) ASSERT_EQ(strided[static_cast<size_t>(m) * 32 + n], 77);
    }
  }
}

TEST(I8Gemm, RejectsBadParameters) {
  std::mt19937 rng(16);
  Case c({2, 8, 8}, rng);
  std::vector<int8_t> y(16);
  I8GemmParams p = c.params(I8Output::kInt8, y.data());
  EXPECT_TRUE(i8_gemm(p).ok());
  I8GemmParams bad = p;
  bad.x = nullptr;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.w = nullptr;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.x_stride = 3;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.multiplier = nullptr;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.y_min = 10;
  bad.y_max = 0;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.x_zero_point = 300;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  std::vector<int32_t> wild_shift(8, 40);
  bad = p;
  bad.shift = wild_shift.data();
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.output = I8Output::kFloat;
  bad.row_scale = nullptr;
  EXPECT_EQ(i8_gemm(bad).code(), StatusCode::kInvalidArgument);
  const int8_t w = 1;
  EXPECT_FALSE(pack_i8_weights(&w, 0, 5).ok());
  EXPECT_FALSE(pack_i8_weights(nullptr, 1, 1).ok());
  EXPECT_FALSE(pack_i8_weights(&w, 1, 70000).ok());
}

}  // namespace
}  // namespace earshot::kernels
