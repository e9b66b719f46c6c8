#include "runtime/model/model_paths.hpp"

#include <cstdlib>
#include <filesystem>

namespace earshot::model {

std::string models_dir() {
  if (const char* m = std::getenv("EARSHOT_MODELS"); m && *m) return m;
  if (const char* c = std::getenv("EARSHOT_CACHE"); c && *c) return std::string(c) + "/models";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/earshot/models";
}

Result<std::string> find_model(const std::string& file_name) {
  const std::string path = models_dir() + "/" + file_name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(path +
                    ": model not found (run `PYTHONPATH=tools python tools/fetch_models.py "
                    "--cache ~/.cache/earshot`, or set EARSHOT_MODELS)");
  }
  return path;
}

}  // namespace earshot::model
