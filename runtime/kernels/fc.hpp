// Fully connected layers (TFLite FULLY_CONNECTED / PyTorch Linear): y[m][n] = act(bias[n] +
// sum_k x[m][k] * w[n][k]), weights [n][k] (out x in). Both forms run on the GEMM engines
// (f32_gemm.hpp, i8_gemm.hpp); the *_ref functions are the plain-loop specification.
#pragma once

#include <cstdint>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/kernels/act.hpp"
#include "runtime/kernels/conv_geometry.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

// Float: f32_gemm, then the fused activation clamp.
Status fc_f32(const float* x, int m, int k, const float* w, int n, const float* bias,
              FusedActivation act, float* y) noexcept;
void fc_f32_ref(const float* x, int m, int k, const float* w, int n, const float* bias,
                FusedActivation act, float* y) noexcept;

// int8, TFLite semantics: acc = bias[n] + sum (x - in_zp) * w[n][k], requantized per output
// channel (q.multiplier / q.shift hold n entries) and clamped to [q.act_min, q.act_max].
void fc_i8_ref(const int8_t* x, int m, int k, const int8_t* w, int n, const int32_t* bias,
               const I8ConvQuant& q, int8_t* y) noexcept;

// The int8 layer with its weights packed once for the i8 engine (create allocates; run does
// not). Weights are copied into the packed form; bias and quantization arrays are copied too.
class I8FullyConnected {
 public:
  static Result<I8FullyConnected> create(const int8_t* w, int n, int k, const int32_t* bias,
                                         const I8ConvQuant& q);
  // x [m][k] -> y [m][n].
  Status run(const int8_t* x, int m, int8_t* y) const noexcept;
  int n() const noexcept { return packed_.n(); }
  int k() const noexcept { return packed_.k(); }

 private:
  PackedI8Weights packed_;
  std::vector<int32_t> bias_, multiplier_, shift_;
  I8ConvQuant q_{};
};

}  // namespace earshot::kernels
