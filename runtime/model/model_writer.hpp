// Builds an earshot model file (.esm, docs/model-format.md) from metadata and tensors: the C++
// counterpart of tools/earshot_model.py, for tests, benchmarks and tools.
//
//   ModelWriter w(metadata);
//   EARSHOT_RETURN_IF_ERROR(w.add_tensor("conv.weight", DType::kF32, {8, 3}, data, nbytes));
//   EARSHOT_RETURN_IF_ERROR(w.write_file(path));
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/model/dtype.hpp"
#include "runtime/model/tensor_view.hpp"

namespace earshot::model {

class ModelWriter {
 public:
  explicit ModelWriter(nlohmann::json metadata) : metadata_(std::move(metadata)) {}

  // Copies the tensor; checks the name (non-empty, < 96 bytes, no NUL, unused), the shape
  // (<= 6 dims) and that nbytes is the shape's size.
  Status add_tensor(const std::string& name, DType dtype, std::span<const std::uint64_t> shape,
                    const void* data, std::size_t nbytes);
  Status add_tensor(const std::string& name, DType dtype,
                    std::initializer_list<std::uint64_t> shape, const void* data,
                    std::size_t nbytes) {
    return add_tensor(name, dtype, std::span<const std::uint64_t>(shape.begin(), shape.size()),
                      data, nbytes);
  }
  template <typename T>
  Status add(const std::string& name, std::initializer_list<std::uint64_t> shape,
             std::span<const T> values) {
    return add_tensor(name, DTypeOf<T>::value, shape, values.data(), values.size_bytes());
  }

  // The whole file, hash included; checks the metadata's required keys first.
  Result<std::vector<std::uint8_t>> serialize() const;
  // Writes the file atomically (a temporary beside it, then rename).
  Status write_file(const std::string& path) const;

 private:
  struct Pending {
    std::string name;
    DType dtype;
    Shape shape;
    std::vector<std::uint8_t> bytes;
  };
  nlohmann::json metadata_;
  std::vector<Pending> tensors_;
};

}  // namespace earshot::model
