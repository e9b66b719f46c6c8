#include "vad/streaming_vad.hpp"

#include <algorithm>

namespace earshot::vad {

Result<std::unique_ptr<StreamingVad>> StreamingVad::create(std::unique_ptr<VadEngine> engine,
                                                           const SegmenterConfig& config) {
  if (!engine) return InvalidArgument("vad: no engine");
  auto seg = SpeechSegmenter::create(config, engine->frame_samples());
  if (!seg.ok()) return seg.status();
  return std::unique_ptr<StreamingVad>(new StreamingVad(std::move(engine), seg.value()));
}

StreamingVad::StreamingVad(std::unique_ptr<VadEngine> engine, SpeechSegmenter segmenter)
    : engine_(std::move(engine)), segmenter_(segmenter) {
  frame_.assign(static_cast<size_t>(engine_->frame_samples()), 0);
}

void StreamingVad::reset() noexcept {
  engine_->reset();
  segmenter_.reset();
  fill_ = 0;
  total_ = 0;
  frame_index_ = 0;
}

Status StreamingVad::run_frame(VadListener& listener) noexcept {
  int32_t prob = 0;
  EARSHOT_RETURN_IF_ERROR(engine_->process_frame(frame_.data(), &prob));
  listener.on_frame(frame_index_++, prob);
  if (auto s = segmenter_.push(prob)) listener.on_segment(*s);
  return Status::Ok();
}

Status StreamingVad::push(std::span<const int16_t> samples, VadListener& listener) noexcept {
  size_t pos = 0;
  while (pos < samples.size()) {
    const size_t n = std::min(frame_.size() - fill_, samples.size() - pos);
    std::copy_n(samples.data() + pos, n, frame_.data() + fill_);
    fill_ += n;
    pos += n;
    total_ += static_cast<int64_t>(n);
    if (fill_ == frame_.size()) {
      fill_ = 0;
      EARSHOT_RETURN_IF_ERROR(run_frame(listener));
    }
  }
  return Status::Ok();
}

Status StreamingVad::finish(VadListener& listener) noexcept {
  if (fill_ > 0) {
    std::fill(frame_.begin() + static_cast<ptrdiff_t>(fill_), frame_.end(), int16_t{0});
    fill_ = 0;
    EARSHOT_RETURN_IF_ERROR(run_frame(listener));
  }
  while (auto s = segmenter_.flush(total_)) listener.on_segment(*s);
  reset();
  return Status::Ok();
}

}  // namespace earshot::vad
