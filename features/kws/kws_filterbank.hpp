// Mel filterbank of the TFLM frontend: triangular bands on the mel scale with Q12 weights,
// applied to the FFT power, accumulated in 64 bits, then square-rooted back to magnitudes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "features/kws/q15_kiss_real_fft.hpp"

namespace earshot::features::kws {

struct KwsFrontendConfig;

class KwsFilterbank {
 public:
  // Builds the bands for `config` (validated); fails when the top band lies above Nyquist.
  static Result<KwsFilterbank> create(const KwsFrontendConfig& config);

  std::size_t num_channels() const { return num_channels_; }
  std::size_t start_bin() const { return start_bin_; }
  std::size_t end_bin() const { return end_bin_; }

  // spectrum: fft_size/2+1 bins; out: num_channels() magnitudes, each shifted right by
  // `scale_down_shift` (undoing the FFT input normalisation). `energy` is scratch of
  // fft_size/2+1 values. Does not allocate.
  void apply(std::span<const ComplexQ15> spectrum, int scale_down_shift, std::span<int32_t> energy,
             std::span<uint32_t> out) const;

  // Band b (0..num_channels) covers bins [band_start(b), band_start(b) + band_width(b)); a
  // channel c sums band c+1's rising weights and band c's falling ("unweight") side.
  std::size_t band_start(std::size_t b) const { return band_start_[b]; }
  std::size_t band_width(std::size_t b) const { return band_width_[b]; }
  std::span<const int16_t> weights() const { return weights_; }
  std::span<const int16_t> unweights() const { return unweights_; }

 private:
  std::size_t num_channels_ = 0;
  std::size_t start_bin_ = 0;
  std::size_t end_bin_ = 0;
  std::vector<uint16_t> band_start_;  // num_channels + 1 bands
  std::vector<uint16_t> band_width_;
  std::vector<uint32_t> band_offset_;  // into weights_/unweights_
  std::vector<int16_t> weights_;
  std::vector<int16_t> unweights_;
};

}  // namespace earshot::features::kws
