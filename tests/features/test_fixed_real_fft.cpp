// The integer real FFT against a double-precision DFT, for every supported size, at full
// scale and for tiny inputs; and the integer log2 against std::log2.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

#include "features/mfcc/fixed_real_fft.hpp"
#include "features/mfcc/integer_log.hpp"

namespace earshot::features::mfcc {
namespace {

// Max |fixed - exact| over all bins, in output units (2 X[k]).
double max_fft_error(FixedRealFft& fft, const std::vector<int32_t>& x) {
  const int n = fft.size();
  std::vector<int32_t> out(n + 2);
  fft.forward(x.data(), out.data());
  double err = 0.0;
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> acc = 0.0;
    for (int t = 0; t < n; ++t) {
      acc += static_cast<double>(x[t]) * std::polar(1.0, -2.0 * std::numbers::pi * k * t / n);
    }
    acc *= 2.0;
    err = std::max(err, std::abs(std::complex<double>(out[2 * k], out[2 * k + 1]) - acc));
  }
  return err;
}

TEST(FixedRealFft, MatchesDoubleDftAtFullScaleAndTinyInput) {
  std::mt19937 rng(7);
  for (int n = 8; n <= 2048; n *= 2) {
    auto fft = FixedRealFft::create(n);
    ASSERT_TRUE(fft.ok()) << fft.status().to_string();
    const int32_t limit = (1 << fft->max_input_bits()) - 1;
    for (int32_t amp : {limit, 3}) {
      std::uniform_int_distribution<int32_t> d(-amp, amp);
      std::vector<int32_t> x(n);
      for (auto& v : x) v = d(rng);
      // Each product rounds by <= 0.5 unit and later stages add those errors up along ~N/2
      // paths, so the error grows like sqrt(N): ~35 units at N = 2048, against outputs up to
      // 2^30 (-150 dB). A wrong twiddle or a lost bit would be off by orders of magnitude.
      EXPECT_LT(max_fft_error(fft.value(), x), 1.5 * std::sqrt(n) + 4.0)
          << "n=" << n << " amplitude=" << amp;
    }
    // A single impulse at full scale: the worst case for growth, every bin equals 2 * limit.
    std::vector<int32_t> impulse(n, 0);
    impulse[n / 3] = -limit;
    EXPECT_LT(max_fft_error(fft.value(), impulse), 1.5 * std::sqrt(n) + 4.0) << "n=" << n;
  }
}

TEST(FixedRealFft, RejectsUnsupportedSizes) {
  for (int n : {0, 4, 100, 8192, -16}) EXPECT_FALSE(FixedRealFft::create(n).ok()) << n;
}

TEST(IntegerLog2, MatchesStdLog2) {
  IntegerLog2 lg;
  std::mt19937_64 rng(3);
  double worst = 0.0;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t x = rng() >> (rng() % 64);
    if (x == 0) continue;
    const double got = std::ldexp(lg.log2_q24(x), -kLog2FracBits);
    worst = std::max(worst, std::abs(got - std::log2(static_cast<double>(x))));
  }
  EXPECT_LT(worst, 4e-6);
  EXPECT_EQ(lg.log2_q24(1), 0);
  EXPECT_EQ(lg.log2_q24(uint64_t{1} << 40), 40 << kLog2FracBits);
}

}  // namespace
}  // namespace earshot::features::mfcc
