#include "asr/linear.hpp"

#include <algorithm>
#include <atomic>

#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/i8f32_gemm.hpp"

namespace earshot::asr {
namespace {

// Large outputs (the vocabulary projection) are split so a GEMV can use several threads.
constexpr int kPieceRows = 8192;

}  // namespace

Result<Linear> Linear::load(const model::Model& m, const std::string& name,
                            const std::string& weight_name) {
  const std::string wname = weight_name.empty() ? name + ".weight" : weight_name;
  auto w = m.tensor(wname);
  if (!w.ok()) return w.status();
  if (w->shape.ndim != 2) return CorruptData(m.path() + ": " + wname + " is not a matrix");
  Linear l;
  l.out_ = static_cast<int>(w->shape[0]);
  l.in_ = static_cast<int>(w->shape[1]);
  if (w->dtype == model::DType::kF32) {
    l.f32_ = static_cast<const float*>(w->data);
  } else if (w->dtype == model::DType::kI8) {
    auto scale = m.tensor_as<float>(wname + ".scale");
    if (!scale.ok()) return scale.status();
    if (static_cast<int>(scale->size()) != l.out_) {
      return CorruptData(m.path() + ": " + wname + ".scale has the wrong size");
    }
    l.scale_ = scale->data();
    const auto* q = static_cast<const int8_t*>(w->data);
    for (int first = 0; first < l.out_; first += kPieceRows) {
      const int n = std::min(kPieceRows, l.out_ - first);
      auto packed = kernels::pack_i8_weights(q + static_cast<size_t>(first) * l.in_, n, l.in_);
      if (!packed.ok()) return packed.status();
      l.pieces_.push_back(
          {first, std::make_shared<kernels::PackedI8Weights>(std::move(packed).value())});
    }
    // Only the packed copy is read from now on; the file's bytes would double the memory.
    m.drop_pages(*w);
  } else {
    return Unsupported(m.path() + ": " + wname + " must be f32 or int8");
  }
  if (const auto* b = m.find(name + ".bias")) {
    auto bias = b->as<float>();
    if (!bias.ok()) return bias.status();
    if (static_cast<int>(bias->size()) != l.out_) {
      return CorruptData(m.path() + ": " + name + ".bias has the wrong size");
    }
    l.bias_ = bias->data();
  }
  return l;
}

Status Linear::apply_piece(const Piece& piece, const float* x, int rows, float* y, void* scratch,
                           size_t scratch_bytes) const {
  kernels::I8F32GemmParams p;
  p.m = rows;
  p.x = x;
  p.w = piece.w.get();
  p.w_scale = scale_ + piece.first;
  p.bias = bias_ != nullptr ? bias_ + piece.first : nullptr;
  p.y = y + piece.first;
  p.y_stride = out_;
  p.scratch = scratch;
  p.scratch_bytes = scratch_bytes;
  return kernels::i8f32_gemm(p);
}

Status Linear::apply(const float* x, int rows, float* y, runtime::ThreadPool* pool,
                     std::vector<float>& scratch) const {
  if (rows <= 0) return Status::Ok();
  const int threads = pool != nullptr ? pool->threads() : 1;
  // Split rows when there are many, else output columns (GEMV).
  const bool by_rows = rows >= 8 || threads == 1;
  const int chunks = by_rows ? std::min(threads, rows) : threads;
  const int rows_per = (rows + chunks - 1) / chunks;
  const size_t per_chunk_bytes =
      is_int8() ? (kernels::i8f32_scratch_bytes(by_rows ? rows_per : rows, in_) + 63) / 64 * 64 : 0;
  const size_t slots = std::max<size_t>(chunks, pieces_.size());
  const size_t need = per_chunk_bytes * slots / sizeof(float) + 16;
  if (scratch.size() < need) scratch.resize(need);
  auto* base = reinterpret_cast<unsigned char*>(scratch.data());

  auto run_rows = [&](int r0, int r1, int chunk) -> Status {
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
      EARSHOT_RETURN_IF_ERROR(
          apply_piece(piece, xr, r1 - r0, yr, base + per_chunk_bytes * chunk, per_chunk_bytes));
    }
    return Status::Ok();
  };
  auto run_cols = [&](int c0, int c1, int chunk) -> Status {
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
    for (const Piece& piece : pieces_) {
      const int idx = static_cast<int>(&piece - pieces_.data());
      if (idx < c0 || idx >= c1) continue;
      EARSHOT_RETURN_IF_ERROR(
          apply_piece(piece, x, rows, y, base + per_chunk_bytes * chunk, per_chunk_bytes));
    }
    return Status::Ok();
  };

  if (pool == nullptr || threads == 1) return run_rows(0, rows, 0);
  Status first_error;
  std::atomic<bool> failed{false};
  auto record = [&](Status s) {
    if (!s.ok() && !failed.exchange(true)) first_error = std::move(s);
  };
  if (by_rows) {
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, chunks, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const int r0 = static_cast<int>(c) * rows_per;
        const int r1 = std::min(rows, r0 + rows_per);
        if (r0 < r1) record(run_rows(r0, r1, static_cast<int>(c)));
      }
    }));
  } else if (is_int8()) {
    const int n = static_cast<int>(pieces_.size());
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, n, [&](int64_t lo, int64_t hi) {
      record(run_cols(static_cast<int>(lo), static_cast<int>(hi), static_cast<int>(lo)));
    }));
  } else {
    const int cols_per = ((out_ + chunks - 1) / chunks + 15) / 16 * 16;
    EARSHOT_RETURN_IF_ERROR(pool->parallel_for(0, chunks, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) {
        const int c0 = static_cast<int>(c) * cols_per;
        const int c1 = std::min(out_, c0 + cols_per);
        if (c0 < c1) record(run_cols(c0, c1, static_cast<int>(c)));
      }
    }));
  }
  return failed ? first_error : Status::Ok();
}

}  // namespace earshot::asr
