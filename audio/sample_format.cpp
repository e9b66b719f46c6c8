#include "audio/sample_format.hpp"

#include <cstring>
#include <string>

namespace earshot::audio {

Result<SampleFormat> parse_sample_format(std::string_view name) {
  if (name == "s16le") return SampleFormat::kS16Le;
  if (name == "s32le") return SampleFormat::kS32Le;
  if (name == "f32le") return SampleFormat::kF32Le;
  if (name == "u8") return SampleFormat::kU8;
  return InvalidArgument("unknown sample format '" + std::string(name) +
                         "' (expected s16le, s32le, f32le or u8)");
}

const char* sample_format_name(SampleFormat format) noexcept {
  switch (format) {
    case SampleFormat::kS16Le: return "s16le";
    case SampleFormat::kS32Le: return "s32le";
    case SampleFormat::kF32Le: return "f32le";
    case SampleFormat::kU8: return "u8";
  }
  return "?";
}

std::size_t bytes_per_sample(SampleFormat format) noexcept {
  switch (format) {
    case SampleFormat::kS16Le: return 2;
    case SampleFormat::kS32Le: return 4;
    case SampleFormat::kF32Le: return 4;
    case SampleFormat::kU8: return 1;
  }
  return 1;
}

void decode_samples(SampleFormat format, const std::uint8_t* b, std::size_t count,
                    float* out) noexcept {
  // Bytes are assembled explicitly so the decoding is right on any host byte order.
  switch (format) {
    case SampleFormat::kS16Le:
      for (std::size_t i = 0; i < count; ++i, b += 2) {
        auto v = static_cast<std::int16_t>(static_cast<std::uint16_t>(b[0] | (b[1] << 8)));
        out[i] = static_cast<float>(v) * (1.0f / 32768.0f);
      }
      break;
    case SampleFormat::kS32Le:
      for (std::size_t i = 0; i < count; ++i, b += 4) {
        std::uint32_t u = std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) |
                          (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
        out[i] = static_cast<float>(static_cast<double>(static_cast<std::int32_t>(u)) *
                                    (1.0 / 2147483648.0));
      }
      break;
    case SampleFormat::kF32Le:
      for (std::size_t i = 0; i < count; ++i, b += 4) {
        std::uint32_t u = std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) |
                          (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
        float f;
        std::memcpy(&f, &u, sizeof f);
        out[i] = f;
      }
      break;
    case SampleFormat::kU8:
      for (std::size_t i = 0; i < count; ++i) {
        out[i] = static_cast<float>(static_cast<int>(b[i]) - 128) * (1.0f / 128.0f);
      }
      break;
  }
}

void float_to_int16(const float* in, std::size_t n, std::int16_t* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = float_to_int16(in[i]);
}

void int16_to_float(const std::int16_t* in, std::size_t n, float* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) * (1.0f / 32768.0f);
}

void downmix_to_mono(const float* in, std::size_t frames, int channels, float* mono) noexcept {
  if (channels == 1) {
    if (mono != in) std::memcpy(mono, in, frames * sizeof(float));
    return;
  }
  if (channels == 2) {
    for (std::size_t i = 0; i < frames; ++i) mono[i] = 0.5f * (in[2 * i] + in[2 * i + 1]);
    return;
  }
  const float scale = 1.0f / static_cast<float>(channels);
  for (std::size_t i = 0; i < frames; ++i) {
    float sum = 0.0f;
    for (int c = 0; c < channels; ++c) sum += in[i * channels + c];
    mono[i] = sum * scale;
  }
}

Status validate_format(std::string_view what, double sample_rate, int channels) {
  if (!(sample_rate >= kMinSampleRate && sample_rate <= kMaxSampleRate)) {
    return InvalidArgument(std::string(what) + ": sample rate " +
                           std::to_string(static_cast<long long>(sample_rate)) +
                           " Hz is out of range (" + std::to_string(kMinSampleRate) + ".." +
                           std::to_string(kMaxSampleRate) + " Hz)");
  }
  if (channels < 1 || channels > kMaxChannels) {
    return InvalidArgument(std::string(what) + ": channel count " + std::to_string(channels) +
                           " is out of range (1.." + std::to_string(kMaxChannels) + ")");
  }
  return Status::Ok();
}

}  // namespace earshot::audio
