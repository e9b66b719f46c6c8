#include "pipeline/stages/intent_stage.hpp"

#include <cmath>
#include <cstdio>
#include <exception>

namespace earshot::pipeline {
namespace {

std::string number_text(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

}  // namespace

Status IntentStage::push_text(std::string_view text, int64_t sample, StageOutput& out) noexcept {
  try {
    EARSHOT_RETURN_IF_ERROR(nlu_->understand(text, &result_));
    Event e;
    e.type = EventType::kIntent;
    e.sample = sample;
    e.text = std::string(text);
    e.intent = result_.intent;
    e.confidence = result_.confidence;
    for (const auto& s : result_.slots) {
      e.slots.push_back({s.name, s.is_number ? number_text(s.number) : s.text, s.is_number});
    }
    out.emit(std::move(e));
    return Status::Ok();
  } catch (const std::exception& ex) {
    return Internal(std::string("nlu: ") + ex.what());
  }
}

}  // namespace earshot::pipeline
