// SileroStft: the FFT path gives the magnitudes of the model's own basis product on real
// speech; a basis that is not the expected Hann DFT is recognised as such and falls back to
// the exact product; the converted Silero model takes the FFT path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "runtime/model/model_file.hpp"
#include "vad/silero_stft.hpp"
#include "vad/silero_vad.hpp"

namespace earshot::vad {
namespace {

constexpr int kN = SileroStft::kFrame, kBins = SileroStft::kBins, kHop = SileroStft::kHop;
const std::string kF32Model = std::string(EARSHOT_CACHE_DIR) + "/models/silero-vad-v6.f32.esm";

std::vector<float> speech() {
  std::ifstream f(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw", std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  std::vector<float> x(bytes.size() / 2);
  for (size_t i = 0; i < x.size(); ++i) {
    int16_t s;
    std::memcpy(&s, bytes.data() + 2 * i, 2);
    x[i] = s / 32768.0f;
  }
  return x;
}

// window[n]·cos / sin_sign·window[n]·sin rows, as the Silero export builds them.
std::vector<float> dft_basis(const std::vector<double>& window, double sin_sign) {
  std::vector<float> b(size_t(2) * kBins * kN);
  for (int k = 0; k < kBins; ++k) {
    for (int n = 0; n < kN; ++n) {
      const double a = 2.0 * std::numbers::pi * ((k * n) % kN) / kN;
      b[size_t(k) * kN + n] = float(window[n] * std::cos(a));
      b[size_t(kBins + k) * kN + n] = float(sin_sign * window[n] * std::sin(a));
    }
  }
  return b;
}

std::vector<double> periodic_window(double a0) {  // a0 = 0.5: Hann, 0.54: Hamming
  std::vector<double> w(kN);
  for (int n = 0; n < kN; ++n) w[n] = a0 - (1.0 - a0) * std::cos(2.0 * std::numbers::pi * n / kN);
  return w;
}

// |basis · frame| in double: the definition both paths must meet.
std::vector<double> direct_magnitudes(const float* basis, const float* x, int frames) {
  std::vector<double> mag(size_t(frames) * kBins);
  for (int f = 0; f < frames; ++f) {
    for (int k = 0; k < kBins; ++k) {
      double re = 0, im = 0;
      for (int n = 0; n < kN; ++n) {
        re += double(basis[size_t(k) * kN + n]) * x[f * kHop + n];
        im += double(basis[size_t(kBins + k) * kN + n]) * x[f * kHop + n];
      }
      mag[size_t(f) * kBins + k] = std::sqrt(re * re + im * im);
    }
  }
  return mag;
}

// Runs `stft` over several stretches of speech; returns the largest error relative to the
// largest magnitude of its stretch.
double worst_relative_error(SileroStft& stft, const float* basis, int frames) {
  const std::vector<float> x = speech();
  EXPECT_GT(x.size(), size_t(20000));
  const size_t span = size_t(frames - 1) * kHop + kN;
  std::vector<float> mag(size_t(frames) * kBins);
  double worst = 0;
  for (size_t at = 0; at + span <= x.size(); at += 4001) {
    EXPECT_TRUE(stft.magnitudes(x.data() + at, mag.data()).ok());
    const std::vector<double> want = direct_magnitudes(basis, x.data() + at, frames);
    double peak = 1e-3, err = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      peak = std::max(peak, want[i]);
      err = std::max(err, std::abs(mag[i] - want[i]));
    }
    worst = std::max(worst, err / peak);
  }
  return worst;
}

TEST(SileroStft, HannBasisTakesFftPathAndMatchesProduct) {
  for (double sign : {1.0, -1.0}) {
    const std::vector<float> basis = dft_basis(periodic_window(0.5), sign);
    EXPECT_TRUE(SileroStft::is_hann_dft(basis.data(), nullptr));
    for (int frames : {1, 3, 4, 7}) {
      auto stft = SileroStft::create(basis.data(), frames);
      ASSERT_TRUE(stft.ok()) << stft.status().message();
      EXPECT_TRUE(stft.value()->uses_fft());
      EXPECT_LT(worst_relative_error(*stft.value(), basis.data(), frames), 1e-5)
          << "frames " << frames << " sign " << sign;
    }
  }
}

TEST(SileroStft, OtherBasisFallsBackToExactProduct) {
  std::vector<std::vector<float>> others;
  others.push_back(dft_basis(periodic_window(0.54), 1.0));  // Hamming window
  others.push_back(dft_basis(periodic_window(0.5), 1.0));
  others.back()[size_t(40) * kN + 17] += 1e-3f;  // one bin's weight moved
  others.push_back(dft_basis(periodic_window(0.5), 1.0));
  for (int n = 0; n < kN; ++n) others.back()[size_t(kBins + 5) * kN + n] *= -1;  // mixed signs
  others.push_back(dft_basis(periodic_window(0.5), 1.0));
  others.back()[3] = std::nanf("");
  for (const auto& basis : others) {
    EXPECT_FALSE(SileroStft::is_hann_dft(basis.data(), nullptr));
    auto stft = SileroStft::create(basis.data(), 3);
    ASSERT_TRUE(stft.ok()) << stft.status().message();
    EXPECT_FALSE(stft.value()->uses_fft());
    if (std::isfinite(basis[3])) {
      EXPECT_LT(worst_relative_error(*stft.value(), basis.data(), 3), 1e-5);
    }
  }
}

TEST(SileroStft, RejectsBadArguments) {
  const std::vector<float> basis = dft_basis(periodic_window(0.5), 1.0);
  EXPECT_FALSE(SileroStft::create(nullptr, 4).ok());
  EXPECT_FALSE(SileroStft::create(basis.data(), 0).ok());
  EXPECT_FALSE(SileroStft::create(basis.data(), -3).ok());
  auto stft = SileroStft::create(basis.data(), 2);
  ASSERT_TRUE(stft.ok());
  std::vector<float> mag(2 * kBins);
  EXPECT_FALSE(stft.value()->magnitudes(nullptr, mag.data()).ok());
}

TEST(SileroStft, ConvertedModelBasisIsRecognised) {
  if (!std::filesystem::exists(kF32Model)) GTEST_SKIP() << "no converted model: " << kF32Model;
  auto m = model::Model::open(kF32Model);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const model::TensorView* t = m.value().find("stft.basis");
  ASSERT_NE(t, nullptr);
  const float* basis = static_cast<const float*>(t->data);
  std::vector<float> window(kN);
  ASSERT_TRUE(SileroStft::is_hann_dft(basis, window.data()));
  EXPECT_NEAR(window[kN / 2], 1.0f, 1e-6f);
  auto stft = SileroStft::create(basis, 4);
  ASSERT_TRUE(stft.ok());
  EXPECT_TRUE(stft.value()->uses_fft());
  EXPECT_LT(worst_relative_error(*stft.value(), basis, 4), 1e-5);
  auto vad = SileroVad::create(std::move(m.value()));
  ASSERT_TRUE(vad.ok()) << vad.status().message();
  EXPECT_TRUE(vad.value()->stft_uses_fft());
}

}  // namespace
}  // namespace earshot::vad
