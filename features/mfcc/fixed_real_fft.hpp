// Integer real FFT: radix-2 decimation-in-time complex FFT of size N/2 on int32 data with
// Q30 twiddles (int64 products, one rounding per product), then the usual split step that
// turns it into the N-point real transform. No scaling between stages: the caller
// normalises the frame so that |x| < 2^max_input_bits() (block floating point done once per
// frame), which bounds every intermediate below 2^30 and keeps ~20 significant bits for
// N = 512 whatever the input level.
#pragma once

#include <cstdint>
#include <vector>

#include "earshot/status.hpp"
#include "features/mfcc/fixed_fft_kernels.hpp"

namespace earshot::features::mfcc {

class FixedRealFft {
 public:
  // size: a power of two in 8..4096. kernels: the inner loops (default: the fastest variant this
  // CPU runs, or the reference with EARSHOT_KERNELS=ref).
  static Result<FixedRealFft> create(int size, const FixedFftKernels* kernels = nullptr);

  int size() const { return n_; }
  // Inputs must satisfy |x| < 2^max_input_bits().
  int max_input_bits() const { return 29 - log2n_; }

  // in: size() real samples. out: size()/2 + 1 complex bins as (re, im) pairs holding
  // 2 * X[k] (the factor 2 keeps the last bit of the split step). |2 X[k]| < 2^30.
  // Uses an internal work buffer, so it is not const; does not allocate.
  void forward(const int32_t* in, int32_t* out);

 private:
  FixedRealFft() = default;

  int n_ = 0;
  int log2n_ = 0;
  std::vector<uint16_t> bitrev_;  // N/2 entries
  // Twiddles of the stages with len >= 8, stage after stage, contiguous per stage: for
  // w = c + i d (Q30), c, c + d and d - c, so a complex product takes three multiplies.
  std::vector<int32_t> tw_c_, tw_sum_, tw_diff_;
  FixedFftKernels kernels_{};
  std::vector<int32_t> split_cos_, split_msin_;  // N/2+1: cos, -sin of 2 pi k / N, Q30
  std::vector<int32_t> re_, im_;                 // N/2 complex values, split layout
};

}  // namespace earshot::features::mfcc
