// Wake-word frontend: streaming invariance, config validation, and each fixed-point stage
// against a float/exact counterpart. Bit-exactness with pymicro-features is kws_parity.py.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <fstream>
#include <numbers>
#include <random>
#include <vector>

#include "features/kws/kws_bits.hpp"
#include "features/kws/kws_float_reference.hpp"
#include "features/kws/kws_frontend.hpp"
#include "features/kws/kws_input_quantizer.hpp"
#include "features/kws/kws_log_scale.hpp"
#include "features/kws/q15_kiss_real_fft.hpp"
#include "features/kws_frontend_factory.hpp"

namespace earshot::features::kws {
namespace {

std::vector<int16_t> read_raw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<int16_t> s(bytes.size() / 2);
  std::memcpy(s.data(), bytes.data(), s.size() * 2);
  return s;
}

std::vector<int16_t> speech() {
  auto s = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  EXPECT_GT(s.size(), 16000u) << "goforward.raw missing from " EARSHOT_SPEECH_DIR;
  return s;
}

std::vector<uint16_t> run_whole(KwsFrontend& fe, std::span<const int16_t> s) {
  std::vector<uint16_t> out(fe.max_frames_for(s.size()) * fe.frame_size());
  const std::size_t n = fe.push_native(s, out);
  out.resize(n * fe.frame_size());
  return out;
}

TEST(KwsFrontend, DefaultsMatchPymicroFeatures) {
  auto fe = KwsFrontend::create();
  ASSERT_TRUE(fe.ok()) << fe.status().to_string();
  EXPECT_EQ((*fe)->frame_size(), 40u);
  EXPECT_EQ((*fe)->hop_samples(), 160u);
  EXPECT_STREQ((*fe)->name(), "kws");
  EXPECT_DOUBLE_EQ((*fe)->frame_scale(), 0.0390625);
  // 480-sample window, then one frame per 160 samples.
  EXPECT_EQ((*fe)->max_frames_for(479), 0u);
  EXPECT_EQ((*fe)->max_frames_for(480), 1u);
  EXPECT_EQ((*fe)->max_frames_for(16000), 98u);
}

TEST(KwsFrontend, RandomChunksGiveSameFramesAsOnePush) {
  const auto audio = speech();
  auto whole_fe = KwsFrontend::create();
  ASSERT_TRUE(whole_fe.ok());
  const auto whole = run_whole(**whole_fe, audio);
  ASSERT_GT(whole.size(), 40u * 100);

  for (unsigned seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> size(1, seed == 1 ? 7 : 5000);
    auto fe = KwsFrontend::create();
    ASSERT_TRUE(fe.ok());
    std::vector<uint16_t> got, buf;
    for (std::size_t pos = 0; pos < audio.size();) {
      const std::size_t n = std::min(size(rng), audio.size() - pos);
      buf.resize((*fe)->max_frames_for(n) * 40);
      const std::size_t frames = (*fe)->push_native(std::span(audio).subspan(pos, n), buf);
      got.insert(got.end(), buf.begin(), buf.begin() + std::ptrdiff_t(frames * 40));
      pos += n;
    }
    EXPECT_EQ(got, whole) << "seed " << seed;
  }
}

TEST(KwsFrontend, FloatPushIsNativeTimesScaleAndResetRestarts) {
  const auto audio = speech();
  auto fe = make_kws_frontend();
  ASSERT_TRUE(fe.ok());
  auto native_fe = KwsFrontend::create();
  ASSERT_TRUE(native_fe.ok());
  const auto native = run_whole(**native_fe, audio);
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<float> out((*fe)->max_frames_for(audio.size()) * 40);
    ASSERT_EQ((*fe)->push(audio, out) * 40, native.size());
    for (std::size_t i = 0; i < native.size(); ++i) {
      ASSERT_EQ(out[i], static_cast<float>(native[i] * 0.0390625)) << i;
    }
    (*fe)->reset();
  }
}

