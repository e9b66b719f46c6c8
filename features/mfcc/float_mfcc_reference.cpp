#include "features/mfcc/float_mfcc_reference.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>

#include "features/fftw_lock.hpp"

namespace earshot::features::mfcc {

Result<std::unique_ptr<FloatMfccReference>> FloatMfccReference::create(const MfccConfig& config) {
  auto fb = make_mel_filterbank(config);
  if (!fb.ok()) return fb.status();
  std::unique_ptr<FloatMfccReference> m(new FloatMfccReference(config));
  m->filterbank_ = std::move(fb.value());
  m->window_ = make_window(config.window, config.frame_length);
  if (!config.log_mel) m->dct_ = make_lifted_dct(config);
  m->log_mel_.assign(config.mel_bins, 0.0);
  const int n = config.fft_size;
  m->fft_in_ = fftwf_alloc_real(n);
  auto* spectrum = fftwf_alloc_complex(n / 2 + 1);
  m->fft_out_ = spectrum;
  if (m->fft_in_ == nullptr || spectrum == nullptr) {
    return ResourceExhausted("mfcc reference: cannot allocate FFT buffers");
  }
  {
    std::lock_guard lock(fftw_planner_mutex());
    m->plan_ = fftwf_plan_dft_r2c_1d(n, m->fft_in_, spectrum, FFTW_ESTIMATE);
  }
  if (m->plan_ == nullptr) return Internal("mfcc reference: FFTW could not plan the FFT");
  std::fill(m->fft_in_, m->fft_in_ + n, 0.0f);
  return m;
}

FloatMfccReference::FloatMfccReference(const MfccConfig& config)
    : config_(config), buffer_(config.frame_length, config.hop_length) {}

FloatMfccReference::~FloatMfccReference() {
  std::lock_guard lock(fftw_planner_mutex());
  if (plan_ != nullptr) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  fftwf_free(fft_in_);
  fftwf_free(fft_out_);
}

void FloatMfccReference::compute_frame(const int16_t* x, float* out) {
  const double a = config_.pre_emphasis;
  for (int n = 0; n < config_.frame_length; ++n) {
    fft_in_[n] = static_cast<float>((x[n + 1] - a * x[n]) * window_[n]);
  }
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  const auto* spec = static_cast<const fftwf_complex*>(fft_out_);
  const MelFilterbank& fb = filterbank_;
  for (int f = 0; f < fb.size(); ++f) {
    double e = 0.0;
    for (int i = 0; i < fb.num_bins[f]; ++i) {
      const auto& c = spec[fb.first_bin[f] + i];
      e += (static_cast<double>(c[0]) * c[0] + static_cast<double>(c[1]) * c[1]) *
           fb.weights[fb.offset[f] + i];
    }
    log_mel_[f] = std::log(std::max(e, 1.0));
  }
  const int m = config_.mel_bins;
  if (config_.log_mel) {
    for (int f = 0; f < m; ++f) out[f] = static_cast<float>(log_mel_[f]);
    return;
  }
  for (int i = 0; i < config_.cepstra; ++i) {
    double c = 0.0;
    for (int j = 0; j < m; ++j) c += dct_[static_cast<std::size_t>(i) * m + j] * log_mel_[j];
    out[i] = static_cast<float>(c);
  }
}

std::size_t FloatMfccReference::push(std::span<const int16_t> samples, std::span<float> out) {
  const std::size_t fs = frame_size();
  if (out.size() < buffer_.frames_for(samples.size()) * fs) return 0;
  std::size_t pos = 0, frames = 0;
  while (buffer_.fill(samples, &pos)) {
    compute_frame(buffer_.frame_with_previous(), out.data() + frames * fs);
    buffer_.advance();
    ++frames;
  }
  return frames;
}

}  // namespace earshot::features::mfcc
