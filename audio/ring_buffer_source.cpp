#include "audio/ring_buffer_source.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

namespace earshot::audio {
namespace {
constexpr std::size_t kScratchFrames = 2048;
constexpr auto kPollInterval = std::chrono::milliseconds(2);
}  // namespace

RingBufferSource::RingBufferSource(std::string name, double rate, int channels,
                                   Mono16kConverter converter, double ring_seconds,
                                   std::chrono::milliseconds stall_timeout)
    : name_(std::move(name)),
      rate_(rate),
      channels_(channels),
      converter_(std::move(converter)),
      ring_(static_cast<std::size_t>(std::ceil(ring_seconds * rate)) * channels),
      stall_timeout_(stall_timeout),
      scratch_(kScratchFrames * channels) {
  pending_.reserve(4 * kScratchFrames + 8192);
}

void RingBufferSource::push_frames(const float* interleaved, std::size_t frames) noexcept {
  const std::size_t fit = std::min(frames, ring_.free_space() / channels_);
  ring_.push(interleaved, fit * channels_);
  if (fit < frames) ring_.add_overruns((frames - fit) * channels_);
}

void RingBufferSource::report_failure(Status status) {
  if (failed_.load(std::memory_order_acquire)) return;
  failure_ = std::move(status);
  failed_.store(true, std::memory_order_release);
}

Status RingBufferSource::pull_available(bool* got_any) {
  *got_any = false;
  for (;;) {
    const std::size_t n = ring_.pop(scratch_.data(), scratch_.size());
    if (n == 0) return Status::Ok();
    *got_any = true;
    EARSHOT_RETURN_IF_ERROR(converter_.process(scratch_.data(), n / channels_, pending_));
    if (pending_.size() - pending_pos_ >= kBlockSamples) return Status::Ok();
  }
}

Result<std::size_t> RingBufferSource::read_block(std::int16_t* block) {
  if (!started_) return InvalidArgument(name_ + ": read_block() before start()");
  while (pending_.size() - pending_pos_ < kBlockSamples && !finished_) {
    // Read the flags before popping: whatever was pushed before the flag is then popped.
    const bool ended = ended_.load(std::memory_order_acquire);
    const bool stopped = stopped_.load(std::memory_order_acquire);
    bool got_any = false;
    EARSHOT_RETURN_IF_ERROR(pull_available(&got_any));
    if (got_any) {
      last_data_ = std::chrono::steady_clock::now();
      continue;
    }
    if (failed_.load(std::memory_order_acquire)) return failure_;
    if (device_lost_.load(std::memory_order_acquire)) {
      return DeviceError(name_ + ": the device stopped delivering audio (unplugged or failed)");
    }
    if (ended || stopped) {
      EARSHOT_RETURN_IF_ERROR(converter_.finish(pending_));
      finished_ = true;
      break;
    }
    if (stall_timeout_.count() > 0 &&
        std::chrono::steady_clock::now() - last_data_ > stall_timeout_) {
      return DeviceError(name_ + ": no audio from the device for " +
                         std::to_string(stall_timeout_.count()) + " ms");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  const std::size_t n = std::min(kBlockSamples, pending_.size() - pending_pos_);
  std::memcpy(block, pending_.data() + pending_pos_, n * sizeof(std::int16_t));
  pending_pos_ += n;
  if (pending_pos_ == pending_.size() || pending_pos_ > 4096) {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pending_pos_));
    pending_pos_ = 0;
  }
  return n;
}

}  // namespace earshot::audio
