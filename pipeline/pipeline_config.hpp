// What a pipeline is made of and how it behaves: where its models are, the wake words, the
// pre-roll, the timeouts. Every field has a default; validate() names the first bad one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::pipeline {

// A model file held in memory by the host (copied at creation).
struct ModelBlob {
  std::string file_name;  // the name it stands for, e.g. "kws-hey_jarvis.esm"
  const void* data = nullptr;
  size_t size = 0;
};

struct PipelineConfig {
  // Where model files are looked up by name. Blobs with the same name are used first.
  std::string models_dir;
  std::vector<ModelBlob> models;
  // Checks every model's SHA-256 at creation (reads every byte once).
  bool verify_models = true;

  std::vector<std::string> keywords = {"hey_jarvis"};  // kws-<name>.esm each
  // In (0, 1): higher wakes more easily (cutoff = 1 - sensitivity). Below 0: each model's own.
  float sensitivity = -1.0f;
  int refractory_ms = 2000;  // wake words ignored this long after a wake

  int preroll_ms = 1000;        // audio replayed into the wake word when tier 0 hears voice
  int wake_backoff_ms = 300;    // the command's audio starts this long before the detection
  int listen_timeout_ms = 2000;  // listening without voice this long: back to idle
  int no_speech_timeout_ms = 4000;  // capturing: nothing said this long after the wake word
  int max_command_ms = 15000;       // capturing: the command is cut here
  int follow_up_ms = 0;             // > 0: a second command without the wake word within it
  bool gate = true;  // false: the wake word runs on every frame (no tier-0 gate)

  // Tier 0: the fixed-point VAD's voice threshold and timing.
  float voice_threshold = 0.5f;
  int voice_min_ms = 30;
  int voice_hangover_ms = 300;

  // Tier 2.
  std::string asr_model = "whisper-tiny.en.int8.esm";
  std::string asr_vad_model = "silero-vad-v6.int8.esm";  // the command's endpoint
  std::string nlu_model = "nlu-int8.esm";
  bool understand = true;   // false: no NLU, the final is the last event of a command
  int asr_threads = 1;
  int partial_interval_ms = 500;
  int endpoint_ms = 700;    // silence that ends the command

  int ring_ms = 4000;                 // push() buffer before overruns
  size_t max_queued_events = 1024;    // events kept for poll_event() before dropping

  Status validate() const;
};

}  // namespace earshot::pipeline
