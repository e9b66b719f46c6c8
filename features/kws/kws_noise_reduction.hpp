// Stationary-noise suppression of the TFLM frontend: a per-channel one-pole low-pass estimate of
// the noise (different smoothing for even and odd channels) is subtracted from the signal,
// keeping at least a floor fraction of it. The estimate also drives PCAN's gain.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace earshot::features::kws {

struct KwsFrontendConfig;

class KwsNoiseReduction {
 public:
  explicit KwsNoiseReduction(const KwsFrontendConfig& config);

  // In place on num_channels values. Does not allocate.
  void apply(std::span<uint32_t> signal);
  void reset();

  // Noise estimate per channel, scaled up by 2^smoothing_bits.
  std::span<const uint32_t> estimate() const { return estimate_; }

 private:
  int smoothing_bits_;
  uint16_t even_smoothing_;  // Q14
  uint16_t odd_smoothing_;
  uint16_t min_signal_remaining_;
  std::vector<uint32_t> estimate_;
};

}  // namespace earshot::features::kws
