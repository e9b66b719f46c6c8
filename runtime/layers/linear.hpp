// The linear layer y = x W^T + b shared by every stage (Whisper, the NLU encoder, Silero VAD):
// f32 weights read in place from the model file, or int8 weights (per output row scales)
// packed once at load time and run with dynamic activation quantization (i8f32_gemm).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/kernels/i8_gemm.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::runtime {

struct LinearOptions {
  std::string weight;  // weight tensor; empty: `<name>.weight`
  // Bias tensors [out], each required, summed when several (an LSTM's b_ih + b_hh); {} for
  // none. Unset: `<name>.bias` when the file has it.
  std::optional<std::vector<std::string>> biases;
  bool flatten = false;  // weight [out, a, b, ..] read as [out, a * b * ..] (a conv kernel)
};

class Linear {
 public:
  // Reads the weight [out, in] (f32, or int8 with `<weight>.scale` [out]) and the bias;
  // CorruptData unless the shape is the expected one (an `in` or `out` of 0 takes the file's).
  static Result<Linear> load(const model::Model& m, const std::string& name, int in, int out,
                             const LinearOptions& options = {});

  int in() const { return in_; }
  int out() const { return out_; }
  bool is_int8() const { return f32_ == nullptr; }

  // Bytes of scratch apply() needs for `rows` rows on `pool` (nullptr: the calling thread).
  size_t scratch_bytes(int rows, const ThreadPool* pool = nullptr) const;
  // y [rows][out] = x [rows][in] W^T + b. No allocation: `scratch` (any alignment) holds at
  // least scratch_bytes(rows, pool) bytes. With a pool, many rows are split across threads,
  // a few rows (a GEMV) by output columns.
  Status apply(const float* x, int rows, float* y, void* scratch, size_t scratch_bytes,
               ThreadPool* pool = nullptr) const;

 private:
  // int8 weights packed in pieces of consecutive output rows, so that a single-row product
  // (the vocabulary projection) can still be spread over threads.
  struct Piece {
    int first = 0;
    std::shared_ptr<const kernels::PackedI8Weights> w;
  };
  struct Split;
  Split split(int rows, const ThreadPool* pool) const;
  Status run_rows(const float* x, int r0, int r1, float* y, unsigned char* scratch,
                  size_t bytes) const;
  Status run_cols(const float* x, int rows, int c0, int c1, float* y, unsigned char* scratch,
                  size_t bytes) const;
  Status apply_piece(const Piece& piece, const float* x, int rows, float* y, void* scratch,
                     size_t bytes) const;

  int in_ = 0, out_ = 0;
  const float* f32_ = nullptr;
  const float* scale_ = nullptr;
  const float* bias_ = nullptr;                           // mapped, or owned_bias_
  std::shared_ptr<const std::vector<float>> owned_bias_;  // a sum of several bias tensors
  std::vector<Piece> pieces_;
};

}  // namespace earshot::runtime
