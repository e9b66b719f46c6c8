#include "whisper_model.hpp"

#include "runtime/model/model_paths.hpp"

namespace earshot::cli {

Result<std::string> resolve_whisper_model(const std::string& m) {
  if (m.find('/') != std::string::npos || m.ends_with(".esm")) return m;
  auto int8 = model::find_model("whisper-" + m + ".int8.esm");
  if (int8.ok()) return int8;
  for (const char* suffix : {".f32.esm", ".esm"}) {
    auto other = model::find_model("whisper-" + m + suffix);
    if (other.ok()) return other;
  }
  return int8;
}

}  // namespace earshot::cli
