// Regular convolution (pointwise GEMM path against the reference loops), fully connected
// (engine against plain loops), LSTM cell against a straightforward double implementation.
#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.hpp"
#include "runtime/kernels/conv.hpp"
#include "runtime/kernels/fc.hpp"
#include "runtime/kernels/lstm.hpp"

namespace earshot::kernels {
namespace {

using testing::random_floats;
using testing::random_i32;
using testing::random_i8;

struct Quant {
  std::vector<int32_t> mult, shift;
  I8ConvQuant q;
  explicit Quant(int n, uint32_t seed) : mult(n), shift(n) {
    auto scales = random_floats(n, seed, 0.001f, 0.02f);
    per_channel_multipliers(0.05f, scales.data(), 0.08f, n, mult.data(), shift.data());
    q.in_zp = -11;
    q.out_zp = 4;
    q.multiplier = mult.data();
    q.shift = shift.data();
  }
};

TEST(Conv, PointwiseGemmPathsEqualReference) {
  for (int in_c : {1, 3, 17, 64, 65}) {
    for (int out_c : {1, 17, 63}) {
      ConvShape s = conv1d_shape(23, in_c, out_c, 1, 1, 1, Padding::kSame);
      auto g = conv_geometry(s, false);
      ASSERT_TRUE(g.ok());
      auto in = random_i8(g->in_size(), in_c * 100 + out_c);
      auto w = random_i8(int64_t{out_c} * in_c, out_c, -127, 127);
      auto bias = random_i32(out_c, 3, -3000, 3000);
      Quant qa(out_c, 5);
      std::vector<int8_t> want(g->out_size()), got(g->out_size());
      ASSERT_TRUE(conv_i8_ref(*g, in.data(), w.data(), bias.data(), qa.q, want.data()).ok());
      auto packed = pack_i8_weights(w.data(), out_c, in_c);
      ASSERT_TRUE(packed.ok());
      ASSERT_TRUE(pointwise_conv_i8(*g, in.data(), *packed, bias.data(), qa.q, got.data()).ok());
      ASSERT_EQ(got, want) << in_c << "->" << out_c;

      auto fin = random_floats(g->in_size(), 9);
      auto fw = random_floats(int64_t{out_c} * in_c, 10);
      std::vector<float> fwant(g->out_size()), fgot(g->out_size());
      ASSERT_TRUE(
          conv_f32_ref(*g, fin.data(), fw.data(), nullptr, FusedActivation::kRelu, fwant.data())
              .ok());
      ASSERT_TRUE(
          conv_f32(*g, fin.data(), fw.data(), nullptr, FusedActivation::kRelu, fgot.data()).ok());
      for (size_t i = 0; i < fgot.size(); ++i) ASSERT_NEAR(fgot[i], fwant[i], 1e-5f * (1 + in_c));
    }
  }
}

TEST(Conv, ReferenceMatchesHandComputedStridedDilatedSame) {
  // 1-D, 1 channel in, 1 out, kernel 3, dilation 2, stride 2, SAME over 7 frames:
  // out = 4 frames, total padding (4-1)*2 + 5 - 7 = 4 -> 2 before.
  ConvShape s = conv1d_shape(7, 1, 1, 3, 2, 2, Padding::kSame);
  auto g = conv_geometry(s, false);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->out_h, 4);
  ASSERT_EQ(g->pad_top, 2);
  const float in[7] = {1, 2, 3, 4, 5, 6, 7};
  const float w[3] = {1, 10, 100};
  float out[4];
  ASSERT_TRUE(conv_f32_ref(*g, in, w, nullptr, FusedActivation::kNone, out).ok());
  // Output j reads frames 2j-2, 2j, 2j+2 (zero outside 0..6).
  EXPECT_FLOAT_EQ(out[0], 0 + 10 * 1 + 100 * 3);
  EXPECT_FLOAT_EQ(out[1], 1 + 10 * 3 + 100 * 5);
  EXPECT_FLOAT_EQ(out[2], 3 + 10 * 5 + 100 * 7);
  EXPECT_FLOAT_EQ(out[3], 5 + 10 * 7 + 0);
}

TEST(FullyConnected, I8EngineBitExactWithLoops) {
  for (int k : {1, 3, 17, 64, 65, 384}) {
    for (int n : {1, 16, 63}) {
      for (int m : {1, 5}) {
        auto x = random_i8(int64_t{m} * k, k + n);
        auto w = random_i8(int64_t{n} * k, n, -127, 127);
        auto bias = random_i32(n, 1, -10000, 10000);
        Quant qa(n, 2);
        qa.q.act_min = -90;
        std::vector<int8_t> want(int64_t{m} * n), got(int64_t{m} * n);
        fc_i8_ref(x.data(), m, k, w.data(), n, bias.data(), qa.q, want.data());
        auto fc = I8FullyConnected::create(w.data(), n, k, bias.data(), qa.q);
        ASSERT_TRUE(fc.ok()) << fc.status().to_string();
        ASSERT_TRUE(fc->run(x.data(), m, got.data()).ok());
        ASSERT_EQ(got, want) << m << "x" << k << "->" << n;
      }
    }
  }
}

TEST(FullyConnected, F32EngineMatchesLoops) {
  const int m = 3, k = 65, n = 17;
  auto x = random_floats(m * k, 1), w = random_floats(n * k, 2), b = random_floats(n, 3);
  std::vector<float> want(m * n), got(m * n);
  fc_f32_ref(x.data(), m, k, w.data(), n, b.data(), FusedActivation::kRelu6, want.data());
  ASSERT_TRUE(
      fc_f32(x.data(), m, k, w.data(), n, b.data(), FusedActivation::kRelu6, got.data()).ok());
  for (int i = 0; i < m * n; ++i) ASSERT_NEAR(got[i], want[i], 1e-4f);
}

// PyTorch nn.LSTMCell in double.
void lstm_double(int I, int H, const std::vector<float>& wih, const std::vector<float>& whh,
                 const std::vector<float>& bih, const std::vector<float>& bhh, const float* x,
                 std::vector<double>& h, std::vector<double>& c) {
  std::vector<double> z(4 * H);
  for (int r = 0; r < 4 * H; ++r) {
    double s = bih[r] + bhh[r];
    for (int j = 0; j < I; ++j) s += double{wih[r * I + j]} * x[j];
    for (int j = 0; j < H; ++j) s += double{whh[r * H + j]} * h[j];
    z[r] = s;
  }
  auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  for (int j = 0; j < H; ++j) {
    const double i = sig(z[j]), f = sig(z[H + j]), g = std::tanh(z[2 * H + j]),
                 o = sig(z[3 * H + j]);
    c[j] = f * c[j] + i * g;
    h[j] = o * std::tanh(c[j]);
  }
}

TEST(Lstm, MatchesDoubleOverManySteps) {
  const int I = 17, H = 64, steps = 40;
  auto wih = random_floats(4 * H * I, 1, -0.3f, 0.3f),
       whh = random_floats(4 * H * H, 2, -0.3f, 0.3f);
  auto bih = random_floats(4 * H, 3), bhh = random_floats(4 * H, 4);
  auto xs = random_floats(steps * I, 5, -2.0f, 2.0f);
  auto cell = LstmCell::create(I, H, wih.data(), whh.data(), bih.data(), bhh.data(),
                               LstmGateOrder::kPyTorchIFGO);
  ASSERT_TRUE(cell.ok());
  // The same weights in ONNX order (i, o, f, c) must give the same cell.
  std::vector<float> wih_onnx(wih.size()), whh_onnx(whh.size()), bih_onnx(4 * H), bhh_onnx(4 * H);
  const int torch_of_onnx[4] = {0, 3, 1, 2};
  for (int blk = 0; blk < 4; ++blk) {
    const int src = torch_of_onnx[blk];
    std::copy_n(wih.begin() + src * H * I, H * I, wih_onnx.begin() + blk * H * I);
    std::copy_n(whh.begin() + src * H * H, H * H, whh_onnx.begin() + blk * H * H);
    std::copy_n(bih.begin() + src * H, H, bih_onnx.begin() + blk * H);
    std::copy_n(bhh.begin() + src * H, H, bhh_onnx.begin() + blk * H);
  }
  auto onnx = LstmCell::create(I, H, wih_onnx.data(), whh_onnx.data(), bih_onnx.data(),
                               bhh_onnx.data(), LstmGateOrder::kOnnxIOFC);
  ASSERT_TRUE(onnx.ok());
  std::vector<float> h(H, 0.0f), c(H, 0.0f), h2(H, 0.0f), c2(H, 0.0f);
  std::vector<double> hd(H, 0.0), cd(H, 0.0);
  for (int t = 0; t < steps; ++t) {
    ASSERT_TRUE(cell->step(xs.data() + t * I, h.data(), c.data()).ok());
    ASSERT_TRUE(onnx->step(xs.data() + t * I, h2.data(), c2.data()).ok());
    lstm_double(I, H, wih, whh, bih, bhh, xs.data() + t * I, hd, cd);
    for (int j = 0; j < H; ++j) {
      ASSERT_NEAR(h[j], hd[j], 2e-5) << "step " << t;
      ASSERT_NEAR(c[j], cd[j], 5e-5) << "step " << t;
      ASSERT_EQ(h[j], h2[j]);
    }
  }
  EXPECT_FALSE(
      LstmCell::create(0, H, wih.data(), whh.data(), nullptr, nullptr, LstmGateOrder::kPyTorchIFGO)
          .ok());
}

}  // namespace
}  // namespace earshot::kernels
