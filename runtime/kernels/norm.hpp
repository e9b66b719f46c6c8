// Layer normalisation over the last dimension (float):
// y = (x - mean) / sqrt(var + eps) * gamma + beta, var the biased (population) variance.
#pragma once

#include <cstddef>
#include <span>

namespace earshot::kernels {

struct NormKernels {
  const char* name;
  // One row of n values; gamma / beta may be null (1 and 0). x and y may alias.
  void (*layer_norm)(const float* x, const float* gamma, const float* beta, float eps, size_t n,
                     float* y);
};

extern const NormKernels kNormRef;
std::span<const NormKernels* const> norm_variants() noexcept;
const NormKernels& norm_kernels() noexcept;

// `rows` rows of n contiguous values each, with the fastest variant.
void layer_norm_rows_f32(const float* x, const float* gamma, const float* beta, float eps,
                         size_t rows, size_t n, float* y) noexcept;

}  // namespace earshot::kernels
