// The radix-4 stage of the Q15 KISS FFT (see q15_kiss_real_fft.hpp), as a scalar reference and
// SIMD variants doing the same integer operations, so every variant is bit-exact with it.
#pragma once

#include <cstddef>
#include <span>

#include "features/kws/q15_complex.hpp"

#if !defined(EARSHOT_FORCE_REF) && (defined(__x86_64__) || defined(_M_X64))
#define EARSHOT_KWS_FFT_AVX2 1
#endif

namespace earshot::features::kws {

// Twiddles of one radix-4 stage with sub-FFT length m, contiguous: w[(j-1) * m + k] is the
// twiddle of input j (1..3) at position k. `conj` holds (r, -i) and `swapped` (i, r) of the
// same values, the operand forms a multiply-add instruction wants.
struct Q15Radix4Twiddles {
  const ComplexQ15* w;
  const ComplexQ15* conj;
  const ComplexQ15* swapped;
};

// Runs the radix-4 butterflies of one stage over `data` (n complex values, n / (4 m) groups of
// 4 m consecutive values), in place: every input divided by 4 with Q15 rounding, inputs 1..3
// times their twiddle, then the 4-point DFT in wrapping int16 arithmetic, as KISS FFT does.
using Q15Radix4StageFn = void (*)(ComplexQ15* data, std::size_t n, std::size_t m,
                                  const Q15Radix4Twiddles& tw);

// The split of the half-length complex FFT z into the real spectrum out[0..half], as kiss_fftr:
// tw holds exp(-i pi ((k+1)/half + 1/2)) for k = 0..half/2 - 1 in the three forms above.
using Q15SplitFn = void (*)(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                            ComplexQ15* out);

void q15_radix4_stage_ref(ComplexQ15* data, std::size_t n, std::size_t m,
                          const Q15Radix4Twiddles& tw);
void q15_split_ref(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                   ComplexQ15* out);
// Bins k_begin..k_end - 1 (and their mirrors half - k) of the split, 1 <= k_begin.
void q15_split_bins_ref(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                        std::size_t k_begin, std::size_t k_end, ComplexQ15* out);
#if defined(EARSHOT_KWS_FFT_AVX2)
void q15_radix4_stage_avx2(ComplexQ15* data, std::size_t n, std::size_t m,
                           const Q15Radix4Twiddles& tw);
void q15_split_avx2(const ComplexQ15* z, std::size_t half, const Q15Radix4Twiddles& tw,
                    ComplexQ15* out);
#endif

struct Q15Radix4Variant {
  const char* name;
  Q15Radix4StageFn fn;
  Q15SplitFn split;
};

// The variants compiled in that this CPU can run, "ref" first; the FFT uses the last one
// (EARSHOT_KERNELS=ref forces the reference).
std::span<const Q15Radix4Variant> q15_radix4_variants();

}  // namespace earshot::features::kws
