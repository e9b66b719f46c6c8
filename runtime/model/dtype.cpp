#include "runtime/model/dtype.hpp"

namespace earshot::model {
namespace {

struct DTypeInfo {
  const char* name;
  std::size_t size;
};
constexpr DTypeInfo kInfo[kDTypeCount] = {{"f32", 4}, {"f16", 2}, {"i8", 1}, {"u8", 1},
                                          {"i16", 2}, {"i32", 4}, {"i64", 8}};

}  // namespace

std::size_t dtype_size(DType dtype) noexcept {
  const auto code = static_cast<std::uint32_t>(dtype);
  return code < kDTypeCount ? kInfo[code].size : 0;
}

const char* dtype_name(DType dtype) noexcept {
  const auto code = static_cast<std::uint32_t>(dtype);
  return code < kDTypeCount ? kInfo[code].name : "unknown";
}

std::optional<DType> dtype_from_code(std::uint32_t code) noexcept {
  if (code >= kDTypeCount) return std::nullopt;
  return static_cast<DType>(code);
}

std::optional<DType> dtype_from_name(std::string_view name) noexcept {
  for (std::uint32_t code = 0; code < kDTypeCount; ++code) {
    if (name == kInfo[code].name) return static_cast<DType>(code);
  }
  return std::nullopt;
}

}  // namespace earshot::model
