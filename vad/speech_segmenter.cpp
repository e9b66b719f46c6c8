#include "vad/speech_segmenter.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace earshot::vad {
namespace {

constexpr int kSampleRate = 16000;

int64_t ms_to_frames(double ms, int frame_samples) {
  return static_cast<int64_t>(std::ceil(ms * kSampleRate / 1000.0 / frame_samples - 1e-9));
}

}  // namespace

Status SegmenterConfig::validate() const {
  if (!(threshold > 0.0f && threshold < 1.0f)) {
    return InvalidArgument("vad: threshold " + std::to_string(threshold) + " must be in (0, 1)");
  }
  if (end_threshold >= 0.0f && !(end_threshold > 0.0f && end_threshold <= threshold)) {
    return InvalidArgument("vad: end_threshold " + std::to_string(end_threshold) +
                           " must be in (0, threshold]");
  }
  const auto ms_ok = [](int v) { return v >= 0 && v <= 600000; };
  if (!ms_ok(min_speech_ms) || !ms_ok(min_silence_ms) || !ms_ok(speech_pad_ms)) {
    return InvalidArgument(
        "vad: min_speech_ms, min_silence_ms and speech_pad_ms must be in "
        "[0, 600000]");
  }
  if (!(max_speech_s <= 86400.0f)) {
    return InvalidArgument("vad: max_speech_s " + std::to_string(max_speech_s) +
                           " must be at most 86400");
  }
  return Status::Ok();
}

Result<SpeechSegmenter> SpeechSegmenter::create(const SegmenterConfig& config, int frame_samples) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  if (frame_samples < 1 || frame_samples > kSampleRate) {
    return InvalidArgument("vad: frame_samples " + std::to_string(frame_samples) +
                           " must be in [1, 16000]");
  }
  SpeechSegmenter s;
  s.frame_samples_ = frame_samples;
  const float off = config.end_threshold >= 0.0f ? config.end_threshold
                                                 : std::max(0.01f, config.threshold - 0.15f);
  s.on_q15_ = static_cast<int32_t>(std::lround(config.threshold * 32768.0f));
  s.off_q15_ = static_cast<int32_t>(std::lround(off * 32768.0f));
  s.min_speech_frames_ = ms_to_frames(config.min_speech_ms, frame_samples);
  s.min_silence_frames_ = std::max<int64_t>(1, ms_to_frames(config.min_silence_ms, frame_samples));
  s.max_speech_frames_ =
      config.max_speech_s > 0.0f
          ? std::max<int64_t>(1, ms_to_frames(config.max_speech_s * 1000.0, frame_samples))
          : 0;
  s.pad_samples_ = static_cast<int64_t>(config.speech_pad_ms) * kSampleRate / 1000;
  return s;
}

void SpeechSegmenter::reset() noexcept {
  frame_ = 0;
  triggered_ = false;
  start_frame_ = 0;
  silence_start_ = -1;
  has_pending_ = false;
  pending_split_ = false;
  continues_split_ = false;
}

std::optional<SpeechSegment> SpeechSegmenter::finish(int64_t start_frame, int64_t end_frame,
                                                     bool split) noexcept {
  if (end_frame - start_frame < min_speech_frames_ && !split && !continues_split_) {
    return std::nullopt;
  }
  SpeechSegment s{std::max<int64_t>(0, start_frame * frame_samples_ - pad_samples_),
                  end_frame * frame_samples_ + pad_samples_};
  if (has_pending_ && s.start <= pending_.end) {
    if (!pending_split_) {
      // Padding closed the gap between two segments: they become one.
      pending_.end = std::max(pending_.end, s.end);
      pending_split_ = split;
      continues_split_ = split;
      return std::nullopt;
    }
    s.start = pending_.end;  // the halves of a split segment touch but do not overlap
  }
  std::optional<SpeechSegment> out;
  if (has_pending_) out = pending_;
  pending_ = s;
  has_pending_ = true;
  pending_split_ = split;
  continues_split_ = split;
  return out;
}

std::optional<SpeechSegment> SpeechSegmenter::push(int32_t prob_q15) noexcept {
  const int64_t i = frame_++;
  std::optional<SpeechSegment> out;
  if (!triggered_) {
    if (prob_q15 >= on_q15_) {
      if (!has_pending_ || !pending_split_) continues_split_ = false;
      triggered_ = true;
      start_frame_ = i;
      silence_start_ = -1;
    }
  } else {
    if (prob_q15 >= off_q15_) {
      silence_start_ = -1;
    } else if (silence_start_ < 0) {
      silence_start_ = i;
    }
    if (silence_start_ >= 0 && i + 1 - silence_start_ >= min_silence_frames_) {
      out = finish(start_frame_, silence_start_, false);
      triggered_ = false;
      silence_start_ = -1;
    } else if (max_speech_frames_ > 0 && i + 1 - start_frame_ >= max_speech_frames_) {
      // Split a too-long segment here; the next frame opens a new one if speech goes on.
      const int64_t end = silence_start_ >= 0 ? silence_start_ : i + 1;
      out = finish(start_frame_, end, true);
      triggered_ = false;
      silence_start_ = -1;
    }
  }
  // A pending segment is final once no later segment can reach back over its end.
  if (!out && has_pending_ && !triggered_ &&
      (frame_ * frame_samples_ - pad_samples_ > pending_.end)) {
    out = pending_;
    has_pending_ = false;
  }
  return out;
}

std::optional<SpeechSegment> SpeechSegmenter::flush(int64_t total_samples) noexcept {
  std::optional<SpeechSegment> out;
  if (triggered_) {
    const int64_t end = silence_start_ >= 0 ? silence_start_ : frame_;
    triggered_ = false;
    if (auto done = finish(start_frame_, end, false)) out = done;
  }
  // With both a finished segment and a pending one, the finished one came first; the caller
  // calls flush() again until it returns nothing.
  if (!out && has_pending_) {
    out = pending_;
    has_pending_ = false;
  }
  if (out) out->end = std::min(out->end, std::max(total_samples, out->start));
  return out;
}

}  // namespace earshot::vad
