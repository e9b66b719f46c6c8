// Opens the pipeline's model files: by name from the host's blobs, else from its models
// folder, or a path when the name holds a '/'. Reads no environment variable.
#pragma once

#include <string>

#include "earshot/status.hpp"
#include "pipeline/pipeline_config.hpp"
#include "runtime/model/model_file.hpp"

namespace earshot::pipeline {

Result<model::Model> open_model(const PipelineConfig& config, const std::string& name,
                                const std::string& stage);

}  // namespace earshot::pipeline
