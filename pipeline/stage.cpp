#include "pipeline/stage.hpp"

#include <string>

namespace earshot::pipeline {

Status Stage::push(std::span<const int16_t>, int64_t, StageOutput&) noexcept {
  return Unsupported(std::string(name()) + ": this stage takes no audio");
}

Status Stage::push_text(std::string_view, int64_t, StageOutput&) noexcept {
  return Unsupported(std::string(name()) + ": this stage takes no text");
}

Status Stage::finish(int64_t, StageOutput&) noexcept {
  reset();
  return Status::Ok();
}

}  // namespace earshot::pipeline