TEST(KwsFrontend, TooSmallOutputConsumesNothing) {
  auto fe = KwsFrontend::create();
  ASSERT_TRUE(fe.ok());
  std::vector<int16_t> audio(1000, 100);
  std::vector<uint16_t> out(40);  // room for one frame, 4 would be made
  EXPECT_EQ((*fe)->push_native(audio, out), 0u);
  EXPECT_EQ((*fe)->max_frames_for(1000), 4u);  // still nothing buffered
}

TEST(KwsFrontend, BadConfigsAreRejected) {
  std::vector<std::pair<const char*, KwsFrontendConfig>> bad;
  auto add = [&](const char* what, auto edit) {
    KwsFrontendConfig c;
    edit(c);
    bad.emplace_back(what, c);
  };
  add("rate 0", [](auto& c) { c.sample_rate = 0; });
  add("window 0", [](auto& c) { c.window_ms = 0; });
  add("huge window", [](auto& c) { c.window_ms = 1000; });
  add("step > window", [](auto& c) { c.step_ms = 40; });
  add("no channels", [](auto& c) { c.num_channels = 0; });
  add("too many channels", [](auto& c) { c.num_channels = 100000; });
  add("upper < lower", [](auto& c) { c.upper_band_hz = 100.0f; });
  add("upper > nyquist", [](auto& c) { c.upper_band_hz = 9000.0f; });
  add("nan lower", [](auto& c) { c.lower_band_hz = std::nanf(""); });
  add("smoothing > 1", [](auto& c) { c.even_smoothing = 1.5f; });
  add("negative min signal", [](auto& c) { c.min_signal_remaining = -0.1f; });
  add("gain bits too small", [](auto& c) { c.pcan_gain_bits = 10; });
  add("smoothing bits < correction", [](auto& c) { c.smoothing_bits = 1; });
  add("zero offset", [](auto& c) { c.pcan_offset = 0.0f; });
  add("log shift", [](auto& c) { c.log_scale_shift = 40; });
  // More channels than FFT bins between the band edges: a band gets past Nyquist.
  add("bands past nyquist", [](auto& c) {
    c.window_ms = 2;
    c.step_ms = 1;
    c.upper_band_hz = 8000.0f;
    c.num_channels = 100;
  });
  for (const auto& [what, config] : bad) {
    auto fe = KwsFrontend::create(config);
    ASSERT_FALSE(fe.ok()) << what;
    EXPECT_EQ(fe.status().code(), StatusCode::kInvalidArgument) << what;
    EXPECT_NE(fe.status().message().find("kws frontend config"), std::string::npos) << what;
  }
}

TEST(KwsFrontend, OtherValidConfigsWork) {
  KwsFrontendConfig c;
  c.window_ms = 25;
  c.num_channels = 32;
  c.enable_pcan = false;
  auto fe = KwsFrontend::create(c);
  ASSERT_TRUE(fe.ok()) << fe.status().to_string();
  const auto out = run_whole(**fe, speech());
  EXPECT_EQ(out.size() % 32, 0u);
  EXPECT_GT(*std::max_element(out.begin(), out.end()), 0);
}

// Every stage rounds, but the integer pipeline must follow the float one closely on speech.
TEST(KwsFrontend, CloseToFloatReferenceOnSpeech) {
  const auto audio = speech();
  auto fe = KwsFrontend::create();
  auto ref = KwsFloatReference::create();
  ASSERT_TRUE(fe.ok() && ref.ok());
  const auto fixed = run_whole(**fe, audio);
  std::vector<float> flt((*ref)->max_frames_for(audio.size()) * 40);
  ASSERT_EQ((*ref)->push(audio, flt) * 40, fixed.size());
  double abs_sum = 0.0, peak = 0.0;
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    abs_sum += std::abs(fixed[i] - flt[i]);
    peak = std::max<double>(peak, fixed[i]);
  }
  const double mean = abs_sum / double(fixed.size());
  EXPECT_GT(peak, 300.0);  // real speech reaches well up the log scale
  EXPECT_LT(mean, 6.0) << "mean |fixed - float| in output units (ln * 64)";
}

