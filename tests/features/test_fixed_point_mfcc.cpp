// FixedPointMfcc against FloatMfccReference on real speech, config validation, and streaming.
//
// SNR definition used here (per file, per output kind): with R[t][b] the reference value of
// frame t, coefficient b, F[t][b] the fixed-point value and m[b] the mean of R[.][b] over the
// file,
//     SNR = 10 log10( sum_tb (R[t][b] - m[b])^2 / sum_tb (F[t][b] - R[t][b])^2 ).
// Removing each coefficient's mean makes the "signal" the part of the features that carries
// information (a constant offset such as the overall level would otherwise inflate the SNR).
// Log-mel is in natural-log units of the int16-scale mel energy, MFCC is its lifted DCT.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "features/mfcc/fixed_point_mfcc.hpp"
#include "features/mfcc/float_mfcc_reference.hpp"
#include "speech_files.hpp"

namespace earshot::features::mfcc {
namespace {

struct Frames {
  std::vector<float> values;
  std::size_t frames = 0;
};

Frames run_whole(StreamingFrontend& fe, const std::vector<int16_t>& audio) {
  Frames f;
  f.values.resize(fe.max_frames_for(audio.size()) * fe.frame_size());
  f.frames = fe.push(audio, f.values);
  f.values.resize(f.frames * fe.frame_size());
  return f;
}

double snr_db(const Frames& ref, const Frames& got, std::size_t width) {
  std::vector<double> mean(width, 0.0);
  for (std::size_t i = 0; i < ref.values.size(); ++i) mean[i % width] += ref.values[i];
  for (auto& m : mean) m /= static_cast<double>(ref.frames);
  double signal = 0.0, noise = 0.0;
  for (std::size_t i = 0; i < ref.values.size(); ++i) {
    const double s = ref.values[i] - mean[i % width];
    const double e = static_cast<double>(got.values[i]) - ref.values[i];
    signal += s * s;
    noise += e * e;
  }
  return 10.0 * std::log10(signal / std::max(noise, 1e-30));
}

std::vector<int16_t> scaled(const std::vector<int16_t>& x, double gain) {
  std::vector<int16_t> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    y[i] = static_cast<int16_t>(std::lround(std::clamp(x[i] * gain, -32768.0, 32767.0)));
  }
  return y;
}

void expect_matches_reference(const MfccConfig& config, const std::vector<int16_t>& audio,
                              const std::string& what) {
  auto fixed = FixedPointMfcc::create(config);
  auto ref = FloatMfccReference::create(config);
  ASSERT_TRUE(fixed.ok()) << fixed.status().to_string();
  ASSERT_TRUE(ref.ok()) << ref.status().to_string();
  const Frames f = run_whole(**fixed, audio);
  const Frames r = run_whole(**ref, audio);
  ASSERT_GT(r.frames, 100u) << what;
  ASSERT_EQ(f.frames, r.frames) << what;
  const double snr = snr_db(r, f, config.frame_size());
  EXPECT_GE(snr, 40.0) << what;
  ::testing::Test::RecordProperty(what, std::to_string(snr));
  std::printf("%-70s SNR %.1f dB\n", what.c_str(), snr);
}

TEST(FixedPointMfcc, MatchesFloatReferenceOnSpeech) {
  for (const auto& path : test::speech_files()) {
    const auto audio = test::load_speech(path);
    ASSERT_FALSE(audio.empty()) << path;
    const std::string name = path.substr(path.rfind('/') + 1);
    MfccConfig log_mel;
    log_mel.log_mel = true;
    expect_matches_reference(log_mel, audio, name + " log-mel");
    expect_matches_reference(MfccConfig{}, audio, name + " mfcc");
    // Very quiet input: -42 dB, speech peaks of a few hundred LSB.
    expect_matches_reference(log_mel, scaled(audio, 1.0 / 128), name + " log-mel quiet");
  }
}

TEST(FixedPointMfcc, MatchesFloatReferenceOnOtherConfigs) {
  const auto audio = test::load_speech(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  MfccConfig c;
  c.window = WindowType::kHann;
  c.mel_bins = 80;
  c.cepstra = 30;
  c.fft_size = 1024;
  c.frame_length = 1024;
  c.hop_length = 320;
  c.lifter = 0;
  c.pre_emphasis = 0.0;
  c.low_hz = 100;
  c.high_hz = 7000;
  expect_matches_reference(c, audio, "goforward hann/80 mel/1024/no pre-emphasis/no lifter");
  c = MfccConfig{};
  c.log_mel = true;
  expect_matches_reference(c, scaled(audio, 1.0 / 2000), "goforward log-mel at -66 dB");
  expect_matches_reference(c, scaled(audio, 4.0), "goforward log-mel +12 dB, clipped");
}

TEST(FixedPointMfcc, SilenceGivesTheFloor) {
  auto fixed = FixedPointMfcc::create(MfccConfig{});
  ASSERT_TRUE(fixed.ok());
  std::vector<int16_t> zeros(1600, 0);
  std::vector<int32_t> out((*fixed)->max_frames_for(zeros.size()) * 13);
  EXPECT_EQ((*fixed)->push_fixed(zeros, out), 8u);
  for (int32_t v : out) EXPECT_EQ(v, 0);
}

// Feeding random-sized chunks (including empty ones) gives bit-exact the frames of one push.
TEST(FixedPointMfcc, StreamingChunksAreBitExact) {
  const auto audio = test::load_speech(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  ASSERT_FALSE(audio.empty());
  for (bool log_mel : {false, true}) {
    MfccConfig c;
    c.log_mel = log_mel;
    auto whole = FixedPointMfcc::create(c);
    auto chunked = FixedPointMfcc::create(c);
    ASSERT_TRUE(whole.ok() && chunked.ok());
    std::vector<int32_t> expect((*whole)->max_frames_for(audio.size()) * c.frame_size());
    const std::size_t n = (*whole)->push_fixed(audio, expect);
    ASSERT_EQ(n, (audio.size() - 400) / 160 + 1);
    std::mt19937 rng(11);
    std::uniform_int_distribution<std::size_t> size(0, 700);
    std::vector<int32_t> got, out;
    for (std::size_t pos = 0; pos < audio.size();) {
      const std::size_t len = std::min(size(rng), audio.size() - pos);
      const std::span<const int16_t> chunk(audio.data() + pos, len);
      out.resize((*chunked)->max_frames_for(len) * c.frame_size());
      const std::size_t k = (*chunked)->push_fixed(chunk, out);
      got.insert(got.end(), out.begin(), out.begin() + k * c.frame_size());
      pos += len;
    }
    EXPECT_EQ(got, expect);
    // reset() starts a new stream: the same audio again gives the same frames.
    (*chunked)->reset();
    std::vector<int32_t> again(expect.size());
    EXPECT_EQ((*chunked)->push_fixed(audio, again), n);
    EXPECT_EQ(again, expect);
  }
}

TEST(FixedPointMfcc, TooSmallOutputConsumesNothing) {
  auto m = FixedPointMfcc::create(MfccConfig{});
  ASSERT_TRUE(m.ok());
  std::vector<int16_t> audio(1000, 100);
  std::vector<float> out(13);  // room for one frame, 4 are due
  EXPECT_EQ((*m)->push(audio, out), 0u);
  EXPECT_EQ((*m)->max_frames_for(audio.size()), 4u);
}

TEST(MfccConfig, RejectsAbsurdValues) {
  const auto bad = [](auto edit) {
    MfccConfig c;
    edit(c);
    auto fixed = FixedPointMfcc::create(c);
    auto ref = FloatMfccReference::create(c);
    EXPECT_FALSE(fixed.ok());
    EXPECT_FALSE(ref.ok());
    if (!fixed.ok()) {
      EXPECT_EQ(fixed.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(fixed.status().message().find("mfcc config"), std::string::npos);
    }
  };
  bad([](MfccConfig& c) { c.fft_size = 500; });
  bad([](MfccConfig& c) { c.fft_size = 1 << 20; });
  bad([](MfccConfig& c) { c.frame_length = 600; });
  bad([](MfccConfig& c) { c.hop_length = 0; });
  bad([](MfccConfig& c) { c.hop_length = 401; });
  bad([](MfccConfig& c) { c.mel_bins = 0; });
  bad([](MfccConfig& c) { c.cepstra = 41; });
  bad([](MfccConfig& c) { c.pre_emphasis = 1.5; });
  bad([](MfccConfig& c) { c.pre_emphasis = std::nan(""); });
  bad([](MfccConfig& c) { c.lifter = -1; });
  bad([](MfccConfig& c) { c.low_hz = 9000; });
  bad([](MfccConfig& c) { c.high_hz = 10; });
  bad([](MfccConfig& c) { c.sample_rate = 0; });
  // 120 mel bins over a 256-point FFT: the lowest filters fall between FFT bins.
  bad([](MfccConfig& c) {
    c.fft_size = 256;
    c.frame_length = 256;
    c.mel_bins = 120;
  });
  EXPECT_TRUE(FixedPointMfcc::create(MfccConfig{}).ok());
}

}  // namespace
}  // namespace earshot::features::mfcc
