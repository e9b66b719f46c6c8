// Fully connected layers on the GEMM engines, and their plain-loop references.
#include "runtime/kernels/fc.hpp"

#include <algorithm>

#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {

Status fc_f32(const float* x, int m, int k, const float* w, int n, const float* bias,
              FusedActivation act, float* y) noexcept {
  F32GemmParams p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.a = x;
  p.b = w;
  p.b_transposed = true;
  p.bias = bias;
  p.c = y;
  EARSHOT_RETURN_IF_ERROR(f32_gemm(p));
  if (act != FusedActivation::kNone) {
    const F32Range r = activation_range_f32(act);
    for (int64_t i = 0; i < int64_t{m} * n; ++i) y[i] = std::min(std::max(y[i], r.lo), r.hi);
  }
  return Status::Ok();
}

void fc_f32_ref(const float* x, int m, int k, const float* w, int n, const float* bias,
                FusedActivation act, float* y) noexcept {
  const F32Range r = activation_range_f32(act);
  for (int i = 0; i < m; ++i) {
    for (int o = 0; o < n; ++o) {
      float acc = bias ? bias[o] : 0.0f;
      for (int j = 0; j < k; ++j) acc += x[int64_t{i} * k + j] * w[int64_t{o} * k + j];
      y[int64_t{i} * n + o] = std::min(std::max(acc, r.lo), r.hi);
    }
  }
}

void fc_i8_ref(const int8_t* x, int m, int k, const int8_t* w, int n, const int32_t* bias,
               const I8ConvQuant& q, int8_t* y) noexcept {
  for (int i = 0; i < m; ++i) {
    for (int o = 0; o < n; ++o) {
      int32_t acc = bias ? bias[o] : 0;
      for (int j = 0; j < k; ++j) {
        acc += (int32_t{x[int64_t{i} * k + j]} - q.in_zp) * int32_t{w[int64_t{o} * k + j]};
      }
      const int32_t v =
          multiply_by_quantized_multiplier(acc, q.multiplier[o], q.shift[o]) + q.out_zp;
      y[int64_t{i} * n + o] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
    }
  }
}

Result<I8FullyConnected> I8FullyConnected::create(const int8_t* w, int n, int k,
                                                  const int32_t* bias, const I8ConvQuant& q) {
  if (!w || !q.multiplier || !q.shift) {
    return InvalidArgument("fully connected: null weights or quantization parameters");
  }
  auto packed = pack_i8_weights(w, n, k);
  if (!packed.ok()) return packed.status();
  I8FullyConnected fc;
  fc.packed_ = std::move(*packed);
  if (bias) fc.bias_.assign(bias, bias + n);
  fc.multiplier_.assign(q.multiplier, q.multiplier + n);
  fc.shift_.assign(q.shift, q.shift + n);
  fc.q_ = q;
  fc.q_.multiplier = fc.multiplier_.data();
  fc.q_.shift = fc.shift_.data();
  return fc;
}

Status I8FullyConnected::run(const int8_t* x, int m, int8_t* y) const noexcept {
  I8GemmParams p;
  p.m = m;
  p.x = x;
  p.x_zero_point = q_.in_zp;
  p.w = &packed_;
  p.bias = bias_.empty() ? nullptr : bias_.data();
  p.output = I8Output::kInt8;
  p.y = y;
  p.multiplier = q_.multiplier;
  p.shift = q_.shift;
  p.per_channel = true;
  p.y_zero_point = q_.out_zp;
  p.y_min = q_.act_min;
  p.y_max = q_.act_max;
  return i8_gemm(p);
}

}  // namespace earshot::kernels
