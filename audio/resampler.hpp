// Streaming sample-rate conversion of mono float audio with soxr.
#pragma once

#include <cstddef>
#include <memory>

#include "earshot/status.hpp"

namespace earshot::audio {

enum class ResamplerQuality {
  kQuick,    // soxr QQ: cubic interpolation, for comparison only
  kLow,      // soxr LQ: 16-bit, 80% bandwidth
  kMedium,   // soxr MQ: 16-bit, 95% bandwidth
  kHigh,     // soxr HQ: 20-bit, 95% bandwidth (the default)
  kVeryHigh  // soxr VHQ: 28-bit
};

// How much of the input a process() call took and how much output it wrote.
struct ResampleCounts {
  std::size_t consumed = 0;
  std::size_t produced = 0;
};

// Converts one channel from input_rate to output_rate, block by block. Equal rates pass
// samples through untouched. Move-only.
class Resampler {
 public:
  static Result<Resampler> create(double input_rate, double output_rate,
                                  ResamplerQuality quality = ResamplerQuality::kHigh);

  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  ~Resampler();

  // Takes up to n input samples and writes at most out_capacity output samples. soxr
  // buffers internally, so output may lag input; call again with the rest of the input
  // (consumed < n) until everything is taken.
  Result<ResampleCounts> process(const float* in, std::size_t n, float* out,
                                 std::size_t out_capacity);
  // Signals the end of input and drains what soxr still holds; call until it returns 0.
  Result<std::size_t> flush(float* out, std::size_t out_capacity);

  double input_rate() const { return input_rate_; }
  double output_rate() const { return output_rate_; }
  bool passthrough() const { return state_ == nullptr; }

 private:
  struct SoxrDeleter {
    void operator()(void* p) const;
  };
  Resampler(double in, double out, void* state);

  double input_rate_ = 0;
  double output_rate_ = 0;
  std::unique_ptr<void, SoxrDeleter> state_;
};

}  // namespace earshot::audio
