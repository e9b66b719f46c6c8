#include "pipeline/pipeline_config.hpp"

#include <cmath>

namespace earshot::pipeline {
namespace {

Status ms_in(const char* name, int v, int lo, int hi) {
  if (v >= lo && v <= hi) return Status::Ok();
  return InvalidArgument(std::string("pipeline: ") + name + " = " + std::to_string(v) +
                         " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

bool plain_file_name(const std::string& s) {
  return !s.empty() && s.find('\0') == std::string::npos;
}

}  // namespace

Status PipelineConfig::validate() const {
  if (keywords.empty()) return InvalidArgument("pipeline: no wake word given");
  if (keywords.size() > 8) return InvalidArgument("pipeline: at most 8 wake words");
  if (!(sensitivity < 1.0f) || std::isnan(sensitivity) || sensitivity == 0.0f) {
    return InvalidArgument("pipeline: sensitivity must be in (0, 1), or below 0 for each model's");
  }
  EARSHOT_RETURN_IF_ERROR(ms_in("refractory_ms", refractory_ms, 0, 60000));
  EARSHOT_RETURN_IF_ERROR(ms_in("preroll_ms", preroll_ms, 0, 5000));
  EARSHOT_RETURN_IF_ERROR(ms_in("wake_backoff_ms", wake_backoff_ms, 0, 2000));
  EARSHOT_RETURN_IF_ERROR(ms_in("listen_timeout_ms", listen_timeout_ms, 100, 600000));
  EARSHOT_RETURN_IF_ERROR(ms_in("no_speech_timeout_ms", no_speech_timeout_ms, 500, 60000));
  EARSHOT_RETURN_IF_ERROR(ms_in("max_command_ms", max_command_ms, 1000, 60000));
  EARSHOT_RETURN_IF_ERROR(ms_in("follow_up_ms", follow_up_ms, 0, 60000));
  if (!(voice_threshold > 0.0f && voice_threshold < 1.0f)) {
    return InvalidArgument("pipeline: voice_threshold must be in (0, 1)");
  }
  EARSHOT_RETURN_IF_ERROR(ms_in("voice_min_ms", voice_min_ms, 10, 1000));
  EARSHOT_RETURN_IF_ERROR(ms_in("voice_hangover_ms", voice_hangover_ms, 10, 10000));
  if (!plain_file_name(asr_model) || !plain_file_name(asr_vad_model) ||
      (understand && !plain_file_name(nlu_model))) {
    return InvalidArgument("pipeline: a model name is empty");
  }
  EARSHOT_RETURN_IF_ERROR(ms_in("asr_threads", asr_threads, 1, 64));
  EARSHOT_RETURN_IF_ERROR(ms_in("partial_interval_ms", partial_interval_ms, 100, 10000));
  EARSHOT_RETURN_IF_ERROR(ms_in("endpoint_ms", endpoint_ms, 200, 10000));
  EARSHOT_RETURN_IF_ERROR(ms_in("ring_ms", ring_ms, 100, 600000));
  if (max_queued_events < 16 || max_queued_events > 1000000) {
    return InvalidArgument("pipeline: max_queued_events must be in [16, 1000000]");
  }
  for (const auto& b : models) {
    if (!plain_file_name(b.file_name) || b.data == nullptr || b.size == 0) {
      return InvalidArgument("pipeline: a model blob without a name or bytes");
    }
  }
  return Status::Ok();
}

}  // namespace earshot::pipeline
