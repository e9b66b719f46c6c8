// Shared by every i8 GEMM variant: parameter resolution, the tile driver (panel outer, rows
// inner so one weight block stays in L1 while the activation rows stream) and the output stage.
// Everything here has internal linkage (static / templates over TU-local tile types): each
// variant's translation unit gets its own copy compiled with its own instruction set.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "runtime/kernels/i8_gemm.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels::detail {

static inline I8GemmParams i8_resolve(I8GemmParams p) noexcept {
  if (p.x_stride == 0) p.x_stride = p.w->k();
  if (p.y_stride == 0) p.y_stride = p.w->n();
  return p;
}

// Output stage for one element given the final accumulator (bias and zero point included).
static inline void i8_store(const I8GemmParams& p, int m, int n, int32_t acc) noexcept {
  const ptrdiff_t at = static_cast<ptrdiff_t>(m) * p.y_stride + n;
  switch (p.output) {
    case I8Output::kInt8: {
      const int c = p.per_channel ? n : 0;
      int32_t v = multiply_by_quantized_multiplier(acc, p.multiplier[c], p.shift[c]);
      v += p.y_zero_point;
      v = v < p.y_min ? p.y_min : (v > p.y_max ? p.y_max : v);
      static_cast<int8_t*>(p.y)[at] = static_cast<int8_t>(v);
      break;
    }
    case I8Output::kInt32: static_cast<int32_t*>(p.y)[at] = acc; break;
    case I8Output::kFloat: {
      const float rs = p.row_scale[p.per_row_scale ? m : 0];
      const float scale = rs * p.col_scale[n];
      const float b = p.bias_f32 != nullptr ? p.bias_f32[n] : 0.0f;
      // One explicit fused multiply-add: the same rounding in every variant whatever the
      // compiler would contract in a translation unit built with -mfma.
      static_cast<float*>(p.y)[at] = std::fma(static_cast<float>(acc), scale, b);
      break;
    }
  }
}

// raw[r * raw_stride + c] = sum_k (x[k] + offset) * w[n][k] for channels n0 + c, where the
// kernel added `offset - x_zero_point` to every activation (128 for u8 x s8 VNNI, 0 otherwise
// after the zero-point compensation below). acc = raw - offset_total * col_sum + bias, in
// wrapping 32-bit arithmetic like TFLite's int32 accumulator.
static inline void i8_finish_tile(const I8GemmParams& p, int m0, int rows, int n0, int cols,
                                  const int32_t* raw, int raw_stride, int32_t offset) noexcept {
  const int32_t* col_sums = p.w->col_sums();
  const uint32_t comp = static_cast<uint32_t>(offset) + static_cast<uint32_t>(p.x_zero_point);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const int n = n0 + c;
      uint32_t acc = static_cast<uint32_t>(raw[r * raw_stride + c]) -
                     comp * static_cast<uint32_t>(col_sums[n]);
      if (p.bias != nullptr) acc += static_cast<uint32_t>(p.bias[n]);
      i8_store(p, m0 + r, n, static_cast<int32_t>(acc));
    }
  }
}

// The last, partial k group of an activation row as 4 bytes, zero padded.
static inline int32_t i8_tail_group(const int8_t* row, int k) noexcept {
  const int full = k & ~3;
  int8_t b[4] = {0, 0, 0, 0};
  for (int i = full; i < k; ++i) b[i - full] = row[i];
  int32_t v;
  std::memcpy(&v, b, 4);
  return v;
}

static inline int32_t i8_load_group(const int8_t* row, int g) noexcept {
  int32_t v;
  std::memcpy(&v, row + 4 * g, 4);
  return v;
}

// Tile<MR, NP>::run(xrows, tails, full_groups, has_tail, w, panel_bytes, raw) computes the raw
// sums of MR activation rows against NP consecutive panels into raw[MR][NP * 16].
// Finish(p, m0, rows, n0, cols, raw, raw_stride, offset) is the output stage for the tile:
// i8_finish_tile above, or a vectorised twin that must give the same bits.
using I8FinishFn = void (*)(const I8GemmParams&, int, int, int, int, const int32_t*, int,
                            int32_t) noexcept;

template <template <int, int> class Tile, int kMaxRows, int kGemmPanels, int kGemvPanels,
          I8FinishFn Finish = &i8_finish_tile>
static inline void i8_drive(const I8GemmParams& p, int32_t offset) noexcept {
  constexpr int kP = PackedI8Weights::kPanel;
  const int k = p.w->k();
  const int n = p.w->n();
  const int full_groups = k / 4;
  const bool has_tail = (k % 4) != 0;
  const size_t panel_bytes = static_cast<size_t>(p.w->k_groups()) * kP * 4;
  const int panels = p.w->panels();
  const int np_step = p.m == 1 ? kGemvPanels : kGemmPanels;
  alignas(64) int32_t raw[kMaxRows * kGemvPanels * kP > kMaxRows * kGemmPanels * kP
                              ? kMaxRows * kGemvPanels * kP
                              : kMaxRows * kGemmPanels * kP];
  for (int p0 = 0; p0 < panels; p0 += np_step) {
    const int np = panels - p0 < np_step ? panels - p0 : np_step;
    const int8_t* w = p.w->data() + static_cast<size_t>(p0) * panel_bytes;
    const int n0 = p0 * kP;
    const int cols = n - n0 < np * kP ? n - n0 : np * kP;
    for (int m0 = 0; m0 < p.m; m0 += kMaxRows) {
      const int rows = p.m - m0 < kMaxRows ? p.m - m0 : kMaxRows;
      const int8_t* xrows[kMaxRows];
      int32_t tails[kMaxRows];
      for (int r = 0; r < kMaxRows; ++r) {
        xrows[r] = p.x + static_cast<ptrdiff_t>(m0 + (r < rows ? r : 0)) * p.x_stride;
        tails[r] = has_tail ? i8_tail_group(xrows[r], k) : 0;
      }
      auto call = [&]<int MR>() {
        switch (np) {
          case 1: Tile<MR, 1>::run(xrows, tails, full_groups, has_tail, w, panel_bytes, raw); break;
          case 2:
            if constexpr (kGemvPanels >= 2 || kGemmPanels >= 2)
              Tile<MR, 2>::run(xrows, tails, full_groups, has_tail, w, panel_bytes, raw);
            break;
          case 3:
            if constexpr (kGemvPanels >= 3 || kGemmPanels >= 3)
              Tile<MR, 3>::run(xrows, tails, full_groups, has_tail, w, panel_bytes, raw);
            break;
          default:
            if constexpr (kGemvPanels >= 4 || kGemmPanels >= 4)
              Tile<MR, 4>::run(xrows, tails, full_groups, has_tail, w, panel_bytes, raw);
            break;
        }
      };
      switch (rows) {
        case 1: call.template operator()<1>(); break;
        case 2:
          if constexpr (kMaxRows >= 2) call.template operator()<2>();
          break;
        case 3:
          if constexpr (kMaxRows >= 3) call.template operator()<3>();
          break;
        default:
          if constexpr (kMaxRows >= 4) call.template operator()<4>();
          break;
      }
      Finish(p, m0, rows, n0, cols, raw, np * kP, offset);
    }
  }
}

}  // namespace earshot::kernels::detail
