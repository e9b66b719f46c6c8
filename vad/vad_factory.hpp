// Creates a VAD engine by name, finding converted models in the models folder.
#pragma once

#include <memory>
#include <string>

#include "earshot/status.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::vad {

struct VadEngineOptions {
  std::string engine = "neural";   // "fixed" (tier 0) or "neural" (Silero v6)
  std::string precision = "int8";  // neural: "f32" or "int8"
  std::string model_path;          // neural: overrides models_dir()/silero-vad-v6.<precision>.esm
};

Result<std::unique_ptr<VadEngine>> make_vad_engine(const VadEngineOptions& options);

}  // namespace earshot::vad
