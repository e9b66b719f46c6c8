// Per-channel energy normalisation (PCAN) of the TFLM frontend: each channel is multiplied by a
// gain that falls with its noise estimate, gain = 2^gain_bits * (noise + offset)^-strength,
// read from a piecewise-quadratic table over the estimate's octaves, then compressed
// (square law below 2 in Q12, linear above).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace earshot::features::kws {

struct KwsFrontendConfig;

class KwsPcan {
 public:
  explicit KwsPcan(const KwsFrontendConfig& config);

  // In place on the signal, using the noise estimate of the same frame. Does not allocate.
  void apply(std::span<const uint32_t> noise_estimate, std::span<uint32_t> signal) const;

  // The gain for a noise estimate `x` (exposed for tests).
  int16_t gain(uint32_t x) const;

  static uint32_t shrink(uint32_t snr);

 private:
  static constexpr int kOctaves = 32;
  // [0], [1], [2]: gains at x = 0, 1, 2; then per octave o (2..32) from index 4*o-6: gain at
  // 2^(o-1) and the two quadratic coefficients.
  std::array<int16_t, 4 * kOctaves - 3> table_{};
  int snr_shift_;
};

}  // namespace earshot::features::kws
