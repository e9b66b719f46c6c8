// Streaming file reader: any file libsndfile reads, delivered as 16 kHz mono int16 a block
// at a time with bounded memory, for files too long to read whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audio/mono16k_converter.hpp"
#include "audio/sndfile_reader.hpp"
#include "earshot/status.hpp"

namespace earshot::audio {

class AudioFileStream {
 public:
  static Result<std::unique_ptr<AudioFileStream>> open(const std::string& path);

  // Writes up to `max` 16 kHz mono samples to `out`; returns 0 once the file is exhausted.
  Result<std::size_t> read(std::int16_t* out, std::size_t max);

  const SndfileReader& file() const { return *reader_; }
  // Expected number of 16 kHz samples (rounded).
  std::size_t expected_samples() const;

 private:
  static constexpr std::size_t kReadFrames = 4096;
  AudioFileStream(std::unique_ptr<SndfileReader> reader, Mono16kConverter converter);
  Status refill();

  std::unique_ptr<SndfileReader> reader_;
  Mono16kConverter converter_;
  std::vector<float> frames_;          // kReadFrames * channels
  std::vector<std::int16_t> pending_;  // converted, not yet handed out
  std::size_t pending_pos_ = 0;
  bool finished_ = false;
};

}  // namespace earshot::audio
