// Fixed-point real FFT with int16 data and Q15 twiddles, reproducing bit for bit the arithmetic
// of KISS FFT built with FIXED_POINT=16 (what the TFLM audio frontend uses): a complex FFT of
// half the length over even/odd sample pairs, radix-4 (then radix-2) decimation in time, every
// butterfly input divided by the radix with Q15 rounding, and the split into the real spectrum.
// The output is the spectrum scaled by 1/N. Sizes: powers of two from 8 to 4096.
//
// KISS recurses; this runs the same butterflies stage by stage (inputs placed in KISS's
// digit-reversed order first), with each stage's twiddles stored contiguously. Butterflies of
// one stage touch disjoint values, so the order does not change a bit of the result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "features/kws/q15_complex.hpp"
#include "features/kws/q15_kiss_butterflies.hpp"

namespace earshot::features::kws {

class Q15KissRealFft {
 public:
  // `size` must be a power of two in [8, 4096] (checked by the caller's config validation).
  // kernels: the radix-4 stage and split kernels (default: the fastest variant this CPU runs).
  explicit Q15KissRealFft(std::size_t size, const Q15Radix4Variant* kernels = nullptr);

  std::size_t size() const { return size_; }

  // in: size() int16 samples; out: size()/2 + 1 bins. Does not allocate.
  void forward(std::span<const int16_t> in, std::span<ComplexQ15> out);

 private:
  struct Stage {
    int radix;      // 4 or 2
    std::size_t m;  // sub-FFT length the butterflies combine
    std::size_t twiddle_offset;
  };

  void radix2_stage(std::size_t m, const ComplexQ15* tw);

  std::size_t size_;
  std::size_t half_;  // complex FFT length
  Q15Radix4Variant kernels_;
  std::vector<Stage> stages_;                          // innermost (m == 1) first
  std::vector<uint16_t> input_order_;                  // data[i] = packed input[input_order_[i]]
  std::vector<ComplexQ15> tw_, tw_conj_, tw_swapped_;  // per stage, (radix - 1) * m each
  // exp(-i pi ((k+1)/half + 1/2)), Q15, as w, conj and swapped (see Q15Radix4Twiddles)
  std::vector<ComplexQ15> split_tw_, split_conj_, split_swapped_;
  std::vector<ComplexQ15> data_;
};

}  // namespace earshot::features::kws
