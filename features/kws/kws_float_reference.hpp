// Float reference of KwsFrontend: the same stages (Hann window, FFT by FFTW, the same mel bands,
// noise reduction, PCAN, natural log) in float, in the same output units (ln(...) * 2^6), without
// the fixed-point normalisation and tables. Tests check the integer frontend stays close to it;
// the benchmark compares their speed.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "features/kws/kws_config.hpp"
#include "features/kws/kws_filterbank.hpp"

namespace earshot::features::kws {

class KwsFloatReference {
 public:
  static Result<std::unique_ptr<KwsFloatReference>> create(const KwsFrontendConfig& config = {});
  ~KwsFloatReference();
  KwsFloatReference(const KwsFloatReference&) = delete;
  KwsFloatReference& operator=(const KwsFloatReference&) = delete;

  std::size_t frame_size() const { return filterbank_.num_channels(); }
  std::size_t max_frames_for(std::size_t n) const;
  // Like KwsFrontend::push_native but float values. Does not allocate.
  std::size_t push(std::span<const int16_t> samples, std::span<float> out);
  void reset();

 private:
  KwsFloatReference(const KwsFrontendConfig& config, KwsFilterbank filterbank);
  void compute_frame(float* out);

  KwsFrontendConfig config_;
  KwsFilterbank filterbank_;
  std::size_t window_size_, step_, fft_size_;
  std::vector<float> window_, input_, estimate_, magnitude_;
  std::vector<float> weights_, unweights_;
  std::size_t input_used_ = 0;
  float* fft_in_ = nullptr;
  void* fft_out_ = nullptr;  // fftwf_complex[fft_size / 2 + 1]
  void* plan_ = nullptr;     // fftwf_plan
};

}  // namespace earshot::features::kws
