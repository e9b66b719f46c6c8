// The stage-by-stage Q15 KISS FFT against a transcription of KISS FFT's own recursion
// (kf_work / kf_bfly2 / kf_bfly4 with FIXED_POINT=16), bit for bit, for every size and every
// compiled radix-4 variant; and the fast rounded square root against the digit-by-digit one
// at every point where either could change (perfect squares and the rounding midpoints).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "features/kws/kws_bits.hpp"
#include "features/kws/q15_kiss_real_fft.hpp"

namespace earshot::features::kws {
namespace {

// --- KISS FFT (fixed point, 16 bit), written the way kiss_fft.c / kiss_fftr.c compute it ---
int16_t sround(int32_t x) {
  return static_cast<int16_t>((x + (1 << 14)) >> 15);
}
ComplexQ15 cmul(ComplexQ15 a, ComplexQ15 b) {
  return {sround(a.r * b.r - a.i * b.i), sround(a.r * b.i + a.i * b.r)};
}
ComplexQ15 cdiv(ComplexQ15 a, int radix) {
  return {sround(a.r * (32767 / radix)), sround(a.i * (32767 / radix))};
}
ComplexQ15 cadd(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r + b.r), static_cast<int16_t>(a.i + b.i)};
}
ComplexQ15 csub(ComplexQ15 a, ComplexQ15 b) {
  return {static_cast<int16_t>(a.r - b.r), static_cast<int16_t>(a.i - b.i)};
}
ComplexQ15 q15_exp(double phase) {
  return {static_cast<int16_t>(std::floor(0.5 + 32767 * std::cos(phase))),
          static_cast<int16_t>(std::floor(0.5 + 32767 * std::sin(phase)))};
}

struct KissReference {
  std::size_t nfft;
  std::vector<int> factors;  // p, m pairs
  std::vector<ComplexQ15> tw;

  explicit KissReference(std::size_t n) : nfft(n), tw(n) {
    for (std::size_t k = 0; k < n; ++k)
      tw[k] = q15_exp(-2 * std::numbers::pi * double(k) / double(n));
    for (std::size_t m = n; m > 1;) {
      const int p = m % 4 == 0 ? 4 : 2;
      m /= std::size_t(p);
      factors.push_back(p);
      factors.push_back(static_cast<int>(m));
    }
  }

  void work(ComplexQ15* out, const ComplexQ15* f, std::size_t fstride, const int* fac) const {
    const int p = fac[0];
    const std::size_t m = std::size_t(fac[1]);
    ComplexQ15* const begin = out;
    const ComplexQ15* const end = out + std::size_t(p) * m;
    if (m == 1) {
      do {
        *out = *f;
        f += fstride;
      } while (++out != end);
    } else {
      do {
        work(out, f, fstride * std::size_t(p), fac + 2);
        f += fstride;
        out += m;
      } while (out != end);
    }
    out = begin;
    if (p == 2) {
      for (std::size_t k = 0; k < m; ++k) {
        out[k] = cdiv(out[k], 2);
        out[k + m] = cdiv(out[k + m], 2);
        const ComplexQ15 t = cmul(out[k + m], tw[k * fstride]);
        out[k + m] = csub(out[k], t);
        out[k] = cadd(out[k], t);
      }
    } else {
      for (std::size_t k = 0; k < m; ++k) {
        for (std::size_t j = 0; j < 4; ++j) out[k + j * m] = cdiv(out[k + j * m], 4);
        const ComplexQ15 s0 = cmul(out[k + m], tw[k * fstride]);
        const ComplexQ15 s1 = cmul(out[k + 2 * m], tw[2 * k * fstride]);
        const ComplexQ15 s2 = cmul(out[k + 3 * m], tw[3 * k * fstride]);
        const ComplexQ15 s5 = csub(out[k], s1);
        out[k] = cadd(out[k], s1);
        const ComplexQ15 s3 = cadd(s0, s2);
        const ComplexQ15 s4 = csub(s0, s2);
        out[k + 2 * m] = csub(out[k], s3);
        out[k] = cadd(out[k], s3);
        out[k + m] = {static_cast<int16_t>(s5.r + s4.i), static_cast<int16_t>(s5.i - s4.r)};
        out[k + 3 * m] = {static_cast<int16_t>(s5.r - s4.i), static_cast<int16_t>(s5.i + s4.r)};
      }
    }
  }
};

