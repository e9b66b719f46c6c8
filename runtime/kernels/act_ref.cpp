// Scalar reference activations (the specification the SIMD variants are tested against),
// int8 lookup tables, quantize / dequantize, and the variant list.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/act_isa.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const ActKernels kActAvx2;
#endif
#if defined(EARSHOT_OPS_NEON)
extern const ActKernels kActNeon;
#endif

namespace {

constexpr float kSqrt1_2 = 0.70710678118654752f;
constexpr float kSqrt2OverPi = 0.79788456080286536f;

void sigmoid_ref(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i]));
}
void tanh_ref(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}
void gelu_erf_ref(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kSqrt1_2));
}
void gelu_tanh_ref(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = 0.5f * v * (1.0f + std::tanh(kSqrt2OverPi * (v + 0.044715f * v * v * v)));
  }
}
void relu_ref(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = std::max(x[i], 0.0f);
}

template <typename F>
void populate_lut(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, F f, I8Lut* lut) {
  const float inv_out = 1.0f / out_scale;
  for (int v = -128; v <= 127; ++v) {
    const float real = in_scale * static_cast<float>(v - in_zp);
    const float q = std::round(f(real) * inv_out) + static_cast<float>(out_zp);
    const float clamped = std::clamp(q, -128.0f, 127.0f);
    lut->table[static_cast<uint8_t>(v)] = static_cast<int8_t>(clamped);
  }
}

}  // namespace

const ActKernels kActRef = {"ref", sigmoid_ref, tanh_ref, gelu_erf_ref, gelu_tanh_ref, relu_ref};

std::span<const ActKernels* const> act_variants() noexcept {
  static const ActKernels* const kAll[] = {
    &kActRef,
#if defined(EARSHOT_OPS_AVX2)
    &kActAvx2,
#endif
#if defined(EARSHOT_OPS_NEON)
    &kActNeon,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const ActKernels& act_kernels() noexcept {
  return ops_forced_ref() ? kActRef : *act_variants().back();
}

F32Range activation_range_f32(FusedActivation act) noexcept {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (act) {
    case FusedActivation::kNone: return {-kInf, kInf};
    case FusedActivation::kRelu: return {0.0f, kInf};
    case FusedActivation::kRelu6: return {0.0f, 6.0f};
    case FusedActivation::kReluN1To1: return {-1.0f, 1.0f};
  }
  return {-kInf, kInf};
}

void make_i8_logistic_lut(float in_scale, int32_t in_zp, I8Lut* lut) noexcept {
  populate_lut(
      in_scale, in_zp, 1.0f / 256.0f, -128, [](float v) { return 1.0f / (1.0f + std::exp(-v)); },
      lut);
}

void make_i8_tanh_lut(float in_scale, int32_t in_zp, I8Lut* lut) noexcept {
  populate_lut(
      in_scale, in_zp, 1.0f / 128.0f, 0, [](float v) { return std::tanh(v); }, lut);
}

void apply_i8_lut(const I8Lut& lut, const int8_t* x, int8_t* y, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) y[i] = lut.table[static_cast<uint8_t>(x[i])];
}

void quantize_f32_i8(const float* x, int8_t* y, size_t n, float scale, int32_t zp) noexcept {
  for (size_t i = 0; i < n; ++i) {
    // Clamp in float first: NaN and huge values must not reach the integer conversion.
    float q = std::round(x[i] / scale) + static_cast<float>(zp);
    q = std::isnan(q) ? static_cast<float>(zp) : std::clamp(q, -128.0f, 127.0f);
    y[i] = static_cast<int8_t>(q);
  }
}

void dequantize_i8_f32(const int8_t* q, float* y, size_t n, float scale, int32_t zp) noexcept {
  for (size_t i = 0; i < n; ++i) y[i] = scale * static_cast<float>(q[i] - zp);
}

}  // namespace earshot::kernels
