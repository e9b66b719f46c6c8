#include "audio/raw_pcm_source.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "audio/mono16k_converter.hpp"

namespace earshot::audio {
namespace {

class RawPcmSource final : public AudioSource {
 public:
  RawPcmSource(const RawPcmConfig& config, Mono16kConverter converter)
      : config_(config),
        converter_(std::move(converter)),
        frame_bytes_(bytes_per_sample(config.format) * config.channels) {
    // Read about 10 ms at a time so piped live audio is not held back.
    const std::size_t frames = std::max<std::size_t>(1, config.sample_rate / 100);
    bytes_.resize(frames * frame_bytes_);
    floats_.resize(frames * config.channels);
    pending_.reserve(8192);
  }

  Status start() override {
    if (started_) return InvalidArgument(description() + ": already started");
    started_ = true;
    return Status::Ok();
  }
  void stop() override { stopped_ = true; }

  Result<std::size_t> read_block(std::int16_t* block) override {
    if (!started_) return InvalidArgument(description() + ": read_block() before start()");
    while (pending_.size() - pending_pos_ < kBlockSamples && !finished_) {
      if (stopped_) {
        EARSHOT_RETURN_IF_ERROR(converter_.finish(pending_));
        finished_ = true;
        break;
      }
      EARSHOT_RETURN_IF_ERROR(read_more());
    }
    const std::size_t n = std::min(kBlockSamples, pending_.size() - pending_pos_);
    std::memcpy(block, pending_.data() + pending_pos_, n * sizeof(std::int16_t));
    pending_pos_ += n;
    if (pending_pos_ == pending_.size()) {
      pending_.clear();
      pending_pos_ = 0;
    }
    return n;
  }

  std::string description() const override {
    return "fd " + std::to_string(config_.fd) + " (raw " + sample_format_name(config_.format) +
           ", " + std::to_string(config_.sample_rate) + " Hz, " + std::to_string(config_.channels) +
           " ch)";
  }

 private:
  // One read() call; a partial frame is kept for the next call.
  Status read_more() {
    ssize_t got;
    do {
      got = ::read(config_.fd, bytes_.data() + carry_, bytes_.size() - carry_);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return IoError(description() + ": read failed: " + std::strerror(errno));
    if (got == 0) {
      if (carry_ != 0) {
        return CorruptData(description() + ": input ended in the middle of a frame (" +
                           std::to_string(carry_) + " stray bytes)");
      }
      EARSHOT_RETURN_IF_ERROR(converter_.finish(pending_));
      finished_ = true;
      return Status::Ok();
    }
    const std::size_t have = carry_ + static_cast<std::size_t>(got);
    const std::size_t frames = have / frame_bytes_;
    decode_samples(config_.format, bytes_.data(), frames * config_.channels, floats_.data());
    carry_ = have - frames * frame_bytes_;
    std::memmove(bytes_.data(), bytes_.data() + frames * frame_bytes_, carry_);
    return converter_.process(floats_.data(), frames, pending_);
  }

  RawPcmConfig config_;
  Mono16kConverter converter_;
  std::size_t frame_bytes_;
  std::vector<std::uint8_t> bytes_;
  std::size_t carry_ = 0;
  std::vector<float> floats_;
  std::vector<std::int16_t> pending_;
  std::size_t pending_pos_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  bool finished_ = false;
};

}  // namespace

Result<std::unique_ptr<AudioSource>> open_raw_pcm_source(const RawPcmConfig& config) {
  if (config.fd < 0) return InvalidArgument("raw PCM source: bad file descriptor");
  EARSHOT_RETURN_IF_ERROR(validate_format("raw PCM input", config.sample_rate, config.channels));
  auto converter = Mono16kConverter::create(config.sample_rate, config.channels);
  if (!converter.ok()) return converter.status();
  return std::unique_ptr<AudioSource>(new RawPcmSource(config, std::move(converter).value()));
}

}  // namespace earshot::audio
