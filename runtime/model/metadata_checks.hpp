// The metadata rules of a model file: a JSON object with the required keys
// (docs/model-format.md, "Metadata"), the same rules as tools/earshot_model.py.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "earshot/status.hpp"

namespace earshot::model {

// Parses `size` bytes of UTF-8 JSON; never throws.
Result<nlohmann::json> parse_metadata(const char* text, std::size_t size, const std::string& where);

// Required keys and their values; `expected_stage` empty accepts any stage.
Status check_metadata(const nlohmann::json& meta, const std::string& expected_stage,
                      const std::string& where);

}  // namespace earshot::model
