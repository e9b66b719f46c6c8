// Any rate, any channel count, float -> 16 kHz mono int16: down-mix, soxr, clip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio/resampler.hpp"
#include "earshot/status.hpp"

namespace earshot::audio {

class Mono16kConverter {
 public:
  static Result<Mono16kConverter> create(double input_rate, int channels,
                                         ResamplerQuality quality = ResamplerQuality::kHigh);

  // Converts `frames` interleaved frames and appends the output to `out`. Work goes in
  // fixed-size chunks, so the converter's own memory stays bounded; `out` only grows when
  // the caller did not reserve enough.
  Status process(const float* interleaved, std::size_t frames, std::vector<std::int16_t>& out);
  // Ends the stream: appends what the resampler still holds.
  Status finish(std::vector<std::int16_t>& out);

  int channels() const { return channels_; }
  double input_rate() const { return resampler_.input_rate(); }

 private:
  static constexpr std::size_t kChunkFrames = 1024;
  Mono16kConverter(int channels, Resampler resampler);
  Status drain_chunk(const float* mono, std::size_t n, std::vector<std::int16_t>& out);

  int channels_;
  Resampler resampler_;
  std::vector<float> mono_;       // kChunkFrames down-mixed samples
  std::vector<float> resampled_;  // soxr's output before int16 conversion
};

}  // namespace earshot::audio
