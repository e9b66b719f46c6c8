// A complex value in Q15 (int16 real and imaginary parts), the element of the KWS FFT.
#pragma once

#include <cstdint>

namespace earshot::features::kws {

struct ComplexQ15 {
  int16_t r;
  int16_t i;
};
static_assert(sizeof(ComplexQ15) == 4, "SIMD kernels treat a ComplexQ15 as one 32-bit lane");

}  // namespace earshot::features::kws
