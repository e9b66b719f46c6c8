// What every stage reports about itself: the kernel engine and power tier it runs on, and
// counters the host can read at any time (frames, multiply-accumulates, CPU time, memory).
// Counters are plain integers updated by the stage's own thread; readers on other threads get
// a possibly slightly stale snapshot, which is fine for metrics.
#pragma once

#include <chrono>
#include <cstdint>

namespace earshot::runtime {

enum class PowerTier : uint8_t {
  kTier0 = 0,  // always on, integer only
  kTier1 = 1,  // on speech
  kTier2 = 2,  // after the wake word
};

enum class KernelEngine : uint8_t { kRef, kQ15, kI8, kF32 };

inline const char* to_string(KernelEngine e) {
  switch (e) {
    case KernelEngine::kRef: return "ref";
    case KernelEngine::kQ15: return "q15";
    case KernelEngine::kI8: return "i8";
    case KernelEngine::kF32: return "f32";
  }
  return "?";
}

struct StageCounters {
  uint64_t frames = 0;         // input frames (or chunks) processed
  uint64_t macs = 0;           // multiply-accumulates spent
  uint64_t cpu_ns = 0;         // wall time inside process(), nanoseconds
  uint64_t calls = 0;          // process() calls
  uint64_t state_bytes = 0;    // persistent state and arena owned by the stage
  uint64_t weight_bytes = 0;   // model weights it reads (mapped, not copied)
};

// Adds the time of one process() call to `c` when it goes out of scope.
class ScopedStageTimer {
 public:
  explicit ScopedStageTimer(StageCounters& c) : c_(c), t0_(std::chrono::steady_clock::now()) {}
  ~ScopedStageTimer() {
    c_.cpu_ns += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::steady_clock::now() - t0_)
                                           .count());
    ++c_.calls;
  }
  ScopedStageTimer(const ScopedStageTimer&) = delete;
  ScopedStageTimer& operator=(const ScopedStageTimer&) = delete;

 private:
  StageCounters& c_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace earshot::runtime
