// Integer natural logarithm of the TFLM frontend: log2 by the leading bit plus a 128-segment
// linear-interpolated correction table, converted to ln and scaled by 2^scale_shift; output
// saturates at 65535.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace earshot::features::kws {

class KwsLogScale {
 public:
  KwsLogScale(bool enable_log, int scale_shift, int correction_bits);

  // out[i] = round(ln(in[i] * 2^correction_bits) * 2^scale_shift), 0 for inputs <= 1.
  void apply(std::span<const uint32_t> in, std::span<uint16_t> out) const;

  // The logarithm alone, for x > 1 (exposed for tests).
  uint32_t log(uint32_t x) const;

 private:
  static constexpr int kSegmentsLog2 = 7;
  static constexpr int kScaleLog2 = 16;
  // log2(1 + f) - f at f = i/128, in Q16; one padding entry past the end.
  std::array<uint16_t, (1 << kSegmentsLog2) + 2> correction_{};
  bool enable_log_;
  int scale_shift_;
  int correction_bits_;
};

}  // namespace earshot::features::kws
