// Streaming post-processing of per-frame speech probabilities into speech segments:
// hysteresis (start at `threshold`, end below `end_threshold`), minimum speech and silence
// durations (the silence is the hangover), padding on both sides, and a maximum segment length.
//
// Integer only (tier 0 runs it): probabilities arrive in Q15 (32768 = 1.0) and every duration is
// counted in frames. Segments depend only on the sequence of frame probabilities, so a file fed
// whole or in chunks of any size gives the same segments.
#pragma once

#include <cstdint>
#include <optional>

#include "earshot/status.hpp"

namespace earshot::vad {

struct SegmenterConfig {
  float threshold = 0.5f;       // a frame at or above it starts (or continues) speech
  float end_threshold = -1.0f;  // speech ends below it; < 0 means threshold - 0.15 (min 0.01)
  int min_speech_ms = 250;      // shorter segments are dropped
  int min_silence_ms = 100;     // silence needed to end a segment (hangover)
  int speech_pad_ms = 30;       // added before and after every segment
  float max_speech_s = 30.0f;   // a longer segment is split; <= 0 means no limit

  Status validate() const;
};

// Sample positions at 16 kHz, [start, end).
struct SpeechSegment {
  int64_t start = 0;
  int64_t end = 0;
};

class SpeechSegmenter {
 public:
  // `frame_samples`: samples per probability (160 for 10 ms frames, 512 for Silero chunks).
  static Result<SpeechSegmenter> create(const SegmenterConfig& config, int frame_samples);

  // One frame's probability in Q15. Returns the segment this frame finished, if any (at most
  // one per frame). No allocation.
  std::optional<SpeechSegment> push(int32_t prob_q15) noexcept;
  // End of stream after `total_samples` samples: returns the last open or pending segment.
  std::optional<SpeechSegment> flush(int64_t total_samples) noexcept;
  void reset() noexcept;

  bool in_speech() const noexcept { return triggered_; }
  int frame_samples() const noexcept { return frame_samples_; }

 private:
  // Pads a finished raw segment [start_frame, end_frame) and merges it with the pending one.
  // `split`: ended by the maximum length, not by silence (never merged with the next one).
  std::optional<SpeechSegment> finish(int64_t start_frame, int64_t end_frame, bool split) noexcept;

  int frame_samples_ = 160;
  int32_t on_q15_ = 16384, off_q15_ = 11469;
  int64_t min_speech_frames_ = 0, min_silence_frames_ = 0, max_speech_frames_ = 0;
  int64_t pad_samples_ = 0;

  int64_t frame_ = 0;  // index of the next frame
  bool triggered_ = false;
  int64_t start_frame_ = 0;
  int64_t silence_start_ = -1;    // first frame of the current run below end_threshold
  bool has_pending_ = false;      // a padded segment whose end may still merge with the next
  bool pending_split_ = false;    // the pending segment ended at the maximum length
  bool continues_split_ = false;  // the open segment continues a split one (kept however short)
  SpeechSegment pending_;
};

}  // namespace earshot::vad
