// Reading audio files (anything libsndfile reads) and writing WAV.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::audio {

// Interleaved float samples in [-1, 1] at the file's own rate and channel count.
struct AudioClip {
  std::vector<float> samples;
  int sample_rate = 0;
  int channels = 0;
  std::size_t frames() const { return channels > 0 ? samples.size() / channels : 0; }
};

// Reads a whole file. Errors name the file and the problem (missing, not audio, truncated,
// zero-length, absurd rate or channel count).
Result<AudioClip> read_audio_file(const std::string& path);

// Reads a file and converts it to 16 kHz mono int16, the format every earshot stage takes
// (channels averaged, resampled with soxr high quality).
Result<std::vector<int16_t>> read_mono16k(const std::string& path);

// Writes 16-bit PCM WAV.
Status write_wav(const std::string& path, const int16_t* samples, std::size_t frames,
                 int sample_rate, int channels);

}  // namespace earshot::audio
