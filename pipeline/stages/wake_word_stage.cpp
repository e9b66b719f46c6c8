#include "pipeline/stages/wake_word_stage.hpp"

namespace earshot::pipeline {

void WakeWordStage::reset() noexcept {
  detector_->reset();
  started_ = false;
  base_ = 0;
}

void WakeWordStage::on_detection(void* user, const kws::KwsDetection& d) {
  auto* self = static_cast<WakeWordStage*>(user);
  Event e;
  e.type = EventType::kWake;
  e.sample = self->base_ + static_cast<int64_t>(d.end_sample);
  e.keyword = self->detector_->keyword_name(d.keyword);
  e.score = d.score;
  self->out_->emit(std::move(e));
}

Status WakeWordStage::push(std::span<const int16_t> samples, int64_t first_sample,
                           StageOutput& out) noexcept {
  if (!started_) {
    base_ = first_sample;
    started_ = true;
  }
  out_ = &out;
  kws::KwsDetectionSink sink;
  sink.user = this;
  sink.on_detection = &WakeWordStage::on_detection;
  detector_->process(samples, sink);
  out_ = nullptr;
  return Status::Ok();
}

}  // namespace earshot::pipeline
