// Float GEMM with AVX2 + FMA, no Eigen (so no template code shared with baseline TUs).
// Under kPackMinRows rows with b_transposed (linear-layer weights [n x k]): dot products, 3 rows
// x 4 columns of 8-wide partial sums (12 accumulators), reduced horizontally at the end.
// Otherwise b is copied in panels of 16 columns (transposed when b_transposed) and 6 rows x 16
// columns of c stay in registers, each k a broadcast of a times two vectors of the panel.
// Tails use masked loads and stores.
#include <immintrin.h>

#include "runtime/kernels/f32_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

inline __m256i tail_mask(int count) {  // lanes [0, count) on, count in [0, 8]
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), idx);
}

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

template <int MR, int NR>
void dot_tile(const F32GemmParams& p, int m0, int n0) {
  __m256 acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_ps();
  const float* a[MR];
  const float* b[NR];
  for (int i = 0; i < MR; ++i) a[i] = p.a + static_cast<ptrdiff_t>(m0 + i) * p.a_stride;
  for (int j = 0; j < NR; ++j) b[j] = p.b + static_cast<ptrdiff_t>(n0 + j) * p.b_stride;
  int k = 0;
  for (; k + 8 <= p.k; k += 8) {
    __m256 av[MR];
    for (int i = 0; i < MR; ++i) av[i] = _mm256_loadu_ps(a[i] + k);
    for (int j = 0; j < NR; ++j) {
      const __m256 bv = _mm256_loadu_ps(b[j] + k);
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm256_fmadd_ps(av[i], bv, acc[i][j]);
    }
  }
  if (k < p.k) {
    const __m256i mask = tail_mask(p.k - k);
    __m256 av[MR];
    for (int i = 0; i < MR; ++i) av[i] = _mm256_maskload_ps(a[i] + k, mask);
    for (int j = 0; j < NR; ++j) {
      const __m256 bv = _mm256_maskload_ps(b[j] + k, mask);
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm256_fmadd_ps(av[i], bv, acc[i][j]);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j)
      p.c[static_cast<ptrdiff_t>(m0 + i) * p.c_stride + n0 + j] =
          hsum(acc[i][j]) + (p.bias != nullptr ? p.bias[n0 + j] : 0.0f);
}

template <int MR>
void dot_rows(const F32GemmParams& p, int m0) {
  constexpr int kNr = MR == 1 ? 8 : 4;
  int n = 0;
  for (; n + kNr <= p.n; n += kNr) dot_tile<MR, kNr>(p, m0, n);
  for (; n < p.n; ++n) dot_tile<MR, 1>(p, m0, n);
}

// b as [k x n]: a panel of 16 columns and kKc rows of b is first copied into contiguous,
// zero-padded storage, then every row group of a reuses it from L1. Reading b in place walked
// one cache line per k at a stride of the whole row (attention's V and transposed K), and the
// loads, not the FMAs, bounded the loop.
constexpr int kKc = 256;
constexpr int kPackMinRows = 12;

struct Panel {
  alignas(32) float v[kKc * 16];
};

inline void pack_panel(const F32GemmParams& p, int k0, int kc, int n0, int cols, Panel& panel) {
  if (p.b_transposed) {  // b[n][k]: a transposing copy of `cols` rows
    for (int j = 0; j < 16; ++j) {
      const float* bcol = p.b + static_cast<ptrdiff_t>(n0 + j) * p.b_stride + k0;
      for (int k = 0; k < kc; ++k) panel.v[k * 16 + j] = j < cols ? bcol[k] : 0.0f;
    }
    return;
  }
  const float* brow = p.b + static_cast<ptrdiff_t>(k0) * p.b_stride + n0;
  float* dst = panel.v;
  if (cols == 16) {
    for (int k = 0; k < kc; ++k, brow += p.b_stride, dst += 16) {
      _mm256_store_ps(dst, _mm256_loadu_ps(brow));
      _mm256_store_ps(dst + 8, _mm256_loadu_ps(brow + 8));
    }
    return;
  }
  for (int k = 0; k < kc; ++k, brow += p.b_stride, dst += 16) {
    for (int j = 0; j < 16; ++j) dst[j] = j < cols ? brow[j] : 0.0f;
  }
}

// MR rows x 16 columns of c in registers over kc steps of the panel. The first k block starts
// from zero, later ones from c; the last adds the bias. Tail columns use masked c accesses.
template <int MR>
void panel_tile(const F32GemmParams& p, int m0, int n0, int k0, int kc, const Panel& panel,
                __m256i mask0, __m256i mask1) {
  const bool first = k0 == 0, last = k0 + kc == p.k;
  __m256 acc[MR][2];
  for (int i = 0; i < MR; ++i) {
    float* crow = p.c + static_cast<ptrdiff_t>(m0 + i) * p.c_stride + n0;
    acc[i][0] = first ? _mm256_setzero_ps() : _mm256_maskload_ps(crow, mask0);
    acc[i][1] = first ? _mm256_setzero_ps() : _mm256_maskload_ps(crow + 8, mask1);
  }
  const float* a[MR];
  for (int i = 0; i < MR; ++i) a[i] = p.a + static_cast<ptrdiff_t>(m0 + i) * p.a_stride + k0;
  const float* b = panel.v;
  for (int k = 0; k < kc; ++k, b += 16) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
    for (int i = 0; i < MR; ++i) {
      const __m256 av = _mm256_broadcast_ss(a[i] + k);
      acc[i][0] = _mm256_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(av, b1, acc[i][1]);
    }
  }
  if (last && p.bias != nullptr) {
    const __m256 bias0 = _mm256_maskload_ps(p.bias + n0, mask0);
    const __m256 bias1 = _mm256_maskload_ps(p.bias + n0 + 8, mask1);
    for (int i = 0; i < MR; ++i) {
      acc[i][0] = _mm256_add_ps(acc[i][0], bias0);
      acc[i][1] = _mm256_add_ps(acc[i][1], bias1);
    }
  }
  for (int i = 0; i < MR; ++i) {
    float* crow = p.c + static_cast<ptrdiff_t>(m0 + i) * p.c_stride + n0;
    _mm256_maskstore_ps(crow, mask0, acc[i][0]);
    _mm256_maskstore_ps(crow + 8, mask1, acc[i][1]);
  }
}

