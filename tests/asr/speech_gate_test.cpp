// VAD gating of the transcriber: a minute of digital silence or of noise gives no text (without
// the gate Whisper writes "you" over silence); speech around a long gap keeps both phrases and
// the decoder skips the gap; the span arithmetic and bad spans.
#include "asr/speech_gate.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "asr/transcriber.hpp"
#include "asr_test_util.hpp"
#include "vad/vad_factory.hpp"

namespace earshot::asr {
namespace {

using test::cached_model;
using test::read_raw;

TEST(SpeechGate, SpanArithmetic) {
  auto g = SpeechGate::from_spans({{16000, 32000}, {160000, 176000}});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->next_speech_frame(0), 100);    // jumps to the first span
  EXPECT_EQ(g->next_speech_frame(150), 150);  // inside it: stays
  EXPECT_EQ(g->next_speech_frame(200), 1000);
  EXPECT_EQ(g->next_speech_frame(1100), -1);  // after the last span
  EXPECT_TRUE(g->overlaps(1.9, 2.5));
  EXPECT_FALSE(g->overlaps(2.1, 9.9));
  EXPECT_TRUE(g->overlaps(0.0, 100.0));
  EXPECT_EQ(g->speech_end_frame(100), 200);
  EXPECT_EQ(g->speech_end_frame(199), 200);
  EXPECT_EQ(g->speech_end_frame(200), -1);  // between spans
  EXPECT_EQ(g->speech_end_frame(1050), 1100);
  // A span starting inside a frame holds that frame (next_speech_frame rounds down to it).
  auto odd = SpeechGate::from_spans({{16050, 20000}});
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->next_speech_frame(0), 100);
  EXPECT_EQ(odd->speech_end_frame(100), 125);
  EXPECT_FALSE(SpeechGate::from_spans({{100, 50}}).ok());
  EXPECT_FALSE(SpeechGate::from_spans({{0, 100}, {50, 200}}).ok());
  EXPECT_FALSE(SpeechGate::from_spans({{-5, 100}}).ok());
}

class GatedTranscriberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(cached_model("whisper-tiny.en.int8.esm")) ||
        !std::filesystem::exists(cached_model("silero-vad-v6.int8.esm"))) {
      GTEST_SKIP() << "converted models missing: run setup.sh";
    }
    auto m = model::Model::open(cached_model("whisper-tiny.en.int8.esm"),
                                {.verify_hash = false, .expected_stage = "asr"});
    ASSERT_TRUE(m.ok()) << m.status().message();
    auto t = Transcriber::create({}, std::make_shared<model::Model>(std::move(m).value()));
    ASSERT_TRUE(t.ok()) << t.status().message();
    t_ = std::move(t).value();
    vad::VadEngineOptions o;
    o.model_path = cached_model("silero-vad-v6.int8.esm");
    auto v = vad::make_vad_engine(o);
    ASSERT_TRUE(v.ok()) << v.status().message();
    vad_ = std::move(v).value();
  }
  Result<Transcript> gated(const std::vector<int16_t>& audio) {
    auto g = SpeechGate::detect(*vad_, audio);
    if (!g.ok()) return g.status();
    return t_->transcribe(audio, {}, &*g);
  }
  std::unique_ptr<Transcriber> t_;
  std::unique_ptr<vad::VadEngine> vad_;
};

TEST_F(GatedTranscriberTest, MinuteOfSilenceOrNoiseGivesNoText) {
  std::vector<int16_t> silence(16000 * 60, 0);
  auto r = gated(silence);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "");
  EXPECT_TRUE(r->segments.empty());
  std::mt19937 rng(42);
  std::normal_distribution<float> white(0.0f, 3000.0f);
  std::vector<int16_t> noise(16000 * 60);
  float brown = 0.0f;
  for (size_t i = 0; i < noise.size(); ++i) {
    // Half white, half brown (integrated) noise: hiss and rumble.
    brown = 0.995f * brown + 0.1f * white(rng);
    const float v = i < noise.size() / 2 ? white(rng) : 8.0f * brown;
    noise[i] = static_cast<int16_t>(std::clamp(v, -32000.0f, 32000.0f));
  }
  r = gated(noise);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "");
}

TEST_F(GatedTranscriberTest, SpeechAroundALongGapKeepsBothPhrasesAndSkipsTheGap) {
  const auto phrase = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  ASSERT_GT(phrase.size(), 16000u);
  std::vector<int16_t> audio(phrase);
  audio.resize(audio.size() + 16000 * 45, 0);
  audio.insert(audio.end(), phrase.begin(), phrase.end());
  const uint64_t before = t_->counters().frames;
  auto r = gated(audio);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->segments.size(), 2u) << r->text;
  for (const auto& s : r->segments) EXPECT_NE(s.text.find("forward"), std::string::npos) << s.text;
  EXPECT_LT(r->segments[0].end, 10.0);
  EXPECT_GT(r->segments[1].start, 45.0);
  // Frames decoded: the first 30 s window and the second phrase, not the ~18 s of the gap
  // after that window (ungated, the whole 52 s or more).
  EXPECT_LT(t_->counters().frames - before, static_cast<uint64_t>(audio.size() / 160 - 1500));
}

// Phrases closer than a window: each window ends with its speech span, so each phrase is one
// segment at its own time, none stretched over the silence or decoded twice.
TEST_F(GatedTranscriberTest, PhrasesWithinOneWindowStayApart) {
  const auto phrase = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  ASSERT_GT(phrase.size(), 16000u);
  std::vector<int16_t> audio;
  std::vector<double> starts;
  for (int i = 0; i < 3; ++i) {
    starts.push_back(audio.size() / 16000.0);
    audio.insert(audio.end(), phrase.begin(), phrase.end());
    audio.resize(audio.size() + 16000 * 12, 0);
  }
  auto r = gated(audio);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->segments.size(), 3u) << r->text;
  const double len = phrase.size() / 16000.0;
  for (size_t i = 0; i < 3; ++i) {
    const Segment& s = r->segments[i];
    EXPECT_NE(s.text.find("forward"), std::string::npos) << s.text;
    EXPECT_GE(s.start, starts[i] - 0.5) << i;
    EXPECT_LE(s.end, starts[i] + len + 1.0) << i;
  }
}

}  // namespace
}  // namespace earshot::asr
