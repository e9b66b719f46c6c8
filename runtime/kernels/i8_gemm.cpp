// i8_gemm(): parameter checks, then the active variant (engine.hpp).
#include "runtime/kernels/i8_gemm.hpp"

#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

Status check(const I8GemmParams& p) {
  if (p.w == nullptr || p.w->data() == nullptr) return InvalidArgument("i8_gemm: no weights");
  if (p.m < 0) return InvalidArgument("i8_gemm: negative row count");
  if (p.m == 0) return Status::Ok();
  if (p.x == nullptr || p.y == nullptr) return InvalidArgument("i8_gemm: null input or output");
  if ((p.x_stride != 0 && p.x_stride < p.w->k()) || (p.y_stride != 0 && p.y_stride < p.w->n()))
    return InvalidArgument("i8_gemm: row stride shorter than the row");
  if (p.x_zero_point < -128 || p.x_zero_point > 127)
    return InvalidArgument("i8_gemm: input zero point outside int8");
  switch (p.output) {
    case I8Output::kInt8: {
      if (p.multiplier == nullptr || p.shift == nullptr)
        return InvalidArgument("i8_gemm: int8 output needs multiplier and shift");
      if (p.y_zero_point < -128 || p.y_zero_point > 127 || p.y_min > p.y_max || p.y_min < -128 ||
          p.y_max > 127)
        return InvalidArgument("i8_gemm: output zero point or clamp range outside int8");
      const int count = p.per_channel ? p.w->n() : 1;
      for (int i = 0; i < count; ++i) {
        if (p.shift[i] < -31 || p.shift[i] > 31 || p.multiplier[i] < 0)
          return InvalidArgument("i8_gemm: multiplier/shift of channel " + std::to_string(i) +
                                 " out of range");
      }
      break;
    }
    case I8Output::kInt32: break;
    case I8Output::kFloat:
      if (p.row_scale == nullptr || p.col_scale == nullptr)
        return InvalidArgument("i8_gemm: float output needs row and column scales");
      break;
    default: return InvalidArgument("i8_gemm: unknown output type");
  }
  return Status::Ok();
}

}  // namespace

Status i8_gemm(const I8GemmParams& p) noexcept {
  EARSHOT_RETURN_IF_ERROR(check(p));
  if (p.m == 0) return Status::Ok();
  const I8GemmVariant& v = i8_gemm_active();
  if (p.w->has_minus_128() && !v.exact_for_minus_128) {
    i8_gemm_ref(p);
  } else {
    v.run(p);
  }
  return Status::Ok();
}

}  // namespace earshot::kernels
