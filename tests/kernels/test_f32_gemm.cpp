// Float GEMM variants against the plain-loop reference. Tolerance: per output,
// |c - ref| <= 1e-5 * sqrt(K) * sum_k |a_k * b_k| + 1e-6 (different summation orders and FMA).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernel_test_util.hpp"
#include "runtime/kernels/engine.hpp"

namespace earshot::kernels {
namespace {

void check_variant(const F32GemmVariant& v, const test::Shape& s, bool transposed,
                   std::mt19937& rng) {
  const std::vector<float> a = test::random_f32(static_cast<size_t>(s.m) * s.k, rng);
  const std::vector<float> b = test::random_f32(static_cast<size_t>(s.n) * s.k, rng);
  const std::vector<float> bias = test::random_f32(s.n, rng);
  const size_t count = static_cast<size_t>(s.m) * s.n;
  std::vector<float> ref(count), got(count, 1e30f);
  F32GemmParams p;
  p.m = s.m;
  p.n = s.n;
  p.k = s.k;
  p.a = a.data();
  p.b = b.data();
  p.b_transposed = transposed;
  p.bias = bias.data();
  p.c = ref.data();
  f32_gemm_variants()[0].run(p);
  p.c = got.data();
  v.run(p);
  for (int m = 0; m < s.m; ++m) {
    for (int n = 0; n < s.n; ++n) {
      double mag = std::fabs(bias[n]);
      for (int k = 0; k < s.k; ++k) {
        const float bv =
            transposed ? b[static_cast<size_t>(n) * s.k + k] : b[static_cast<size_t>(k) * s.n + n];
        mag += std::fabs(a[static_cast<size_t>(m) * s.k + k] * bv);
      }
      const double tol = 1e-5 * std::sqrt(static_cast<double>(s.k)) * mag + 1e-6;
      const size_t i = static_cast<size_t>(m) * s.n + n;
      ASSERT_NEAR(got[i], ref[i], tol)
          << v.name << (transposed ? " B^T" : " B") << " m=" << m << " n=" << n << " shape " << s.m
          << "x" << s.n << "x" << s.k;
    }
  }
}

TEST(F32Gemm, EveryVariantMatchesReference) {
  std::mt19937 rng(31);
  for (const test::Shape& s : test::gemm_shapes())
    for (const F32GemmVariant& v : f32_gemm_variants())
      for (bool transposed : {true, false}) check_variant(v, s, transposed, rng);
}

TEST(F32Gemm, PublicEntryChecksArguments) {
  float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1}, c[4] = {};
  F32GemmParams p;
  p.m = 2;
  p.n = 2;
  p.k = 3;
  p.a = a;
  p.b = b;  // [n x k]: rows (1,0,0) and (1,1,1)
  p.c = c;
  ASSERT_TRUE(f32_gemm(p).ok());
  EXPECT_FLOAT_EQ(c[0], 1.0f);
  EXPECT_FLOAT_EQ(c[1], 6.0f);
  EXPECT_FLOAT_EQ(c[2], 4.0f);
  EXPECT_FLOAT_EQ(c[3], 15.0f);
  F32GemmParams bad = p;
  bad.a = nullptr;
  EXPECT_EQ(f32_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.a_stride = 2;
  EXPECT_EQ(f32_gemm(bad).code(), StatusCode::kInvalidArgument);
  bad = p;
  bad.k = -1;
  EXPECT_EQ(f32_gemm(bad).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace earshot::kernels
