// i8 GEMM with AVX2. vpmaddubsw (u8 x s8, pairs summed into int16 with saturation) is made
// exact by the sign trick: |x| (u8, at most 128) times sign(x) * w (s8). With weights in
// [-127, 127] a pair sums to at most 2 * 128 * 127 = 32512 < 32767, so it never saturates;
// vpmaddwd with ones widens the pairs to int32. Weights containing -128 are not exact here
// (sign(-128) wraps) and the dispatcher sends them elsewhere (PackedI8Weights::has_minus_128).
// Tile: up to 4 rows x 1 panel, or 1 row x 4 panels (GEMV) = 8 accumulators.
#include <immintrin.h>

#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_finish_avx2.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

template <int MR, int NP>
struct TileAvx2 {
  static void run(const int8_t* const* xrows, const int32_t* tails, int full_groups, bool has_tail,
                  const int8_t* w, size_t panel_bytes, int32_t* raw) noexcept {
    __m256i acc[MR][NP][2];
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j) acc[r][j][0] = acc[r][j][1] = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    auto step = [&](int g, const int32_t* x4) {
      __m256i wv[NP][2];
      for (int j = 0; j < NP; ++j) {
        const int8_t* b = w + j * panel_bytes + static_cast<size_t>(g) * 64;
        wv[j][0] = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
        wv[j][1] = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 32));
      }
      for (int r = 0; r < MR; ++r) {
        const __m256i xb = _mm256_set1_epi32(x4[r]);
        const __m256i ax = _mm256_abs_epi8(xb);
        for (int j = 0; j < NP; ++j) {
          for (int h = 0; h < 2; ++h) {
            const __m256i pairs = _mm256_maddubs_epi16(ax, _mm256_sign_epi8(wv[j][h], xb));
            acc[r][j][h] = _mm256_add_epi32(acc[r][j][h], _mm256_madd_epi16(pairs, ones));
          }
        }
      }
    };
    for (int g = 0; g < full_groups; ++g) {
      int32_t x4[MR];
      for (int r = 0; r < MR; ++r) x4[r] = detail::i8_load_group(xrows[r], g);
      step(g, x4);
    }
    if (has_tail) step(full_groups, tails);
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j)
        for (int h = 0; h < 2; ++h)
          _mm256_store_si256(reinterpret_cast<__m256i*>(raw + (r * NP + j) * 16 + h * 8),
                             acc[r][j][h]);
  }
};

}  // namespace

void i8_gemm_avx2(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  detail::i8_drive<TileAvx2, 4, 1, 4, &detail::i8_finish_tile_avx2>(p, 0);
}

}  // namespace earshot::kernels
