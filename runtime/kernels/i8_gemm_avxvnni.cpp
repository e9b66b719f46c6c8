// i8 GEMM with AVX-VNNI (VEX-encoded 256-bit vpdpbusd): the AVX-512 VNNI scheme on ymm
// registers, for CPUs with AVX-VNNI but without AVX-512. Activations +128, compensated with
// the column sums. Tile: up to 4 rows x 1 panel, or 1 row x 4 panels (GEMV) = 8 accumulators.
#include <immintrin.h>

#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_finish_avx2.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

template <int MR, int NP>
struct TileAvxVnni {
  static void run(const int8_t* const* xrows, const int32_t* tails, int full_groups, bool has_tail,
                  const int8_t* w, size_t panel_bytes, int32_t* raw) noexcept {
    __m256i acc[MR][NP][2];
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j) acc[r][j][0] = acc[r][j][1] = _mm256_setzero_si256();
    const int32_t flip = static_cast<int32_t>(0x80808080u);
    auto step = [&](int g, const int32_t* x4) {
      __m256i wv[NP][2];
      for (int j = 0; j < NP; ++j) {
        const int8_t* b = w + j * panel_bytes + static_cast<size_t>(g) * 64;
        wv[j][0] = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
        wv[j][1] = _mm256_load_si256(reinterpret_cast<const __m256i*>(b + 32));
      }
      for (int r = 0; r < MR; ++r) {
        const __m256i xb = _mm256_set1_epi32(x4[r] ^ flip);
        for (int j = 0; j < NP; ++j) {
          acc[r][j][0] = _mm256_dpbusd_avx_epi32(acc[r][j][0], xb, wv[j][0]);
          acc[r][j][1] = _mm256_dpbusd_avx_epi32(acc[r][j][1], xb, wv[j][1]);
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

void i8_gemm_avxvnni(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  detail::i8_drive<TileAvxVnni, 4, 1, 4, &detail::i8_finish_tile_avx2>(p, 128);
}

}  // namespace earshot::kernels
