// Utterance boundaries for streaming ASR from a VAD's per-frame speech probabilities: an
// utterance starts after `min_speech` of consecutive speech frames, a pause is reported once
// after `pause` of silence (the streaming transcriber decodes then, so the final is often
// ready before the endpoint), and the endpoint comes after `endpoint` of silence. Pauses
// shorter than the endpoint silence stay inside the utterance, unlike a VAD segment's hangover.
//
// Integer only and allocation free: probabilities in Q15, durations in frames.
#pragma once

#include <cstdint>

namespace earshot::asr {

struct EndpointerConfig {
  int32_t threshold_q15 = 16384;  // a frame at or above it is speech
  int min_speech_frames = 3;      // consecutive speech frames that open an utterance
  int pause_frames = 8;           // silence that counts as a pause (reported once)
  int endpoint_frames = 22;       // silence that ends the utterance
};

enum class EndpointEvent : uint8_t { kNone, kSpeechStart, kPause, kEndpoint };

class Endpointer {
 public:
  explicit Endpointer(const EndpointerConfig& c) : c_(c) {}

  // One frame's probability; at most one event per frame.
  EndpointEvent push(int32_t prob_q15) noexcept;
  void reset() noexcept;

  bool in_utterance() const noexcept { return in_utterance_; }
  // Frames since the utterance's last speech frame (0 while speaking).
  int silence_frames() const noexcept { return silence_; }

 private:
  EndpointerConfig c_;
  bool in_utterance_ = false;
  int speech_run_ = 0;
  int silence_ = 0;
};

}  // namespace earshot::asr
