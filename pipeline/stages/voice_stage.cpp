#include "pipeline/stages/voice_stage.hpp"

#include <algorithm>

namespace earshot::pipeline {
namespace {

asr::EndpointerConfig endpointer_config(const VoiceStageConfig& c) {
  asr::EndpointerConfig e;
  e.threshold_q15 = c.threshold_q15;
  e.min_speech_frames = c.min_voice_frames;
  e.pause_frames = c.hangover_frames;  // no pause events needed: one at the end
  e.endpoint_frames = c.hangover_frames;
  return e;
}

}  // namespace

Result<std::unique_ptr<VoiceStage>> VoiceStage::create(const VoiceStageConfig& config) {
  if (config.threshold_q15 < 1 || config.threshold_q15 > 32767 || config.min_voice_frames < 1 ||
      config.min_voice_frames > 1000 || config.hangover_frames < 1 ||
      config.hangover_frames > 100000) {
    return InvalidArgument("tier-0 VAD: threshold, voice or hangover frames out of range");
  }
  auto v = vad::FixedPointVad::create();
  if (!v.ok()) return v.status();
  return std::unique_ptr<VoiceStage>(new VoiceStage(std::move(v).value(), config));
}

VoiceStage::VoiceStage(std::unique_ptr<vad::FixedPointVad> vad, const VoiceStageConfig& c)
    : vad_(std::move(vad)), endpointer_(endpointer_config(c)), config_(c) {}

void VoiceStage::reset() noexcept {
  vad_->reset();
  endpointer_.reset();
  fill_ = 0;
  next_sample_ = 0;
}

Status VoiceStage::push(std::span<const int16_t> samples, int64_t first_sample,
                        StageOutput& out) noexcept {
  next_sample_ = first_sample;
  while (!samples.empty()) {
    const size_t n = std::min(frame_.size() - fill_, samples.size());
    std::copy_n(samples.data(), n, frame_.data() + fill_);
    fill_ += n;
    samples = samples.subspan(n);
    next_sample_ += static_cast<int64_t>(n);
    if (fill_ < frame_.size()) break;
    fill_ = 0;
    int32_t p = 0;
    EARSHOT_RETURN_IF_ERROR(vad_->process_frame(frame_.data(), &p));
    const auto ev = endpointer_.push(p);
    if (ev == asr::EndpointEvent::kSpeechStart) {
      Event e;
      e.type = EventType::kSpeechStart;
      e.sample = next_sample_;
      // The first of the voice frames that opened it.
      e.start_sample = std::max<int64_t>(
          0, next_sample_ - static_cast<int64_t>(config_.min_voice_frames) * vad::FixedPointVad::kHop);
      out.emit(std::move(e));
    } else if (ev == asr::EndpointEvent::kEndpoint) {
      Event e;
      e.type = EventType::kSpeechEnd;
      e.sample = next_sample_;
      // The end of the last voice frame, before the hangover.
      e.end_sample = next_sample_ -
                     static_cast<int64_t>(config_.hangover_frames) * vad::FixedPointVad::kHop;
      out.emit(std::move(e));
    }
  }
  return Status::Ok();
}

Status VoiceStage::finish(int64_t end_sample, StageOutput& out) noexcept {
  if (endpointer_.in_utterance()) {
    Event e;
    e.type = EventType::kSpeechEnd;
    e.sample = end_sample;
    e.end_sample = end_sample - static_cast<int64_t>(endpointer_.silence_frames()) *
                                    vad::FixedPointVad::kHop;
    out.emit(std::move(e));
  }
  reset();
  return Status::Ok();
}

}  // namespace earshot::pipeline
