#include "audio/mono16k_converter.hpp"

#include <algorithm>

#include "audio/sample_format.hpp"

namespace earshot::audio {
namespace {
constexpr std::size_t kResampledCapacity = 4096;
}

Mono16kConverter::Mono16kConverter(int channels, Resampler resampler)
    : channels_(channels),
      resampler_(std::move(resampler)),
      mono_(kChunkFrames),
      resampled_(kResampledCapacity) {}

Result<Mono16kConverter> Mono16kConverter::create(double input_rate, int channels,
                                                  ResamplerQuality quality) {
  EARSHOT_RETURN_IF_ERROR(validate_format("audio input", input_rate, channels));
  auto resampler = Resampler::create(input_rate, kTargetRate, quality);
  if (!resampler.ok()) return resampler.status();
  return Mono16kConverter(channels, std::move(resampler).value());
}

Status Mono16kConverter::drain_chunk(const float* mono, std::size_t n,
                                     std::vector<std::int16_t>& out) {
  std::size_t taken = 0;
  // soxr may hold output back or release a burst: loop until all input is taken.
  while (taken < n) {
    auto counts = resampler_.process(mono + taken, n - taken, resampled_.data(), resampled_.size());
    if (!counts.ok()) return counts.status();
    taken += counts->consumed;
    const std::size_t old = out.size();
    out.resize(old + counts->produced);
    float_to_int16(resampled_.data(), counts->produced, out.data() + old);
    if (counts->consumed == 0 && counts->produced == 0) {
      return Internal("resampler made no progress");
    }
  }
  return Status::Ok();
}

Status Mono16kConverter::process(const float* interleaved, std::size_t frames,
                                 std::vector<std::int16_t>& out) {
  for (std::size_t done = 0; done < frames;) {
    const std::size_t n = std::min(kChunkFrames, frames - done);
    downmix_to_mono(interleaved + done * channels_, n, channels_, mono_.data());
    EARSHOT_RETURN_IF_ERROR(drain_chunk(mono_.data(), n, out));
    done += n;
  }
  return Status::Ok();
}

Status Mono16kConverter::finish(std::vector<std::int16_t>& out) {
  for (;;) {
    auto produced = resampler_.flush(resampled_.data(), resampled_.size());
    if (!produced.ok()) return produced.status();
    if (*produced == 0) return Status::Ok();
    const std::size_t old = out.size();
    out.resize(old + *produced);
    float_to_int16(resampled_.data(), *produced, out.data() + old);
  }
}

}  // namespace earshot::audio
