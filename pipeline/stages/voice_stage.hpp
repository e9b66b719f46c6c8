// Tier 0: the integer-only fixed-point VAD (FixedPointVad on the Q15 log-mel frontend) and an
// integer endpointer, giving speech_start and speech_end. It runs on every 10 ms of audio in
// every state, so it is the whole cost of a quiet room.
#pragma once

#include <array>
#include <memory>

#include "asr/streaming_endpointer.hpp"
#include "pipeline/stage.hpp"
#include "vad/fixed_vad.hpp"

namespace earshot::pipeline {

struct VoiceStageConfig {
  int32_t threshold_q15 = 16384;  // frame speech probability that counts as voice
  int min_voice_frames = 3;       // consecutive voice frames that start speech (10 ms each)
  int hangover_frames = 30;       // silence frames that end it
};

class VoiceStage final : public Stage {
 public:
  static Result<std::unique_ptr<VoiceStage>> create(const VoiceStageConfig& config);

  const char* name() const noexcept override { return "tier0-vad"; }
  runtime::PowerTier tier() const noexcept override { return runtime::PowerTier::kTier0; }
  runtime::KernelEngine engine() const noexcept override { return runtime::KernelEngine::kQ15; }
  const runtime::StageCounters& counters() const noexcept override { return vad_->counters(); }
  Status push(std::span<const int16_t> samples, int64_t first_sample,
              StageOutput& out) noexcept override;
  Status finish(int64_t end_sample, StageOutput& out) noexcept override;
  void reset() noexcept override;
  bool busy() const noexcept override { return endpointer_.in_utterance(); }

 private:
  VoiceStage(std::unique_ptr<vad::FixedPointVad> vad, const VoiceStageConfig& c);

  std::unique_ptr<vad::FixedPointVad> vad_;
  asr::Endpointer endpointer_;
  VoiceStageConfig config_;
  std::array<int16_t, vad::FixedPointVad::kHop> frame_{};
  size_t fill_ = 0;
  int64_t next_sample_ = 0;  // stream time of the sample after the last one pushed
};

}  // namespace earshot::pipeline
