#include "pipeline/stages/command_asr_stage.hpp"

#include <algorithm>
#include <cmath>
#include <exception>

namespace earshot::pipeline {
namespace {

int64_t to_samples(double seconds) { return std::llround(seconds * 16000.0); }

}  // namespace

void CommandAsrStage::reset() noexcept {
  st_->reset();
  started_ = false;
  base_ = 0;
}

Status CommandAsrStage::drain(StageOutput& out) noexcept {
  try {
    for (;;) {
      auto r = st_->step();
      if (!r.ok()) return r.status();
      if (!r->has_value()) return Status::Ok();
      const asr::StreamEvent& s = **r;
      Event e;
      const bool final = s.type == asr::StreamEvent::Type::kFinal;
      e.type = final ? EventType::kFinal : EventType::kPartial;
      e.text = s.text;
      e.start_sample = base_ + to_samples(s.start);
      // A final ends where its speech ended; a partial where its decoded audio did.
      e.end_sample = base_ + to_samples(final ? std::max(s.speech_end, s.start) : s.end);
      e.sample = base_ + st_->samples_consumed();
      out.emit(std::move(e));
    }
  } catch (const std::exception& ex) {  // out of memory in the decoder: an error, not an abort
    return Internal(std::string("asr: ") + ex.what());
  }
}

Status CommandAsrStage::push(std::span<const int16_t> samples, int64_t first_sample,
                             StageOutput& out) noexcept {
  if (!started_) {
    base_ = first_sample;
    started_ = true;
  }
  // The transcriber's buffer holds 30 s; the pipeline pushes 10 ms at a time and drains at
  // once, so it never fills. Larger pushes are split to keep that true.
  while (!samples.empty()) {
    const auto part = samples.first(std::min<size_t>(samples.size(), 16000));
    samples = samples.subspan(part.size());
    EARSHOT_RETURN_IF_ERROR(st_->push(part));
    EARSHOT_RETURN_IF_ERROR(drain(out));
  }
  return Status::Ok();
}

Status CommandAsrStage::finish(int64_t, StageOutput& out) noexcept {
  Status s = Status::Ok();
  if (started_) {
    s = st_->finish();
    if (s.ok()) s = drain(out);
  }
  reset();
  return s;
}

}  // namespace earshot::pipeline
