// An open, validated audio file read through libsndfile, frame block by frame block.
// Shared by read_audio_file(), AudioFileStream and the file source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "earshot/status.hpp"

namespace earshot::audio {

class SndfileReader {
 public:
  // Opens and checks the file: it exists, is not empty, libsndfile recognises it, and its
  // rate, channel count and length are sane. Errors name the file.
  static Result<std::unique_ptr<SndfileReader>> open(const std::string& path);
  ~SndfileReader();
  SndfileReader(const SndfileReader&) = delete;
  SndfileReader& operator=(const SndfileReader&) = delete;

  // Reads up to `frames` interleaved float frames; returns 0 at the end of the file.
  // Running out before the length the header promised is a CorruptData error.
  Result<std::size_t> read(float* out, std::size_t frames);

  const std::string& path() const { return path_; }
  int sample_rate() const { return sample_rate_; }
  int channels() const { return channels_; }
  std::int64_t frames() const { return frames_; }  // as the header says
  std::int64_t frames_read() const { return frames_read_; }
  double seconds() const { return static_cast<double>(frames_) / sample_rate_; }
  // E.g. "WAV PCM_16".
  const std::string& format_name() const { return format_name_; }

 private:
  SndfileReader() = default;

  void* file_ = nullptr;  // SNDFILE*
  std::string path_;
  std::string format_name_;
  int sample_rate_ = 0;
  int channels_ = 0;
  std::int64_t frames_ = 0;
  std::int64_t frames_read_ = 0;
};

}  // namespace earshot::audio
