#include "vad/silero_stft.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <string>

#include "features/fftw_lock.hpp"
#include "runtime/kernels/f32_gemm.hpp"

namespace earshot::vad {
namespace {

// The converted basis is float32 of a double-precision formula: off by ~1e-7. A different
// window or transform is off by far more than this.
constexpr double kBasisTolerance = 1e-5;

}  // namespace

bool SileroStft::is_hann_dft(const float* basis, float* window) {
  if (basis == nullptr) return false;
  const double two_pi_n = 2.0 * std::numbers::pi / kFrame;
  // Row 0 is w[n]·cos(0) = w[n] itself.
  for (int n = 0; n < kFrame; ++n) {
    const double hann = 0.5 - 0.5 * std::cos(two_pi_n * n);
    if (!(std::abs(basis[n] - hann) <= kBasisTolerance)) return false;
  }
  // The sine rows' sign does not matter to the magnitude, but must be one sign throughout.
  double err_cos = 0.0, err_sin_pos = 0.0, err_sin_neg = 0.0;
  for (int k = 0; k < kBins; ++k) {
    const float* re = basis + size_t(k) * kFrame;
    const float* im = basis + size_t(kBins + k) * kFrame;
    for (int n = 0; n < kFrame; ++n) {
      const int kn = (k * n) % kFrame;  // exact phase, no drift for large k * n
      const double w = basis[n];
      const double c = w * std::cos(two_pi_n * kn), s = w * std::sin(two_pi_n * kn);
      err_cos = std::max(err_cos, std::abs(re[n] - c));
      err_sin_pos = std::max(err_sin_pos, std::abs(im[n] - s));
      err_sin_neg = std::max(err_sin_neg, std::abs(im[n] + s));
    }
  }
  // NaN in the basis fails every comparison below.
  if (!(err_cos <= kBasisTolerance) || !(std::min(err_sin_pos, err_sin_neg) <= kBasisTolerance)) {
    return false;
  }
  if (window != nullptr) std::copy_n(basis, kFrame, window);
  return true;
}

Result<std::unique_ptr<SileroStft>> SileroStft::create(const float* basis, int frames) {
  if (basis == nullptr || frames < 1 || frames > 64) {
    return InvalidArgument("silero stft: null basis or frames " + std::to_string(frames) +
                           " outside 1..64");
  }
  std::unique_ptr<SileroStft> s(new SileroStft());
  s->basis_ = basis;
  s->frames_ = frames;
  s->window_.assign(kFrame, 0.0f);
  if (is_hann_dft(basis, s->window_.data())) {
    std::lock_guard<std::mutex> lock(features::fftw_planner_mutex());
    s->fft_in_ = static_cast<float*>(fftwf_malloc(sizeof(float) * kFrame * frames));
    s->fft_out_ = static_cast<float*>(fftwf_malloc(sizeof(fftwf_complex) * kBins * frames));
    if (s->fft_in_ == nullptr || s->fft_out_ == nullptr) {
      return ResourceExhausted("silero stft: out of memory for FFT buffers");
    }
    std::fill_n(s->fft_in_, kFrame * frames, 0.0f);
    const int n = kFrame;
    // FFTW_ESTIMATE: deterministic plan, no timing runs at creation.
    s->plan_ = fftwf_plan_many_dft_r2c(1, &n, frames, s->fft_in_, nullptr, 1, kFrame,
                                       reinterpret_cast<fftwf_complex*>(s->fft_out_), nullptr, 1,
                                       kBins, FFTW_ESTIMATE);
  }
  if (s->plan_ == nullptr) {  // not a Hann DFT basis (or no plan): exact matrix product
    s->frame_buf_.assign(size_t(frames) * kFrame, 0.0f);
    s->spec_.assign(size_t(frames) * 2 * kBins, 0.0f);
  }
  return s;
}

SileroStft::~SileroStft() {
  std::lock_guard<std::mutex> lock(features::fftw_planner_mutex());
  if (plan_ != nullptr) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  if (fft_in_ != nullptr) fftwf_free(fft_in_);
  if (fft_out_ != nullptr) fftwf_free(fft_out_);
}

size_t SileroStft::scratch_bytes() const noexcept {
  const size_t fft = plan_ != nullptr ? size_t(frames_) * (kFrame + 2 * kBins) : 0;
  return sizeof(float) * (window_.size() + fft + frame_buf_.size() + spec_.size());
}

Status SileroStft::magnitudes(const float* x, float* mag) noexcept {
  if (x == nullptr || mag == nullptr) return InvalidArgument("silero stft: null buffer");
  if (plan_ != nullptr) {
    for (int f = 0; f < frames_; ++f) {
      const float* src = x + size_t(f) * kHop;
      float* dst = fft_in_ + size_t(f) * kFrame;
      for (int n = 0; n < kFrame; ++n) dst[n] = src[n] * window_[n];
    }
    fftwf_execute(static_cast<fftwf_plan>(plan_));
    const size_t total = size_t(frames_) * kBins;
    for (size_t i = 0; i < total; ++i) {
      const float re = fft_out_[2 * i], im = fft_out_[2 * i + 1];
      mag[i] = std::sqrt(re * re + im * im);
    }
    return Status::Ok();
  }
  for (int f = 0; f < frames_; ++f) {
    std::copy_n(x + size_t(f) * kHop, kFrame, frame_buf_.data() + size_t(f) * kFrame);
  }
  kernels::F32GemmParams p;
  p.m = frames_;
  p.n = 2 * kBins;
  p.k = kFrame;
  p.a = frame_buf_.data();
  p.a_stride = kFrame;
  p.b = basis_;
  p.b_transposed = true;
  p.c = spec_.data();
  EARSHOT_RETURN_IF_ERROR(kernels::f32_gemm(p));
  for (int f = 0; f < frames_; ++f) {
    const float* re = spec_.data() + size_t(f) * 2 * kBins;
    const float* im = re + kBins;
    float* out = mag + size_t(f) * kBins;
    for (int b = 0; b < kBins; ++b) out[b] = std::sqrt(re[b] * re[b] + im[b] * im[b]);
  }
  return Status::Ok();
}

}  // namespace earshot::vad
