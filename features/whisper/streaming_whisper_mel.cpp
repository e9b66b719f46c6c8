#include "features/whisper/streaming_whisper_mel.hpp"

#include <algorithm>

namespace earshot::features::whisper {
namespace {

// Frame t spans samples [160 t - 200, 160 t + 200); one more for frame 0's reflection.
constexpr std::size_t kHistory = kFftSize + 1;

}  // namespace

StreamingWhisperMel::StreamingWhisperMel() : buf_(kHistory), frame_(kFftSize) {}

std::size_t StreamingWhisperMel::needed_for(std::size_t t) {
  return std::max<std::size_t>(t * kHop + kPad, kPad + 1);
}

std::size_t StreamingWhisperMel::max_frames_for(std::size_t n) const {
  std::size_t t = next_frame_;
  while (needed_for(t) <= seen_ + n) ++t;
  return t - next_frame_;
}

std::size_t StreamingWhisperMel::max_flush_frames() const {
  const std::size_t total = whisper_frame_count(seen_);
  return seen_ > static_cast<std::size_t>(kPad) && total > next_frame_ ? total - next_frame_ : 0;
}

void StreamingWhisperMel::emit(std::size_t t, std::size_t total, float* out) {
  const auto start = static_cast<std::ptrdiff_t>(t * kHop) - kPad;
  const auto n = static_cast<std::ptrdiff_t>(total);
  const auto base = static_cast<std::ptrdiff_t>(base_);
  for (int i = 0; i < kFftSize; ++i) {
    std::ptrdiff_t j = start + i;
    if (j < 0) j = -j;
    if (j >= n) j = 2 * (n - 1) - j;
    frame_[i] = static_cast<float>(buf_[j - base]) / 32768.0f;
  }
  kernel_.compute(frame_.data(), out);
}

std::size_t StreamingWhisperMel::push(std::span<const int16_t> samples, std::span<float> out) {
  if (out.size() < max_frames_for(samples.size()) * kMelBins) return 0;
  std::size_t pos = 0, frames = 0;
  while (pos < samples.size()) {
    const std::size_t need = needed_for(next_frame_);
    const std::size_t take = std::min(need - seen_, samples.size() - pos);
    std::copy_n(samples.data() + pos, take, buf_.data() + (seen_ - base_));
    seen_ += take;
    pos += take;
    if (seen_ < need) break;
    // The end of the clip is at least 200 samples away: no end reflection in this frame.
    emit(next_frame_, seen_ + kPad, out.data() + frames * kMelBins);
    ++frames;
    ++next_frame_;
    const std::size_t new_base =
        next_frame_ * kHop > static_cast<std::size_t>(kPad) ? next_frame_ * kHop - kPad : 0;
    if (new_base > base_) {
      std::copy(buf_.begin() + (new_base - base_), buf_.begin() + (seen_ - base_), buf_.begin());
      base_ = new_base;
    }
  }
  return frames;
}

std::size_t StreamingWhisperMel::flush(std::span<float> out) {
  const std::size_t frames = max_flush_frames();
  if (out.size() < frames * kMelBins) return 0;
  for (std::size_t i = 0; i < frames; ++i) {
    emit(next_frame_ + i, seen_, out.data() + i * kMelBins);
  }
  reset();
  return frames;
}

void StreamingWhisperMel::reset() {
  base_ = seen_ = next_frame_ = 0;
}

}  // namespace earshot::features::whisper
