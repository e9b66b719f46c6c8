// Writing feature matrices ([frames][features], float32) for the CLI and for Python checks:
// NumPy .npy (format version 1.0, '<f4', C order) and CSV (one frame per line).
#pragma once

#include <cstddef>
#include <string>

#include "earshot/status.hpp"

namespace earshot::features {

Status write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols);
Status write_csv(const std::string& path, const float* data, std::size_t rows, std::size_t cols);

// Picks the writer from the extension (".npy" or ".csv"); anything else is InvalidArgument.
Status write_feature_file(const std::string& path, const float* data, std::size_t rows,
                          std::size_t cols);
bool is_feature_file_name(const std::string& path);

}  // namespace earshot::features
