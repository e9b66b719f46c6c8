// LSTM cell: one GEMV over [x, h] (f32 engine), then the gate activations (act engine).
#include "runtime/kernels/lstm.hpp"

#include <algorithm>
#include <string>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/f32_gemm.hpp"

namespace earshot::kernels {

Result<LstmCell> LstmCell::create(int input, int hidden, const float* w_ih, const float* w_hh,
                                  const float* b_ih, const float* b_hh, LstmGateOrder order) {
  if (input < 1 || hidden < 1 || input > (1 << 16) || hidden > (1 << 16)) {
    return InvalidArgument("LSTM: input " + std::to_string(input) + " and hidden " +
                           std::to_string(hidden) + " must be in [1, 65536]");
  }
  if (!w_ih || !w_hh) return InvalidArgument("LSTM: null weights");
  LstmCell cell;
  cell.input_ = input;
  cell.hidden_ = hidden;
  const size_t H = static_cast<size_t>(hidden), I = static_cast<size_t>(input), row = I + H;
  cell.w_.resize(4 * H * row);
  cell.bias_.assign(4 * H, 0.0f);
  // Source block of each PyTorch gate (i, f, g, o).
  const int onnx_block[4] = {0, 2, 3, 1};
  for (int gate = 0; gate < 4; ++gate) {
    const size_t src = order == LstmGateOrder::kOnnxIOFC ? static_cast<size_t>(onnx_block[gate])
                                                         : static_cast<size_t>(gate);
    for (size_t r = 0; r < H; ++r) {
      float* dst = cell.w_.data() + (gate * H + r) * row;
      std::copy_n(w_ih + (src * H + r) * I, I, dst);
      std::copy_n(w_hh + (src * H + r) * H, H, dst + I);
      cell.bias_[gate * H + r] =
          (b_ih ? b_ih[src * H + r] : 0.0f) + (b_hh ? b_hh[src * H + r] : 0.0f);
    }
  }
  cell.xh_.resize(row);
  cell.z_.resize(4 * H);
  return cell;
}

Status LstmCell::step(const float* x, float* h, float* c) noexcept {
  if (!x || !h || !c) return InvalidArgument("LSTM step: null tensor");
  const size_t H = static_cast<size_t>(hidden_);
  std::copy_n(x, input_, xh_.data());
  std::copy_n(h, H, xh_.data() + input_);
  F32GemmParams p;
  p.m = 1;
  p.n = 4 * hidden_;
  p.k = input_ + hidden_;
  p.a = xh_.data();
  p.b = w_.data();
  p.b_transposed = true;
  p.bias = bias_.data();
  p.c = z_.data();
  EARSHOT_RETURN_IF_ERROR(f32_gemm(p));
  const ActKernels& act = act_kernels();
  float* zi = z_.data();
  float* zf = zi + H;
  float* zg = zf + H;
  float* zo = zg + H;
  act.sigmoid(zi, zi, 2 * H);  // i and f are adjacent
  act.tanh(zg, zg, H);
  act.sigmoid(zo, zo, H);
  for (size_t j = 0; j < H; ++j) c[j] = zf[j] * c[j] + zi[j] * zg[j];
  act.tanh(c, h, H);
  for (size_t j = 0; j < H; ++j) h[j] *= zo[j];
  return Status::Ok();
}

}  // namespace earshot::kernels
