// TFLite QuantizeMultiplier and the quantized activation range (see quant.hpp).
#include "runtime/kernels/quant.hpp"

#include <algorithm>
#include <cmath>

namespace earshot::kernels {

QuantizedMultiplier quantize_multiplier(double scale) noexcept {
  QuantizedMultiplier q;
  if (scale == 0.0 || !std::isfinite(scale)) return q;
  int shift = 0;
  const double fraction = std::frexp(scale, &shift);
  auto fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    fixed = 0;
  }
  q.multiplier = static_cast<int32_t>(fixed);
  q.shift = shift;
  return q;
}

ActivationRange quantized_activation_range(FusedActivation act, float output_scale,
                                           int32_t output_zero_point) noexcept {
  // TFLite CalculateActivationRangeQuantizedImpl: zero_point + TfLiteRound(f / scale).
  auto quantize = [&](float f) {
    return output_zero_point + static_cast<int32_t>(std::round(f / output_scale));
  };
  ActivationRange r;
  switch (act) {
    case FusedActivation::kNone: break;
    case FusedActivation::kRelu: r.min = std::max(r.min, quantize(0.0f)); break;
    case FusedActivation::kRelu6:
      r.min = std::max(r.min, quantize(0.0f));
      r.max = std::min(r.max, quantize(6.0f));
      break;
    case FusedActivation::kReluN1To1:
      r.min = std::max(r.min, quantize(-1.0f));
      r.max = std::min(r.max, quantize(1.0f));
      break;
  }
  return r;
}

}  // namespace earshot::kernels
