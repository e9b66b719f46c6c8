// Whisper log-mel as a StreamingFrontend: push() returns each frame's log10 mel as soon as
// the samples it needs have arrived (frame t needs samples up to 160 t + 200, frame 0 also
// sample 200 for the start reflection); flush() writes the last frames, which need the end
// reflection. Every frame equals the offline whisper_log10_mel() frame bit for bit.
//
// The clamp x = max(x, max - 8) and the (x + 4) / 4 scaling need a maximum over a span of
// frames, so they are not applied here: the consumer runs whisper_normalize() over each
// window it hands to the encoder (the ASR pipeline does it per 30 s window, as Whisper
// itself does for each 30 s segment it decodes from a stream).
#pragma once

#include <vector>

#include "features/frontend.hpp"
#include "features/whisper/whisper_log_mel.hpp"

namespace earshot::features::whisper {

class StreamingWhisperMel final : public StreamingFrontend {
 public:
  StreamingWhisperMel();
  bool ok() const { return kernel_.ok(); }

  const char* name() const override { return "whisper-mel"; }
  std::size_t frame_size() const override { return kMelBins; }
  std::size_t hop_samples() const override { return kHop; }
  std::size_t max_frames_for(std::size_t n) const override;
  std::size_t max_flush_frames() const override;
  // When `out` is too small nothing is consumed and 0 is returned (also for flush()).
  std::size_t push(std::span<const int16_t> samples, std::span<float> out) override;
  // Clips of 200 samples or fewer produce no frames (reflect padding is impossible).
  std::size_t flush(std::span<float> out) override;
  void reset() override;

 private:
  // Samples that must have arrived before frame t can be computed.
  static std::size_t needed_for(std::size_t t);
  void emit(std::size_t t, std::size_t total, float* out);

  WhisperMelKernel kernel_;
  std::vector<int16_t> buf_;  // samples [base_, seen_)
  std::size_t base_ = 0, seen_ = 0, next_frame_ = 0;
  std::vector<float> frame_;
};

}  // namespace earshot::features::whisper