// Six rows keep 12 accumulators in flight, enough to cover the FMA latency on two ports.
void axpy_gemm(const F32GemmParams& p) {
  Panel panel;
  for (int n0 = 0; n0 < p.n; n0 += 16) {
    const int cols = p.n - n0 < 16 ? p.n - n0 : 16;
    const __m256i mask0 = tail_mask(cols < 8 ? cols : 8);
    const __m256i mask1 = tail_mask(cols > 8 ? cols - 8 : 0);
    for (int k0 = 0; k0 < p.k || k0 == 0; k0 += kKc) {  // k == 0: c = bias
      const int kc = p.k - k0 < kKc ? p.k - k0 : kKc;
      pack_panel(p, k0, kc, n0, cols, panel);
      int m = 0;
      for (; m + 6 <= p.m; m += 6) panel_tile<6>(p, m, n0, k0, kc, panel, mask0, mask1);
      // Leftover rows in the widest groups left: a single row is latency bound (2 chains).
      for (; m + 4 <= p.m; m += 4) panel_tile<4>(p, m, n0, k0, kc, panel, mask0, mask1);
      for (; m + 2 <= p.m; m += 2) panel_tile<2>(p, m, n0, k0, kc, panel, mask0, mask1);
      for (; m < p.m; ++m) panel_tile<1>(p, m, n0, k0, kc, panel, mask0, mask1);
    }
  }
}

}  // namespace

void f32_gemm_avx2(const F32GemmParams& params) noexcept {
  const F32GemmParams p = f32_resolve_strides(params);
  int m = 0;
  // A few rows of b^T (GEMV, small batches) are cheaper as dot products than packed.
  if (p.b_transposed && p.m < kPackMinRows) {
    for (; m + 3 <= p.m; m += 3) dot_rows<3>(p, m);
    for (; m < p.m; ++m) dot_rows<1>(p, m);
  } else {
    axpy_gemm(p);
  }
}

}  // namespace earshot::kernels
