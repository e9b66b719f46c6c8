#include "vad/neural_vad.hpp"

#include <cmath>

namespace earshot::vad {

Result<std::unique_ptr<NeuralVad>> NeuralVad::open(const std::string& path) {
  model::OpenOptions opt;
  opt.expected_stage = "vad";
  auto m = model::Model::open(path, opt);
  if (!m.ok()) return m.status();
  return create(std::move(m.value()));
}

Result<std::unique_ptr<NeuralVad>> NeuralVad::create(model::Model model) {
  auto s = SileroVad::create(std::move(model));
  if (!s.ok()) return s.status();
  return std::unique_ptr<NeuralVad>(new NeuralVad(std::move(s.value())));
}

Status NeuralVad::process_frame(const int16_t* samples, int32_t* prob_q15) noexcept {
  if (samples == nullptr || prob_q15 == nullptr) return InvalidArgument("neural vad: null frame");
  for (int i = 0; i < SileroVad::kChunk; ++i) chunk_[i] = samples[i] * (1.0f / 32768.0f);
  EARSHOT_RETURN_IF_ERROR(silero_->process(chunk_.data(), &last_));
  *prob_q15 = static_cast<int32_t>(std::lround(last_ * 32768.0f));
  return Status::Ok();
}

}  // namespace earshot::vad
