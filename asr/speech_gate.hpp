// Where a recording holds speech, found by a VAD before transcribing it. Whisper invents text
// ("you", "Thank you.") in silence and noise, and its no-speech probability does not stop it:
// a confident decode overrules it. The transcriber skips audio outside these spans and drops
// segments that have no speech under them, so silence and noise give an empty transcript.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "vad/speech_segmenter.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::asr {

class SpeechGate {
 public:
  // Speech spans for gating: generous padding and a long hangover (a pause inside a sentence
  // stays inside its span), no length limit.
  static vad::SegmenterConfig default_config();

  // Runs `vad` (reset first) over 16 kHz mono `audio`.
  static Result<SpeechGate> detect(vad::VadEngine& vad, std::span<const int16_t> audio,
                                   const vad::SegmenterConfig& config = default_config());
  // Spans in samples at 16 kHz, sorted and not overlapping.
  static Result<SpeechGate> from_spans(std::vector<vad::SpeechSegment> spans);

  // The first 10 ms mel frame at or after `frame` that lies in a span; -1 when no span ends
  // after `frame`.
  int next_speech_frame(int frame) const;
  // The frame (rounded up) where the span holding `frame` ends; -1 when `frame` is in none.
  int speech_end_frame(int frame) const;
  // Whether [start_s, end_s] (seconds) overlaps a span.
  bool overlaps(double start_s, double end_s) const;
  const std::vector<vad::SpeechSegment>& spans() const { return spans_; }

 private:
  // The first span ending after the start of mel frame `frame`.
  std::vector<vad::SpeechSegment>::const_iterator span_ending_after(int frame) const;

  std::vector<vad::SpeechSegment> spans_;
};

}  // namespace earshot::asr
