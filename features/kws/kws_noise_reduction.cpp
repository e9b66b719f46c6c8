#include "features/kws/kws_noise_reduction.hpp"

#include <algorithm>

#include "features/kws/kws_bits.hpp"
#include "features/kws/kws_config.hpp"

namespace earshot::features::kws {
namespace {

// Float fraction to Q14, truncated as the reference's float-to-uint16 assignment does.
uint16_t to_q14(float fraction) {
  return static_cast<uint16_t>(fraction * static_cast<float>(1 << kKwsNoiseReductionBits));
}

}  // namespace

KwsNoiseReduction::KwsNoiseReduction(const KwsFrontendConfig& config)
    : smoothing_bits_(config.smoothing_bits),
      even_smoothing_(to_q14(config.even_smoothing)),
      odd_smoothing_(to_q14(config.odd_smoothing)),
      min_signal_remaining_(to_q14(config.min_signal_remaining)),
      estimate_(static_cast<std::size_t>(config.num_channels), 0) {}

void KwsNoiseReduction::reset() {
  std::fill(estimate_.begin(), estimate_.end(), 0u);
}

void KwsNoiseReduction::apply(std::span<uint32_t> signal) {
  const std::size_t n = estimate_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const uint32_t smoothing = (i & 1) == 0 ? even_smoothing_ : odd_smoothing_;
    const uint32_t keep = (1u << kKwsNoiseReductionBits) - smoothing;
    const uint32_t scaled = signal[i] << smoothing_bits_;
    uint32_t estimate = static_cast<uint32_t>(
        (uint64_t{scaled} * smoothing + uint64_t{estimate_[i]} * keep) >> kKwsNoiseReductionBits);
    estimate_[i] = estimate;
    estimate = std::min(estimate, scaled);  // signal - estimate must not go negative
    const uint32_t floor = static_cast<uint32_t>((uint64_t{signal[i]} * min_signal_remaining_) >>
                                                 kKwsNoiseReductionBits);
    const uint32_t subtracted = (scaled - estimate) >> smoothing_bits_;
    signal[i] = std::max(subtracted, floor);
  }
}

}  // namespace earshot::features::kws
