// f32_gemm(): parameter checks, then the active variant (engine.hpp).
#include "runtime/kernels/f32_gemm.hpp"

#include "runtime/kernels/engine.hpp"

namespace earshot::kernels {

Status f32_gemm(const F32GemmParams& p) noexcept {
  if (p.m < 0 || p.n < 0 || p.k < 0) return InvalidArgument("f32_gemm: negative dimension");
  if (p.m == 0 || p.n == 0) return Status::Ok();
  if (p.a == nullptr || p.b == nullptr || p.c == nullptr)
    return InvalidArgument("f32_gemm: null matrix");
  const F32GemmParams r = f32_resolve_strides(p);
  if (r.a_stride < p.k || r.c_stride < p.n || r.b_stride < (p.b_transposed ? p.k : p.n))
    return InvalidArgument("f32_gemm: row stride shorter than the row");
  f32_gemm_active().run(r);
  return Status::Ok();
}

}  // namespace earshot::kernels
