// Tier-1 engine: Silero VAD v6 (SileroVad) behind the VadEngine interface, fed int16 chunks
// of 512 samples (32 ms).
#pragma once

#include <array>
#include <memory>
#include <string>

#include "vad/silero_vad.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::vad {

class NeuralVad final : public VadEngine {
 public:
  // Opens and checks a converted model file (silero-vad-v6.f32.esm or .int8.esm).
  static Result<std::unique_ptr<NeuralVad>> open(const std::string& path);
  static Result<std::unique_ptr<NeuralVad>> create(model::Model model);

  const char* name() const noexcept override {
    return silero_->int8() ? "silero-int8" : "silero-f32";
  }
  int frame_samples() const noexcept override { return SileroVad::kChunk; }
  Status process_frame(const int16_t* samples, int32_t* prob_q15) noexcept override;
  void reset() noexcept override { silero_->reset(); }
  runtime::PowerTier tier() const noexcept override { return runtime::PowerTier::kTier1; }
  runtime::KernelEngine engine() const noexcept override { return silero_->engine(); }
  const runtime::StageCounters& counters() const noexcept override { return silero_->counters(); }
  // The float probability of the last chunk (before rounding to Q15).
  float last_probability() const noexcept { return last_; }

 private:
  explicit NeuralVad(std::unique_ptr<SileroVad> s) : silero_(std::move(s)) {}
  std::unique_ptr<SileroVad> silero_;
  std::array<float, SileroVad::kChunk> chunk_{};
  float last_ = 0.0f;
};

}  // namespace earshot::vad
