// The TFLite graph of a converted microWakeWord model, read from the model's `graph` metadata
// (docs/models.md) and checked: every tensor name resolves, shapes are sane, constant tensors
// have the bytes their shape needs, quantized tensors carry their scales and zero points.
// Pointers refer into the model's mapping: the Model must outlive the Graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/model/dtype.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::kws {

inline constexpr int kMaxRank = 5;

struct GraphTensor {
  std::string name;
  model::DType dtype = model::DType::kI8;
  bool is_resource = false;  // a VAR_HANDLE output (names a streaming state)
  std::vector<int> shape;
  std::size_t bytes = 0;          // elements * element size (0 for resources)
  const void* data = nullptr;     // constants only, read in place from the model
  std::span<const float> scales;  // empty when not quantized
  std::span<const int32_t> zero_points;
  float scale() const { return scales.empty() ? 0.0f : scales[0]; }
  int32_t zero_point() const { return zero_points.empty() ? 0 : zero_points[0]; }
  bool is_const() const { return data != nullptr; }
};

struct GraphOp {
  std::string op;  // TFLite builtin name
  std::vector<int> inputs;
  std::vector<int> outputs;
  nlohmann::json options;
  nlohmann::json params;
};

struct GraphVariable {
  int resource = -1;  // tensor index of its VAR_HANDLE output
  model::DType dtype = model::DType::kI8;
  std::vector<int> shape;
  std::size_t bytes = 0;
  const void* init = nullptr;  // the value CALL_ONCE assigns at start and on reset
};

struct Graph {
  std::vector<GraphTensor> tensors;
  std::vector<GraphOp> ops;
  std::vector<GraphVariable> variables;
  int input = -1;
  int output = -1;
  int find_tensor(const std::string& name) const;
  int find_variable(int resource) const;
};

// Reads and checks the graph of a `stage: kws`, `architecture: micro-wakeword` model.
Result<Graph> read_graph(const model::Model& model);

std::size_t element_count(const std::vector<int>& shape);

}  // namespace earshot::kws
