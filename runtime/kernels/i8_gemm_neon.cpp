// i8 GEMM with baseline aarch64 NEON (no dot product): smull multiplies 8 signed byte pairs
// into int16 (|-128 * -128| = 16384 fits, so exact), sadalp adds neighbouring int16 pairs into
// int32 lanes; a final addp folds each channel's two partial sums. Tile: up to 2 rows x 1
// panel, or 1 row x 2 panels (GEMV) = 16 accumulators.
#include <arm_neon.h>

#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

template <int MR, int NP>
struct TileNeon {
  static void run(const int8_t* const* xrows, const int32_t* tails, int full_groups, bool has_tail,
                  const int8_t* w, size_t panel_bytes, int32_t* raw) noexcept {
    // acc[..][q][0]: channels 4q, 4q+1 (two partial sums each); [1]: channels 4q+2, 4q+3.
    int32x4_t acc[MR][NP][4][2];
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j)
        for (int q = 0; q < 4; ++q) acc[r][j][q][0] = acc[r][j][q][1] = vdupq_n_s32(0);
    auto step = [&](int g, const int32_t* x4) {
      for (int j = 0; j < NP; ++j) {
        for (int q = 0; q < 4; ++q) {
          const int8x16_t wv = vld1q_s8(w + j * panel_bytes + static_cast<size_t>(g) * 64 + q * 16);
          for (int r = 0; r < MR; ++r) {
            const int8x8_t xb = vreinterpret_s8_s32(vdup_n_s32(x4[r]));
            acc[r][j][q][0] = vpadalq_s16(acc[r][j][q][0], vmull_s8(vget_low_s8(wv), xb));
            acc[r][j][q][1] = vpadalq_s16(acc[r][j][q][1], vmull_s8(vget_high_s8(wv), xb));
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
        for (int q = 0; q < 4; ++q)
          vst1q_s32(raw + (r * NP + j) * 16 + q * 4, vpaddq_s32(acc[r][j][q][0], acc[r][j][q][1]));
  }
};

}  // namespace

void i8_gemm_neon(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  detail::i8_drive<TileNeon, 2, 1, 2>(p, 0);
}

}  // namespace earshot::kernels
