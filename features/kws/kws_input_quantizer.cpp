#include "features/kws/kws_input_quantizer.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace earshot::features::kws {

Result<KwsInputQuantizer> KwsInputQuantizer::create(float input_scale, int32_t input_zero_point) {
  if (!std::isfinite(input_scale) || input_scale < 1e-6f || input_scale > 1e3f) {
    return InvalidArgument("kws input quantizer: input scale " + std::to_string(input_scale) +
                           " outside [1e-6, 1e3]");
  }
  if (input_zero_point < -128 || input_zero_point > 127) {
    return InvalidArgument("kws input quantizer: zero point " + std::to_string(input_zero_point) +
                           " outside [-128, 127]");
  }
  // Setup only: split the float scale into an integer mantissa and a power of two.
  int exponent = 0;
  const double mantissa = std::frexp(static_cast<double>(input_scale), &exponent);
  const uint64_t m = static_cast<uint64_t>(std::ldexp(mantissa, 24));  // exact for a float
  const int e = exponent - 24;                                         // scale = m * 2^e
  // feature * 0.0390625 / scale = feature * 5 / (m * 2^(e + 7))
  const int shift = -(e + 7);
  KwsInputQuantizer q;
  q.numerator_scale_ = uint64_t{5} << std::max(shift, 0);
  q.denominator_ = m << std::max(-shift, 0);
  q.zero_point_ = input_zero_point;
  return q;
}

int8_t KwsInputQuantizer::quantize(uint16_t feature) const {
  const uint64_t num = feature * numerator_scale_;
  uint64_t q = num / denominator_;
  const uint64_t twice_rem = 2 * (num % denominator_);
  if (twice_rem > denominator_ || (twice_rem == denominator_ && (q & 1) != 0)) ++q;
  const int64_t v = static_cast<int64_t>(std::min<uint64_t>(q, 1024)) + zero_point_;
  return static_cast<int8_t>(std::clamp<int64_t>(v, -128, 127));
}

void KwsInputQuantizer::quantize(std::span<const uint16_t> features, std::span<int8_t> out) const {
  for (std::size_t i = 0; i < features.size(); ++i) out[i] = quantize(features[i]);
}

}  // namespace earshot::features::kws
