// AVX2 radix-4 stage of the Q15 KISS FFT: eight complex values per register, the same integer
// operations as q15_radix4_stage_ref (vpmulhrsw is exactly KISS's (x * 8191 + 2^14) >> 15,
// vpmaddwd the 32-bit a.r*b.r - a.i*b.i before its rounding, wrapping 16-bit adds), so the
// results are bit-identical. Stages with m >= 8 run across k; m == 4 packs two groups per
// register; m == 1 transposes eight 4-point groups; anything else falls back to the reference.
#include <immintrin.h>

#include "features/kws/q15_kiss_butterflies.hpp"

namespace earshot::features::kws {
namespace {

inline __m256i divide4(__m256i x) {
  return _mm256_mulhrs_epi16(x, _mm256_set1_epi16(32767 / 4));
}

// Q15 complex product rounded as KISS does: each 32-bit part + 2^14, bits 15..30 kept.
inline __m256i mul(__m256i d, __m256i conj, __m256i swapped) {
  const __m256i round = _mm256_set1_epi32(1 << 14);
  const __m256i re = _mm256_srli_epi32(_mm256_add_epi32(_mm256_madd_epi16(d, conj), round), 15);
  const __m256i im = _mm256_slli_epi32(_mm256_add_epi32(_mm256_madd_epi16(d, swapped), round), 1);
  return _mm256_blend_epi16(re, im, 0xAA);
}

struct Tw {
  __m256i c1, s1, c2, s2, c3, s3;  // conj and swapped twiddles of inputs 1..3
};

inline void butterfly(__m256i& x0, __m256i& x1, __m256i& x2, __m256i& x3, const Tw& t) {
  __m256i a0 = divide4(x0);
  const __m256i b1 = mul(divide4(x1), t.c1, t.s1);
  const __m256i b2 = mul(divide4(x2), t.c2, t.s2);
  const __m256i b3 = mul(divide4(x3), t.c3, t.s3);
  const __m256i d02 = _mm256_sub_epi16(a0, b2);
  a0 = _mm256_add_epi16(a0, b2);
  const __m256i s13 = _mm256_add_epi16(b1, b3);
  const __m256i d13 = _mm256_sub_epi16(b1, b3);
  x2 = _mm256_sub_epi16(a0, s13);
  x0 = _mm256_add_epi16(a0, s13);
  // (d13.i, -d13.r): swap the halves of each complex, negate the new imaginary part.
  const __m256i swap = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3,
                                        0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
  const __m256i t13 = _mm256_sign_epi16(_mm256_shuffle_epi8(d13, swap),
                                        _mm256_set1_epi32(static_cast<int>(0xFFFF0001u)));
  x1 = _mm256_add_epi16(d02, t13);
  x3 = _mm256_sub_epi16(d02, t13);
}

inline __m256i load(const ComplexQ15* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
inline void store(ComplexQ15* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}
inline __m256i broadcast1(const ComplexQ15* p) {
  int32_t v;
  __builtin_memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}
inline __m256i broadcast4(const ComplexQ15* p) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// m >= 8, a multiple of 8: eight positions k of one group per register.
void stage_wide(ComplexQ15* data, std::size_t n, std::size_t m, const Q15Radix4Twiddles& tw) {
  for (ComplexQ15* g = data; g < data + n; g += 4 * m) {
    for (std::size_t k = 0; k < m; k += 8) {
      const Tw t{load(tw.conj + k),        load(tw.swapped + k),      load(tw.conj + m + k),
                 load(tw.swapped + m + k), load(tw.conj + 2 * m + k), load(tw.swapped + 2 * m + k)};
      __m256i x0 = load(g + k), x1 = load(g + m + k), x2 = load(g + 2 * m + k),
              x3 = load(g + 3 * m + k);
      butterfly(x0, x1, x2, x3, t);
      store(g + k, x0);
      store(g + m + k, x1);
      store(g + 2 * m + k, x2);
      store(g + 3 * m + k, x3);
    }
  }
}

// m == 4: a group is 16 values; two groups per register set, one per 128-bit lane.
std::size_t stage_m4(ComplexQ15* data, std::size_t n, const Q15Radix4Twiddles& tw) {
  const Tw t{broadcast4(tw.conj),        broadcast4(tw.swapped),  broadcast4(tw.conj + 4),
             broadcast4(tw.swapped + 4), broadcast4(tw.conj + 8), broadcast4(tw.swapped + 8)};
  std::size_t done = 0;
  for (; done + 32 <= n; done += 32) {
    ComplexQ15* g = data + done;
    const __m256i v0 = load(g), v1 = load(g + 8), v2 = load(g + 16), v3 = load(g + 24);
    __m256i x0 = _mm256_permute2x128_si256(v0, v2, 0x20);
    __m256i x1 = _mm256_permute2x128_si256(v0, v2, 0x31);
    __m256i x2 = _mm256_permute2x128_si256(v1, v3, 0x20);
    __m256i x3 = _mm256_permute2x128_si256(v1, v3, 0x31);
    butterfly(x0, x1, x2, x3, t);
    store(g, _mm256_permute2x128_si256(x0, x1, 0x20));
    store(g + 8, _mm256_permute2x128_si256(x2, x3, 0x20));
    store(g + 16, _mm256_permute2x128_si256(x0, x1, 0x31));
    store(g + 24, _mm256_permute2x128_si256(x2, x3, 0x31));
  }
  return done;
}

// m == 1: groups of 4 values; a 4x4 transpose per 128-bit lane puts input j of eight groups in
// one register (all twiddles are w^0).
std::size_t stage_m1(ComplexQ15* data, std::size_t n, const Q15Radix4Twiddles& tw) {
  const Tw t{broadcast1(tw.conj),        broadcast1(tw.swapped),  broadcast1(tw.conj + 1),
             broadcast1(tw.swapped + 1), broadcast1(tw.conj + 2), broadcast1(tw.swapped + 2)};
  std::size_t done = 0;
  for (; done + 32 <= n; done += 32) {
    ComplexQ15* g = data + done;
    const __m256i v0 = load(g), v1 = load(g + 8), v2 = load(g + 16), v3 = load(g + 24);
    const __m256i t0 = _mm256_unpacklo_epi32(v0, v1), t1 = _mm256_unpackhi_epi32(v0, v1);
    const __m256i t2 = _mm256_unpacklo_epi32(v2, v3), t3 = _mm256_unpackhi_epi32(v2, v3);
    __m256i x0 = _mm256_unpacklo_epi64(t0, t2), x1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i x2 = _mm256_unpacklo_epi64(t1, t3), x3 = _mm256_unpackhi_epi64(t1, t3);
    butterfly(x0, x1, x2, x3, t);
    const __m256i u0 = _mm256_unpacklo_epi32(x0, x1), u1 = _mm256_unpackhi_epi32(x0, x1);
    const __m256i u2 = _mm256_unpacklo_epi32(x2, x3), u3 = _mm256_unpackhi_epi32(x2, x3);
    store(g, _mm256_unpacklo_epi64(u0, u2));
    store(g + 8, _mm256_unpackhi_epi64(u0, u2));
    store(g + 16, _mm256_unpacklo_epi64(u1, u3));
    store(g + 24, _mm256_unpackhi_epi64(u1, u3));
  }
  return done;
}

}  // namespace

void q15_radix4_stage_avx2(ComplexQ15* data, std::size_t n, std::size_t m,
                           const Q15Radix4Twiddles& tw) {
  std::size_t done = 0;
  if (m % 8 == 0) {
    stage_wide(data, n, m, tw);
    done = n;
  } else if (m == 4) {
    done = stage_m4(data, n, tw);
  } else if (m == 1) {
    done = stage_m1(data, n, tw);
  }
  // Groups left over (or an m the registers do not fit): the reference on the remaining groups.
  if (done < n) q15_radix4_stage_ref(data + done, n - done, m, tw);
}

void q15_split_avx2(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                    ComplexQ15* out) {
  const ComplexQ15 dc = {static_cast<int16_t>((z[0].r * (32767 / 2) + (1 << 14)) >> 15),
                         static_cast<int16_t>((z[0].i * (32767 / 2) + (1 << 14)) >> 15)};
  out[0] = {static_cast<int16_t>(dc.r + dc.i), 0};
  out[half] = {static_cast<int16_t>(dc.r - dc.i), 0};
  const __m256i reverse = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  const __m256i half_q15 = _mm256_set1_epi16(32767 / 2);
  const __m256i conj = _mm256_set1_epi32(static_cast<int>(0xFFFF0001u));
  const __m256i one = _mm256_set1_epi16(1);
  std::size_t k = 1;
  for (; k + 8 <= half / 2 + 1; k += 8) {
    const __m256i zk = _mm256_mulhrs_epi16(load(z + k), half_q15);
    const __m256i mirror = _mm256_permutevar8x32_epi32(load(z + half - k - 7), reverse);
    const __m256i zc = _mm256_mulhrs_epi16(_mm256_sign_epi16(mirror, conj), half_q15);
    const __m256i sum = _mm256_add_epi16(zk, zc);
    const __m256i t =
        mul(_mm256_sub_epi16(zk, zc), load(tw.conj + k - 1), load(tw.swapped + k - 1));
    // floor((a + b) / 2) and floor((a - b) / 2) without leaving 16 bits.
    const __m256i lo =
        _mm256_add_epi16(_mm256_add_epi16(_mm256_srai_epi16(sum, 1), _mm256_srai_epi16(t, 1)),
                         _mm256_and_si256(_mm256_and_si256(sum, t), one));
    const __m256i a = _mm256_blend_epi16(sum, t, 0xAA);  // (sum.r, t.i)
    const __m256i b = _mm256_blend_epi16(t, sum, 0xAA);  // (t.r, sum.i)
    const __m256i hi =
        _mm256_sub_epi16(_mm256_sub_epi16(_mm256_srai_epi16(a, 1), _mm256_srai_epi16(b, 1)),
                         _mm256_and_si256(_mm256_andnot_si256(a, b), one));
    store(out + k, lo);
    store(out + half - k - 7, _mm256_permutevar8x32_epi32(hi, reverse));
  }
  q15_split_bins_ref(z, half, tw, k, half / 2 + 1, out);
}

}  // namespace earshot::features::kws
