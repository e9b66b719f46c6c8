// A tensor of a loaded model: its name, element type, shape and bytes, read in place from the
// model's mapping (valid while the Model lives).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "earshot/status.hpp"
#include "runtime/model/dtype.hpp"

namespace earshot::model {

// Up to 6 dimensions, outermost first; a scalar has ndim 0.
struct Shape {
  std::array<std::uint64_t, 6> dims{};
  std::uint32_t ndim = 0;

  std::uint64_t operator[](std::size_t i) const { return dims[i]; }
  std::span<const std::uint64_t> span() const { return {dims.data(), ndim}; }
  std::uint64_t numel() const {
    std::uint64_t n = 1;
    for (std::uint32_t i = 0; i < ndim; ++i) n *= dims[i];
    return n;
  }
  std::string to_string() const;  // "[384, 80, 3]"
  bool operator==(const Shape&) const = default;
};

struct TensorView {
  std::string_view name;
  DType dtype = DType::kF32;
  Shape shape;
  const void* data = nullptr;  // 64-byte aligned
  std::size_t nbytes = 0;
  std::uint64_t offset = 0;  // from the start of the file

  // The elements as T; an error when T is not the tensor's dtype (f16 reads as std::uint16_t).
  template <typename T>
  Result<std::span<const T>> as() const {
    if (DTypeOf<T>::value != dtype) return wrong_dtype(DTypeOf<T>::value);
    return std::span<const T>(static_cast<const T*>(data), nbytes / sizeof(T));
  }

 private:
  Status wrong_dtype(DType wanted) const;
};

}  // namespace earshot::model
