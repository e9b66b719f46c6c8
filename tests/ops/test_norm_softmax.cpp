// Layer norm and softmax: every variant against double-precision formulas on odd lengths.
#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.hpp"
#include "runtime/kernels/norm.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {
namespace {

using testing::random_floats;

constexpr size_t kLengths[] = {1, 3, 7, 8, 17, 63, 64, 65, 384, 1500};
// Absolute (outputs are O(1)): the inputs sit at 100 +- 1, where the float mean alone carries
// ~1e-6 relative error, i.e. ~1e-4 on the normalised values.
constexpr double kLayerNormTol = 1e-4;
constexpr double kSoftmaxRelTol = 2e-5;

TEST(LayerNorm, EveryVariantMatchesDouble) {
  for (const NormKernels* k : norm_variants()) {
    for (size_t n : kLengths) {
      // An offset of 100 exposes the cancellation a one-pass E[x^2] - E[x]^2 would suffer.
      auto x = random_floats(n, static_cast<uint32_t>(n), 99.0f, 101.0f);
      auto g = random_floats(n, 7, 0.5f, 2.0f);
      auto b = random_floats(n, 8);
      std::vector<float> y(n);
      k->layer_norm(x.data(), g.data(), b.data(), 1e-5f, n, y.data());
      double mean = 0, var = 0;
      for (float v : x) mean += v;
      mean /= n;
      for (float v : x) var += (v - mean) * (v - mean);
      var /= n;
      for (size_t i = 0; i < n; ++i) {
        const double want = (x[i] - mean) / std::sqrt(var + 1e-5) * g[i] + b[i];
        ASSERT_NEAR(y[i], want, kLayerNormTol * (1 + std::fabs(want))) << k->name << " n=" << n;
      }
      // Without gamma/beta, in place.
      std::vector<float> z = x;
      k->layer_norm(z.data(), nullptr, nullptr, 1e-5f, n, z.data());
      for (size_t i = 0; i < n; ++i) {
        ASSERT_NEAR(z[i], (x[i] - mean) / std::sqrt(var + 1e-5), kLayerNormTol * 4) << k->name;
      }
    }
  }
}

TEST(Softmax, EveryVariantMatchesDoubleAndSumsToOne) {
  for (const SoftmaxKernels* k : softmax_variants()) {
    for (size_t n : kLengths) {
      auto x = random_floats(n, static_cast<uint32_t>(n) + 1, -30.0f, 30.0f);
      x[0] = 1000.0f;  // large values must not overflow
      for (float scale : {1.0f, 0.125f}) {
        std::vector<float> y(n);
        k->softmax(x.data(), scale, n, y.data());
        double mx = -1e300, sum = 0, total = 0;
        for (float v : x) mx = std::max(mx, static_cast<double>(v));
        for (float v : x) sum += std::exp((v - mx) * scale);
        for (size_t i = 0; i < n; ++i) {
          const double want = std::exp((x[i] - mx) * scale) / sum;
          ASSERT_NEAR(y[i], want, 1e-30 + kSoftmaxRelTol * want) << k->name << " n=" << n;
          total += y[i];
        }
        EXPECT_NEAR(total, 1.0, 1e-5) << k->name;
      }
    }
  }
}

TEST(Softmax, RowsHelperUsesEveryRow) {
  auto x = random_floats(3 * 17, 3);
  std::vector<float> y(x.size());
  softmax_rows_f32(x.data(), 1.0f, 3, 17, y.data());
  for (int r = 0; r < 3; ++r) {
    double s = 0;
    for (int i = 0; i < 17; ++i) s += y[r * 17 + i];
    EXPECT_NEAR(s, 1.0, 1e-5);
  }
}

}  // namespace
}  // namespace earshot::kernels
