// Whisper's log-mel spectrogram (the input of its encoder), computed like Whisper does:
// 16 kHz audio as int16 / 32768, STFT with n_fft 400, hop 160, a periodic Hann window and
// center=True reflect padding of 200 samples at both ends, power |STFT|^2, the last frame
// dropped (so floor(N / 160) frames), 80 Slaney mel filters, log10(max(x, 1e-10)); then over
// the whole clip x = max(x, max(x) - 8) and (x + 4) / 4.
//
// Output layout everywhere: [frames][80], row-major.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::features::whisper {

constexpr int kSampleRate = 16000;
constexpr int kFftSize = 400;
constexpr int kHop = 160;
constexpr int kMelBins = 80;
constexpr int kPad = kFftSize / 2;  // reflect padding each side

// The per-frame part: window, FFT (FFTW), power, mel, log10. Setup allocates; compute()
// does not. Not thread-safe (one FFTW buffer per instance).
class WhisperMelKernel {
 public:
  WhisperMelKernel();
  ~WhisperMelKernel();
  WhisperMelKernel(const WhisperMelKernel&) = delete;
  WhisperMelKernel& operator=(const WhisperMelKernel&) = delete;

  bool ok() const { return plan_ != nullptr; }
  // frame: kFftSize samples of the padded signal, already scaled to [-1, 1).
  // out: kMelBins values of log10(max(mel, 1e-10)).
  void compute(const float* frame, float* out);

 private:
  std::vector<float> window_;
  std::vector<int> mel_first_, mel_count_, mel_offset_;
  std::vector<double> mel_weights_;  // sparse rows of the Slaney filterbank
  std::vector<double> power_;
  float* fft_in_ = nullptr;
  void* fft_out_ = nullptr;
  void* plan_ = nullptr;
};

// Frames for a clip of n samples: floor(n / 160).
inline std::size_t whisper_frame_count(std::size_t n) {
  return n / kHop;
}

// log10 mel of a whole clip, before the clip-wide clamp. Fails for clips of 200 samples or
// fewer (reflect padding needs more; Whisper refuses them too).
Result<std::vector<float>> whisper_log10_mel(std::span<const int16_t> audio);

// The clip-wide step: x = max(x, max(x) - 8), then (x + 4) / 4, in place.
void whisper_normalize(std::span<float> log10_mel);

// whisper_log10_mel then whisper_normalize: what Whisper's log_mel_spectrogram() returns
// (transposed to [frames][80]).
Result<std::vector<float>> whisper_log_mel(std::span<const int16_t> audio);

}  // namespace earshot::features::whisper
