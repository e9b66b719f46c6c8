// int8 x int8 -> int32 matrix products (GEMM, and GEMV as M == 1) with TFLite semantics:
//
//   acc[m][n] = bias[n] + sum_k (x[m][k] - x_zero_point) * w[n][k]       (int32)
//   int8 out  : clamp(multiply_by_quantized_multiplier(acc, mult[n], shift[n]) + out_zp, lo, hi)
//   int32 out : acc
//   float out : fma(float(acc), row_scale[m] * col_scale[n], bias_f32[n])   (one rounding)
//
// Weights are symmetric int8 per output channel (TFLite's weight zero point is 0), row-major
// [N x K] as a Dense/FullyConnected layer stores them, and are packed once at load time.
//
// Packed layout (PackedI8Weights::data): output channels in panels of 16, K padded with zeros to
// a multiple of 4; for panel p, k group g (4 consecutive k), channel c in the panel, j in 0..3:
//   data[((p * k_groups + g) * 16 + c) * 4 + j] = w[16 p + c][4 g + j]
// i.e. each 64-byte block holds 16 channels x 4 k, the operand of one AVX-512 vpdpbusd, two
// AVX2 vpmaddubsw or four NEON sdot. Channels beyond N are zero. col_sums[n] = sum_k w[n][k]
// compensates the +128 offset of the VNNI kernels (u8 x s8) and the input zero point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "earshot/status.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {

class PackedI8Weights {
 public:
  static constexpr int kPanel = 16;  // output channels per panel
  static constexpr int kGroup = 4;   // k values per group

  PackedI8Weights() = default;

  int n() const noexcept { return n_; }
  int k() const noexcept { return k_; }
  int panels() const noexcept { return (n_ + kPanel - 1) / kPanel; }
  int k_groups() const noexcept { return (k_ + kGroup - 1) / kGroup; }
  const int8_t* data() const noexcept { return data_.get(); }
  const int32_t* col_sums() const noexcept { return col_sums_.get(); }
  // True when some weight is -128: TFLite weights are in [-127, 127]; the AVX2 kernel needs
  // that range to stay exact and the dispatcher falls back to another variant otherwise.
  bool has_minus_128() const noexcept { return has_minus_128_; }
  // Weight w[n][k] read back from the packed layout (tests, reference kernel).
  int8_t at(int n, int k) const noexcept {
    const int g = k / kGroup;
    return data_[((static_cast<size_t>(n / kPanel) * k_groups() + g) * kPanel + n % kPanel) *
                     kGroup +
                 k % kGroup];
  }

 private:
  friend Result<PackedI8Weights> pack_i8_weights(const int8_t*, int, int);
  struct FreeAligned {
    void operator()(void* p) const noexcept;
  };
  int n_ = 0;
  int k_ = 0;
  bool has_minus_128_ = false;
  std::unique_ptr<int8_t[], FreeAligned> data_;
  std::unique_ptr<int32_t[]> col_sums_;
};

// Packs row-major weights w[n][k] (n rows of k). Allocates; call at model load time.
// Fails on n or k < 1 or absurd sizes (n * k > 2^31).
Result<PackedI8Weights> pack_i8_weights(const int8_t* w, int n, int k);

enum class I8Output { kInt8, kInt32, kFloat };

struct I8GemmParams {
  int m = 1;                  // rows of x (1 = GEMV)
  const int8_t* x = nullptr;  // [m x K], row stride x_stride (elements)
  ptrdiff_t x_stride = 0;     // 0 means K
  int32_t x_zero_point = 0;   // TFLite input zero point (input_offset = -x_zero_point)
  const PackedI8Weights* w = nullptr;
  const int32_t* bias = nullptr;  // [N] int32, optional

  I8Output output = I8Output::kInt8;
  void* y = nullptr;       // [m x N] int8_t / int32_t / float by `output`
  ptrdiff_t y_stride = 0;  // elements; 0 means N

  // kInt8: per-channel multiplier/shift ([N]) or per-tensor ([1]) when per_channel is false.
  const int32_t* multiplier = nullptr;
  const int32_t* shift = nullptr;
  bool per_channel = true;
  int32_t y_zero_point = 0;
  int32_t y_min = -128;  // fused activation clamp (quantized_activation_range)
  int32_t y_max = 127;

  // kFloat: row_scale [m] (or [1] when per_row_scale is false), col_scale [N], bias_f32 [N]
  // (optional, added after scaling).
  const float* row_scale = nullptr;
  bool per_row_scale = true;
  const float* col_scale = nullptr;
  const float* bias_f32 = nullptr;
};

// Runs the active i8 engine (engine.hpp). Checks the parameters (null pointers, strides,
// ranges) and returns InvalidArgument instead of touching memory when they are wrong.
// No heap allocation, no locks: safe on the audio path.
Status i8_gemm(const I8GemmParams& p) noexcept;

// One compiled kernel variant; tests and benchmarks call each directly (engine.hpp lists them).
using I8GemmFn = void (*)(const I8GemmParams& p) noexcept;

}  // namespace earshot::kernels
