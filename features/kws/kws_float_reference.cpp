#include "features/kws/kws_float_reference.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numbers>

#include "features/fftw_lock.hpp"
#include "features/kws/kws_bits.hpp"

namespace earshot::features::kws {

Result<std::unique_ptr<KwsFloatReference>> KwsFloatReference::create(
    const KwsFrontendConfig& config) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  Result<KwsFilterbank> fb = KwsFilterbank::create(config);
  if (!fb.ok()) return fb.status();
  std::unique_ptr<KwsFloatReference> ref(new KwsFloatReference(config, std::move(fb).value()));
  if (ref->plan_ == nullptr) return Internal("kws float reference: FFTW plan creation failed");
  return ref;
}

KwsFloatReference::KwsFloatReference(const KwsFrontendConfig& config, KwsFilterbank filterbank)
    : config_(config),
      filterbank_(std::move(filterbank)),
      window_size_(config.window_samples()),
      step_(config.step_samples()),
      fft_size_(config.fft_size()),
      window_(window_size_),
      input_(window_size_, 0.0f),
      estimate_(filterbank_.num_channels(), 0.0f),
      magnitude_(filterbank_.num_channels()) {
  for (std::size_t i = 0; i < window_size_; ++i) {
    window_[i] = static_cast<float>(
        0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (double(i) + 0.5) / double(window_size_)));
  }
  for (int16_t w : filterbank_.weights()) weights_.push_back(w / 4096.0f);
  for (int16_t w : filterbank_.unweights()) unweights_.push_back(w / 4096.0f);
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  fft_in_ = fftwf_alloc_real(fft_size_);
  fft_out_ = fftwf_alloc_complex(fft_size_ / 2 + 1);
  std::fill(fft_in_, fft_in_ + fft_size_, 0.0f);
  plan_ = fftwf_plan_dft_r2c_1d(static_cast<int>(fft_size_), fft_in_,
                                static_cast<fftwf_complex*>(fft_out_), FFTW_ESTIMATE);
}

KwsFloatReference::~KwsFloatReference() {
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  if (plan_ != nullptr) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  fftwf_free(fft_in_);
  fftwf_free(fft_out_);
}

std::size_t KwsFloatReference::max_frames_for(std::size_t n) const {
  return (input_used_ + n) < window_size_ ? 0 : (input_used_ + n - window_size_) / step_ + 1;
}

void KwsFloatReference::reset() {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(estimate_.begin(), estimate_.end(), 0.0f);
  input_used_ = 0;
}

void KwsFloatReference::compute_frame(float* out) {
  for (std::size_t i = 0; i < window_size_; ++i) fft_in_[i] = input_[i] * window_[i];
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  const fftwf_complex* spec = static_cast<const fftwf_complex*>(fft_out_);
  // The integer path's units: |X| / N, weights in Q12, so magnitude = 64 * sqrt(sum w |X|^2) / N.
  const float norm = 1.0f / static_cast<float>(fft_size_);
  const std::size_t channels = filterbank_.num_channels();
  double rising = 0.0, falling = 0.0;
  std::size_t offset = 0;
  for (std::size_t b = 0; b <= channels; ++b) {
    for (std::size_t j = 0; j < filterbank_.band_width(b); ++j) {
      const std::size_t k = filterbank_.band_start(b) + j;
      const float re = spec[k][0] * norm, im = spec[k][1] * norm;
      const double power = double(re) * re + double(im) * im;
      rising += weights_[offset + j] * power;
      falling += unweights_[offset + j] * power;
    }
    offset += filterbank_.band_width(b);
    if (b > 0) magnitude_[b - 1] = 64.0f * static_cast<float>(std::sqrt(rising));
    rising = falling;
    falling = 0.0;
  }
  const float nr_to_pcan = std::ldexp(1.0f, config_.correction_bits());  // estimate units
  for (std::size_t c = 0; c < channels; ++c) {
    const float s = (c & 1) == 0 ? config_.even_smoothing : config_.odd_smoothing;
    float signal = magnitude_[c];
    estimate_[c] = estimate_[c] * (1.0f - s) + signal * s;
    signal =
        std::max(signal - std::min(estimate_[c], signal), signal * config_.min_signal_remaining);
    if (config_.enable_pcan) {
      const float gain =
          std::pow(estimate_[c] * nr_to_pcan + config_.pcan_offset, -config_.pcan_strength);
      const float snr = signal * gain * nr_to_pcan;  // in units of 1.0 = Q12's one
      signal = snr < 2.0f ? snr * snr * 16.0f : (snr - 1.0f) * 64.0f;
    }
    if (config_.enable_log) {
      const float v = signal * nr_to_pcan;
      signal = v > 1.0f ? std::log(v) * std::ldexp(1.0f, config_.log_scale_shift) : 0.0f;
    }
    out[c] = signal;
  }
}

std::size_t KwsFloatReference::push(std::span<const int16_t> samples, std::span<float> out) {
  if (out.size() < max_frames_for(samples.size()) * frame_size()) return 0;
  std::size_t frames = 0;
  for (int16_t s : samples) {
    input_[input_used_++] = s;
    if (input_used_ < window_size_) continue;
    compute_frame(out.data() + frames * frame_size());
    ++frames;
    std::memmove(input_.data(), input_.data() + step_, (window_size_ - step_) * sizeof(float));
    input_used_ -= step_;
  }
  return frames;
}

}  // namespace earshot::features::kws
