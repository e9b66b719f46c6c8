// Scalar reference softmax (subtract the maximum before exp so nothing overflows) and the
// variant list.
#include <algorithm>
#include <cmath>
#include <iterator>

#include "runtime/kernels/act_isa.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const SoftmaxKernels kSoftmaxAvx2;
#endif
#if defined(EARSHOT_OPS_NEON)
extern const SoftmaxKernels kSoftmaxNeon;
#endif

namespace {

void softmax_ref(const float* x, float scale, size_t n, float* y) {
  if (n == 0) return;
  const float mx = *std::max_element(x, x + n);
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    y[i] = std::exp((x[i] - mx) * scale);
    sum += y[i];
  }
  const float inv = 1.0f / sum;
  for (size_t i = 0; i < n; ++i) y[i] *= inv;
}

}  // namespace

const SoftmaxKernels kSoftmaxRef = {"ref", softmax_ref};

std::span<const SoftmaxKernels* const> softmax_variants() noexcept {
  static const SoftmaxKernels* const kAll[] = {
    &kSoftmaxRef,
#if defined(EARSHOT_OPS_AVX2)
    &kSoftmaxAvx2,
#endif
#if defined(EARSHOT_OPS_NEON)
    &kSoftmaxNeon,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const SoftmaxKernels& softmax_kernels() noexcept {
  return ops_forced_ref() ? kSoftmaxRef : *softmax_variants().back();
}

void softmax_rows_f32(const float* x, float scale, size_t rows, size_t n, float* y) noexcept {
  const SoftmaxKernels& k = softmax_kernels();
  for (size_t r = 0; r < rows; ++r) k.softmax(x + r * n, scale, n, y + r * n);
}

}  // namespace earshot::kernels
