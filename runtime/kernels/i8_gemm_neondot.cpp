// i8 GEMM with the Armv8.2 dot-product extension: sdot multiplies signed bytes and adds groups
// of 4 into int32 lanes, exact for every int8 input. One 16-byte weight vector holds 4
// channels x 4 k, so a panel is 4 sdot per k group. Tile: up to 4 rows x 1 panel, or 1 row x 4
// panels (GEMV) = 16 accumulators.
#include <arm_neon.h>

#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

template <int MR, int NP>
struct TileNeonDot {
  static void run(const int8_t* const* xrows, const int32_t* tails, int full_groups, bool has_tail,
                  const int8_t* w, size_t panel_bytes, int32_t* raw) noexcept {
    int32x4_t acc[MR][NP][4];
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j)
        for (int q = 0; q < 4; ++q) acc[r][j][q] = vdupq_n_s32(0);
    auto step = [&](int g, const int32_t* x4) {
      int8x16_t wv[NP][4];
      for (int j = 0; j < NP; ++j)
        for (int q = 0; q < 4; ++q)
          wv[j][q] = vld1q_s8(w + j * panel_bytes + static_cast<size_t>(g) * 64 + q * 16);
      for (int r = 0; r < MR; ++r) {
        const int8x16_t xb = vreinterpretq_s8_s32(vdupq_n_s32(x4[r]));
        for (int j = 0; j < NP; ++j)
          for (int q = 0; q < 4; ++q) acc[r][j][q] = vdotq_s32(acc[r][j][q], wv[j][q], xb);
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
        for (int q = 0; q < 4; ++q) vst1q_s32(raw + (r * NP + j) * 16 + q * 4, acc[r][j][q]);
  }
};

}  // namespace

void i8_gemm_neondot(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  detail::i8_drive<TileNeonDot, 4, 1, 4>(p, 0);
}

}  // namespace earshot::kernels
