// Numerically stable softmax over one row (float): y_i = exp(s x_i - s max) / sum_j exp(..),
// with an optional scale s (attention folds 1/sqrt(d) into it). n >= 1; x and y may alias.
#pragma once

#include <cstddef>
#include <span>

namespace earshot::kernels {

struct SoftmaxKernels {
  const char* name;
  void (*softmax)(const float* x, float scale, size_t n, float* y);
};

extern const SoftmaxKernels kSoftmaxRef;
std::span<const SoftmaxKernels* const> softmax_variants() noexcept;
const SoftmaxKernels& softmax_kernels() noexcept;

// `rows` rows of n values each with the fastest variant.
void softmax_rows_f32(const float* x, float scale, size_t rows, size_t n, float* y) noexcept;

}  // namespace earshot::kernels
