#include "features/kws/q15_kiss_real_fft.hpp"

#include <cmath>
#include <cstring>
#include <numbers>

#include "runtime/kernels/act_isa.hpp"

namespace earshot::features::kws {
namespace {

constexpr int32_t kQ15Max = 32767;

// Q15 product rounded half up, the way KISS rounds (x + 2^14) >> 15, truncated to int16.
inline int16_t round_q15(int32_t x) {
  return static_cast<int16_t>((x + (1 << 14)) >> 15);
}

inline ComplexQ15 mul(ComplexQ15 a, ComplexQ15 b) {
  return {round_q15(int32_t{a.r} * b.r - int32_t{a.i} * b.i),
          round_q15(int32_t{a.r} * b.i + int32_t{a.i} * b.r)};
}

// Divides by `radix` as fixed point does it: multiply by floor(32767 / radix) in Q15.
inline ComplexQ15 divide(ComplexQ15 c, int32_t radix) {
  const int32_t k = kQ15Max / radix;
  return {round_q15(c.r * k), round_q15(c.i * k)};
}

inline ComplexQ15 add(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r + b.r), static_cast<int16_t>(a.i + b.i)};
}
inline ComplexQ15 sub(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r - b.r), static_cast<int16_t>(a.i - b.i)};
}

ComplexQ15 q15_exp(double phase) {
  return {static_cast<int16_t>(std::floor(0.5 + kQ15Max * std::cos(phase))),
          static_cast<int16_t>(std::floor(0.5 + kQ15Max * std::sin(phase)))};
}

// Where KISS's recursion copies each input: at depth `level` the sub-FFT at `out` reads inputs
// in, in + stride, ... and splits them by the radix.
void digit_reverse(const std::vector<int>& radices, std::size_t level, std::size_t out,
                   std::size_t in, std::size_t stride, std::size_t length,
                   std::vector<uint16_t>& order) {
  const std::size_t p = static_cast<std::size_t>(radices[level]);
  const std::size_t m = length / p;
  for (std::size_t j = 0; j < p; ++j) {
    if (m == 1) {
      order[out + j] = static_cast<uint16_t>(in + j * stride);
    } else {
      digit_reverse(radices, level + 1, out + j * m, in + j * stride, stride * p, m, order);
    }
  }
}

}  // namespace

Q15KissRealFft::Q15KissRealFft(std::size_t size, const Q15Radix4Variant* kernels)
    : size_(size), half_(size / 2), input_order_(size / 2), data_(size / 2) {
  const auto variants = q15_radix4_variants();
  kernels_ = kernels != nullptr          ? *kernels
             : kernels::ops_forced_ref() ? variants.front()
                                         : variants.back();
  std::vector<ComplexQ15> twiddles(half_);
  for (std::size_t k = 0; k < half_; ++k) {
    twiddles[k] = q15_exp(-2 * std::numbers::pi * double(k) / double(half_));
  }
  // KISS factors a power of two as 4, 4, ..., (2); stage i's butterflies step through the
  // twiddles with the product of the radices before it.
  std::vector<int> radices;
  for (std::size_t n = half_; n > 1;) {
    const int radix = (n % 4 == 0) ? 4 : 2;
    radices.push_back(radix);
    n /= static_cast<std::size_t>(radix);
  }
  std::size_t stride = 1, m = half_;
  for (int radix : radices) {
    m /= static_cast<std::size_t>(radix);
    stages_.insert(stages_.begin(), Stage{radix, m, tw_.size()});
    for (int j = 1; j < radix; ++j) {
      for (std::size_t k = 0; k < m; ++k) {
        const ComplexQ15 w = twiddles[std::size_t(j) * k * stride];
        tw_.push_back(w);
        tw_conj_.push_back({w.r, static_cast<int16_t>(-w.i)});
        tw_swapped_.push_back({w.i, w.r});
      }
    }
    stride *= static_cast<std::size_t>(radix);
  }
  digit_reverse(radices, 0, 0, 0, 1, half_, input_order_);
  for (std::size_t k = 0; k < half_ / 2; ++k) {
    const ComplexQ15 w = q15_exp(-std::numbers::pi * (double(k + 1) / double(half_) + 0.5));
    split_tw_.push_back(w);
    split_conj_.push_back({w.r, static_cast<int16_t>(-w.i)});
    split_swapped_.push_back({w.i, w.r});
  }
}

void Q15KissRealFft::radix2_stage(std::size_t m, const ComplexQ15* tw) {
  for (ComplexQ15* out = data_.data(); out < data_.data() + half_; out += 2 * m) {
    for (std::size_t k = 0; k < m; ++k) {
      const ComplexQ15 a = divide(out[k], 2);
      const ComplexQ15 t = mul(divide(out[k + m], 2), tw[k]);
      out[k + m] = sub(a, t);
      out[k] = add(a, t);
    }
  }
}

void Q15KissRealFft::forward(std::span<const int16_t> in, std::span<ComplexQ15> out) {
  // Even samples in the real parts, odd samples in the imaginary parts, in KISS's input order.
  ComplexQ15* z = data_.data();
  for (std::size_t i = 0; i < half_; ++i) {
    std::memcpy(&z[i], in.data() + 2 * std::size_t{input_order_[i]}, sizeof(ComplexQ15));
  }
  for (const Stage& s : stages_) {
    if (s.radix == 4) {
      kernels_.fn(z, half_, s.m,
                  {tw_.data() + s.twiddle_offset, tw_conj_.data() + s.twiddle_offset,
                   tw_swapped_.data() + s.twiddle_offset});
    } else {
      radix2_stage(s.m, tw_.data() + s.twiddle_offset);
    }
  }

  kernels_.split(z, half_, {split_tw_.data(), split_conj_.data(), split_swapped_.data()},
                 out.data());
}

}  // namespace earshot::features::kws
