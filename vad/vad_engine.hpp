// The frame-level half of a VAD: a fixed number of 16 kHz samples in, one speech probability
// (Q15, 32768 = 1.0) out. StreamingVad feeds any engine from chunks of any size and turns the
// probabilities into segments.
#pragma once

#include <cstdint>

#include "earshot/status.hpp"
#include "runtime/stage/stage_info.hpp"

namespace earshot::vad {

class VadEngine {
 public:
  virtual ~VadEngine() = default;
  virtual const char* name() const noexcept = 0;  // "fixed", "silero-f32", "silero-int8"
  virtual int frame_samples() const noexcept = 0;
  // `samples`: frame_samples() int16 samples. No allocation.
  virtual Status process_frame(const int16_t* samples, int32_t* prob_q15) noexcept = 0;
  virtual void reset() noexcept = 0;
  virtual runtime::PowerTier tier() const noexcept = 0;
  virtual runtime::KernelEngine engine() const noexcept = 0;
  virtual const runtime::StageCounters& counters() const noexcept = 0;
};

}  // namespace earshot::vad
