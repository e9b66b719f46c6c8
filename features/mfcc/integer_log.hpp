// Integer logarithm: log2 of a uint64 as Q24 fixed point, from the leading-zero count
// (integer part) and a 256-entry table of log2(1 + f) with linear interpolation (fraction).
// Worst-case error about 3e-6 (log2 units). The table is built once (constexpr-free so it can
// use std::log2 at setup); the per-call path is integer only.
#pragma once

#include <array>
#include <cstdint>

namespace earshot::features::mfcc {

constexpr int kLog2FracBits = 24;  // log2 results are Q24

class IntegerLog2 {
 public:
  IntegerLog2();
  // log2(x) in Q24 for x >= 1; 0 for x == 0 (callers floor before asking).
  int32_t log2_q24(uint64_t x) const;

 private:
  static constexpr int kTableBits = 8;
  std::array<int32_t, (1 << kTableBits) + 1> table_{};  // log2(1 + i/256) in Q24
};

}  // namespace earshot::features::mfcc
