// The one interface the pipeline drives every stage through: audio (or text) in, results out
// as events, reset, counters, power tier and kernel engine. The pipeline knows stages only
// through it; what model a stage runs is the stage's business.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "earshot/status.hpp"
#include "pipeline/events.hpp"
#include "runtime/stage/stage_info.hpp"

namespace earshot::pipeline {

// Where a stage puts its results. The pipeline's sink only appends to storage reserved at
// creation, so tier-0 and tier-1 results cost no allocation.
class StageOutput {
 public:
  virtual ~StageOutput() = default;
  virtual void emit(Event&& e) = 0;
};

class Stage {
 public:
  virtual ~Stage() = default;

  virtual const char* name() const noexcept = 0;
  virtual runtime::PowerTier tier() const noexcept = 0;
  virtual runtime::KernelEngine engine() const noexcept = 0;
  virtual const runtime::StageCounters& counters() const noexcept = 0;

  // 16 kHz mono audio; `first_sample` is the stream time of samples[0] (consecutive calls
  // pass consecutive audio until reset()).
  virtual Status push(std::span<const int16_t> samples, int64_t first_sample,
                      StageOutput& out) noexcept;
  // Text in, for stages that understand text.
  virtual Status push_text(std::string_view text, int64_t sample, StageOutput& out) noexcept;
  // The input has ended at `end_sample`: results the stage still holds come out. The stage
  // is reset afterwards.
  virtual Status finish(int64_t end_sample, StageOutput& out) noexcept;
  // Forgets all input.
  virtual void reset() noexcept = 0;
  // True while the stage is inside something it has not finished (an utterance).
  virtual bool busy() const noexcept { return false; }
};

}  // namespace earshot::pipeline
