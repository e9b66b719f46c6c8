// The structural checks of a model file (docs/model-format.md, "Loading rules"): the header
// and the tensor table. Every size is computed with overflow checks and nothing is read
// outside [data, data + size). Messages start with `where` (the file name).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/model/tensor_view.hpp"

namespace earshot::model {

struct FileHeader {
  std::uint32_t version = 0;
  std::uint64_t file_size = 0;
  std::uint64_t meta_offset = 0;
  std::uint64_t meta_size = 0;
  std::uint64_t table_offset = 0;
  std::uint32_t tensor_count = 0;
  std::uint64_t data_offset = 0;
};

// Size, magic, version and every header field against each other and the real size.
Status check_header(const std::uint8_t* data, std::size_t size, const std::string& where,
                    FileHeader* out);

// Every table entry (name, dtype, shape, bounds), unique names and no overlap. `out` gets the
// tensors in table order, their data pointing into `data`.
Status check_table(const std::uint8_t* data, std::size_t size, const FileHeader& header,
                   const std::string& where, std::vector<TensorView>* out);

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_valid_utf8(const std::uint8_t* s, std::size_t n);

}  // namespace earshot::model
