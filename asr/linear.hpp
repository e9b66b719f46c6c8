// One linear layer y = x W^T + b of a Whisper model, on f32 weights read in place from the
// model file or on int8 weights (per output row) packed once at load time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/kernels/i8_gemm.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::asr {

class Linear {
 public:
  // Reads `<name>.weight` [out, in] (f32 or int8 with `<name>.weight.scale`) and
  // `<name>.bias` (optional). `weight_name` overrides the weight tensor's name.
  static Result<Linear> load(const model::Model& m, const std::string& name,
                             const std::string& weight_name = "");

  int in() const { return in_; }
  int out() const { return out_; }
  bool is_int8() const { return f32_ == nullptr; }

  // y [rows][out] = x [rows][in] W^T + b. Rows are split across `pool` when given; scratch
  // is taken from `scratch` (sized by scratch_floats(rows, threads)).
  Status apply(const float* x, int rows, float* y, runtime::ThreadPool* pool,
               std::vector<float>& scratch) const;

 private:
  int in_ = 0, out_ = 0;
  const float* f32_ = nullptr;
  const float* scale_ = nullptr;
  const float* bias_ = nullptr;
  // int8 weights packed in pieces of consecutive output rows, so that a single-row product
  // (the decoder's GEMV) can still be spread over threads.
  struct Piece {
    int first = 0;
    std::shared_ptr<kernels::PackedI8Weights> w;
  };
  std::vector<Piece> pieces_;
  Status apply_piece(const Piece& piece, const float* x, int rows, float* y, void* scratch,
                     size_t scratch_bytes) const;
};

}  // namespace earshot::asr
