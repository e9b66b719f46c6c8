// Whisper tiny.en on real speech: f32 greedy tokens equal faster-whisper's (CTranslate2,
// float32, beam 1, temperature 0) on goforward.raw; int8 gives the same text; silence none; bad
// input (another stage's model, empty audio, bad config) is refused with an error.
#include "asr/transcriber.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace earshot::asr {
namespace {

std::string model_path(const char* variant) {
  return std::string(EARSHOT_CACHE_DIR) + "/models/whisper-tiny.en." + variant + ".esm";
}

std::vector<int16_t> read_raw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(f)), {});
  std::vector<int16_t> s(b.size() / 2);
  std::memcpy(s.data(), b.data(), s.size() * 2);
  return s;
}

std::unique_ptr<Transcriber> make(const char* variant, TranscriberConfig cfg = {}) {
  auto m = model::Model::open(model_path(variant), {.verify_hash = false, .expected_stage = ""});
  EXPECT_TRUE(m.ok()) << m.status().message();
  if (!m.ok()) return nullptr;
  auto t = Transcriber::create(cfg, std::make_shared<model::Model>(std::move(m).value()));
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? std::move(t).value() : nullptr;
}

class TranscriberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(model_path("f32")) ||
        !std::filesystem::exists(model_path("int8"))) {
      GTEST_SKIP() << "converted Whisper models missing: run setup.sh";
    }
    audio_ = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
    ASSERT_GT(audio_.size(), 16000u);
  }
  std::vector<int16_t> audio_;
};

// faster-whisper 1.2.1 / ctranslate2 4.8.5, compute_type float32, beam_size 1, temperature 0.
const std::vector<int> kFasterWhisperTokens = {50363, 1514, 2651, 838, 10700, 13, 50463};

TEST_F(TranscriberTest, F32GreedyMatchesFasterWhisperTokens) {
  auto t = make("f32");
  ASSERT_TRUE(t);
  auto r = t->transcribe(audio_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->segments.size(), 1u);
  EXPECT_EQ(r->text, "Go forward 10 meters.");
  EXPECT_NEAR(r->segments[0].start, 0.0, 1e-9);
  EXPECT_NEAR(r->segments[0].end, 2.0, 1e-9);
  EXPECT_EQ(r->segments[0].tokens, kFasterWhisperTokens);
  EXPECT_LT(r->segments[0].no_speech_prob, 0.1f);
  ASSERT_EQ(r->segments[0].words.size(), 4u);
  EXPECT_EQ(r->segments[0].words[1].word, " forward");
}

TEST_F(TranscriberTest, Int8GivesTheSameText) {
  auto t = make("int8");
  ASSERT_TRUE(t);
  auto r = t->transcribe(audio_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "Go forward 10 meters.");
}

TEST_F(TranscriberTest, SilenceGivesNoText) {
  auto t = make("int8");
  ASSERT_TRUE(t);
  std::vector<int16_t> silence(16000 * 5, 0);
  auto r = t->transcribe(silence);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "");
}

TEST_F(TranscriberTest, BadInputIsRefused) {
  auto t = make("int8");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->transcribe(std::vector<int16_t>{}).ok());
  EXPECT_FALSE(t->transcribe(std::vector<int16_t>(100, 0)).ok());
  TranscriberConfig bad;
  bad.beam_size = 0;
  EXPECT_FALSE(bad.validate().ok());
  bad = {};
  bad.temperatures.clear();
  EXPECT_FALSE(bad.validate().ok());
  const std::string vad = std::string(EARSHOT_CACHE_DIR) + "/models/silero-vad-v6.int8.esm";
  if (std::filesystem::exists(vad)) {
    auto m = model::Model::open(vad, {.verify_hash = false, .expected_stage = ""});
    ASSERT_TRUE(m.ok());
    auto other = Transcriber::create({}, std::make_shared<model::Model>(std::move(m).value()));
    ASSERT_FALSE(other.ok());
    EXPECT_NE(other.status().message().find("not a Whisper"), std::string::npos);
  }
}

}  // namespace
}  // namespace earshot::asr
