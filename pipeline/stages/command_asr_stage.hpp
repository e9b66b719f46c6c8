// Tier 2: streaming Whisper (StreamingTranscriber with its neural VAD for the endpoint)
// behind the stage interface: partial events while the command is spoken, a final event at
// the endpoint or when the input ends.
#pragma once

#include <memory>

#include "asr/streaming_transcriber.hpp"
#include "pipeline/stage.hpp"

namespace earshot::pipeline {

class CommandAsrStage final : public Stage {
 public:
  explicit CommandAsrStage(std::unique_ptr<asr::StreamingTranscriber> st) : st_(std::move(st)) {}

  const char* name() const noexcept override { return "asr"; }
  runtime::PowerTier tier() const noexcept override { return st_->tier(); }
  runtime::KernelEngine engine() const noexcept override { return st_->engine(); }
  const runtime::StageCounters& counters() const noexcept override { return st_->counters(); }
  Status push(std::span<const int16_t> samples, int64_t first_sample,
              StageOutput& out) noexcept override;
  Status finish(int64_t end_sample, StageOutput& out) noexcept override;
  void reset() noexcept override;
  // An utterance has begun and has not ended.
  bool busy() const noexcept override { return st_->in_utterance(); }

 private:
  Status drain(StageOutput& out) noexcept;

  std::unique_ptr<asr::StreamingTranscriber> st_;
  bool started_ = false;
  int64_t base_ = 0;  // stream time of the transcriber's sample 0
};

}  // namespace earshot::pipeline
