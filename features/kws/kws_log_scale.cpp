#include "features/kws/kws_log_scale.hpp"

#include <algorithm>
#include <cmath>

#include "features/kws/kws_bits.hpp"

namespace earshot::features::kws {
namespace {

constexpr uint32_t kLn2Q16 = 45426;  // ln(2) in Q16

}  // namespace

KwsLogScale::KwsLogScale(bool enable_log, int scale_shift, int correction_bits)
    : enable_log_(enable_log), scale_shift_(scale_shift), correction_bits_(correction_bits) {
  // Every entry lies more than 1e-3 away from a rounding boundary, so the table does not
  // depend on the libm it is computed with; it equals the TFLM frontend's kLogLut.
  constexpr int kSegments = 1 << kSegmentsLog2;
  for (int i = 0; i <= kSegments; ++i) {
    const double f = double(i) / kSegments;
    correction_[std::size_t(i)] =
        static_cast<uint16_t>(std::floor((std::log2(1.0 + f) - f) * (1 << kScaleLog2) + 0.5));
  }
  correction_[kSegments + 1] = 0;
}

uint32_t KwsLogScale::log(uint32_t x) const {
  const uint32_t integer = static_cast<uint32_t>(most_significant_bit32(x) - 1);
  // Fractional part of log2: the bits below the leading one in Q16, plus the interpolated
  // correction.
  int32_t frac = static_cast<int32_t>(int64_t{x} - (int64_t{1} << integer));
  if (integer < kScaleLog2) {
    frac <<= kScaleLog2 - integer;
  } else {
    frac >>= integer - kScaleLog2;
  }
  const uint32_t seg = static_cast<uint32_t>(frac) >> (kScaleLog2 - kSegmentsLog2);
  const int32_t c0 = correction_[seg];
  const int32_t c1 = correction_[seg + 1];
  const int32_t seg_base = static_cast<int32_t>(seg << (kScaleLog2 - kSegmentsLog2));
  const int32_t rel = ((c1 - c0) * (frac - seg_base)) >> kScaleLog2;
  const uint32_t fraction = static_cast<uint32_t>(frac + c0 + rel);

  const uint32_t log2 = (integer << kScaleLog2) + fraction;
  const uint32_t half = 1u << (kScaleLog2 - 1);
  const uint32_t ln = static_cast<uint32_t>((uint64_t{kLn2Q16} * log2 + half) >> kScaleLog2);
  return ((ln << scale_shift_) + half) >> kScaleLog2;
}

void KwsLogScale::apply(std::span<const uint32_t> in, std::span<uint16_t> out) const {
  for (std::size_t i = 0; i < in.size(); ++i) {
    uint32_t v = in[i];
    if (enable_log_) {
      v = correction_bits_ < 0 ? v >> -correction_bits_ : v << correction_bits_;
      v = v > 1 ? log(v) : 0;
    }
    out[i] = static_cast<uint16_t>(std::min<uint32_t>(v, 0xFFFF));
  }
}

}  // namespace earshot::features::kws
