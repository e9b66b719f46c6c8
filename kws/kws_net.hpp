// A microWakeWord streaming model compiled for the i8 engine: the TFLite graph stored in the
// model (kws_graph.hpp) is planned once at creation into a flat list of steps over one fixed
// arena (activations, placed by lifetime so tensors that are never alive together share bytes)
// and one state buffer (the streaming variables). Every address is resolved at creation, so
// invoke() is a loop over precomputed kernel calls: no allocation, no lookups, no locks.
//
// Semantics are TFLite's int8 reference ops (quant.hpp), bit for bit: CONV_2D (1x1 and
// time-patch convolutions run as i8 GEMMs), DEPTHWISE_CONV_2D, FULLY_CONNECTED, LOGISTIC and
// QUANTIZE (256-entry tables), and the data movement ops (RESHAPE, CONCATENATION, SPLIT_V,
// STRIDED_SLICE, READ_VARIABLE, ASSIGN_VARIABLE) turned into lists of memory copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "kws/kws_graph.hpp"
#include "runtime/kernels/conv.hpp"
#include "runtime/kernels/conv_geometry.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/dwconv_upward.hpp"
#include "runtime/kernels/i8_gemm.hpp"
#include "runtime/kernels/requant_upward.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::kws {

class KwsNet {
 public:
  // Plans the model's graph. The Model must outlive the net (weights are read in place).
  static Result<std::unique_ptr<KwsNet>> create(const model::Model& model);

  KwsNet(const KwsNet&) = delete;
  KwsNet& operator=(const KwsNet&) = delete;

  // int8 values the model takes per inference ([1, 3, 40] for every microWakeWord model).
  std::size_t input_size() const noexcept { return input_size_; }
  float input_scale() const noexcept { return input_scale_; }
  int32_t input_zero_point() const noexcept { return input_zero_point_; }
  // Runs one inference on input_size() values; returns the uint8 output (probability * 256).
  uint8_t invoke(const int8_t* input) noexcept;
  // invoke() that also reports each step's output tensor (op index in the graph, tensor name,
  // bytes) right after the step ran: for tracing differences against another runtime.
  using TraceFn = void (*)(void* user, int op, const std::string& tensor, const uint8_t* data,
                           std::size_t bytes);
  uint8_t invoke_traced(const int8_t* input, TraceFn fn, void* user) noexcept;
  // Restores every streaming state to its initial value.
  void reset() noexcept;

  std::size_t arena_bytes() const noexcept { return arena_size_; }
  std::size_t state_bytes() const noexcept { return state_size_; }
  std::size_t step_count() const noexcept { return steps_.size(); }
  uint64_t macs_per_invoke() const noexcept { return macs_; }

 private:
  struct Move {
    const uint8_t* src;
    uint8_t* dst;
    uint32_t n;
  };
  enum class Kind : uint8_t { kMoves, kGemm, kDepthwise, kLut, kRequantUpward };
  struct Step {
    Kind kind = Kind::kMoves;
    uint32_t begin = 0;          // kMoves: into moves_; kDepthwise: into dw_rows_
    uint32_t count = 0;          // kRequantUpward: channels
    kernels::I8GemmParams gemm;  // kGemm: one call per row when rows > 0
    int rows = 0;
    ptrdiff_t x_step = 0, y_step = 0;
    kernels::ConvGeometry geom;  // kConvRef, kDepthwiseGeneric
    const int8_t* in = nullptr;
    const int8_t* w = nullptr;
    const int32_t* bias = nullptr;
    kernels::I8ConvQuant q;
    int8_t* out = nullptr;
    const int32_t* acc = nullptr;  // kRequantUpward: n int32 accumulators, q, out
    const uint8_t* lut = nullptr;  // kLut: 256 entries indexed by the input byte
    std::size_t n = 0;
    int op = -1;             // graph op index (tracing)
    int traced_tensor = -1;  // its output tensor (tracing)
  };
  class Planner;

  KwsNet() = default;
  void run_step(const Step& s) noexcept;

  Graph graph_;
  std::unique_ptr<uint8_t[]> arena_;
  std::unique_ptr<uint8_t[]> state_;
  std::size_t arena_size_ = 0;
  std::size_t state_size_ = 0;
  std::vector<Step> steps_;
  std::vector<Move> moves_;
  std::vector<kernels::DwRowI8> dw_rows_;
  std::vector<std::unique_ptr<const int8_t*[]>> dw_taps_;  // tap pointer lists of dw_rows_
  // Owned parameters the steps point into (each element allocated once, never moved).
  std::vector<std::unique_ptr<kernels::PackedI8Weights>> packed_;
  std::vector<std::unique_ptr<int32_t[]>> ints_;
  std::vector<std::unique_ptr<kernels::I8ConvQuant>> quants_;
  std::vector<std::unique_ptr<uint8_t[]>> luts_;
  const kernels::DwUpwardKernels* dw_kernels_ = nullptr;
  struct StateInit {
    uint8_t* dst;
    const void* init;
    std::size_t bytes;
  };
  std::vector<StateInit> state_init_;
  std::vector<const uint8_t*> trace_address_;  // per tensor
  int8_t* input_ = nullptr;
  const uint8_t* output_ = nullptr;
  std::size_t input_size_ = 0;
  float input_scale_ = 0.0f;
  int32_t input_zero_point_ = 0;
  uint64_t macs_ = 0;
};

}  // namespace earshot::kws
