#include "features/mfcc/integer_log.hpp"

#include <cmath>

#include "features/mfcc/q15.hpp"

namespace earshot::features::mfcc {

IntegerLog2::IntegerLog2() {
  for (int i = 0; i <= (1 << kTableBits); ++i) {
    table_[i] = to_q(std::log2(1.0 + std::ldexp(i, -kTableBits)), kLog2FracBits);
  }
}

int32_t IntegerLog2::log2_q24(uint64_t x) const {
  if (x == 0) return 0;
  const int msb = bit_length(x) - 1;
  const uint64_t norm = x << (63 - msb);  // leading one at bit 63, fraction below it
  constexpr int kInterpBits = 16;
  const int idx = static_cast<int>((norm >> (63 - kTableBits)) & ((1u << kTableBits) - 1));
  const int64_t rem =
      static_cast<int64_t>((norm >> (63 - kTableBits - kInterpBits)) & ((1u << kInterpBits) - 1));
  const int64_t lo = table_[idx];
  const int64_t hi = table_[idx + 1];
  const int64_t frac = lo + (((hi - lo) * rem + (1 << (kInterpBits - 1))) >> kInterpBits);
  return static_cast<int32_t>((static_cast<int64_t>(msb) << kLog2FracBits) + frac);
}

}  // namespace earshot::features::mfcc
