#include "features/whisper/slaney_mel.hpp"

#include <algorithm>
#include <cmath>

namespace earshot::features::whisper {
namespace {

constexpr double kFSp = 200.0 / 3.0;  // Hz per mel in the linear part
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;  // 15
const double kLogStep = std::log(6.4) / 27.0;

}  // namespace

double slaney_hz_to_mel(double hz) {
  if (hz < kMinLogHz) return hz / kFSp;
  return kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
}

double slaney_mel_to_hz(double mel) {
  if (mel < kMinLogMel) return mel * kFSp;
  return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
}

std::vector<double> slaney_mel_filterbank(int sample_rate, int n_fft, int n_mels) {
  const int bins = n_fft / 2 + 1;
  std::vector<double> fft_hz(bins);
  for (int k = 0; k < bins; ++k) fft_hz[k] = static_cast<double>(k) * sample_rate / n_fft;
  // n_mels + 2 edges equally spaced in mel between 0 and Nyquist.
  const double mel_max = slaney_hz_to_mel(sample_rate / 2.0);
  std::vector<double> edge_hz(n_mels + 2);
  for (int i = 0; i < n_mels + 2; ++i) {
    edge_hz[i] = slaney_mel_to_hz(mel_max * i / (n_mels + 1));
  }
  std::vector<double> w(static_cast<std::size_t>(n_mels) * bins, 0.0);
  for (int m = 0; m < n_mels; ++m) {
    const double lo = edge_hz[m], mid = edge_hz[m + 1], hi = edge_hz[m + 2];
    const double norm = 2.0 / (hi - lo);
    for (int k = 0; k < bins; ++k) {
      const double up = (fft_hz[k] - lo) / (mid - lo);
      const double down = (hi - fft_hz[k]) / (hi - mid);
      w[static_cast<std::size_t>(m) * bins + k] = std::max(0.0, std::min(up, down)) * norm;
    }
  }
  return w;
}

}  // namespace earshot::features::whisper
