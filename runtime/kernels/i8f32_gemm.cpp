// int8 weights x float activations with per-row dynamic quantization (see i8f32_gemm.hpp).
#include "runtime/kernels/i8f32_gemm.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

size_t quantized_bytes(int m, int k) {
  return (static_cast<size_t>(m) * static_cast<size_t>(k) + 63) / 64 * 64;
}

}  // namespace

size_t i8f32_scratch_bytes(int m, int k) noexcept {
  if (m <= 0 || k <= 0) return 0;
  return quantized_bytes(m, k) + static_cast<size_t>(m) * sizeof(float) + 64;
}

void quantize_rows_symmetric_i8_ref(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                    float* scale) noexcept {
  for (int r = 0; r < m; ++r) {
    const float* row = x + static_cast<ptrdiff_t>(r) * x_stride;
    int8_t* qrow = q + static_cast<ptrdiff_t>(r) * k;
    float max_abs = 0.0f;
    bool non_finite = false;
    for (int c = 0; c < k; ++c) {
      const float a = std::fabs(row[c]);
      max_abs = a > max_abs ? a : max_abs;
      non_finite |= !(a <= std::numeric_limits<float>::max());
    }
    if (!(max_abs > 0.0f) || non_finite) {
      // All zero, or a NaN or infinity in the row: the row contributes nothing; y = bias.
      for (int c = 0; c < k; ++c) qrow[c] = 0;
      scale[r] = 0.0f;
      continue;
    }
    const float inv = 127.0f / max_abs;
    for (int c = 0; c < k; ++c) {
      long v = std::lrintf(row[c] * inv);  // round half to even (default FP environment)
      v = v < -127 ? -127 : (v > 127 ? 127 : v);
      qrow[c] = static_cast<int8_t>(v);
    }
    scale[r] = max_abs / 127.0f;
  }
}

void quantize_rows_symmetric_i8(const float* x, ptrdiff_t x_stride, int m, int k, int8_t* q,
                                float* scale) noexcept {
#ifdef EARSHOT_HAVE_X86_KERNELS
  static const bool avx2 = cpu_features().avx2 && i8_gemm_active().isa != Isa::kRef;
  if (avx2) return quantize_rows_symmetric_i8_avx2(x, x_stride, m, k, q, scale);
#endif
  quantize_rows_symmetric_i8_ref(x, x_stride, m, k, q, scale);
}

Status i8f32_gemm(const I8F32GemmParams& p, I8GemmFn i8_variant) noexcept {
  if (p.w == nullptr || p.w->data() == nullptr) return InvalidArgument("i8f32_gemm: no weights");
  if (p.m < 0) return InvalidArgument("i8f32_gemm: negative row count");
  if (p.m == 0) return Status::Ok();
  if (p.x == nullptr || p.y == nullptr || p.w_scale == nullptr)
    return InvalidArgument("i8f32_gemm: null input, output or weight scales");
  const int k = p.w->k();
  if ((p.x_stride != 0 && p.x_stride < k) || (p.y_stride != 0 && p.y_stride < p.w->n()))
    return InvalidArgument("i8f32_gemm: row stride shorter than the row");
  if (p.scratch == nullptr || p.scratch_bytes < i8f32_scratch_bytes(p.m, k))
    return InvalidArgument("i8f32_gemm: scratch buffer missing or smaller than " +
                           std::to_string(i8f32_scratch_bytes(p.m, k)) + " bytes");
  auto base = reinterpret_cast<uintptr_t>(p.scratch);
  base = (base + 63) / 64 * 64;
  auto* q = reinterpret_cast<int8_t*>(base);
  auto* scale = reinterpret_cast<float*>(base + quantized_bytes(p.m, k));
  quantize_rows_symmetric_i8(p.x, p.x_stride != 0 ? p.x_stride : k, p.m, k, q, scale);

  I8GemmParams g;
  g.m = p.m;
  g.x = q;
  g.x_stride = k;
  g.w = p.w;
  g.output = I8Output::kFloat;
  g.y = p.y;
  g.y_stride = p.y_stride;
  g.row_scale = scale;
  g.col_scale = p.w_scale;
  g.bias_f32 = p.bias;
  i8_variant(g);
  return Status::Ok();
}

Status i8f32_gemm(const I8F32GemmParams& p) noexcept {
  const I8GemmVariant& v = i8_gemm_active();
  const bool exact = v.exact_for_minus_128 || p.w == nullptr || !p.w->has_minus_128();
  return i8f32_gemm(p, exact ? v.run : &i8_gemm_ref);
}

}  // namespace earshot::kernels
