#include "features/kws/kws_filterbank.hpp"

#include <cmath>
#include <string>

#include "features/kws/kws_bits.hpp"
#include "features/kws/kws_config.hpp"

namespace earshot::features::kws {
namespace {

// The setup runs entirely in float (log1pf), as the reference build pymicro-features ships
// does, so that band edges and quantized weights come out identical; keep every step float.
float freq_to_mel(float hz) {
  return 1127.0f * std::log1p(hz / 700.0f);
}

// Scales a weight to Q12 and rounds it half up, in float.
int16_t quantize_weight(float w) {
  return static_cast<int16_t>(std::floor(w * static_cast<float>(1 << kKwsFilterbankBits) + 0.5f));
}

}  // namespace

Result<KwsFilterbank> KwsFilterbank::create(const KwsFrontendConfig& config) {
  KwsFilterbank fb;
  const int bands = config.num_channels + 1;
  const std::size_t spectrum_size = config.fft_size() / 2 + 1;
  fb.num_channels_ = static_cast<std::size_t>(config.num_channels);

  const float mel_low = freq_to_mel(config.lower_band_hz);
  const float mel_high = freq_to_mel(config.upper_band_hz);
  const float mel_spacing = (mel_high - mel_low) / static_cast<float>(bands);
  std::vector<float> centers(static_cast<std::size_t>(bands));
  for (int b = 0; b < bands; ++b) {
    centers[std::size_t(b)] = mel_low + mel_spacing * static_cast<float>(b + 1);
  }

  const float hz_per_bin =
      0.5f * static_cast<float>(config.sample_rate) / (static_cast<float>(spectrum_size) - 1.0f);
  fb.start_bin_ = static_cast<std::size_t>(config.lower_band_hz / hz_per_bin + 1.5f);

  std::size_t bin = fb.start_bin_;
  for (int b = 0; b < bands; ++b) {
    std::size_t end = bin;
    while (end < spectrum_size &&
           freq_to_mel(static_cast<float>(end) * hz_per_bin) <= centers[std::size_t(b)]) {
      ++end;
    }
    if (end >= spectrum_size) {
      return InvalidArgument("kws frontend config: mel band " + std::to_string(b) +
                             " reaches past the FFT's last bin (upper_band_hz too high for " +
                             std::to_string(config.fft_size()) + "-point FFT)");
    }
    fb.band_start_.push_back(static_cast<uint16_t>(bin));
    fb.band_width_.push_back(static_cast<uint16_t>(end - bin));
    fb.band_offset_.push_back(static_cast<uint32_t>(fb.weights_.size()));
    const float denom = b == 0 ? mel_low : centers[std::size_t(b) - 1];
    for (std::size_t k = bin; k < end; ++k) {
      const float w = (centers[std::size_t(b)] - freq_to_mel(static_cast<float>(k) * hz_per_bin)) /
                      (centers[std::size_t(b)] - denom);
      fb.weights_.push_back(quantize_weight(w));
      fb.unweights_.push_back(quantize_weight(1.0f - w));
    }
    if (end > fb.end_bin_) fb.end_bin_ = end;
    bin = end;
  }
  return fb;
}

void KwsFilterbank::apply(std::span<const ComplexQ15> spectrum, int scale_down_shift,
                          std::span<int32_t> energy, std::span<uint32_t> out) const {
  for (std::size_t k = start_bin_; k < end_bin_; ++k) {
    const int32_t re = spectrum[k].r;
    const int32_t im = spectrum[k].i;
    // The power is kept as int32 like the reference (it cannot exceed 2^31 for FFT outputs
    // scaled by 1/N, but the unsigned sum keeps the arithmetic defined).
    energy[k] =
        static_cast<int32_t>(static_cast<uint32_t>(re * re) + static_cast<uint32_t>(im * im));
  }
  uint64_t rising = 0;
  uint64_t falling = 0;
  for (std::size_t b = 0; b <= num_channels_; ++b) {
    const int16_t* w = weights_.data() + band_offset_[b];
    const int16_t* u = unweights_.data() + band_offset_[b];
    const int32_t* e = energy.data() + band_start_[b];
    const std::size_t width = band_width_[b];
    for (std::size_t j = 0; j < width; ++j) {
      const uint64_t mag = static_cast<uint64_t>(static_cast<int64_t>(e[j]));
      rising += static_cast<uint64_t>(w[j]) * mag;
      falling += static_cast<uint64_t>(u[j]) * mag;
    }
    if (b > 0) out[b - 1] = kws_rounded_sqrt64(rising) >> scale_down_shift;
    rising = falling;
    falling = 0;
  }
}

}  // namespace earshot::features::kws
