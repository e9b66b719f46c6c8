// The pipeline's states and every transition between them, in one table.
//
//   idle ──voice──> listening ──wake──> capturing ──final──> understanding ──done──> idle
//    ^                 │                  │                       │
//    └────quiet────────┘                  └──no_speech──> idle    └──done_follow_up──> follow_up
//   follow_up ──command_speech──> capturing;  follow_up ──quiet──> idle;  any ──error──> idle
//
// idle runs tier 0 only (fixed-point frontend + integer VAD); listening adds the wake word
// (tier 1); capturing runs streaming ASR (tier 2) on the audio from the end of the wake word;
// understanding runs the NLU on the final text; follow_up (off by default) listens for a
// second command without the wake word.
#pragma once

#include <array>
#include <optional>

#include "pipeline/events.hpp"

namespace earshot::pipeline {

enum class Trigger : uint8_t {
  kVoice,           // tier 0 heard voice
  kQuiet,           // no voice for the listening (or follow-up) timeout
  kWake,            // a wake word fired
  kNoSpeech,        // nothing said within the no-speech timeout after the wake word
  kFinal,           // the command's final transcript is ready (endpoint, length limit, end)
  kDone,            // the intent is out
  kDoneFollowUp,    // the intent is out and follow-up is on
  kCommandSpeech,   // follow-up: a command began without the wake word
  kError,           // a stage failed: start over
};

struct Transition {
  State from;
  Trigger trigger;
  State to;
};

inline constexpr std::array<Transition, 10> kTransitions{{
    {State::kIdle, Trigger::kVoice, State::kListening},
    {State::kListening, Trigger::kQuiet, State::kIdle},
    {State::kListening, Trigger::kWake, State::kCapturing},
    {State::kCapturing, Trigger::kNoSpeech, State::kIdle},
    {State::kCapturing, Trigger::kFinal, State::kUnderstanding},
    {State::kUnderstanding, Trigger::kDone, State::kIdle},
    {State::kUnderstanding, Trigger::kDoneFollowUp, State::kFollowUp},
    {State::kFollowUp, Trigger::kCommandSpeech, State::kCapturing},
    {State::kFollowUp, Trigger::kQuiet, State::kIdle},
    {State::kFollowUp, Trigger::kFinal, State::kUnderstanding},
}};

// The state `trigger` leads to from `from`; nothing when the table has no such transition
// (the trigger is ignored there). kError leads to idle from anywhere.
constexpr std::optional<State> next_state(State from, Trigger trigger) noexcept {
  if (trigger == Trigger::kError) return State::kIdle;
  for (const auto& t : kTransitions) {
    if (t.from == from && t.trigger == trigger) return t.to;
  }
  return std::nullopt;
}

}  // namespace earshot::pipeline
