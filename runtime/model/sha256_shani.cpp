// SHA-256 block function with the x86 SHA extensions (SHA-NI). Built with a function target
// attribute, so the rest of the library needs no -msha; used only when CPUID reports SHA.
#include "runtime/model/sha256_compress.hpp"

#if defined(__x86_64__) && !defined(EARSHOT_FORCE_REF)
#include <cpuid.h>
#include <immintrin.h>

namespace earshot::model::detail {
namespace {

__attribute__((target("sha,sse4.1"))) void compress_shani(std::uint32_t state[8],
                                                          const std::uint8_t* blocks,
                                                          std::size_t count) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  // The instructions keep the state as ABEF / CDGH.
  __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  __m128i state1 =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);

  for (std::size_t b = 0; b < count; ++b, blocks += 64) {
    const __m128i abef = state0, cdgh = state1;
    __m128i w[4];
    for (int i = 0; i < 16; ++i) {
      __m128i& wi = w[i & 3];
      if (i < 4) {
        wi = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)),
                              byte_swap);
      } else {
        // W[i] from W[i-4..i-1]: sigma0 part (msg1), the W[t-7] words, sigma1 part (msg2).
        const __m128i t7 = _mm_alignr_epi8(w[(i - 1) & 3], w[(i - 2) & 3], 4);
        wi = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(wi, w[(i - 3) & 3]), t7),
                                  w[(i - 1) & 3]);
      }
      __m128i msg = _mm_add_epi32(
          wi, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256Round + 4 * i)));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
  }

  tmp = _mm_shuffle_epi32(state0, 0x1B);
  state1 = _mm_shuffle_epi32(state1, 0xB1);
  state0 = _mm_blend_epi16(tmp, state1, 0xF0);
  state1 = _mm_alignr_epi8(state1, tmp, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), state0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), state1);
}

bool cpu_has_sha_ni() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  const bool sha = (b >> 29) & 1;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  return sha && ssse3 && sse41;
}

}  // namespace

Sha256CompressFn sha256_compress_shani() {
  static const bool available = cpu_has_sha_ni();
  return available ? &compress_shani : nullptr;
}

}  // namespace earshot::model::detail

#else

namespace earshot::model::detail {
Sha256CompressFn sha256_compress_shani() {
  return nullptr;
}
}  // namespace earshot::model::detail

#endif
