// A VAD engine plus the segmenter, fed 16 kHz int16 audio in chunks of any size (1 sample and
// up). Whole frames go to the engine as they complete; the listener hears every frame's
// probability and every finished segment. A file fed whole or in any chunking gives the same
// frames and segments.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "vad/speech_segmenter.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::vad {

class VadListener {
 public:
  virtual ~VadListener() = default;
  virtual void on_frame(int64_t index, int32_t prob_q15) {
    (void)index;
    (void)prob_q15;
  }
  virtual void on_segment(const SpeechSegment& segment) { (void)segment; }
};

class StreamingVad {
 public:
  static Result<std::unique_ptr<StreamingVad>> create(std::unique_ptr<VadEngine> engine,
                                                      const SegmenterConfig& config);

  // No allocation. An engine error stops the push and is returned.
  Status push(std::span<const int16_t> samples, VadListener& listener) noexcept;
  // End of stream: a last partial frame is zero-padded and judged, open segments are closed
  // at the end of the audio. Then the VAD is reset for a new stream.
  Status finish(VadListener& listener) noexcept;
  void reset() noexcept;

  VadEngine& engine() noexcept { return *engine_; }
  int64_t samples_seen() const noexcept { return total_; }
  bool in_speech() const noexcept { return segmenter_.in_speech(); }

 private:
  StreamingVad(std::unique_ptr<VadEngine> engine, SpeechSegmenter segmenter);
  Status run_frame(VadListener& listener) noexcept;

  std::unique_ptr<VadEngine> engine_;
  SpeechSegmenter segmenter_;
  std::vector<int16_t> frame_;
  size_t fill_ = 0;
  int64_t total_ = 0;
  int64_t frame_index_ = 0;
};

}  // namespace earshot::vad
