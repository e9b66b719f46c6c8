// int8 weights x float activations (dynamic per-row quantization): every i8 variant gives the
// same floats as the reference; the result stays within the activation-quantization error
// bound of the float product; the rounding of the row quantization is half-to-even.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "kernel_test_util.hpp"
#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/i8f32_gemm.hpp"

namespace earshot::kernels {
namespace {

TEST(I8F32Gemm, RowQuantizationRoundsHalfToEven) {
  const float x[] = {0.5f, -1.0f, 0.25f, 0.0f, -0.5f};
  int8_t q[5];
  float scale = 0.0f;
  quantize_rows_symmetric_i8(x, 5, 1, 5, q, &scale);
  EXPECT_EQ(q[0], 64);  // 63.5 -> 64
  EXPECT_EQ(q[1], -127);
  EXPECT_EQ(q[2], 32);  // 31.75 -> 32
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[4], -64);  // -63.5 -> -64
  EXPECT_FLOAT_EQ(scale, 1.0f / 127.0f);
  const float zero[] = {0.0f, -0.0f};
  quantize_rows_symmetric_i8(zero, 2, 1, 2, q, &scale);
  EXPECT_EQ(scale, 0.0f);
  EXPECT_EQ(q[0], 0);
}

using QuantizeRowsFn = void (*)(const float*, ptrdiff_t, int, int, int8_t*, float*) noexcept;

std::vector<std::pair<const char*, QuantizeRowsFn>> quantizers() {
  std::vector<std::pair<const char*, QuantizeRowsFn>> v = {{"ref", &quantize_rows_symmetric_i8_ref},
                                                           {"active", &quantize_rows_symmetric_i8}};
#if !defined(EARSHOT_FORCE_REF) && defined(__x86_64__)
  if (cpu_features().avx2) v.push_back({"avx2", &quantize_rows_symmetric_i8_avx2});
#endif
  return v;
}

// Every row quantizer against lrintf on random rows of odd lengths and strides, and rows
// holding a NaN or an infinity, which contribute nothing rather than garbage.
TEST(I8F32Gemm, RowQuantizersMatchLrintfAndDropNonFiniteRows) {
  for (const auto& [name, fn] : quantizers()) {
    std::mt19937 rng(7);
    for (int k : {1, 3, 8, 15, 16, 17, 64, 385}) {
      const int stride = k + 3;
      std::vector<float> x = test::random_f32(static_cast<size_t>(stride) * 3, rng, -4.0f, 4.0f);
      x[1 % k] = 4.0f;  // max 4: x = 2 scales to 63.5, a tie
      x[0] = k > 2 ? 2.0f : x[0];
      std::vector<int8_t> q(static_cast<size_t>(k) * 3);
      float scale[3];
      fn(x.data(), stride, 3, k, q.data(), scale);
      for (int r = 0; r < 3; ++r) {
        float max_abs = 0.0f;
        for (int c = 0; c < k; ++c) max_abs = std::max(max_abs, std::fabs(x[r * stride + c]));
        ASSERT_FLOAT_EQ(scale[r], max_abs / 127.0f) << name;
        for (int c = 0; c < k; ++c) {
          long v = std::lrintf(x[r * stride + c] * (127.0f / max_abs));
          v = std::clamp(v, -127L, 127L);
          ASSERT_EQ(q[r * k + c], v) << name << " k " << k << " row " << r << " col " << c;
        }
      }
    }
    for (float bad : {std::nanf(""), INFINITY, -INFINITY}) {
      for (int at : {1, 9, 20}) {
        std::vector<float> x(21, 0.5f);
        x[at] = bad;
        std::vector<int8_t> q(21, 1);
        float scale = 1.0f;
        fn(x.data(), 21, 1, 21, q.data(), &scale);
        EXPECT_EQ(scale, 0.0f) << name;
        EXPECT_EQ(q[0], 0) << name;
        EXPECT_EQ(q[20 - at], 0) << name;
      }
    }
  }
}

struct Layer {
  int n, k;
  std::vector<int8_t> w;
  std::vector<float> w_scale, bias;
  PackedI8Weights packed;
  Layer(int n_, int k_, std::mt19937& rng) : n(n_), k(k_) {
    w = test::random_i8(static_cast<size_t>(n) * k, rng, -127, 127);
    w_scale = test::random_f32(n, rng, 0.001f, 0.01f);
    bias = test::random_f32(n, rng, -0.5f, 0.5f);
    packed = std::move(pack_i8_weights(w.data(), n, k).value());
  }
};

TEST(I8F32Gemm, EveryVariantMatchesReferenceAndFloatProduct) {
  std::mt19937 rng(21);
  for (const test::Shape& s : test::gemm_shapes()) {
    Layer layer(s.n, s.k, rng);
    std::vector<float> x = test::random_f32(static_cast<size_t>(s.m) * s.k, rng, -3.0f, 3.0f);
    std::vector<uint8_t> scratch(i8f32_scratch_bytes(s.m, s.k));
    const size_t count = static_cast<size_t>(s.m) * s.n;
    std::vector<float> ref(count), got(count);
    I8F32GemmParams p;
    p.m = s.m;
    p.x = x.data();
    p.w = &layer.packed;
    p.w_scale = layer.w_scale.data();
    p.bias = layer.bias.data();
    p.y = ref.data();
    p.scratch = scratch.data();
    p.scratch_bytes = scratch.size();
    ASSERT_TRUE(i8f32_gemm(p, i8_gemm_variants()[0].run).ok());
    for (const I8GemmVariant& v : i8_gemm_variants()) {
      p.y = got.data();
      ASSERT_TRUE(i8f32_gemm(p, v.run).ok());
      ASSERT_EQ(0, std::memcmp(ref.data(), got.data(), count * sizeof(float)))
          << v.name << " m=" << s.m << " n=" << s.n << " k=" << s.k;
    }
    // Against float: |error| <= sum_k |w_real| * (row_max / 127) / 2, plus float rounding.
    for (int m = 0; m < s.m; ++m) {
      float row_max = 0.0f;
      for (int k = 0; k < s.k; ++k)
        row_max = std::fmax(row_max, std::fabs(x[static_cast<size_t>(m) * s.k + k]));
      for (int n = 0; n < s.n; ++n) {
        double exact = layer.bias[n];
        double abs_w = 0.0;
        for (int k = 0; k < s.k; ++k) {
          const double wr = layer.w[static_cast<size_t>(n) * s.k + k] * double{layer.w_scale[n]};
          exact += wr * x[static_cast<size_t>(m) * s.k + k];
          abs_w += std::fabs(wr);
        }
        const double bound = abs_w * row_max / 127.0 * 0.5 * 1.001 + 1e-5;
        ASSERT_NEAR(ref[static_cast<size_t>(m) * s.n + n], exact, bound)
            << "m=" << m << " n=" << n << " k=" << s.k;
      }
    }
  }
}

TEST(I8F32Gemm, ZeroRowGivesBiasAndBadScratchIsRejected) {
  std::mt19937 rng(22);
  Layer layer(9, 13, rng);
  std::vector<float> x(2 * 13, 0.0f), y(2 * 9, -1.0f);
  std::vector<uint8_t> scratch(i8f32_scratch_bytes(2, 13));
  I8F32GemmParams p;
  p.m = 2;
  p.x = x.data();
  p.w = &layer.packed;
  p.w_scale = layer.w_scale.data();
  p.bias = layer.bias.data();
  p.y = y.data();
  p.scratch = scratch.data();
  p.scratch_bytes = scratch.size();
  ASSERT_TRUE(i8f32_gemm(p).ok());
  for (int m = 0; m < 2; ++m)
    for (int n = 0; n < 9; ++n) EXPECT_EQ(y[static_cast<size_t>(m) * 9 + n], layer.bias[n]);
  p.scratch_bytes = 10;
  EXPECT_EQ(i8f32_gemm(p).code(), StatusCode::kInvalidArgument);
  p.scratch_bytes = scratch.size();
  p.w_scale = nullptr;
  EXPECT_EQ(i8f32_gemm(p).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace earshot::kernels
