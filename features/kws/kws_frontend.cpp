#include "features/kws/kws_frontend.hpp"

#include <algorithm>
#include <cstring>

#include "features/kws/kws_bits.hpp"

namespace earshot::features::kws {

Result<std::unique_ptr<KwsFrontend>> KwsFrontend::create(const KwsFrontendConfig& config) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  Result<KwsFilterbank> fb = KwsFilterbank::create(config);
  if (!fb.ok()) return fb.status();
  return std::unique_ptr<KwsFrontend>(new KwsFrontend(config, std::move(fb).value()));
}

KwsFrontend::KwsFrontend(const KwsFrontendConfig& config, KwsFilterbank filterbank)
    : config_(config),
      window_size_(config.window_samples()),
      step_(config.step_samples()),
      num_channels_(static_cast<std::size_t>(config.num_channels)),
      window_(config.window_samples()),
      fft_(config.fft_size()),
      filterbank_(std::move(filterbank)),
      noise_reduction_(config),
      pcan_(config),
      log_scale_(config.enable_log, config.log_scale_shift, config.correction_bits()),
      input_(config.window_samples(), 0),
      windowed_(config.fft_size(), 0),
      spectrum_(config.fft_size() / 2 + 1),
      energy_(config.fft_size() / 2 + 1, 0),
      channels_(num_channels_, 0),
      frame_(num_channels_, 0) {}

std::size_t KwsFrontend::max_frames_for(std::size_t n) const {
  return (input_used_ + n) < window_size_ ? 0 : (input_used_ + n - window_size_) / step_ + 1;
}

void KwsFrontend::reset() {
  std::fill(input_.begin(), input_.end(), int16_t{0});
  input_used_ = 0;
  noise_reduction_.reset();
}

void KwsFrontend::compute_frame(std::span<uint16_t> out) {
  const int16_t max_abs = window_.apply(input_, std::span(windowed_).first(window_size_));
  // Normalise so the loudest windowed sample uses the FFT's full 16 bits; undone after the
  // filterbank's square root.
  const int shift = 15 - most_significant_bit32(static_cast<uint32_t>(max_abs));
  for (std::size_t i = 0; i < window_size_; ++i) {
    windowed_[i] = static_cast<int16_t>(static_cast<uint16_t>(windowed_[i]) << shift);
  }
  fft_.forward(windowed_, spectrum_);
  filterbank_.apply(spectrum_, shift, energy_, channels_);
  noise_reduction_.apply(channels_);
  if (config_.enable_pcan) pcan_.apply(noise_reduction_.estimate(), channels_);
  log_scale_.apply(channels_, out);
}

std::size_t KwsFrontend::push_native(std::span<const int16_t> samples, std::span<uint16_t> out) {
  if (out.size() < max_frames_for(samples.size()) * num_channels_) return 0;
  std::size_t frames = 0;
  while (!samples.empty()) {
    const std::size_t take = std::min(window_size_ - input_used_, samples.size());
    std::memcpy(input_.data() + input_used_, samples.data(), take * sizeof(int16_t));
    input_used_ += take;
    samples = samples.subspan(take);
    if (input_used_ < window_size_) break;
    compute_frame(out.subspan(frames * num_channels_, num_channels_));
    ++frames;
    std::memmove(input_.data(), input_.data() + step_, (window_size_ - step_) * sizeof(int16_t));
    input_used_ -= step_;
  }
  return frames;
}

std::size_t KwsFrontend::push(std::span<const int16_t> samples, std::span<float> out) {
  if (out.size() < max_frames_for(samples.size()) * num_channels_) return 0;
  std::size_t frames = 0;
  // One frame at a time through frame_, so no buffer proportional to the input is needed.
  while (!samples.empty()) {
    const std::size_t take = std::min(samples.size(), window_size_ - input_used_);
    const std::size_t made = push_native(samples.first(take), frame_);
    samples = samples.subspan(take);
    if (made == 0) continue;
    float* dst = out.data() + frames * num_channels_;
    for (std::size_t c = 0; c < num_channels_; ++c) {
      dst[c] = static_cast<float>(frame_[c] * KwsFrontendConfig::kFloatScale);
    }
    ++frames;
  }
  return frames;
}

}  // namespace earshot::features::kws
