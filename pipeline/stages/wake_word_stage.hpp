// Tier 1: the wake-word detector (microWakeWord models on the i8 engine, one shared frontend)
// behind the stage interface. A detection comes out as a wake event at the sample after the
// audio its deciding inference saw.
#pragma once

#include <memory>

#include "kws/kws_detector.hpp"
#include "pipeline/stage.hpp"

namespace earshot::pipeline {

class WakeWordStage final : public Stage {
 public:
  explicit WakeWordStage(std::unique_ptr<kws::KwsDetector> detector)
      : detector_(std::move(detector)) {}

  const char* name() const noexcept override { return "wake-word"; }
  runtime::PowerTier tier() const noexcept override { return detector_->tier(); }
  runtime::KernelEngine engine() const noexcept override { return detector_->engine(); }
  const runtime::StageCounters& counters() const noexcept override {
    return detector_->counters();
  }
  Status push(std::span<const int16_t> samples, int64_t first_sample,
              StageOutput& out) noexcept override;
  void reset() noexcept override;

  const kws::KwsDetector& detector() const noexcept { return *detector_; }

 private:
  static void on_detection(void* user, const kws::KwsDetection& d);

  std::unique_ptr<kws::KwsDetector> detector_;
  bool started_ = false;
  int64_t base_ = 0;  // stream time of the detector's sample 0
  StageOutput* out_ = nullptr;
};

}  // namespace earshot::pipeline
