// Scalar reference of the TFLite-optimized-rounding depthwise row (dwconv_upward.hpp) and the
// variant list.
#include <algorithm>
#include <iterator>

#include "runtime/kernels/act_isa.hpp"
#include "runtime/kernels/dwconv_upward.hpp"

namespace earshot::kernels {

#if defined(EARSHOT_OPS_AVX2)
extern const DwUpwardKernels kDwUpwardAvx2;
#endif

namespace {

void row_i8_upward_ref(const DwRowI8& r) {
  const I8ConvQuant& q = *r.q;
  const int upward = upward_channels(r.channels);
  for (int c = 0; c < r.channels; ++c) {
    int32_t acc = r.bias ? r.bias[c] : 0;
    for (int t = 0; t < r.taps; ++t) acc += (int32_t{r.in[t][c]} - q.in_zp) * int32_t{r.w[t][c]};
    const int32_t v =
        requantize_dw_channel(acc, q.multiplier[c], q.shift[c], c < upward) + q.out_zp;
    r.out[c] = static_cast<int8_t>(std::min(std::max(v, q.act_min), q.act_max));
  }
}

}  // namespace

const DwUpwardKernels kDwUpwardRef = {"ref", row_i8_upward_ref};

std::span<const DwUpwardKernels* const> dwconv_upward_variants() noexcept {
  static const DwUpwardKernels* const kAll[] = {
    &kDwUpwardRef,
#if defined(EARSHOT_OPS_AVX2)
    &kDwUpwardAvx2,
#endif
  };
  return {kAll, ops_runnable_count(std::size(kAll))};
}

const DwUpwardKernels& dwconv_upward_kernels() noexcept {
  return ops_forced_ref() ? kDwUpwardRef : *dwconv_upward_variants().back();
}

}  // namespace earshot::kernels
