#include "features/whisper/whisper_log_mel.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "features/fftw_lock.hpp"
#include "features/whisper/slaney_mel.hpp"

namespace earshot::features::whisper {

WhisperMelKernel::WhisperMelKernel() : window_(kFftSize), power_(kFftSize / 2 + 1) {
  for (int i = 0; i < kFftSize; ++i) {  // periodic Hann, as torch.hann_window(400)
    window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kFftSize));
  }
  const int bins = kFftSize / 2 + 1;
  const std::vector<double> dense = slaney_mel_filterbank(kSampleRate, kFftSize, kMelBins);
  for (int m = 0; m < kMelBins; ++m) {
    const double* row = dense.data() + static_cast<std::size_t>(m) * bins;
    int first = 0, last = -1;
    for (int k = 0; k < bins; ++k) {
      if (row[k] > 0.0) {
        if (last < 0) first = k;
        last = k;
      }
    }
    mel_first_.push_back(first);
    mel_count_.push_back(last - first + 1);
    mel_offset_.push_back(static_cast<int>(mel_weights_.size()));
    for (int k = first; k <= last; ++k) mel_weights_.push_back(row[k]);
  }
  fft_in_ = fftwf_alloc_real(kFftSize);
  auto* spectrum = fftwf_alloc_complex(kFftSize / 2 + 1);
  fft_out_ = spectrum;
  if (fft_in_ != nullptr && spectrum != nullptr) {
    std::lock_guard lock(features::fftw_planner_mutex());
    plan_ = fftwf_plan_dft_r2c_1d(kFftSize, fft_in_, spectrum, FFTW_ESTIMATE);
  }
}

WhisperMelKernel::~WhisperMelKernel() {
  std::lock_guard lock(features::fftw_planner_mutex());
  if (plan_ != nullptr) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  fftwf_free(fft_in_);
  fftwf_free(fft_out_);
}

void WhisperMelKernel::compute(const float* frame, float* out) {
  for (int i = 0; i < kFftSize; ++i) fft_in_[i] = frame[i] * window_[i];
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  const auto* spec = static_cast<const fftwf_complex*>(fft_out_);
  for (int k = 0; k <= kFftSize / 2; ++k) {
    power_[k] =
        static_cast<double>(spec[k][0]) * spec[k][0] + static_cast<double>(spec[k][1]) * spec[k][1];
  }
  for (int m = 0; m < kMelBins; ++m) {
    const double* p = power_.data() + mel_first_[m];
    const double* w = mel_weights_.data() + mel_offset_[m];
    double e = 0.0;
    for (int i = 0; i < mel_count_[m]; ++i) e += p[i] * w[i];
    out[m] = static_cast<float>(std::log10(std::max(e, 1e-10)));
  }
}

Result<std::vector<float>> whisper_log10_mel(std::span<const int16_t> audio) {
  const std::size_t n = audio.size();
  if (n <= static_cast<std::size_t>(kPad)) {
    return InvalidArgument("whisper log-mel: clip of " + std::to_string(n) +
                           " samples is too short; reflect padding needs more than " +
                           std::to_string(kPad));
  }
  WhisperMelKernel kernel;
  if (!kernel.ok()) return Internal("whisper log-mel: FFTW could not plan the FFT");
  const std::size_t frames = whisper_frame_count(n);
  std::vector<float> out(frames * kMelBins);
  std::vector<float> frame(kFftSize);
  const auto sn = static_cast<std::ptrdiff_t>(n);
  for (std::size_t t = 0; t < frames; ++t) {
    const std::ptrdiff_t start = static_cast<std::ptrdiff_t>(t) * kHop - kPad;
    for (int i = 0; i < kFftSize; ++i) {
      std::ptrdiff_t j = start + i;
      if (j < 0) j = -j;  // reflect (edge sample not repeated)
      if (j >= sn) j = 2 * (sn - 1) - j;
      frame[i] = static_cast<float>(audio[j]) / 32768.0f;
    }
    kernel.compute(frame.data(), out.data() + t * kMelBins);
  }
  return out;
}

void whisper_normalize(std::span<float> x) {
  if (x.empty()) return;
  const float floor = *std::max_element(x.begin(), x.end()) - 8.0f;
  for (float& v : x) v = (std::max(v, floor) + 4.0f) / 4.0f;
}

Result<std::vector<float>> whisper_log_mel(std::span<const int16_t> audio) {
  auto mel = whisper_log10_mel(audio);
  if (!mel.ok()) return mel.status();
  whisper_normalize(mel.value());
  return mel;
}

}  // namespace earshot::features::whisper
