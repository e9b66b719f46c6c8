// Small fixed-point helpers shared by the integer frontend: Q-format conversion (setup only),
// rounding shifts and bit lengths (per-frame path, integer only).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace earshot::features::mfcc {

// Setup-time conversion of a real number to Qn (round to nearest).
inline int32_t to_q(double value, int frac_bits) {
  return static_cast<int32_t>(std::lround(std::ldexp(value, frac_bits)));
}
inline int32_t to_q15(double value) {
  return to_q(value, 15);
}

// x * 2^-shift rounded to nearest (ties away from zero handled as ties up), shift >= 1.
inline int64_t round_shift_right(int64_t x, int shift) {
  return (x + (int64_t{1} << (shift - 1))) >> shift;
}

// x * 2^shift for shift of either sign, rounding when shifting right.
inline int32_t shift_signed(int32_t x, int shift) {
  return shift >= 0 ? static_cast<int32_t>(static_cast<uint32_t>(x) << shift)
                    : static_cast<int32_t>(round_shift_right(x, -shift));
}

// Number of bits needed to hold x (0 for 0).
inline int bit_length(uint64_t x) {
  return 64 - std::countl_zero(x);
}

}  // namespace earshot::features::mfcc
