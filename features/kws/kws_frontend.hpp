// The wake-word frontend: the TensorFlow Lite Micro audio frontend algorithm (Hann window, Q15
// KISS-compatible FFT, mel filterbank, noise reduction, PCAN gain control, integer log), integer
// only, bit-exact with pymicro-features 2.0.2. Each 10 ms step yields 40 uint16 values; the
// float view (`push`) is value * 0.0390625, exactly what pymicro-features returns.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "features/frontend.hpp"
#include "features/kws/kws_config.hpp"
#include "features/kws/kws_filterbank.hpp"
#include "features/kws/kws_log_scale.hpp"
#include "features/kws/kws_noise_reduction.hpp"
#include "features/kws/kws_pcan.hpp"
#include "features/kws/kws_window.hpp"
#include "features/kws/q15_kiss_real_fft.hpp"

namespace earshot::features::kws {

class KwsFrontend final : public StreamingFrontend {
 public:
  static Result<std::unique_ptr<KwsFrontend>> create(const KwsFrontendConfig& config = {});

  const char* name() const override { return "kws"; }
  std::size_t frame_size() const override { return num_channels_; }
  std::size_t hop_samples() const override { return step_; }
  std::size_t max_frames_for(std::size_t n) const override;
  double frame_scale() const override { return KwsFrontendConfig::kFloatScale; }
  // Same contract as push_native(), values converted to float (value * frame_scale()).
  std::size_t push(std::span<const int16_t> samples, std::span<float> out) override;
  void reset() override;

  // Native output: frame_size() uint16 values per completed frame, written to `out` (at least
  // max_frames_for(samples.size()) * frame_size() values, else nothing is consumed and 0 is
  // returned). Returns the number of frames. Does not allocate.
  std::size_t push_native(std::span<const int16_t> samples, std::span<uint16_t> out);

  const KwsFrontendConfig& config() const { return config_; }

 private:
  KwsFrontend(const KwsFrontendConfig& config, KwsFilterbank filterbank);
  // Runs the pipeline on the full window buffer and writes one frame.
  void compute_frame(std::span<uint16_t> out);

  KwsFrontendConfig config_;
  std::size_t window_size_;
  std::size_t step_;
  std::size_t num_channels_;
  KwsWindow window_;
  Q15KissRealFft fft_;
  KwsFilterbank filterbank_;
  KwsNoiseReduction noise_reduction_;
  KwsPcan pcan_;
  KwsLogScale log_scale_;

  std::vector<int16_t> input_;  // window_size_ samples collected so far
  std::size_t input_used_ = 0;
  std::vector<int16_t> windowed_;  // fft size, zero padded
  std::vector<ComplexQ15> spectrum_;
  std::vector<int32_t> energy_;
  std::vector<uint32_t> channels_;
  std::vector<uint16_t> frame_;  // float push() converts from here
};

}  // namespace earshot::features::kws
