#include "features/kws/kws_config.hpp"

#include <cmath>
#include <string>

#include "features/kws/kws_bits.hpp"

namespace earshot::features::kws {
namespace {

constexpr std::size_t kMaxWindowSamples = 2048;  // a 4096-point FFT at most

Status bad(const std::string& what) {
  return InvalidArgument("kws frontend config: " + what);
}

bool in_range(float v, float lo, float hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

}  // namespace

std::size_t KwsFrontendConfig::fft_size() const {
  std::size_t n = 1;
  while (n < window_samples()) n <<= 1;
  return n;
}

int KwsFrontendConfig::correction_bits() const {
  return most_significant_bit32(static_cast<uint32_t>(fft_size())) - 1 - kKwsFilterbankBits / 2;
}

Status KwsFrontendConfig::validate() const {
  if (sample_rate < 4000 || sample_rate > 96000) {
    return bad("sample_rate " + std::to_string(sample_rate) + " outside [4000, 96000]");
  }
  if (window_ms <= 0 || window_ms > 1000) {
    return bad("window_ms " + std::to_string(window_ms) + " outside [1, 1000]");
  }
  if (step_ms <= 0 || step_ms > window_ms) {
    return bad("step_ms " + std::to_string(step_ms) + " must be in [1, window_ms]");
  }
  if (window_samples() < 16 || window_samples() > kMaxWindowSamples) {
    return bad("window of " + std::to_string(window_samples()) + " samples outside [16, " +
               std::to_string(kMaxWindowSamples) + "]");
  }
  if (step_samples() == 0) return bad("step of 0 samples");
  if (num_channels < 1 || num_channels > 128) {
    return bad("num_channels " + std::to_string(num_channels) + " outside [1, 128]");
  }
  const float nyquist = 0.5f * static_cast<float>(sample_rate);
  if (!in_range(lower_band_hz, 0.0f, nyquist)) return bad("lower_band_hz outside [0, rate/2]");
  if (!in_range(upper_band_hz, 0.0f, nyquist) || upper_band_hz <= lower_band_hz) {
    return bad("upper_band_hz must be in (lower_band_hz, rate/2]");
  }
  if (smoothing_bits < 0 || smoothing_bits > 16) return bad("smoothing_bits outside [0, 16]");
  if (!in_range(even_smoothing, 0.0f, 1.0f)) return bad("even_smoothing outside [0, 1]");
  if (!in_range(odd_smoothing, 0.0f, 1.0f)) return bad("odd_smoothing outside [0, 1]");
  if (!in_range(min_signal_remaining, 0.0f, 1.0f)) {
    return bad("min_signal_remaining outside [0, 1]");
  }
  if (enable_pcan) {
    if (!in_range(pcan_strength, 0.0f, 4.0f)) return bad("pcan_strength outside [0, 4]");
    if (!in_range(pcan_offset, 1e-3f, 1e6f)) return bad("pcan_offset outside [0.001, 1e6]");
    // The SNR shift and the gain table's input bits are shift counts: both must be >= 0.
    const int snr_shift = pcan_gain_bits - correction_bits() - kKwsPcanSnrBits;
    if (pcan_gain_bits < 0 || pcan_gain_bits > 30 || snr_shift < 0) {
      return bad("pcan_gain_bits " + std::to_string(pcan_gain_bits) + " must be in [" +
                 std::to_string(correction_bits() + kKwsPcanSnrBits) + ", 30]");
    }
    if (smoothing_bits - correction_bits() < 0 || smoothing_bits - correction_bits() > 30) {
      return bad("smoothing_bits must be >= " + std::to_string(correction_bits()) +
                 " when PCAN is enabled");
    }
  }
  if (log_scale_shift < 0 || log_scale_shift > 15) return bad("log_scale_shift outside [0, 15]");
  return Status::Ok();
}

}  // namespace earshot::features::kws
