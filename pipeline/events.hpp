// The pipeline's events, typed: what the host hears. Each carries its stream time in samples
// (16 kHz, counted from the first pushed sample). The CLI writes each as one JSON line
// (event_json.hpp); the C ABI hands them out as earshot_event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace earshot::pipeline {

// The pipeline's states (state_machine.hpp has the transitions).
enum class State : uint8_t { kIdle, kListening, kCapturing, kUnderstanding, kFollowUp };
inline constexpr int kStateCount = 5;
const char* state_name(State s) noexcept;

enum class EventType : uint8_t {
  kState,        // the pipeline moved to `state` from `previous`
  kWake,         // a wake word: `keyword`, `score`
  kSpeechStart,  // tier 0 heard voice begin (at `start_sample`)
  kSpeechEnd,    // tier 0 heard voice end (at `end_sample`, before the hangover)
  kPartial,      // the command so far: `text`
  kFinal,        // the command's transcript: `text`, speech from `start_sample` to `end_sample`
  kIntent,       // `intent`, `slots`, `text`, `confidence`, `latency_ns`
  kTimeout,      // `reason`: "no_speech" or "max_command"
  kOverrun,      // `count` samples were dropped because push() outran the pipeline
  kError,        // `message`; the pipeline went back to idle and goes on
};
const char* event_type_name(EventType t) noexcept;

struct Slot {
  std::string name;
  std::string value;       // text, or the number written out ("21", "0.5")
  bool is_number = false;
};

struct Event {
  EventType type = EventType::kState;
  int64_t sample = 0;  // stream time of the event
  State state = State::kIdle;
  State previous = State::kIdle;
  std::string keyword;
  float score = 0.0f;
  std::string text;
  // final: where the command's speech began and ended; speech_start / speech_end: where
  // the voice began / ended (`sample` is when it was decided).
  int64_t start_sample = 0;
  int64_t end_sample = 0;
  std::string intent;
  std::vector<Slot> slots;
  float confidence = 0.0f;
  // intent: compute time from the endpoint (or the end of input) to this event.
  int64_t latency_ns = 0;
  std::string reason;
  std::string message;
  uint64_t count = 0;

  double time_s() const noexcept { return static_cast<double>(sample) / 16000.0; }
};

}  // namespace earshot::pipeline
