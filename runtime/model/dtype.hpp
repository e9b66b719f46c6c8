// Element types of model tensors, with their codes in the .esm tensor table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace earshot::model {

enum class DType : std::uint32_t {
  kF32 = 0,
  kF16 = 1,  // IEEE half, exposed as its raw std::uint16_t bits
  kI8 = 2,
  kU8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
};

inline constexpr std::uint32_t kDTypeCount = 7;

// Bytes per element; 0 for a code that is not a known dtype.
std::size_t dtype_size(DType dtype) noexcept;
// "f32", "f16", ...; "unknown" for a code that is not a known dtype.
const char* dtype_name(DType dtype) noexcept;
std::optional<DType> dtype_from_code(std::uint32_t code) noexcept;
std::optional<DType> dtype_from_name(std::string_view name) noexcept;

// The dtype a C++ element type is stored as (f16 is read as its raw bits, std::uint16_t).
template <typename T>
struct DTypeOf;
template <>
struct DTypeOf<float> {
  static constexpr DType value = DType::kF32;
};
template <>
struct DTypeOf<std::uint16_t> {
  static constexpr DType value = DType::kF16;
};
template <>
struct DTypeOf<std::int8_t> {
  static constexpr DType value = DType::kI8;
};
template <>
struct DTypeOf<std::uint8_t> {
  static constexpr DType value = DType::kU8;
};
template <>
struct DTypeOf<std::int16_t> {
  static constexpr DType value = DType::kI16;
};
template <>
struct DTypeOf<std::int32_t> {
  static constexpr DType value = DType::kI32;
};
template <>
struct DTypeOf<std::int64_t> {
  static constexpr DType value = DType::kI64;
};

}  // namespace earshot::model
