// Float reference of FixedPointMfcc: the same pipeline and output units (log-mel =
// ln(max(E, 1)) in int16 units, MFCC = lifted DCT-II of it) computed with FFTW (fftw3f) and
// double sums. Tests hold the integer frontend against it; the benchmark compares speed.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "features/frame_buffer.hpp"
#include "features/frontend.hpp"
#include "features/mfcc/mel_filterbank.hpp"
#include "features/mfcc/mfcc_config.hpp"

namespace earshot::features::mfcc {

class FloatMfccReference final : public StreamingFrontend {
 public:
  static Result<std::unique_ptr<FloatMfccReference>> create(const MfccConfig& config);
  ~FloatMfccReference() override;
  FloatMfccReference(const FloatMfccReference&) = delete;
  FloatMfccReference& operator=(const FloatMfccReference&) = delete;

  const char* name() const override { return "mfcc-float"; }
  std::size_t frame_size() const override { return config_.frame_size(); }
  std::size_t hop_samples() const override { return config_.hop_length; }
  std::size_t max_frames_for(std::size_t n) const override { return buffer_.frames_for(n); }
  void reset() override { buffer_.reset(); }
  // When `out` cannot hold max_frames_for(samples.size()) frames nothing is consumed.
  std::size_t push(std::span<const int16_t> samples, std::span<float> out) override;

  void compute_frame(const int16_t* frame_with_previous, float* out);

 private:
  explicit FloatMfccReference(const MfccConfig& config);

  MfccConfig config_;
  FrameBuffer buffer_;
  MelFilterbank filterbank_;
  std::vector<double> window_, dct_, log_mel_;
  float* fft_in_ = nullptr;  // fftwf_malloc'd, fft_size floats
  void* fft_out_ = nullptr;  // fftwf_complex[fft_size / 2 + 1]
  void* plan_ = nullptr;     // fftwf_plan
};

}  // namespace earshot::features::mfcc
