// Bit helpers and integer square roots shared by the wake-word frontend's fixed-point stages.
#pragma once

#include <cmath>
#include <cstdint>

namespace earshot::features::kws {

constexpr int kKwsFilterbankBits = 12;  // fractional bits of the mel weights
constexpr int kKwsWindowBits = 12;      // fractional bits of the Hann window
constexpr int kKwsNoiseReductionBits = 14;
constexpr int kKwsPcanSnrBits = 12;
constexpr int kKwsPcanOutputBits = 6;

// Position of the highest set bit, 1-based; 0 for 0.
inline int most_significant_bit32(uint32_t n) {
  return n == 0 ? 0 : 32 - __builtin_clz(n);
}
inline int most_significant_bit64(uint64_t n) {
  return n == 0 ? 0 : 64 - __builtin_clzll(n);
}

// floor(sqrt(n)) digit by digit, and the remainder n - root^2.
template <typename U>
inline U floor_sqrt(U n, U* remainder) {
  U root = 0;
  if (n != 0) {
    const int top = (sizeof(U) == 8 ? most_significant_bit64(n) : most_significant_bit32(n)) - 1;
    U bit = U(1) << (top & ~1);  // highest power of four <= n
    while (bit != 0) {
      if (n >= root + bit) {
        n -= root + bit;
        root = (root >> 1) + bit;
      } else {
        root >>= 1;
      }
      bit >>= 2;
    }
  }
  *remainder = n;
  return root;
}

// floor(sqrt(n)) and its remainder from a double-precision estimate, corrected with exact integer
// steps: the loops restore r^2 <= n < (r+1)^2 whatever the estimate (double's sqrt is within 1
// here), so the result equals floor_sqrt() for every n. r stays <= 2^32 - 1, so r*r never wraps.
inline uint64_t fast_floor_sqrt64(uint64_t n, uint64_t* remainder) {
  uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(n)));
  if (r > 0xFFFFFFFFull) r = 0xFFFFFFFFull;
  while (r * r > n) --r;
  while (n - r * r > 2 * r) ++r;  // (r+1)^2 <= n  <=>  n - r^2 >= 2r + 1
  *remainder = n - r * r;
  return r;
}

// Rounded square root of the filterbank's 64-bit accumulators. Values below 2^32 take a 32-bit
// path whose result saturates at 0xFFFF instead of rounding up to 0x10000, which is how the
// TFLM frontend behaves (a deliberate shortcut there, reproduced for bit-exactness).
// kws_rounded_sqrt64_reference() is the digit-by-digit definition; the fast one must match it.
inline uint32_t kws_rounded_sqrt64_reference(uint64_t n) {
  if ((n >> 32) == 0) {
    uint32_t rem = 0;
    const uint32_t root = floor_sqrt<uint32_t>(static_cast<uint32_t>(n), &rem);
    return (rem > root && root != 0xFFFFu) ? root + 1 : root;
  }
  uint64_t rem = 0;
  const uint64_t root = floor_sqrt<uint64_t>(n, &rem);
  return static_cast<uint32_t>((rem > root && root != 0xFFFFFFFFull) ? root + 1 : root);
}

inline uint32_t kws_rounded_sqrt64(uint64_t n) {
  uint64_t rem = 0;
  const uint64_t root = fast_floor_sqrt64(n, &rem);
  // The same rounding rule as the reference, with its 32-bit path's saturation at 0xFFFF.
  const uint64_t saturate = (n >> 32) == 0 ? 0xFFFFu : 0xFFFFFFFFull;
  return static_cast<uint32_t>((rem > root && root != saturate) ? root + 1 : root);
}

}  // namespace earshot::features::kws
