#include "features/mfcc/fixed_fft_kernels.hpp"
#include "runtime/kernels/cpu_features.hpp"

namespace earshot::features::mfcc {

void fixed_fft_stage_ref(int32_t* re, int32_t* im, int m, int half, const int32_t* tc,
                         const int32_t* ts, const int32_t* td) {
  for (int start = 0; start < m; start += 2 * half) {
    int32_t* lr = re + start;
    int32_t* li = im + start;
    int32_t* hr = lr + half;
    int32_t* hi = li + half;
    for (int j = 0; j < half; ++j) {
      // (a + i b)(c + i d): k1 = c (a + b), re = k1 - b (c + d), im = k1 + a (d - c).
      const int64_t a = hr[j], b = hi[j];
      const int64_t k1 = tc[j] * (a + b);
      const auto tr = static_cast<int32_t>((k1 - b * ts[j] + kFftTwiddleRound) >> kFftTwiddleBits);
      const auto ti = static_cast<int32_t>((k1 + a * td[j] + kFftTwiddleRound) >> kFftTwiddleBits);
      const int32_t ur = lr[j], ui = li[j];
      lr[j] = ur + tr;
      li[j] = ui + ti;
      hr[j] = ur - tr;
      hi[j] = ui - ti;
    }
  }
}

void fixed_fft_stages_ref(int32_t* re, int32_t* im, int m, const int32_t* tc, const int32_t* ts,
                          const int32_t* td) {
  for (int half = 4; half < m; half <<= 1) {
    fixed_fft_stage_ref(re, im, m, half, tc, ts, td);
    tc += half;
    ts += half;
    td += half;
  }
}

void fixed_fft_split_bins_ref(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                              const int32_t* msin, int k_begin, int k_end, int32_t* out) {
  // 2 X[k] = (Z[k] + conj Z[m-k]) - i W^k (Z[k] - conj Z[m-k]), W = e^{-2 pi i/N}.
  for (int k = k_begin; k < k_end; ++k) {
    const int p = k == m ? 0 : k;
    const int q = k == 0 ? 0 : m - k;
    const int64_t zr = re[p], zi = im[p];
    const int64_t cr = re[q], ci = -static_cast<int64_t>(im[q]);
    const int64_t ar = zr + cr, ai = zi + ci;
    const int64_t br = zr - cr, bi = zi - ci;
    // -i B = (bi, -br), times (c + i s): (bi c + br s, bi s - br c).
    const int64_t c = cos[k], s = msin[k];
    const int64_t tr = (bi * c + br * s + kFftTwiddleRound) >> kFftTwiddleBits;
    const int64_t ti = (bi * s - br * c + kFftTwiddleRound) >> kFftTwiddleBits;
    out[2 * k] = static_cast<int32_t>(ar + tr);
    out[2 * k + 1] = static_cast<int32_t>(ai + ti);
  }
}

void fixed_fft_split_ref(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                         const int32_t* msin, int32_t* out) {
  fixed_fft_split_bins_ref(re, im, m, cos, msin, 0, m + 1, out);
}

std::span<const FixedFftKernels> fixed_fft_variants() {
  static const FixedFftKernels all[] = {
    {"ref", fixed_fft_stages_ref, fixed_fft_split_ref},
#if defined(EARSHOT_MFCC_FFT_AVX2)
    {"avx2", fixed_fft_stages_avx2, fixed_fft_split_avx2},
#endif
  };
  std::size_t usable = 1;
#if defined(EARSHOT_MFCC_FFT_AVX2)
  if (kernels::cpu_features().avx2) usable = 2;
#endif
  return {all, usable};
}

}  // namespace earshot::features::mfcc
