// The magnitude STFT at the front of Silero VAD v6: a conv1d whose kernel `stft.basis`
// [258][256] holds Hann(256)·cos and Hann(256)·sin rows for bins 0..128 (docs/models.md).
//
// As a product with the basis that is 66k multiply-adds per frame, most of the model's work.
// When the basis really is that windowed DFT (checked once, at creation) the frames go through
// a 256-point real FFT (FFTW) instead; any other basis keeps the exact matrix product, so a
// retrained model with a different front end still runs.
#pragma once

#include <memory>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::vad {

class SileroStft {
 public:
  static constexpr int kFrame = 256;
  static constexpr int kHop = 128;
  static constexpr int kBins = kFrame / 2 + 1;

  // basis [2 * kBins][kFrame] (must outlive this object); `frames` frames per call.
  static Result<std::unique_ptr<SileroStft>> create(const float* basis, int frames);
  ~SileroStft();
  SileroStft(const SileroStft&) = delete;
  SileroStft& operator=(const SileroStft&) = delete;

  // True when `basis` is w[n]·cos(2πkn/256) over w[n]·(±sin) with w the periodic Hann window;
  // then `window` (kFrame floats, may be null) gets w as the basis holds it (its row 0).
  static bool is_hann_dft(const float* basis, float* window);

  // Frame f is x[f * kHop .. f * kHop + kFrame); mag [frames][kBins]. No allocation.
  Status magnitudes(const float* x, float* mag) noexcept;

  bool uses_fft() const noexcept { return plan_ != nullptr; }
  size_t scratch_bytes() const noexcept;

 private:
  SileroStft() = default;

  const float* basis_ = nullptr;
  int frames_ = 0;
  // FFT path.
  std::vector<float> window_;
  float* fft_in_ = nullptr;   // fftwf_malloc'd [frames][kFrame]
  float* fft_out_ = nullptr;  // fftwf_malloc'd [frames][kBins] complex (interleaved re, im)
  void* plan_ = nullptr;      // fftwf_plan
  // Matrix-product fallback.
  std::vector<float> frame_buf_, spec_;
};

}  // namespace earshot::vad
