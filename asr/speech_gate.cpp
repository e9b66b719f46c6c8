#include "asr/speech_gate.hpp"

#include <algorithm>
#include <string>

#include "asr/window_constants.hpp"

namespace earshot::asr {
namespace {

constexpr int64_t kSamplesPerFrame = detail::kSamplesPerFrame;
constexpr double kRate = 16000.0;

}  // namespace

vad::SegmenterConfig SpeechGate::default_config() {
  vad::SegmenterConfig c;
  c.threshold = 0.5f;
  c.min_speech_ms = 250;
  c.min_silence_ms = 1000;
  c.speech_pad_ms = 400;
  c.max_speech_s = 0.0f;
  return c;
}

Result<SpeechGate> SpeechGate::detect(vad::VadEngine& vad, std::span<const int16_t> audio,
                                      const vad::SegmenterConfig& config) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  const int frame = vad.frame_samples();
  auto seg = vad::SpeechSegmenter::create(config, frame);
  if (!seg.ok()) return seg.status();
  vad.reset();
  std::vector<vad::SpeechSegment> spans;
  const size_t whole = audio.size() / static_cast<size_t>(frame) * frame;
  for (size_t i = 0; i < whole; i += frame) {
    int32_t p = 0;
    EARSHOT_RETURN_IF_ERROR(vad.process_frame(audio.data() + i, &p));
    if (auto s = seg->push(p)) spans.push_back(*s);
  }
  if (auto s = seg->flush(static_cast<int64_t>(audio.size()))) spans.push_back(*s);
  return from_spans(std::move(spans));
}

Result<SpeechGate> SpeechGate::from_spans(std::vector<vad::SpeechSegment> spans) {
  for (size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].start < 0 || spans[i].end <= spans[i].start ||
        (i > 0 && spans[i].start < spans[i - 1].end)) {
      return InvalidArgument("speech spans must be non-empty, sorted and disjoint (span " +
                             std::to_string(i) + ")");
    }
  }
  SpeechGate g;
  g.spans_ = std::move(spans);
  return g;
}

std::vector<vad::SpeechSegment>::const_iterator SpeechGate::span_ending_after(int frame) const {
  const int64_t sample = static_cast<int64_t>(frame) * kSamplesPerFrame;
  return std::upper_bound(spans_.begin(), spans_.end(), sample,
                          [](int64_t s, const vad::SpeechSegment& sp) { return s < sp.end; });
}

int SpeechGate::next_speech_frame(int frame) const {
  auto it = span_ending_after(frame);
  if (it == spans_.end()) return -1;
  return std::max(frame, static_cast<int>(it->start / kSamplesPerFrame));
}

int SpeechGate::speech_end_frame(int frame) const {
  auto it = span_ending_after(frame);
  // next_speech_frame() rounds a span's start down to its frame: that frame is in the span.
  if (it == spans_.end() || it->start >= (static_cast<int64_t>(frame) + 1) * kSamplesPerFrame) {
    return -1;
  }
  return static_cast<int>((it->end + kSamplesPerFrame - 1) / kSamplesPerFrame);
}

bool SpeechGate::overlaps(double start_s, double end_s) const {
  const auto a = static_cast<int64_t>(start_s * kRate), b = static_cast<int64_t>(end_s * kRate);
  return std::any_of(spans_.begin(), spans_.end(),
                     [&](const vad::SpeechSegment& sp) { return sp.start <= b && a < sp.end; });
}

}  // namespace earshot::asr
