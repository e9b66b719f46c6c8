// Tier 2: the NLU (SentencePiece pieces -> transformer -> intent and slots) behind the stage
// interface: the command's final text in, one intent event out.
#pragma once

#include <memory>

#include "nlp/nlu.hpp"
#include "pipeline/stage.hpp"

namespace earshot::pipeline {

class IntentStage final : public Stage {
 public:
  explicit IntentStage(std::unique_ptr<nlp::Nlu> nlu) : nlu_(std::move(nlu)) {}

  const char* name() const noexcept override { return "nlu"; }
  runtime::PowerTier tier() const noexcept override { return nlu_->tier(); }
  runtime::KernelEngine engine() const noexcept override { return nlu_->engine(); }
  const runtime::StageCounters& counters() const noexcept override { return nlu_->counters(); }
  Status push_text(std::string_view text, int64_t sample, StageOutput& out) noexcept override;
  void reset() noexcept override { nlu_->reset(); }

 private:
  std::unique_ptr<nlp::Nlu> nlu_;
  nlp::NluResult result_;
};

}  // namespace earshot::pipeline
