#include "features/mfcc/mel_filterbank.hpp"

#include <cmath>
#include <numbers>
#include <string>

namespace earshot::features::mfcc {

double hz_to_mel(double hz) {
  return 1127.0 * std::log(1.0 + hz / 700.0);
}

Result<MelFilterbank> make_mel_filterbank(const MfccConfig& c) {
  EARSHOT_RETURN_IF_ERROR(validate(c));
  const double mel_low = hz_to_mel(c.low_hz);
  const double mel_high = hz_to_mel(c.effective_high_hz());
  const double mel_step = (mel_high - mel_low) / (c.mel_bins + 1);
  const double bin_hz = static_cast<double>(c.sample_rate) / c.fft_size;
  const int num_fft_bins = c.fft_size / 2 + 1;

  MelFilterbank fb;
  for (int m = 0; m < c.mel_bins; ++m) {
    const double left = mel_low + m * mel_step;
    const double center = left + mel_step;
    const double right = center + mel_step;
    int first = -1;
    const int offset = static_cast<int>(fb.weights.size());
    for (int k = 0; k < num_fft_bins; ++k) {
      const double mel = hz_to_mel(k * bin_hz);
      double w = 0.0;
      if (mel > left && mel < right) {
        w = mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
      }
      if (w <= 0.0) {
        if (first >= 0) break;  // past the triangle
        continue;
      }
      if (first < 0) first = k;
      fb.weights.push_back(w);
    }
    if (first < 0) {
      return InvalidArgument("mfcc config: mel filter " + std::to_string(m) + " of " +
                             std::to_string(c.mel_bins) +
                             " covers no FFT bin; use fewer mel bins or a larger fft_size");
    }
    fb.first_bin.push_back(first);
    fb.offset.push_back(offset);
    fb.num_bins.push_back(static_cast<int>(fb.weights.size()) - offset);
  }
  return fb;
}

std::vector<double> make_window(WindowType type, int length) {
  std::vector<double> w(length);
  const double a = type == WindowType::kHamming ? 0.54 : 0.5;
  for (int n = 0; n < length; ++n) {
    w[n] = a - (1.0 - a) * std::cos(2.0 * std::numbers::pi * n / (length - 1));
  }
  return w;
}

std::vector<double> make_lifted_dct(const MfccConfig& c) {
  const int m_bins = c.mel_bins;
  std::vector<double> table(static_cast<std::size_t>(c.cepstra) * m_bins);
  for (int i = 0; i < c.cepstra; ++i) {
    const double scale = std::sqrt((i == 0 ? 1.0 : 2.0) / m_bins);
    const double lift =
        c.lifter > 0 ? 1.0 + 0.5 * c.lifter * std::sin(std::numbers::pi * i / c.lifter) : 1.0;
    for (int j = 0; j < m_bins; ++j) {
      table[i * m_bins + j] = lift * scale * std::cos(std::numbers::pi * i * (j + 0.5) / m_bins);
    }
  }
  return table;
}

}  // namespace earshot::features::mfcc
