// Where converted models live: $EARSHOT_MODELS, else $EARSHOT_CACHE/models, else
// ~/.cache/earshot/models (what tools/fetch_models.py writes).
#pragma once

#include <string>

#include "earshot/status.hpp"

namespace earshot::model {

// The models folder by the rule above (not checked for existence).
std::string models_dir();

// `<models_dir>/<file_name>`; NotFound naming the path and how to make it when it is missing.
Result<std::string> find_model(const std::string& file_name);

}  // namespace earshot::model
