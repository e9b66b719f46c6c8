// Float GEMM on Eigen (its own blocking and packing; GEMV when m == 1). Compiled with the
// baseline instruction set (SSE2 / NEON): Eigen's templates are not isolated per TU, so an
// AVX build of them next to this one could leak AVX code into the baseline path.
#ifndef EARSHOT_FORCE_REF

#include <Eigen/Core>

#include "runtime/kernels/f32_gemm_variants.hpp"

namespace earshot::kernels {

void f32_gemm_eigen(const F32GemmParams& params) noexcept {
  const F32GemmParams p = f32_resolve_strides(params);
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const RowMajor, 0, Stride> a(p.a, p.m, p.k, Stride(p.a_stride));
  Eigen::Map<RowMajor, 0, Stride> c(p.c, p.m, p.n, Stride(p.c_stride));
  if (p.b_transposed) {
    Eigen::Map<const RowMajor, 0, Stride> b(p.b, p.n, p.k, Stride(p.b_stride));
    c.noalias() = a * b.transpose();
  } else {
    Eigen::Map<const RowMajor, 0, Stride> b(p.b, p.k, p.n, Stride(p.b_stride));
    c.noalias() = a * b;
  }
  if (p.bias != nullptr) {
    Eigen::Map<const Eigen::RowVectorXf> bias(p.bias, p.n);
    c.rowwise() += bias;
  }
}

}  // namespace earshot::kernels

#endif  // EARSHOT_FORCE_REF
