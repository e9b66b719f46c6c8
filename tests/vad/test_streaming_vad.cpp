// StreamingVad with the fixed-point and Silero engines: the same probabilities and segments
// for any chunking, speech found in real recordings, sensible output on bad audio, and clear
// errors for files that are not a Silero model.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "vad/fixed_vad.hpp"
#include "vad/neural_vad.hpp"
#include "vad/streaming_vad.hpp"
#include "vad/vad_factory.hpp"

namespace earshot::vad {
namespace {

const std::string kModels = std::string(EARSHOT_CACHE_DIR) + "/models";

std::vector<int16_t> read_raw(const std::string& name) {
  std::ifstream f(std::string(EARSHOT_SPEECH_DIR) + "/" + name, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  std::vector<int16_t> s(bytes.size() / 2);
  std::memcpy(s.data(), bytes.data(), s.size() * 2);
  return s;
}

struct Recorder final : VadListener {
  std::vector<int32_t> probs;
  std::vector<SpeechSegment> segments;
  void on_frame(int64_t, int32_t p) override { probs.push_back(p); }
  void on_segment(const SpeechSegment& s) override { segments.push_back(s); }
};

std::unique_ptr<StreamingVad> make(const std::string& engine, const std::string& precision) {
  VadEngineOptions o;
  o.engine = engine;
  o.precision = precision;
  if (engine == "neural") o.model_path = kModels + "/silero-vad-v6." + precision + ".esm";
  auto e = make_vad_engine(o);
  EXPECT_TRUE(e.ok()) << e.status().to_string();
  if (!e.ok()) return nullptr;
  auto v = StreamingVad::create(std::move(e.value()), SegmenterConfig{});
  EXPECT_TRUE(v.ok());
  return v.ok() ? std::move(v.value()) : nullptr;
}

// Feeds `audio` in chunks drawn from `sizes` (cycled); one chunk of everything when empty.
Recorder feed(StreamingVad& v, const std::vector<int16_t>& audio, std::vector<size_t> sizes) {
  Recorder r;
  size_t pos = 0, i = 0;
  while (pos < audio.size()) {
    const size_t n =
        sizes.empty() ? audio.size() : std::min(sizes[i++ % sizes.size()], audio.size() - pos);
    EXPECT_TRUE(v.push(std::span<const int16_t>(audio.data() + pos, n), r).ok());
    pos += n;
  }
  EXPECT_TRUE(v.finish(r).ok());
  return r;
}

class EngineTest : public ::testing::TestWithParam<std::pair<const char*, const char*>> {
 protected:
  void SetUp() override {
    if (std::string(GetParam().first) == "neural" &&
        !std::filesystem::exists(kModels + "/silero-vad-v6.f32.esm")) {
      GTEST_SKIP() << "no converted Silero models in " << kModels;
    }
  }
};

TEST_P(EngineTest, SameOutputForAnyChunking) {
  auto v = make(GetParam().first, GetParam().second);
  ASSERT_TRUE(v);
  const auto audio = read_raw("goforward.raw");
  const Recorder whole = feed(*v, audio, {});
  std::mt19937 rng(7);
  std::vector<size_t> random_sizes;
  for (int i = 0; i < 64; ++i) random_sizes.push_back(1 + rng() % 1500);
  for (const auto& sizes :
       {std::vector<size_t>{1}, std::vector<size_t>{511, 3, 160}, random_sizes}) {
    const Recorder r = feed(*v, audio, sizes);  // finish() reset the VAD
    EXPECT_EQ(r.probs, whole.probs);
    ASSERT_EQ(r.segments.size(), whole.segments.size());
    for (size_t i = 0; i < r.segments.size(); ++i) {
      EXPECT_EQ(r.segments[i].start, whole.segments[i].start);
      EXPECT_EQ(r.segments[i].end, whole.segments[i].end);
    }
  }
}

TEST_P(EngineTest, FindsTheSpeechInARecording) {
  auto v = make(GetParam().first, GetParam().second);
  ASSERT_TRUE(v);
  // goforward.raw: "go forward ten meters", speech from about 0.5 s to 2.2 s of 2.8 s.
  const Recorder r = feed(*v, read_raw("goforward.raw"), {160});
  ASSERT_GE(r.segments.size(), 1u);
  EXPECT_LT(r.segments.front().start, 16000 * 0.8);
  EXPECT_GT(r.segments.back().end, 16000 * 1.9);
  EXPECT_GT(r.segments.front().start, 16000 * 0.2);
}

TEST_P(EngineTest, BadAudioGivesSensibleOutput) {
  auto v = make(GetParam().first, GetParam().second);
  ASSERT_TRUE(v);
  // Nothing at all, and digital silence: no segments.
  EXPECT_TRUE(feed(*v, {}, {}).segments.empty());
  EXPECT_TRUE(feed(*v, std::vector<int16_t>(16000 * 5, 0), {1000}).segments.empty());
  // A large DC offset alone is not speech.
  EXPECT_TRUE(feed(*v, std::vector<int16_t>(16000 * 5, 12000), {1000}).segments.empty());
  // Full-scale clipped speech and speech on a DC offset: no crash, segments inside the audio.
  auto speech = read_raw("goforward.raw");
  for (auto& s : speech) s = s > 300 ? 32767 : (s < -300 ? -32768 : s * 100);
  const Recorder clipped = feed(*v, speech, {777});
  for (const auto& s : clipped.segments) {
    EXPECT_LE(s.end, int64_t(speech.size()));
    EXPECT_LT(s.start, s.end);
  }
  for (const int32_t p : clipped.probs) EXPECT_TRUE(p >= 0 && p <= 32768);
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineTest,
                         ::testing::Values(std::pair{"fixed", ""}, std::pair{"neural", "f32"},
                                           std::pair{"neural", "int8"}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.first) +
                                  std::string(param_info.param.second);
                         });

TEST(FixedPointVad, StateIsAFewHundredBytes) {
  EXPECT_LE(FixedPointVad::state_bytes(), 512u);
}

TEST(FixedPointVad, ResetRepeatsTheSameProbabilities) {
  auto v = FixedPointVad::create();
  ASSERT_TRUE(v.ok());
  const auto audio = read_raw("numbers.raw");
  std::vector<int32_t> a, b;
  for (auto* out : {&a, &b}) {
    v.value()->reset();
    for (size_t i = 0; i + 160 <= audio.size(); i += 160) {
      int32_t p = 0;
      ASSERT_TRUE(v.value()->process_frame(audio.data() + i, &p).ok());
      out->push_back(p);
    }
  }
  EXPECT_EQ(a, b);
}

TEST(NeuralVad, RefusesFilesThatAreNotSileroModels) {
  const std::string dir = ::testing::TempDir();
  const std::string junk = dir + "/not_a_model.esm";
  std::ofstream(junk) << "definitely not a model";
  auto r = NeuralVad::open(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(junk), std::string::npos);
  EXPECT_FALSE(NeuralVad::open(dir + "/missing.esm").ok());
  const std::string kws = kModels + "/kws-okay_nabu.esm";
  if (std::filesystem::exists(kws)) {
    EXPECT_FALSE(NeuralVad::open(kws).ok());
  }
  VadEngineOptions o;
  o.engine = "loud";
  EXPECT_FALSE(make_vad_engine(o).ok());
}

}  // namespace
}  // namespace earshot::vad
