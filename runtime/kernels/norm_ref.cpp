// Scalar reference layer norm (two passes: mean, then variance of the centred values, which is
// stable where E[x^2] - E[x]^2 cancels) and the variant list.
#include <cmath>
#include <iterator>

#include "runtime/kernels/act_isa.hpp"
#include "runtime/kernels/norm.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const NormKernels kNormAvx2;
#endif
#if defined(EARSHOT_OPS_NEON)
extern const NormKernels kNormNeon;
#endif

namespace {

void layer_norm_ref(const float* x, const float* gamma, const float* beta, float eps, size_t n,
                    float* y) {
  if (n == 0) return;
  // Sums in double: the reference is the accuracy yardstick of the SIMD variants.
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += x[i];
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  double sq = 0.0;
  for (size_t i = 0; i < n; ++i) sq += double{x[i] - mean} * double{x[i] - mean};
  const float inv = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(n) + eps));
  for (size_t i = 0; i < n; ++i) {
    const float g = gamma ? gamma[i] : 1.0f;
    const float b = beta ? beta[i] : 0.0f;
    y[i] = (x[i] - mean) * inv * g + b;
  }
}

}  // namespace

const NormKernels kNormRef = {"ref", layer_norm_ref};

std::span<const NormKernels* const> norm_variants() noexcept {
  static const NormKernels* const kAll[] = {
    &kNormRef,
#if defined(EARSHOT_OPS_AVX2)
    &kNormAvx2,
#endif
#if defined(EARSHOT_OPS_NEON)
    &kNormNeon,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const NormKernels& norm_kernels() noexcept {
  return ops_forced_ref() ? kNormRef : *norm_variants().back();
}

void layer_norm_rows_f32(const float* x, const float* gamma, const float* beta, float eps,
                         size_t rows, size_t n, float* y) noexcept {
  const NormKernels& k = norm_kernels();
  for (size_t r = 0; r < rows; ++r) k.layer_norm(x + r * n, gamma, beta, eps, n, y + r * n);
}

}  // namespace earshot::kernels
