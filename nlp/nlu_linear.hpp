// A linear layer y = x W^T + b of the NLU transformer: f32 weights read in place from the model
// file, or int8 weights (per output channel scales) packed once at load time and run with
// dynamic activation quantization (kernels/i8f32_gemm).
#pragma once

#include <memory>
#include <string>

#include "earshot/status.hpp"
#include "runtime/kernels/i8_gemm.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::nlp {

class NluLinear {
 public:
  // Reads `<name>.weight` [out, in] (f32, or i8 with `<name>.weight.scale`) and `<name>.bias`.
  static Result<NluLinear> load(const model::Model& m, const std::string& name, int in, int out);

  int in() const { return in_; }
  int out() const { return out_; }
  bool is_int8() const { return packed_ != nullptr; }
  // Bytes of scratch apply() needs for `rows` rows.
  size_t scratch_bytes(int rows) const;
  // y [rows][out] = x [rows][in] W^T + b. No allocation.
  Status apply(const float* x, int rows, float* y, void* scratch, size_t scratch_bytes) const;

 private:
  int in_ = 0, out_ = 0;
  const float* f32_ = nullptr;
  const float* scale_ = nullptr;
  const float* bias_ = nullptr;
  std::shared_ptr<kernels::PackedI8Weights> packed_;
};

}  // namespace earshot::nlp
