#include "audio/audio_file_stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "audio/sample_format.hpp"

namespace earshot::audio {

AudioFileStream::AudioFileStream(std::unique_ptr<SndfileReader> reader, Mono16kConverter converter)
    : reader_(std::move(reader)), converter_(std::move(converter)) {
  frames_.resize(kReadFrames * reader_->channels());
  // One read block at the highest accepted rate converts to at most ~100 samples; the
  // resampler may release a little more at once, so leave generous headroom.
  pending_.reserve(2 * kReadFrames + 8192);
}

Result<std::unique_ptr<AudioFileStream>> AudioFileStream::open(const std::string& path) {
  auto reader = SndfileReader::open(path);
  if (!reader.ok()) return reader.status();
  auto converter = Mono16kConverter::create((*reader)->sample_rate(), (*reader)->channels());
  if (!converter.ok())
    return Status(converter.status().code(), path + ": " + converter.status().message());
  return std::unique_ptr<AudioFileStream>(
      new AudioFileStream(std::move(reader).value(), std::move(converter).value()));
}

std::size_t AudioFileStream::expected_samples() const {
  return static_cast<std::size_t>(
      std::llround(static_cast<double>(reader_->frames()) * kTargetRate / reader_->sample_rate()));
}

Status AudioFileStream::refill() {
  // Compact first so pending_ never grows past one block's output plus the remainder.
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pending_pos_));
  pending_pos_ = 0;
  auto got = reader_->read(frames_.data(), kReadFrames);
  if (!got.ok()) return got.status();
  if (*got == 0) {
    finished_ = true;
    return converter_.finish(pending_);
  }
  return converter_.process(frames_.data(), *got, pending_);
}

Result<std::size_t> AudioFileStream::read(std::int16_t* out, std::size_t max) {
  std::size_t written = 0;
  while (written < max) {
    if (pending_pos_ == pending_.size()) {
      if (finished_) break;
      EARSHOT_RETURN_IF_ERROR(refill());
      continue;
    }
    const std::size_t n = std::min(max - written, pending_.size() - pending_pos_);
    std::memcpy(out + written, pending_.data() + pending_pos_, n * sizeof(std::int16_t));
    pending_pos_ += n;
    written += n;
  }
  return written;
}

}  // namespace earshot::audio
