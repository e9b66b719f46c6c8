// Linear::apply: the hot path of the layer (runtime/layers/linear_load.cpp loads it).
#include "runtime/layers/linear.hpp"

#include <algorithm>
#include <atomic>

#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/i8f32_gemm.hpp"

namespace earshot::runtime {

// How apply() divides the work, and the scratch each part gets (one slot per part, 64-byte
// multiples so every slot keeps the alignment of the first).
struct Linear::Split {
  int threads = 1;
  bool by_rows = true;
  int chunks = 1;
  int rows_per = 0;
  size_t slot_bytes = 0;
  size_t slots = 1;
};

Linear::Split Linear::split(int rows, const ThreadPool* pool) const {
  Split s;
  s.threads = pool != nullptr ? pool->threads() : 1;
  // Split rows when there are many, else output columns (GEMV).
  s.by_rows = rows >= 8 || s.threads == 1;
  s.chunks = s.by_rows ? std::min(s.threads, rows) : s.threads;
  s.rows_per = (rows + s.chunks - 1) / s.chunks;
  if (is_int8()) {
    s.slot_bytes =
        (kernels::i8f32_scratch_bytes(s.by_rows ? s.rows_per : rows, in_) + 63) / 64 * 64;
  }
  // Without threads one slot serves every piece in turn; by columns, each piece may run at once.
  if (s.threads > 1) s.slots = s.by_rows ? s.chunks : std::max<size_t>(s.chunks, pieces_.size());
  return s;
}

size_t Linear::scratch_bytes(int rows, const ThreadPool* pool) const {
  if (rows <= 0 || !is_int8()) return 0;
  const Split s = split(rows, pool);
  return s.slot_bytes * s.slots;
}

Status Linear::apply_piece(const Piece& piece, const float* x, int rows, float* y, void* scratch,
                           size_t bytes) const {
  kernels::I8F32GemmParams p;
  p.m = rows;
  p.x = x;
  p.w = piece.w.get();
  p.w_scale = scale_ + piece.first;
  p.bias = bias_ != nullptr ? bias_ + piece.first : nullptr;
  p.y = y + piece.first;
  p.y_stride = out_;
  p.scratch = scratch;
  p.scratch_bytes = bytes;
  return kernels::i8f32_gemm(p);
}

Status Linear::run_rows(const float* x, int r0, int r1, float* y, unsigned char* scratch,
                        size_t bytes) const {
  const float* xr = x + static_cast<size_t>(r0) * in_;
  float* yr = y + static_cast<size_t>(r0) * out_;
  if (!is_int8()) {
    kernels::F32GemmParams p;
    p.m = r1 - r0;
    p.n = out_;
    p.k = in_;
    p.a = xr;
    p.b = f32_;
    p.bias = bias_;
    p.c = yr;
    return kernels::f32_gemm(p);
  }
  for (const Piece& piece : pieces_) {
    EARSHOT_RETURN_IF_ERROR(apply_piece(piece, xr, r1 - r0, yr, scratch, bytes));
  }
  return Status::Ok();
}

// Columns [c0, c1) of every row; for int8 weights c0 and c1 index pieces.
Status Linear::run_cols(const float* x, int rows, int c0, int c1, float* y, unsigned char* scratch,
                        size_t bytes) const {
  if (!is_int8()) {
    kernels::F32GemmParams p;
    p.m = rows;
    p.n = c1 - c0;
    p.k = in_;
    p.a = x;
    p.b = f32_ + static_cast<size_t>(c0) * in_;
    p.bias = bias_ != nullptr ? bias_ + c0 : nullptr;
    p.c = y + c0;
    p.c_stride = out_;
    return kernels::f32_gemm(p);
  }
  for (int i = c0; i < c1; ++i) {
    EARSHOT_RETURN_IF_ERROR(apply_piece(pieces_[i], x, rows, y, scratch, bytes));
  }
  return Status::Ok();
}

Status Linear::apply(const float* x, int rows, float* y, void* scratch, size_t scratch_bytes,
                     ThreadPool* pool) const {
  if (rows <= 0) return Status::Ok();
  if (x == nullptr || y == nullptr) return InvalidArgument("linear: null input or output");
  const Split s = split(rows, pool);
  if (is_int8() && (scratch == nullptr || scratch_bytes < s.slot_bytes * s.slots)) {
    return InvalidArgument("linear: scratch smaller than scratch_bytes()");
  }
  auto* base = static_cast<unsigned char*>(scratch);
  auto slot = [&](int i) { return base != nullptr ? base + s.slot_bytes * i : nullptr; };
  if (s.threads == 1) return run_rows(x, 0, rows, y, slot(0), s.slot_bytes);

  Status first_error;
  std::atomic<bool> failed{false};
  auto record = [&](Status st) {
    if (!st.ok() && !failed.exchange(true)) first_error = std::move(st);
  };
  if (s.by_rows) {
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, s.chunks, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const int r0 = static_cast<int>(c) * s.rows_per;
        const int r1 = std::min(rows, r0 + s.rows_per);
        if (r0 < r1) record(run_rows(x, r0, r1, y, slot(int(c)), s.slot_bytes));
      }
    }));
  } else if (is_int8()) {
    const int n = static_cast<int>(pieces_.size());
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, n, [&](int64_t lo, int64_t hi) {
      record(run_cols(x, rows, int(lo), int(hi), y, slot(int(lo)), s.slot_bytes));
    }));
  } else {
    // Column blocks of a multiple of 16, the f32 kernels' panel width.
    const int cols_per = ((out_ + s.chunks - 1) / s.chunks + 15) / 16 * 16;
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, s.chunks, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const int c0 = static_cast<int>(c) * cols_per;
        const int c1 = std::min(out_, c0 + cols_per);
        if (c0 < c1) record(run_cols(x, rows, c0, c1, y, nullptr, 0));
      }
    }));
  }
  return failed ? first_error : Status::Ok();
}

}  // namespace earshot::runtime
