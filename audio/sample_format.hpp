// Sample formats and the small conversions every source needs: raw bytes -> float,
// channel down-mix, float -> int16 with clipping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "earshot/status.hpp"

namespace earshot::audio {

// The rate and layout every earshot stage takes: 16 kHz mono int16, in 10 ms blocks.
inline constexpr int kTargetRate = 16000;
inline constexpr std::size_t kBlockSamples = 160;

// Sanity bounds for any input; outside them a header or parameter is treated as corrupt.
inline constexpr int kMinSampleRate = 1000;
inline constexpr int kMaxSampleRate = 768000;
inline constexpr int kMaxChannels = 64;

// Raw PCM encodings accepted on stdin (all little-endian; u8 is offset binary).
enum class SampleFormat { kS16Le, kS32Le, kF32Le, kU8 };

// "s16le", "s32le", "f32le", "u8" (case-sensitive).
Result<SampleFormat> parse_sample_format(std::string_view name);
const char* sample_format_name(SampleFormat format) noexcept;
std::size_t bytes_per_sample(SampleFormat format) noexcept;

// Decodes `count` samples from little-endian bytes to floats in [-1, 1].
void decode_samples(SampleFormat format, const std::uint8_t* bytes, std::size_t count,
                    float* out) noexcept;

// Rounds x * 32768 to the nearest integer and clips to int16 (so int16 -> float -> int16
// is exact).
inline std::int16_t float_to_int16(float x) noexcept {
  float v = x * 32768.0f;
  if (!(v > -32768.0f)) return -32768;  // also maps NaN to the floor rather than UB
  if (v >= 32767.0f) return 32767;
  return static_cast<std::int16_t>(v >= 0.0f ? v + 0.5f : v - 0.5f);
}
void float_to_int16(const float* in, std::size_t n, std::int16_t* out) noexcept;
void int16_to_float(const std::int16_t* in, std::size_t n, float* out) noexcept;

// Averages the channels of `frames` interleaved frames into `mono` (may alias `interleaved`
// when channels == 1).
void downmix_to_mono(const float* interleaved, std::size_t frames, int channels,
                     float* mono) noexcept;

// Checks a rate and a channel count against the bounds above; `what` names the source.
Status validate_format(std::string_view what, double sample_rate, int channels);

}  // namespace earshot::audio
