// i8 GEMM with AVX-512 VNNI: vpdpbusd multiplies unsigned by signed bytes, so activations are
// offset by +128 (x ^ 0x80) and the offset is removed with the weight column sums afterwards.
// vpdpbusd accumulates into int32 without intermediate saturation, so any int8 input is exact.
// Tile: up to 4 rows x 4 panels (64 channels) = 16 zmm accumulators.
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined_* (GCC
// bug 105593); the warning is about the header, not this code. Clang has no such bug (nor
// -Wmaybe-uninitialized).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include <cstdint>

#include "runtime/kernels/i8_gemm_epilogue.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

template <int MR, int NP>
struct TileAvx512 {
  static void run(const int8_t* const* xrows, const int32_t* tails, int full_groups, bool has_tail,
                  const int8_t* w, size_t panel_bytes, int32_t* raw) noexcept {
    __m512i acc[MR][NP];
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j) acc[r][j] = _mm512_setzero_si512();
    const int32_t flip = static_cast<int32_t>(0x80808080u);
    auto step = [&](int g, const int32_t* x4) {
      __m512i wv[NP];
      for (int j = 0; j < NP; ++j)
        wv[j] = _mm512_load_si512(w + j * panel_bytes + static_cast<size_t>(g) * 64);
      for (int r = 0; r < MR; ++r) {
        const __m512i xb = _mm512_set1_epi32(x4[r] ^ flip);
        for (int j = 0; j < NP; ++j) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], xb, wv[j]);
      }
    };
    for (int g = 0; g < full_groups; ++g) {
      int32_t x4[MR];
      for (int r = 0; r < MR; ++r) x4[r] = detail::i8_load_group(xrows[r], g);
      step(g, x4);
    }
    if (has_tail) step(full_groups, tails);
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < NP; ++j) _mm512_store_si512(raw + (r * NP + j) * 16, acc[r][j]);
  }
};

// TFLite's MultiplyByQuantizedMultiplier on 16 lanes, bit for bit with the scalar version in
// quant.hpp: 64-bit products of even and odd lanes; floor((a*b + 2^30) / 2^31) equals gemmlowp's
// nudge-and-truncate, and its low 32 bits are the same whether the 64-bit shift is logical or
// arithmetic; then the per-lane rounding divide by 2^right.
__m512i requantize16(__m512i acc, __m512i mult, __m512i shift) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i left = _mm512_max_epi32(shift, zero);
  const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
  const __m512i x = _mm512_sllv_epi32(acc, left);
  const __m512i nudge = _mm512_set1_epi64(int64_t{1} << 30);
  const __m512i even = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, mult), nudge), 31);
  const __m512i odd_prod = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(mult, 32));
  const __m512i odd = _mm512_slli_epi64(_mm512_add_epi64(odd_prod, nudge), 1);
  __m512i high = _mm512_mask_blend_epi32(0xAAAA, even, odd);
  const __m512i int_min = _mm512_set1_epi32(INT32_MIN);
  const __mmask16 both_min =
      _mm512_cmpeq_epi32_mask(x, int_min) & _mm512_cmpeq_epi32_mask(mult, int_min);
  high = _mm512_mask_mov_epi32(high, both_min, _mm512_set1_epi32(INT32_MAX));
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
  const __m512i remainder = _mm512_and_si512(high, mask);
  const __m512i threshold =
      _mm512_add_epi32(_mm512_srli_epi32(mask, 1), _mm512_srli_epi32(high, 31));
  const __m512i shifted = _mm512_srav_epi32(high, right);
  return _mm512_mask_add_epi32(shifted, _mm512_cmpgt_epi32_mask(remainder, threshold), shifted,
                               one);
}

// Vectorised i8_finish_tile (same arithmetic, 16 channels at a time, masked tails).
void finish_tile_avx512(const I8GemmParams& p, int m0, int rows, int n0, int cols,
                        const int32_t* raw, int raw_stride, int32_t offset) noexcept {
  const __m512i comp = _mm512_set1_epi32(
      static_cast<int32_t>(static_cast<uint32_t>(offset) + static_cast<uint32_t>(p.x_zero_point)));
  for (int r = 0; r < rows; ++r) {
    const int m = m0 + r;
    for (int c = 0; c < cols; c += 16) {
      const __mmask16 mk =
          cols - c >= 16 ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << (cols - c)) - 1);
      const int n = n0 + c;
      __m512i acc = _mm512_maskz_loadu_epi32(mk, raw + r * raw_stride + c);
      acc = _mm512_sub_epi32(
          acc, _mm512_mullo_epi32(comp, _mm512_maskz_loadu_epi32(mk, p.w->col_sums() + n)));
      if (p.bias != nullptr) acc = _mm512_add_epi32(acc, _mm512_maskz_loadu_epi32(mk, p.bias + n));
      const ptrdiff_t at = static_cast<ptrdiff_t>(m) * p.y_stride + n;
      switch (p.output) {
        case I8Output::kInt8: {
          const __m512i mult = p.per_channel ? _mm512_maskz_loadu_epi32(mk, p.multiplier + n)
                                             : _mm512_set1_epi32(p.multiplier[0]);
          const __m512i shift = p.per_channel ? _mm512_maskz_loadu_epi32(mk, p.shift + n)
                                              : _mm512_set1_epi32(p.shift[0]);
          __m512i v =
              _mm512_add_epi32(requantize16(acc, mult, shift), _mm512_set1_epi32(p.y_zero_point));
          v = _mm512_min_epi32(_mm512_max_epi32(v, _mm512_set1_epi32(p.y_min)),
                               _mm512_set1_epi32(p.y_max));
          _mm_mask_storeu_epi8(static_cast<int8_t*>(p.y) + at, mk, _mm512_cvtsepi32_epi8(v));
          break;
        }
        case I8Output::kInt32:
          _mm512_mask_storeu_epi32(static_cast<int32_t*>(p.y) + at, mk, acc);
          break;
        case I8Output::kFloat: {
          const __m512 rs = _mm512_set1_ps(p.row_scale[p.per_row_scale ? m : 0]);
          const __m512 scale = _mm512_mul_ps(rs, _mm512_maskz_loadu_ps(mk, p.col_scale + n));
          const __m512 b = p.bias_f32 != nullptr ? _mm512_maskz_loadu_ps(mk, p.bias_f32 + n)
                                                 : _mm512_setzero_ps();
          _mm512_mask_storeu_ps(static_cast<float*>(p.y) + at, mk,
                                _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc), scale, b));
          break;
        }
      }
    }
  }
}

}  // namespace

void i8_gemm_avx512vnni(const I8GemmParams& params) noexcept {
  const I8GemmParams p = detail::i8_resolve(params);
  detail::i8_drive<TileAvx512, 4, 4, 4, &finish_tile_avx512>(p, 128);
}

}  // namespace earshot::kernels
