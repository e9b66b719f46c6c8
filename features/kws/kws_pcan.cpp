#include "features/kws/kws_pcan.hpp"

#include <cmath>

#include "features/kws/kws_bits.hpp"
#include "features/kws/kws_config.hpp"

namespace earshot::features::kws {
namespace {

// The gain curve evaluated in float as the reference does (powf), rounded to int16.
int16_t gain_curve(const KwsFrontendConfig& c, int input_bits, uint32_t x) {
  const float xf = static_cast<float>(x) / static_cast<float>(uint32_t{1} << input_bits);
  const float g = static_cast<float>(uint32_t{1} << c.pcan_gain_bits) *
                  std::pow(xf + c.pcan_offset, -c.pcan_strength);
  if (g > 32767.0f) return 32767;
  return static_cast<int16_t>(g + 0.5f);
}

}  // namespace

KwsPcan::KwsPcan(const KwsFrontendConfig& config)
    : snr_shift_(config.pcan_gain_bits - config.correction_bits() - kKwsPcanSnrBits) {
  const int input_bits = config.smoothing_bits - config.correction_bits();
  table_[0] = gain_curve(config, input_bits, 0);
  table_[1] = gain_curve(config, input_bits, 1);
  for (int octave = 2; octave <= kOctaves; ++octave) {
    const uint32_t x0 = uint32_t{1} << (octave - 1);
    const uint32_t x1 = x0 + (x0 >> 1);
    const uint32_t x2 = octave == kOctaves ? x0 + (x0 - 1) : 2 * x0;
    const int16_t y0 = gain_curve(config, input_bits, x0);
    const int32_t d1 = int32_t{gain_curve(config, input_bits, x1)} - y0;
    const int32_t d2 = int32_t{gain_curve(config, input_bits, x2)} - y0;
    const int32_t a1 = 4 * d1 - d2;
    const int32_t a2 = d2 - a1;
    const std::size_t at = std::size_t(4 * octave - 6);
    table_[at] = y0;
    table_[at + 1] = static_cast<int16_t>(a1);
    table_[at + 2] = static_cast<int16_t>(a2);
  }
}

int16_t KwsPcan::gain(uint32_t x) const {
  if (x <= 2) return table_[x];
  const int octave = most_significant_bit32(x);
  const int16_t* t = table_.data() + (4 * octave - 6);
  // The 10 bits below the leading one: the position inside the octave.
  const int32_t frac =
      static_cast<int16_t>((octave < 11 ? (x << (11 - octave)) : (x >> (octave - 11))) & 0x3FF);
  int32_t result = (int32_t{t[2]} * frac) >> 5;
  result += int32_t{t[1]} * 32;
  result *= frac;
  result = (result + (1 << 14)) >> 15;
  result += t[0];
  return static_cast<int16_t>(result);
}

uint32_t KwsPcan::shrink(uint32_t snr) {
  if (snr < (2u << kKwsPcanSnrBits)) {
    return (snr * snr) >> (2 + 2 * kKwsPcanSnrBits - kKwsPcanOutputBits);
  }
  return (snr >> (kKwsPcanSnrBits - kKwsPcanOutputBits)) - (1u << kKwsPcanOutputBits);
}

void KwsPcan::apply(std::span<const uint32_t> noise_estimate, std::span<uint32_t> signal) const {
  for (std::size_t i = 0; i < signal.size(); ++i) {
    const uint32_t g = static_cast<uint32_t>(static_cast<int32_t>(gain(noise_estimate[i])));
    const uint32_t snr = static_cast<uint32_t>((uint64_t{signal[i]} * g) >> snr_shift_);
    signal[i] = shrink(snr);
  }
}

}  // namespace earshot::features::kws
