#include <cstdlib>
#include <cstring>

#include "features/kws/q15_kiss_butterflies.hpp"
#include "runtime/kernels/cpu_features.hpp"

namespace earshot::features::kws {
namespace {

// Q15 product rounded half up, the way KISS rounds (x + 2^14) >> 15, truncated to int16.
inline int16_t round_q15(int32_t x) {
  return static_cast<int16_t>((x + (1 << 14)) >> 15);
}

inline ComplexQ15 mul(ComplexQ15 a, ComplexQ15 b) {
  return {round_q15(int32_t{a.r} * b.r - int32_t{a.i} * b.i),
          round_q15(int32_t{a.r} * b.i + int32_t{a.i} * b.r)};
}

// Divides by the radix as fixed point does it: multiply by floor(32767 / radix) in Q15.
inline ComplexQ15 divide(ComplexQ15 c, int32_t radix) {
  const int32_t k = 32767 / radix;
  return {round_q15(c.r * k), round_q15(c.i * k)};
}
inline ComplexQ15 divide4(ComplexQ15 c) {
  return divide(c, 4);
}

inline ComplexQ15 add(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r + b.r), static_cast<int16_t>(a.i + b.i)};
}
inline ComplexQ15 sub(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r - b.r), static_cast<int16_t>(a.i - b.i)};
}

}  // namespace

void q15_radix4_stage_ref(ComplexQ15* data, std::size_t n, std::size_t m,
                          const Q15Radix4Twiddles& tw) {
  const ComplexQ15* w1 = tw.w;
  const ComplexQ15* w2 = tw.w + m;
  const ComplexQ15* w3 = tw.w + 2 * m;
  for (ComplexQ15* out = data; out < data + n; out += 4 * m) {
    for (std::size_t k = 0; k < m; ++k) {
      ComplexQ15 a0 = divide4(out[k]);
      const ComplexQ15 b1 = mul(divide4(out[k + m]), w1[k]);
      const ComplexQ15 b2 = mul(divide4(out[k + 2 * m]), w2[k]);
      const ComplexQ15 b3 = mul(divide4(out[k + 3 * m]), w3[k]);
      // KISS's operation order, so every int16 wrap-around matches.
      const ComplexQ15 d02 = sub(a0, b2);
      a0 = add(a0, b2);
      const ComplexQ15 s13 = add(b1, b3);
      const ComplexQ15 d13 = sub(b1, b3);
      out[k + 2 * m] = sub(a0, s13);
      out[k] = add(a0, s13);
      out[k + m] = {static_cast<int16_t>(d02.r + d13.i), static_cast<int16_t>(d02.i - d13.r)};
      out[k + 3 * m] = {static_cast<int16_t>(d02.r - d13.i), static_cast<int16_t>(d02.i + d13.r)};
    }
  }
}

void q15_split_bins_ref(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                        std::size_t k_begin, std::size_t k_end, ComplexQ15* out) {
  for (std::size_t k = k_begin; k < k_end; ++k) {
    const ComplexQ15 zk = divide(z[k], 2);
    const ComplexQ15 zc = divide({z[half - k].r, static_cast<int16_t>(-z[half - k].i)}, 2);
    const ComplexQ15 sum = add(zk, zc);
    const ComplexQ15 t = mul(sub(zk, zc), tw.w[k - 1]);
    out[k] = {static_cast<int16_t>((sum.r + t.r) >> 1), static_cast<int16_t>((sum.i + t.i) >> 1)};
    out[half - k] = {static_cast<int16_t>((sum.r - t.r) >> 1),
                     static_cast<int16_t>((t.i - sum.i) >> 1)};
  }
}

void q15_split_ref(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                   ComplexQ15* out) {
  const ComplexQ15 dc = divide(z[0], 2);
  out[0] = {static_cast<int16_t>(dc.r + dc.i), 0};
  out[half] = {static_cast<int16_t>(dc.r - dc.i), 0};
  q15_split_bins_ref(z, half, tw, 1, half / 2 + 1, out);
}

std::span<const Q15Radix4Variant> q15_radix4_variants() {
  static const Q15Radix4Variant all[] = {
    {"ref", q15_radix4_stage_ref, q15_split_ref},
#if defined(EARSHOT_KWS_FFT_AVX2)
    {"avx2", q15_radix4_stage_avx2, q15_split_avx2},
#endif
  };
  std::size_t usable = 1;
#if defined(EARSHOT_KWS_FFT_AVX2)
  if (kernels::cpu_features().avx2) usable = 2;
#endif
  return {all, usable};
}

}  // namespace earshot::features::kws
