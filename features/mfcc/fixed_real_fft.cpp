#include "features/mfcc/fixed_real_fft.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "features/mfcc/q15.hpp"
#include "runtime/kernels/act_isa.hpp"

namespace earshot::features::mfcc {

Result<FixedRealFft> FixedRealFft::create(int size, const FixedFftKernels* kernels) {
  if (size < 8 || size > 4096 || (size & (size - 1)) != 0) {
    return InvalidArgument("fixed-point FFT size " + std::to_string(size) +
                           " is not a power of two in 8..4096");
  }
  FixedRealFft f;
  const auto variants = fixed_fft_variants();
  f.kernels_ = kernels != nullptr          ? *kernels
               : kernels::ops_forced_ref() ? variants.front()
                                           : variants.back();
  f.n_ = size;
  f.log2n_ = bit_length(static_cast<uint64_t>(size)) - 1;
  const int m = size / 2;
  const int m_bits = f.log2n_ - 1;
  f.bitrev_.resize(m);
  for (int i = 0; i < m; ++i) {
    int r = 0;
    for (int b = 0; b < m_bits; ++b) r |= ((i >> b) & 1) << (m_bits - 1 - b);
    f.bitrev_[i] = static_cast<uint16_t>(r);
  }
  for (int len = 8; len <= m; len <<= 1) {
    for (int j = 0; j < len / 2; ++j) {
      const double a = 2.0 * std::numbers::pi * j / len;
      const int32_t c = to_q(std::cos(a), kFftTwiddleBits);
      const int32_t d = to_q(-std::sin(a), kFftTwiddleBits);
      f.tw_c_.push_back(c);
      f.tw_sum_.push_back(c + d);  // |c + d| <= sqrt(2) * 2^30 < 2^31
      f.tw_diff_.push_back(d - c);
    }
  }
  for (int k = 0; k <= m; ++k) {
    const double a = 2.0 * std::numbers::pi * k / size;
    f.split_cos_.push_back(to_q(std::cos(a), kFftTwiddleBits));
    f.split_msin_.push_back(to_q(-std::sin(a), kFftTwiddleBits));
  }
  f.re_.resize(m);
  f.im_.resize(m);
  return f;
}

void FixedRealFft::forward(const int32_t* in, int32_t* out) {
  const int m = n_ / 2;
  int32_t* re = re_.data();
  int32_t* im = im_.data();
  // Pack even/odd samples as one complex sequence in bit-reversed order, with the first two
  // (twiddle-free: 1 and -i) radix-2 stages folded in as one radix-4 step.
  for (int i = 0; i < m; i += 4) {
    int32_t xr[4], xi[4];
    for (int q = 0; q < 4; ++q) {
      const int src = bitrev_[i + q];
      xr[q] = in[2 * src];
      xi[q] = in[2 * src + 1];
    }
    const int32_t ar = xr[0] + xr[1], ai = xi[0] + xi[1];
    const int32_t br = xr[0] - xr[1], bi = xi[0] - xi[1];
    const int32_t cr = xr[2] + xr[3], ci = xi[2] + xi[3];
    const int32_t dr = xr[2] - xr[3], di = xi[2] - xi[3];
    re[i] = ar + cr, im[i] = ai + ci;
    re[i + 2] = ar - cr, im[i + 2] = ai - ci;
    re[i + 1] = br + di, im[i + 1] = bi - dr;  // b + (-i) d
    re[i + 3] = br - di, im[i + 3] = bi + dr;
  }
  kernels_.stages(re, im, m, tw_c_.data(), tw_sum_.data(), tw_diff_.data());
  kernels_.split(re, im, m, split_cos_.data(), split_msin_.data(), out);
}

}  // namespace earshot::features::mfcc