// kiss_fftr: the real FFT of 2 * half samples.
std::vector<ComplexQ15> kiss_fftr(const std::vector<int16_t>& x) {
  const std::size_t half = x.size() / 2;
  KissReference cfg(half);
  std::vector<ComplexQ15> in(half), z(half), out(half + 1);
  for (std::size_t k = 0; k < half; ++k) in[k] = {x[2 * k], x[2 * k + 1]};
  cfg.work(z.data(), in.data(), 1, cfg.factors.data());
  const ComplexQ15 dc = cdiv(z[0], 2);
  out[0] = {static_cast<int16_t>(dc.r + dc.i), 0};
  out[half] = {static_cast<int16_t>(dc.r - dc.i), 0};
  for (std::size_t k = 1; k <= half / 2; ++k) {
    const ComplexQ15 fk = cdiv(z[k], 2);
    const ComplexQ15 fnk = cdiv({z[half - k].r, static_cast<int16_t>(-z[half - k].i)}, 2);
    const ComplexQ15 f1 = cadd(fk, fnk), f2 = csub(fk, fnk);
    const ComplexQ15 tw = cmul(f2, q15_exp(-std::numbers::pi * (double(k) / double(half) + 0.5)));
    out[k] = {static_cast<int16_t>((f1.r + tw.r) >> 1), static_cast<int16_t>((f1.i + tw.i) >> 1)};
    out[half - k] = {static_cast<int16_t>((f1.r - tw.r) >> 1),
                     static_cast<int16_t>((tw.i - f1.i) >> 1)};
  }
  return out;
}

bool same(const std::vector<ComplexQ15>& a, const std::vector<ComplexQ15>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].r != b[i].r || a[i].i != b[i].i) return false;
  }
  return true;
}

TEST(Q15KissRealFft, EveryVariantMatchesKissRecursionBitForBit) {
  const auto variants = q15_radix4_variants();
  ASSERT_GE(variants.size(), 1u);
  EXPECT_STREQ(variants[0].name, "ref");
  for (std::size_t n = 8; n <= 4096; n *= 2) {
    std::mt19937 rng(static_cast<unsigned>(n));
    std::uniform_int_distribution<int> any(-32768, 32767), small(-40, 40), coin(0, 1);
    std::vector<std::vector<int16_t>> inputs(4, std::vector<int16_t>(n));
    for (std::size_t t = 0; t < n; ++t) {
      inputs[0][t] = static_cast<int16_t>(any(rng));
      inputs[1][t] = static_cast<int16_t>(coin(rng) ? 32767 : -32768);  // wraps int16 sums
      inputs[2][t] = static_cast<int16_t>(small(rng));
      inputs[3][t] = static_cast<int16_t>(t % 2 ? -32768 : 32767);
    }
    for (const auto& x : inputs) {
      const auto want = kiss_fftr(x);
      for (const auto& v : variants) {
        Q15KissRealFft fft(n, &v);
        std::vector<ComplexQ15> got(n / 2 + 1);
        fft.forward(x, got);
        ASSERT_TRUE(same(got, want)) << v.name << " n=" << n;
      }
    }
  }
}

TEST(KwsBits, FastRoundedSqrtEqualsDigitByDigitAtEveryStep) {
  // floor(sqrt) changes only at perfect squares r^2 and the rounding only past r^2 + r, so
  // checking around those points for every 16-bit root covers the whole 32-bit path.
  auto check = [](uint64_t v) {
    ASSERT_EQ(kws_rounded_sqrt64(v), kws_rounded_sqrt64_reference(v)) << v;
  };
  for (uint64_t r = 0; r <= 0x10000; ++r) {
    const uint64_t sq = r * r;
    for (uint64_t v : {sq, sq + r, sq + r + 1, sq + 2 * r}) check(v);
    if (sq > 0) check(sq - 1);
  }
  // 64-bit path: roots near both ends, around the 2^26.5 where double's spacing passes 1, and
  // the top (r = 2^32 - 1, n up to 2^64 - 1).
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300000; ++i) {
    uint64_t r;
    switch (i % 4) {
      case 0: r = 0x10000 + uint64_t(i); break;
      case 1: r = 0xFFFFFFFFull - uint64_t(i); break;
      case 2: r = (uint64_t{1} << 26) + uint64_t(i) * 97; break;
      default: r = (rng() >> 32) | 0x10000;
    }
    const uint64_t sq = r * r;
    for (uint64_t v : {sq - 1, sq, sq + 1, sq + r, sq + r + 1, sq + 2 * r}) check(v);
    check(rng() >> (rng() % 64));
  }
  check(~uint64_t{0});
}

}  // namespace
}  // namespace earshot::features::kws
