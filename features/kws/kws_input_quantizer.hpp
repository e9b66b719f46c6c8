// Converts the frontend's uint16 features into a microWakeWord model's int8 input, integer only.
// pymicro-wakeword computes round(value * 0.0390625 / input_scale + zero_point) in double; here
// the same quotient is evaluated exactly with integers (scale = m * 2^e with a 24-bit m, as a
// float32 is), rounded half to even like numpy, then saturated to [-128, 127] (the Python code
// would wrap values above the range; TFLite's quantize and ESPHome saturate).
#pragma once

#include <cstdint>
#include <span>

#include "earshot/status.hpp"

namespace earshot::features::kws {

class KwsInputQuantizer {
 public:
  // `input_scale` and `input_zero_point`: the model input tensor's quantization parameters
  // (0.10196078568696976 and -128 for every pymicro-wakeword 1.x model).
  static Result<KwsInputQuantizer> create(float input_scale, int32_t input_zero_point);

  int8_t quantize(uint16_t feature) const;
  void quantize(std::span<const uint16_t> features, std::span<int8_t> out) const;

 private:
  KwsInputQuantizer() = default;
  uint64_t numerator_scale_ = 0;  // value * 5 * 2^a
  uint64_t denominator_ = 1;      // m * 2^b
  int32_t zero_point_ = 0;
};

}  // namespace earshot::features::kws
