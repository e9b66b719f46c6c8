// Depthwise convolution: every variant bit-exact (int8) / within tolerance (float) against
// the reference on odd shapes; the reference against a direct loop; streaming == whole-tensor.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "op_test_util.hpp"
#include "runtime/kernels/dwconv.hpp"
#include "runtime/kernels/dwconv_stream.hpp"

namespace earshot::kernels {
namespace {

using testing::random_floats;
using testing::random_i32;
using testing::random_i8;

constexpr float kF32Tol = 1e-5f;  // relative to the sum of |terms|, float reassociation + FMA

struct QuantArrays {
  std::vector<int32_t> mult, shift;
  I8ConvQuant q;
};

QuantArrays make_quant(int channels, uint32_t seed, int32_t in_zp, int32_t out_zp) {
  QuantArrays a;
  auto scales = random_floats(channels, seed, 0.002f, 0.05f);
  a.mult.resize(channels);
  a.shift.resize(channels);
  per_channel_multipliers(0.05f, scales.data(), 0.1f, channels, a.mult.data(), a.shift.data());
  a.q.in_zp = in_zp;
  a.q.out_zp = out_zp;
  a.q.multiplier = a.mult.data();
  a.q.shift = a.shift.data();
  a.q.act_min = -100;  // a fused clamp that actually clips
  a.q.act_max = 120;
  return a;
}

// The TFLite definition written directly, no tap lists: the oracle for the reference driver.
std::vector<int8_t> direct_i8(const ConvGeometry& g, const std::vector<int8_t>& in,
                              const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                              const I8ConvQuant& q) {
  const ConvShape& s = g.s;
  std::vector<int8_t> out(g.out_size());
  const int mult = s.out_c / s.in_c;
  for (int b = 0; b < s.batch; ++b)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox)
        for (int c = 0; c < s.out_c; ++c) {
          int64_t acc = bias[c];
          for (int ky = 0; ky < s.k_h; ++ky)
            for (int kx = 0; kx < s.k_w; ++kx) {
              const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
              const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
              const int x = (iy < 0 || iy >= s.in_h || ix < 0 || ix >= s.in_w)
                                ? q.in_zp
                                : in[((b * s.in_h + iy) * s.in_w + ix) * s.in_c + c / mult];
              acc += (x - q.in_zp) * w[(ky * s.k_w + kx) * s.out_c + c];
            }
          int32_t v = multiply_by_quantized_multiplier(static_cast<int32_t>(acc), q.multiplier[c],
                                                       q.shift[c]) +
                      q.out_zp;
          out[((b * g.out_h + oy) * g.out_w + ox) * s.out_c + c] =
              static_cast<int8_t>(std::clamp(v, q.act_min, q.act_max));
        }
  return out;
}

struct Case {
  int in_h, in_w, c, mult, k_h, k_w, stride, dil;
  Padding pad;
};

const Case kCases[] = {
    {20, 1, 1, 1, 3, 1, 1, 1, Padding::kValid},  {31, 1, 3, 1, 5, 1, 1, 2, Padding::kSame},
    {40, 1, 17, 1, 7, 1, 2, 1, Padding::kValid}, {25, 1, 63, 1, 9, 1, 1, 3, Padding::kValid},
    {16, 1, 64, 1, 1, 1, 1, 1, Padding::kSame},  {33, 1, 65, 1, 5, 1, 3, 1, Padding::kSame},
    {9, 7, 17, 1, 3, 3, 2, 1, Padding::kSame},   {8, 9, 33, 1, 3, 5, 1, 2, Padding::kValid},
    {10, 6, 3, 2, 3, 3, 1, 1, Padding::kSame},   {12, 1, 130, 1, 23, 1, 1, 1, Padding::kSame},
};

ConvGeometry geometry(const Case& t) {
  ConvShape s;
  s.batch = 2;
  s.in_h = t.in_h;
  s.in_w = t.in_w;
  s.in_c = t.c;
  s.out_c = t.c * t.mult;
  s.k_h = t.k_h;
  s.k_w = t.k_w;
  s.stride_h = s.stride_w = t.stride;
  s.dil_h = s.dil_w = t.dil;
  s.padding = t.pad;
  auto g = conv_geometry(s, true);
  EXPECT_TRUE(g.ok()) << g.status().to_string();
  return *g;
}

TEST(DwConv, I8EveryVariantBitExactWithDirectDefinition) {
  uint32_t seed = 1;
  for (const Case& t : kCases) {
    const ConvGeometry g = geometry(t);
    auto in = random_i8(g.in_size(), seed++);
    auto w = random_i8(int64_t{t.k_h} * t.k_w * g.s.out_c, seed++, -127, 127);
    auto bias = random_i32(g.s.out_c, seed++, -20000, 20000);
    QuantArrays qa = make_quant(g.s.out_c, seed++, -7, 5);
    const auto want = direct_i8(g, in, w, bias, qa.q);
    for (const DwConvKernels* k : dwconv_variants()) {
      std::vector<int8_t> out(g.out_size());
      ASSERT_TRUE(dwconv_i8(g, in.data(), w.data(), bias.data(), qa.q, out.data(), k).ok());
      ASSERT_EQ(out, want) << k->name << " c=" << t.c << " k=" << t.k_h << "x" << t.k_w;
    }
  }
}

TEST(DwConv, F32EveryVariantMatchesDouble) {
  uint32_t seed = 100;
  for (const Case& t : kCases) {
    const ConvGeometry g = geometry(t);
    const ConvShape& s = g.s;
    auto in = random_floats(g.in_size(), seed++);
    auto w = random_floats(int64_t{s.k_h} * s.k_w * s.out_c, seed++);
    auto bias = random_floats(s.out_c, seed++);
    for (const DwConvKernels* k : dwconv_variants()) {
      std::vector<float> out(g.out_size());
      ASSERT_TRUE(
          dwconv_f32(g, in.data(), w.data(), bias.data(), FusedActivation::kRelu6, out.data(), k)
              .ok());
      const int mult = s.out_c / s.in_c;
      for (int b = 0; b < s.batch; ++b)
        for (int oy = 0; oy < g.out_h; ++oy)
          for (int ox = 0; ox < g.out_w; ++ox)
            for (int c = 0; c < s.out_c; ++c) {
              double acc = bias[c], mag = std::fabs(bias[c]);
              for (int ky = 0; ky < s.k_h; ++ky)
                for (int kx = 0; kx < s.k_w; ++kx) {
                  const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
                  const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
                  if (iy < 0 || iy >= s.in_h || ix < 0 || ix >= s.in_w) continue;
                  const double term =
                      double{in[((b * s.in_h + iy) * s.in_w + ix) * s.in_c + c / mult]} *
                      w[(ky * s.k_w + kx) * s.out_c + c];
                  acc += term;
                  mag += std::fabs(term);
                }
              const double want = std::clamp(acc, 0.0, 6.0);
              ASSERT_NEAR(out[((b * g.out_h + oy) * g.out_w + ox) * s.out_c + c], want,
                          kF32Tol * (1 + mag))
                  << k->name;
            }
    }
  }
}

TEST(DwConv, RejectsBadShapes) {
  ConvShape s = conv1d_shape(4, 8, 8, 9, 1, 1, Padding::kValid);  // kernel longer than input
  EXPECT_FALSE(conv_geometry(s, true).ok());
  s = conv1d_shape(20, 8, 12, 3, 1, 1, Padding::kValid);  // 12 is no multiple of 8
  EXPECT_FALSE(conv_geometry(s, true).ok());
  s = conv1d_shape(20, 8, 8, 3, 0, 1, Padding::kValid);
  EXPECT_FALSE(conv_geometry(s, true).ok());
  s = conv1d_shape(600, 8, 8, 300, 1, 1, Padding::kValid);
  auto g = conv_geometry(s, true);
  ASSERT_TRUE(g.ok());
  std::vector<float> buf(600 * 8), w(300 * 8);
  EXPECT_EQ(
      dwconv_f32(*g, buf.data(), w.data(), nullptr, FusedActivation::kNone, buf.data()).code(),
      StatusCode::kInvalidArgument);  // more than kMaxDwTaps taps
  EXPECT_FALSE(I8DwConvStream::create({8, 300, 1, 1}, nullptr, nullptr, {}).ok());
}

// Streaming == whole-tensor VALID convolution over [history ++ input], pushed in random chunks.
TEST(DwConvStream, MatchesWholeTensorFrameByFrame) {
  std::mt19937 rng(42);
  const int kChannels[] = {1, 3, 17, 64, 65};
  const int kKernels[] = {1, 3, 5, 7, 9};
  int trial = 0;
  for (int c : kChannels) {
    for (int kernel : kKernels) {
      const int dilation = 1 + trial % 3;
      const int stride = 1 + (trial / 3) % 3;
      ++trial;
      const int history = (kernel - 1) * dilation;
      const int frames = 1 + static_cast<int>(rng() % 60);
      auto in = random_i8(static_cast<size_t>(frames) * c, rng());
      auto w = random_i8(static_cast<size_t>(kernel) * c, rng(), -127, 127);
      auto bias = random_i32(c, rng(), -5000, 5000);
      QuantArrays qa = make_quant(c, rng(), 9, -3);
      // Whole tensor: history of zero points, then the input.
      std::vector<int8_t> full(static_cast<size_t>(history) * c, static_cast<int8_t>(9));
      full.insert(full.end(), in.begin(), in.end());
      ConvShape s = conv1d_shape(history + frames, c, c, kernel, stride, dilation, Padding::kValid);
      auto g = conv_geometry(s, true);
      ASSERT_TRUE(g.ok());
      std::vector<int8_t> want(g->out_size());
      ASSERT_TRUE(dwconv_i8(*g, full.data(), w.data(), bias.data(), qa.q, want.data()).ok());

      auto fw = random_floats(static_cast<size_t>(kernel) * c, rng());
      auto fin = random_floats(static_cast<size_t>(frames) * c, rng());
      std::vector<float> ffull(static_cast<size_t>(history) * c, 0.0f);
      ffull.insert(ffull.end(), fin.begin(), fin.end());
      std::vector<float> fwant(g->out_size());
      ASSERT_TRUE(dwconv_f32(*g, ffull.data(), fw.data(), nullptr, FusedActivation::kNone,
                             fwant.data(), &kDwConvRef)
                      .ok());

      for (const DwConvKernels* k : dwconv_variants()) {
        auto st =
            I8DwConvStream::create({c, kernel, stride, dilation}, w.data(), bias.data(), qa.q);
        auto fst = F32DwConvStream::create({c, kernel, stride, dilation}, fw.data(), nullptr,
                                           FusedActivation::kNone);
        ASSERT_TRUE(st.ok() && fst.ok());
        st->set_kernels(*k);
        fst->set_kernels(*k);
        for (int round = 0; round < 2; ++round) {  // the second round checks reset()
          std::vector<int8_t> got;
          std::vector<float> fgot;
          int pos = 0;
          while (pos < frames) {
            const int n = std::min(frames - pos, 1 + static_cast<int>(rng() % 4));
            std::vector<int8_t> out(static_cast<size_t>(st->max_outputs(n)) * c);
            std::vector<float> fout(out.size());
            int produced = 0, fproduced = 0;
            ASSERT_TRUE(
                st->push(in.data() + pos * c, n, out.data(), st->max_outputs(n), &produced).ok());
            ASSERT_TRUE(
                fst->push(fin.data() + pos * c, n, fout.data(), fst->max_outputs(n), &fproduced)
                    .ok());
            ASSERT_EQ(produced, fproduced);
            got.insert(got.end(), out.begin(), out.begin() + produced * c);
            fgot.insert(fgot.end(), fout.begin(), fout.begin() + fproduced * c);
            pos += n;
          }
          ASSERT_EQ(got, want) << k->name << " c=" << c << " k=" << kernel << " s=" << stride
                               << " d=" << dilation;
          ASSERT_EQ(fgot.size(), fwant.size());
          for (size_t i = 0; i < fgot.size(); ++i) ASSERT_NEAR(fgot[i], fwant[i], 1e-5f) << k->name;
          st->reset();
          fst->reset();
        }
      }
    }
  }
}

TEST(DwConvStream, TooSmallOutputIsAnErrorNotAnOverflow) {
  std::vector<float> w(3 * 4, 0.5f);
  auto st = F32DwConvStream::create({4, 3, 1, 1}, w.data(), nullptr, FusedActivation::kNone);
  ASSERT_TRUE(st.ok());
  std::vector<float> in(5 * 4, 1.0f), out(4 * 4);
  int produced = -1;
  EXPECT_EQ(st->push(in.data(), 5, out.data(), 4, &produced).code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(produced, 0);
}

}  // namespace
}  // namespace earshot::kernels
