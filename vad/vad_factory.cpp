#include "vad/vad_factory.hpp"

#include "runtime/model/model_paths.hpp"
#include "vad/fixed_vad.hpp"
#include "vad/neural_vad.hpp"

namespace earshot::vad {

Result<std::unique_ptr<VadEngine>> make_vad_engine(const VadEngineOptions& options) {
  if (options.engine == "fixed") {
    auto v = FixedPointVad::create();
    if (!v.ok()) return v.status();
    return std::unique_ptr<VadEngine>(std::move(v.value()));
  }
  if (options.engine != "neural") {
    return InvalidArgument("vad: engine '" + options.engine + "' (want fixed or neural)");
  }
  if (options.precision != "f32" && options.precision != "int8") {
    return InvalidArgument("vad: precision '" + options.precision + "' (want f32 or int8)");
  }
  std::string path = options.model_path;
  if (path.empty()) {
    auto found = model::find_model("silero-vad-v6." + options.precision + ".esm");
    if (!found.ok()) return found.status();
    path = found.value();
  }
  auto v = NeuralVad::open(path);
  if (!v.ok()) return v.status();
  return std::unique_ptr<VadEngine>(std::move(v.value()));
}

}  // namespace earshot::vad