TEST(Q15KissRealFft, MatchesScaledDftOnRandomInput) {
  for (std::size_t n : {8u, 32u, 128u, 512u, 1024u}) {
    Q15KissRealFft fft(n);
    std::mt19937 rng{static_cast<unsigned>(n)};
    std::uniform_int_distribution<int> sample(-20000, 20000);
    std::vector<int16_t> x(n);
    for (auto& v : x) v = static_cast<int16_t>(sample(rng));
    std::vector<ComplexQ15> out(n / 2 + 1);
    fft.forward(x, out);
    double worst = 0.0;
    for (std::size_t k = 0; k <= n / 2; ++k) {
      std::complex<double> acc = 0.0;
      for (std::size_t t = 0; t < n; ++t) {
        acc += double(x[t]) * std::polar(1.0, -2.0 * std::numbers::pi * double(k * t) / double(n));
      }
      acc /= double(n);
      worst = std::max(worst, std::abs(acc - std::complex<double>(out[k].r, out[k].i)));
    }
    // Each radix stage rounds once: a few LSB per stage.
    EXPECT_LT(worst, 2.0 * std::log2(double(n))) << "n=" << n;
  }
}

TEST(KwsBits, RoundedSqrtIsNearestInteger) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    const uint32_t r = kws_rounded_sqrt64(v);
    const long double exact = std::sqrt(static_cast<long double>(v));
    const bool saturated32 = (v >> 32) == 0 && r == 0xFFFF;
    if (!saturated32) {
      EXPECT_LE(std::fabs(double(r - exact)), 0.5 + 1e-9) << v;
    }
  }
  EXPECT_EQ(kws_rounded_sqrt64(0), 0u);
  EXPECT_EQ(kws_rounded_sqrt64(2), 1u);
  EXPECT_EQ(kws_rounded_sqrt64(3), 2u);
  // The 32-bit path saturates instead of reaching 65536.
  EXPECT_EQ(kws_rounded_sqrt64(0xFFFFFFFFull), 0xFFFFu);
  EXPECT_EQ(kws_rounded_sqrt64(1ull << 32), 65536u);
}

TEST(KwsLogScale, FollowsNaturalLog) {
  KwsLogScale log(true, 6, 0);
  for (uint32_t x = 2; x < 4000000000u; x = x + x / 7 + 1) {
    EXPECT_NEAR(double(log.log(x)), 64.0 * std::log(double(x)), 1.0) << x;
  }
  std::vector<uint32_t> in = {0, 1, 2, 0xFFFFFFFFu};
  std::vector<uint16_t> out(4);
  log.apply(in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 44);  // 64 ln 2
}

TEST(KwsInputQuantizer, MapsFeaturesToModelRange) {
  auto q = KwsInputQuantizer::create(0.10196078568696976f, -128);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->quantize(0), -128);
  EXPECT_EQ(q->quantize(65535), 127);  // saturates, never wraps
  // 26.0 (= 665.6 units) is the top of the float range the model was trained on.
  EXPECT_EQ(q->quantize(664), 126);
  EXPECT_EQ(q->quantize(666), 127);
  EXPECT_EQ(q->quantize(333), -128 + int(std::lround(333 * 0.0390625 / 0.10196078568696976)));
  EXPECT_FALSE(KwsInputQuantizer::create(0.0f, 0).ok());
  EXPECT_FALSE(KwsInputQuantizer::create(std::nanf(""), 0).ok());
  EXPECT_FALSE(KwsInputQuantizer::create(0.1f, 200).ok());
}

}  // namespace
}  // namespace earshot::features::kws
