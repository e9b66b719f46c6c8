// The inner loops of FixedRealFft (fixed_real_fft.hpp): the radix-2 stages with Q30 twiddles
// and the split into the real spectrum, as a scalar reference and SIMD variants that do the
// same integer arithmetic (exact int64 products, one rounding shift), so they are bit-exact.
#pragma once

#include <cstdint>
#include <span>

#if !defined(EARSHOT_FORCE_REF) && (defined(__x86_64__) || defined(_M_X64))
#define EARSHOT_MFCC_FFT_AVX2 1
#endif

namespace earshot::features::mfcc {

constexpr int kFftTwiddleBits = 30;
constexpr int64_t kFftTwiddleRound = int64_t{1} << (kFftTwiddleBits - 1);

// Radix-2 stages of lengths 8, 16, ..., m over m complex values (split re/im, bit-reversed
// input with the length-2 and -4 stages done). Per stage of length len, len/2 twiddles
// w = c + i d (Q30) as c, c + d and d - c, stage after stage.
using FixedFftStagesFn = void (*)(int32_t* re, int32_t* im, int m, const int32_t* tw_c,
                                  const int32_t* tw_sum, const int32_t* tw_diff);

// The N = 2m point real spectrum from the m-point complex FFT Z of the even/odd samples:
// out[2k], out[2k+1] = 2 X[k] for k = 0..m. cos[k], msin[k]: cos and -sin of 2 pi k / N, Q30.
using FixedFftSplitFn = void (*)(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                                 const int32_t* msin, int32_t* out);

void fixed_fft_stages_ref(int32_t* re, int32_t* im, int m, const int32_t* tw_c,
                          const int32_t* tw_sum, const int32_t* tw_diff);
void fixed_fft_split_ref(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                         const int32_t* msin, int32_t* out);
// Pieces of the reference the SIMD variants use for what their registers do not fit: one stage
// of length 2 * half, and the split for bins k_begin..k_end - 1.
void fixed_fft_stage_ref(int32_t* re, int32_t* im, int m, int half, const int32_t* tc,
                         const int32_t* ts, const int32_t* td);
void fixed_fft_split_bins_ref(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                              const int32_t* msin, int k_begin, int k_end, int32_t* out);
#if defined(EARSHOT_MFCC_FFT_AVX2)
void fixed_fft_stages_avx2(int32_t* re, int32_t* im, int m, const int32_t* tw_c,
                           const int32_t* tw_sum, const int32_t* tw_diff);
void fixed_fft_split_avx2(const int32_t* re, const int32_t* im, int m, const int32_t* cos,
                          const int32_t* msin, int32_t* out);
#endif

struct FixedFftKernels {
  const char* name;
  FixedFftStagesFn stages;
  FixedFftSplitFn split;
};

// The variants compiled in that this CPU can run, "ref" first. FixedRealFft uses the last one
// unless EARSHOT_KERNELS=ref.
std::span<const FixedFftKernels> fixed_fft_variants();

}  // namespace earshot::features::mfcc
