// Silero VAD v6 (docs/models.md) on earshot's kernels: one speech probability per 512-sample
// chunk at 16 kHz, with the model's streaming state (64 samples of context, LSTM h and c).
//
// Two engines from the same graph: f32 (the converted weights as they are; matches onnxruntime
// to ~1e-6) and int8 (int8 weights per output channel, activations quantized per row at run
// time, i8f32_gemm for the encoder convolutions and the LSTM). The STFT (a real FFT when the
// basis is the expected Hann DFT, vad/silero_stft.hpp) and the decoder's 128-wide dot product
// stay float in both.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/layers/linear.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/stage/stage_info.hpp"
#include "vad/silero_stft.hpp"

namespace earshot::vad {

class SileroVad {
 public:
  static constexpr int kChunk = 512;
  static constexpr int kContext = 64;
  static constexpr int kHidden = 128;

  // Takes the loaded model (f32 or int8-per-channel, architecture silero-vad-v6); checks every
  // tensor's shape and dtype. Allocates everything it will need.
  static Result<std::unique_ptr<SileroVad>> create(model::Model model);

  // One chunk of kChunk samples in [-1, 1] -> speech probability. No allocation.
  Status process(const float* chunk, float* probability) noexcept;
  void reset() noexcept;

  bool int8() const noexcept { return int8_; }
  runtime::KernelEngine engine() const noexcept {
    return int8_ ? runtime::KernelEngine::kI8 : runtime::KernelEngine::kF32;
  }
  const runtime::StageCounters& counters() const noexcept { return counters_; }
  // Multiply-adds of the graph as converted (the STFT counted as its conv1d).
  static uint64_t macs_per_chunk() noexcept;
  // Whether the model's STFT basis was recognised and runs as an FFT.
  bool stft_uses_fft() const noexcept { return stft_->uses_fft(); }

 private:
  struct ConvLayer {
    int in_c = 0, out_c = 0, stride = 1;
    runtime::Linear fc;  // [out][in * 3] over the im2col rows
  };

  SileroVad() = default;
  Status load(model::Model model);
  Status stft(const float* input576) noexcept;
  // in [t_in][in_c] time-major -> out [t_out][out_c], ReLU.
  Status conv(const ConvLayer& l, const float* in, int t_in, float* out, int* t_out) noexcept;
  Status lstm_step(const float* x) noexcept;

  std::optional<model::Model> model_;  // owns the mapping the f32 weights point into
  bool int8_ = false;
  std::unique_ptr<SileroStft> stft_;  // over the mapped stft.basis [258][256]
  std::array<ConvLayer, 4> enc_;
  // LSTM, ONNX gate order i, o, f, c; the input product carries b_ih + b_hh.
  runtime::Linear lstm_ih_, lstm_hh_;
  std::vector<float> dec_w_;  // [128] dequantized
  float dec_b_ = 0.0f;

  // State.
  std::array<float, kContext> context_{};
  std::array<float, kHidden> h_{}, c_{};
  // Scratch.
  std::vector<float> padded_, mag_, act_a_, act_b_, col_, gates_, gates_hh_;
  std::vector<unsigned char> scratch_;  // the linear layers'
  runtime::StageCounters counters_;
};

}  // namespace earshot::vad
