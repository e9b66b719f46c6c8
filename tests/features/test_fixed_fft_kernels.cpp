// Every compiled variant of FixedRealFft's inner loops (fixed_fft_kernels.hpp) against the
// scalar reference, bit for bit, for every size and for inputs across the allowed range
// (full-scale extremes, random, tiny, impulses).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "features/mfcc/fixed_fft_kernels.hpp"
#include "features/mfcc/fixed_real_fft.hpp"

namespace earshot::features::mfcc {
namespace {

std::vector<std::vector<int32_t>> test_inputs(int n, int bits, unsigned seed) {
  const int32_t top = (1 << bits) - 1;  // |x| < 2^max_input_bits()
  std::mt19937 rng(seed);
  std::vector<std::vector<int32_t>> inputs;
  std::uniform_int_distribution<int32_t> full(-top, top), tiny(-3, 3), sign(0, 1);
  std::vector<int32_t> x(n);
  for (auto& v : x) v = full(rng);
  inputs.push_back(x);
  for (auto& v : x) v = sign(rng) ? top : -top;
  inputs.push_back(x);
  for (auto& v : x) v = tiny(rng);
  inputs.push_back(x);
  for (int i = 0; i < n; ++i) x[i] = (i % 2 == 0) ? top : -top;  // Nyquist
  inputs.push_back(x);
  std::fill(x.begin(), x.end(), 0);
  x[n / 3] = -top;  // impulse
  inputs.push_back(x);
  std::fill(x.begin(), x.end(), top);  // DC
  inputs.push_back(x);
  return inputs;
}

TEST(FixedFftKernels, EveryVariantIsBitExactWithRef) {
  const auto variants = fixed_fft_variants();
  ASSERT_GE(variants.size(), 1u);
  EXPECT_STREQ(variants[0].name, "ref");
  for (int n = 8; n <= 4096; n *= 2) {
    auto ref = FixedRealFft::create(n, &variants[0]);
    ASSERT_TRUE(ref.ok());
    const auto inputs = test_inputs(n, ref->max_input_bits(), static_cast<unsigned>(n));
    for (const auto& v : variants) {
      auto fft = FixedRealFft::create(n, &v);
      ASSERT_TRUE(fft.ok());
      for (std::size_t t = 0; t < inputs.size(); ++t) {
        std::vector<int32_t> want(n + 2, -1), got(n + 2, -2);
        ref->forward(inputs[t].data(), want.data());
        fft->forward(inputs[t].data(), got.data());
        ASSERT_EQ(got, want) << v.name << " n=" << n << " input " << t;
      }
    }
  }
}

}  // namespace
}  // namespace earshot::features::mfcc
