// Regular (not depthwise) 2-D / 1-D convolution, float and int8 with TFLite semantics, NHWC
// activations and OHWI weights [out_c][k_h][k_w][in_c] (conv_geometry.hpp). A pointwise
// convolution (1x1, stride 1) is a GEMM over the pixels and runs on the GEMM engines; other
// shapes run the reference loops for now.
#pragma once

#include <cstdint>

#include "earshot/status.hpp"
#include "runtime/kernels/act.hpp"
#include "runtime/kernels/conv_geometry.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

// Plain loops: the specification.
Status conv_f32_ref(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                    FusedActivation act, float* out) noexcept;
Status conv_i8_ref(const ConvGeometry& g, const int8_t* in, const int8_t* w, const int32_t* bias,
                   const I8ConvQuant& q, int8_t* out) noexcept;

// Float convolution; pointwise shapes go to f32_gemm.
Status conv_f32(const ConvGeometry& g, const float* in, const float* w, const float* bias,
                FusedActivation act, float* out) noexcept;

// int8 pointwise convolution on the i8 engine: `packed` holds w as [out_c][in_c]
// (pack_i8_weights), q has out_c multipliers and shifts.
Status pointwise_conv_i8(const ConvGeometry& g, const int8_t* in, const PackedI8Weights& packed,
                         const int32_t* bias, const I8ConvQuant& q, int8_t* out) noexcept;

bool is_pointwise(const ConvGeometry& g) noexcept;

}  // namespace earshot::kernels
