// Float LSTM cell (Silero VAD's decoder, any PyTorch nn.LSTM / nn.LSTMCell or ONNX LSTM):
//   z = W_ih x + b_ih + W_hh h + b_hh                  (4H values, four gate blocks)
//   i = sigmoid(z_i), f = sigmoid(z_f), g = tanh(z_g), o = sigmoid(z_o)
//   c' = f * c + i * g,  h' = o * tanh(c')
// Gate block order of the weights: PyTorch stores i, f, g, o; ONNX's LSTM operator stores
// i, o, f, c (c = g). create() reorders ONNX weights to the PyTorch order once.
#pragma once

#include <vector>

#include "earshot/status.hpp"

namespace earshot::kernels {

enum class LstmGateOrder { kPyTorchIFGO, kOnnxIOFC };

class LstmCell {
 public:
  // w_ih [4H][input], w_hh [4H][hidden], b_ih / b_hh [4H] (either may be null). Copies the
  // weights (one [4H][input + hidden] matrix) and allocates the scratch.
  static Result<LstmCell> create(int input, int hidden, const float* w_ih, const float* w_hh,
                                 const float* b_ih, const float* b_hh, LstmGateOrder order);
  // One time step: reads x [input], updates h and c [hidden] in place. No allocation.
  Status step(const float* x, float* h, float* c) noexcept;
  int input() const noexcept { return input_; }
  int hidden() const noexcept { return hidden_; }

 private:
  int input_ = 0;
  int hidden_ = 0;
  std::vector<float> w_;     // [4H][input + hidden], PyTorch gate order
  std::vector<float> bias_;  // [4H], b_ih + b_hh
  std::vector<float> xh_;    // scratch [input + hidden]
  std::vector<float> z_;     // scratch [4H]
};

}  // namespace earshot::kernels
