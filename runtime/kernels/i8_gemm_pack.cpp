// Weight packing for the i8 GEMM kernels (layout documented in i8_gemm.hpp).
#include <cstdlib>
#include <cstring>
#include <new>

#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

void PackedI8Weights::FreeAligned::operator()(void* p) const noexcept {
  std::free(p);
}

Result<PackedI8Weights> pack_i8_weights(const int8_t* w, int n, int k) {
  if (w == nullptr) return InvalidArgument("pack_i8_weights: null weights");
  if (n < 1 || k < 1) {
    return InvalidArgument("pack_i8_weights: shape " + std::to_string(n) + " x " +
                           std::to_string(k) + " is empty or negative");
  }
  // K <= 65536 keeps sum_k (x - zp) * w inside int32 for any int8 input and zero point.
  if (k > 65536 || static_cast<int64_t>(n) * k > (int64_t{1} << 31)) {
    return InvalidArgument("pack_i8_weights: shape " + std::to_string(n) + " x " +
                           std::to_string(k) + " is too large (K <= 65536, N*K <= 2^31)");
  }
  PackedI8Weights out;
  out.n_ = n;
  out.k_ = k;
  const size_t bytes = static_cast<size_t>(out.panels()) * out.k_groups() *
                       PackedI8Weights::kPanel * PackedI8Weights::kGroup;
  void* mem = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  auto* sums = new (std::nothrow) int32_t[n];
  if (mem == nullptr || sums == nullptr) {
    std::free(mem);
    delete[] sums;
    return ResourceExhausted("pack_i8_weights: cannot allocate " + std::to_string(bytes) +
                             " bytes");
  }
  std::memset(mem, 0, bytes);
  out.data_.reset(static_cast<int8_t*>(mem));
  out.col_sums_.reset(sums);
  int8_t* d = out.data_.get();
  const int groups = out.k_groups();
  for (int r = 0; r < n; ++r) {
    int32_t sum = 0;
    const int8_t* row = w + static_cast<size_t>(r) * k;
    const size_t panel_base = static_cast<size_t>(r / PackedI8Weights::kPanel) * groups;
    for (int c = 0; c < k; ++c) {
      const int8_t v = row[c];
      sum += v;
      if (v == -128) out.has_minus_128_ = true;
      d[((panel_base + c / 4) * PackedI8Weights::kPanel + r % PackedI8Weights::kPanel) * 4 +
        c % 4] = v;
    }
    sums[r] = sum;
  }
  return out;
}

}  // namespace earshot::kernels
