// Resampler on top of soxr (libsoxr): float32 in and out, so conversion to int16 and its
// clipping stay ours and deterministic (soxr would dither integer output).
#include <soxr.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "audio/resampler.hpp"
#include "audio/sample_format.hpp"

namespace earshot::audio {
namespace {

unsigned long soxr_recipe(ResamplerQuality q) {
  switch (q) {
    case ResamplerQuality::kQuick: return SOXR_QQ;
    case ResamplerQuality::kLow: return SOXR_LQ;
    case ResamplerQuality::kMedium: return SOXR_MQ;
    case ResamplerQuality::kHigh: return SOXR_HQ;
    case ResamplerQuality::kVeryHigh: return SOXR_VHQ;
  }
  return SOXR_HQ;
}

}  // namespace

void Resampler::SoxrDeleter::operator()(void* p) const {
  soxr_delete(static_cast<soxr_t>(p));
}

Resampler::Resampler(double in, double out, void* state)
    : input_rate_(in), output_rate_(out), state_(state) {}
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

Result<Resampler> Resampler::create(double input_rate, double output_rate,
                                    ResamplerQuality quality) {
  EARSHOT_RETURN_IF_ERROR(validate_format("resampler input", input_rate, 1));
  EARSHOT_RETURN_IF_ERROR(validate_format("resampler output", output_rate, 1));
  if (input_rate == output_rate) return Resampler(input_rate, output_rate, nullptr);
  soxr_error_t error = nullptr;
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t q = soxr_quality_spec(soxr_recipe(quality), 0);
  soxr_runtime_spec_t rt = soxr_runtime_spec(1);  // one thread: callers own the threading
  soxr_t s = soxr_create(input_rate, output_rate, 1, &error, &io, &q, &rt);
  if (error != nullptr || s == nullptr) {
    if (s != nullptr) soxr_delete(s);
    return Internal(std::string("soxr_create failed: ") + (error ? error : "unknown error"));
  }
  return Resampler(input_rate, output_rate, s);
}

Result<ResampleCounts> Resampler::process(const float* in, std::size_t n, float* out,
                                          std::size_t out_capacity) {
  ResampleCounts counts;
  if (n == 0) return counts;
  if (!state_) {
    counts.consumed = counts.produced = std::min(n, out_capacity);
    std::memcpy(out, in, counts.produced * sizeof(float));
    return counts;
  }
  soxr_error_t error = soxr_process(static_cast<soxr_t>(state_.get()), in, n, &counts.consumed, out,
                                    out_capacity, &counts.produced);
  if (error != nullptr) return Internal(std::string("soxr_process failed: ") + error);
  return counts;
}

Result<std::size_t> Resampler::flush(float* out, std::size_t out_capacity) {
  if (!state_) return std::size_t{0};
  std::size_t produced = 0;
  soxr_error_t error = soxr_process(static_cast<soxr_t>(state_.get()), nullptr, 0, nullptr, out,
                                    out_capacity, &produced);
  if (error != nullptr) return Internal(std::string("soxr_process (flush) failed: ") + error);
  return produced;
}

}  // namespace earshot::audio
