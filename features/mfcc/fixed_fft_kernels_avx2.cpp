// AVX2 FixedRealFft loops: eight complex values per register; the int64 products come from
// vpmuldq (signed 32x32 -> 64, even lanes; odd lanes shuffled down), rounded and shifted as in
// the reference. The shifted results fit in int32, so a logical 64-bit shift gives the same low
// 32 bits as the reference's arithmetic one: bit-exact for inputs within FixedRealFft's range.
#include <immintrin.h>

#include "features/mfcc/fixed_fft_kernels.hpp"

namespace earshot::features::mfcc {
namespace {

inline __m256i load(const int32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
inline void store(int32_t* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}
inline __m256i odd(__m256i v) {
  return _mm256_shuffle_epi32(v, 0xF5);  // lanes 1, 3, 5, 7 into the even slots
}
// Bits 30..61 of the even-lane and odd-lane int64 sums, back as eight int32.
inline __m256i narrow(__m256i even, __m256i odd_lanes) {
  return _mm256_blend_epi32(_mm256_srli_epi64(even, kFftTwiddleBits),
                            _mm256_slli_epi64(odd_lanes, 32 - kFftTwiddleBits), 0xAA);
}

// t = (a + i b) w for eight lanes, w given as c, c + d, d - c (see fixed_fft_stage_ref).
inline void twiddle(__m256i a, __m256i b, __m256i c, __m256i s, __m256i d, __m256i& tr,
                    __m256i& ti) {
  const __m256i round = _mm256_set1_epi64x(kFftTwiddleRound);
  const __m256i sab = _mm256_add_epi32(a, b);
  const __m256i k1e = _mm256_add_epi64(_mm256_mul_epi32(c, sab), round);
  const __m256i k1o = _mm256_add_epi64(_mm256_mul_epi32(odd(c), odd(sab)), round);
  tr = narrow(_mm256_sub_epi64(k1e, _mm256_mul_epi32(b, s)),
              _mm256_sub_epi64(k1o, _mm256_mul_epi32(odd(b), odd(s))));
  ti = narrow(_mm256_add_epi64(k1e, _mm256_mul_epi32(a, d)),
              _mm256_add_epi64(k1o, _mm256_mul_epi32(odd(a), odd(d))));
}

// Stages with half >= 8: eight butterflies of one block per register.
void stage_wide(int32_t* re, int32_t* im, int m, int half, const int32_t* tc, const int32_t* ts,
                const int32_t* td) {
  for (int start = 0; start < m; start += 2 * half) {
    int32_t* lr = re + start;
    int32_t* li = im + start;
    int32_t* hr = lr + half;
    int32_t* hi = li + half;
    for (int j = 0; j < half; j += 8) {
      __m256i tr, ti;
      twiddle(load(hr + j), load(hi + j), load(tc + j), load(ts + j), load(td + j), tr, ti);
      const __m256i ur = load(lr + j), ui = load(li + j);
      store(lr + j, _mm256_add_epi32(ur, tr));
      store(li + j, _mm256_add_epi32(ui, ti));
      store(hr + j, _mm256_sub_epi32(ur, tr));
      store(hi + j, _mm256_sub_epi32(ui, ti));
    }
  }
}

// The length-8 stage (half == 4): two blocks per register, one per 128-bit lane.
void stage_len8(int32_t* re, int32_t* im, int m, const int32_t* tc, const int32_t* ts,
                const int32_t* td) {
  const auto dup = [](const int32_t* p) {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  };
  const __m256i c = dup(tc), s = dup(ts), d = dup(td);
  for (int start = 0; start < m; start += 16) {
    const __m256i r0 = load(re + start), r1 = load(re + start + 8);
    const __m256i i0 = load(im + start), i1 = load(im + start + 8);
    const __m256i lr = _mm256_permute2x128_si256(r0, r1, 0x20);
    const __m256i hr = _mm256_permute2x128_si256(r0, r1, 0x31);
    const __m256i li = _mm256_permute2x128_si256(i0, i1, 0x20);
    const __m256i hi = _mm256_permute2x128_si256(i0, i1, 0x31);
    __m256i tr, ti;
    twiddle(hr, hi, c, s, d, tr, ti);
    const __m256i lr2 = _mm256_add_epi32(lr, tr), hr2 = _mm256_sub_epi32(lr, tr);
    const __m256i li2 = _mm256_add_epi32(li, ti), hi2 = _mm256_sub_epi32(li, ti);
    store(re + start, _mm256_permute2x128_si256(lr2, hr2, 0x20));
    store(re + start + 8, _mm256_permute2x128_si256(lr2, hr2, 0x31));
    store(im + start, _mm256_permute2x128_si256(li2, hi2, 0x20));
    store(im + start + 8, _mm256_permute2x128_si256(li2, hi2, 0x31));
  }
}

}  // namespace

void fixed_fft_stages_avx2(int32_t* re, int32_t* im, int m, const int32_t* tc, const int32_t* ts,
                           const int32_t* td) {
  for (int half = 4; half < m; half <<= 1) {
    if (half >= 8) {
      stage_wide(re, im, m, half, tc, ts, td);
    } else if (m % 16 == 0) {
      stage_len8(re, im, m, tc, ts, td);
    } else {
      fixed_fft_stage_ref(re, im, m, half, tc, ts, td);
    }
    tc += half;
    ts += half;
    td += half;
  }
}

void fixed_fft_split_avx2(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                          const int32_t* msin, int32_t* out) {
  const __m256i reverse = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  const __m256i round = _mm256_set1_epi64x(kFftTwiddleRound);
  int k = 1;
  for (; k + 8 <= m; k += 8) {
    const __m256i zr = load(re + k), zi = load(im + k);
    // Z[m - k] for the eight k, conjugated.
    const __m256i cr = _mm256_permutevar8x32_epi32(load(re + m - k - 7), reverse);
    const __m256i ci = _mm256_sub_epi32(_mm256_setzero_si256(),
                                        _mm256_permutevar8x32_epi32(load(im + m - k - 7), reverse));
    const __m256i ar = _mm256_add_epi32(zr, cr), ai = _mm256_add_epi32(zi, ci);
    const __m256i br = _mm256_sub_epi32(zr, cr), bi = _mm256_sub_epi32(zi, ci);
    const __m256i c = load(cos + k), s = load(msin + k);
    // (bi c + br s, bi s - br c), rounded.
    const __m256i tr = narrow(
        _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epi32(bi, c), _mm256_mul_epi32(br, s)), round),
        _mm256_add_epi64(
            _mm256_add_epi64(_mm256_mul_epi32(odd(bi), odd(c)), _mm256_mul_epi32(odd(br), odd(s))),
            round));
    const __m256i ti = narrow(
        _mm256_add_epi64(_mm256_sub_epi64(_mm256_mul_epi32(bi, s), _mm256_mul_epi32(br, c)), round),
        _mm256_add_epi64(
            _mm256_sub_epi64(_mm256_mul_epi32(odd(bi), odd(s)), _mm256_mul_epi32(odd(br), odd(c))),
            round));
    const __m256i xr = _mm256_add_epi32(ar, tr), xi = _mm256_add_epi32(ai, ti);
    const __m256i lo = _mm256_unpacklo_epi32(xr, xi), hi = _mm256_unpackhi_epi32(xr, xi);
    store(out + 2 * k, _mm256_permute2x128_si256(lo, hi, 0x20));
    store(out + 2 * k + 8, _mm256_permute2x128_si256(lo, hi, 0x31));
  }
  fixed_fft_split_bins_ref(re, im, m, cos, msin, 0, 1, out);
  fixed_fft_split_bins_ref(re, im, m, cos, msin, k, m + 1, out);
}

}  // namespace earshot::features::mfcc
