// Element-wise activations: float (ref + SIMD variants), TFLite-style int8 lookup tables,
// fused activation ranges, quantize / dequantize.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "runtime/kernels/quant.hpp"

namespace earshot::kernels {

// The float clamp of TFLite's fused activations (quant.hpp has the int8 one,
// quantized_activation_range).
struct F32Range {
  float lo;
  float hi;
};
F32Range activation_range_f32(FusedActivation act) noexcept;

// Float activations over n values; x and y may alias.
struct ActKernels {
  const char* name;
  void (*sigmoid)(const float* x, float* y, size_t n);
  void (*tanh)(const float* x, float* y, size_t n);
  void (*gelu_erf)(const float* x, float* y, size_t n);   // 0.5 x (1 + erf(x / sqrt 2))
  void (*gelu_tanh)(const float* x, float* y, size_t n);  // 0.5 x (1 + tanh(c (x + 0.044715 x^3)))
  void (*relu)(const float* x, float* y, size_t n);
};

extern const ActKernels kActRef;
// Every variant compiled in and runnable on this CPU, `ref` first.
std::span<const ActKernels* const> act_variants() noexcept;
// The fastest runnable variant.
const ActKernels& act_kernels() noexcept;

// A 256-entry int8 -> int8 table, indexed by the input byte (TFLite's LUTPopulate<int8_t>:
// dequantize, apply the float function, round, add the output zero point, clamp).
struct I8Lut {
  int8_t table[256];
};
// TFLite's int8 LOGISTIC output quantization is fixed: scale 1/256, zero point -128.
void make_i8_logistic_lut(float in_scale, int32_t in_zp, I8Lut* lut) noexcept;
// TFLite's int8 TANH output quantization is fixed: scale 1/128, zero point 0.
void make_i8_tanh_lut(float in_scale, int32_t in_zp, I8Lut* lut) noexcept;
void apply_i8_lut(const I8Lut& lut, const int8_t* x, int8_t* y, size_t n) noexcept;

// TFLite QUANTIZE: q = clamp(round(x / scale) + zp, -128, 127), round half away from zero.
void quantize_f32_i8(const float* x, int8_t* y, size_t n, float scale, int32_t zp) noexcept;
// TFLite DEQUANTIZE: x = scale * (q - zp).
void dequantize_i8_f32(const int8_t* q, float* y, size_t n, float scale, int32_t zp) noexcept;

}  // namespace earshot::kernels
