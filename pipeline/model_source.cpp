#include "pipeline/model_source.hpp"

namespace earshot::pipeline {

Result<model::Model> open_model(const PipelineConfig& config, const std::string& name,
                                const std::string& stage) {
  model::OpenOptions opt;
  opt.verify_hash = config.verify_models;
  opt.expected_stage = stage;
  for (const auto& b : config.models) {
    if (b.file_name == name) return model::Model::from_memory(b.data, b.size, opt, name);
  }
  if (name.find('/') != std::string::npos) return model::Model::open(name, opt);
  if (config.models_dir.empty()) {
    return NotFound("model " + name + ": no models folder given and no such model in memory");
  }
  return model::Model::open(config.models_dir + "/" + name, opt);
}

}  // namespace earshot::pipeline
