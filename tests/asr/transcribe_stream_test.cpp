// Long recordings pulled in chunks (bounded memory): a recording within one chunk gives
// exactly transcribe()'s result; one spanning several chunks keeps every phrase, in order,
// with its times; a failing source and bad parameters are errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "asr/transcriber.hpp"
#include "audio/audio_file.hpp"

namespace earshot::asr {
namespace {

std::string model_path() {
  return std::string(EARSHOT_CACHE_DIR) + "/models/whisper-tiny.en.int8.esm";
}

Transcriber::AudioPull pull_from(const std::vector<int16_t>& audio, size_t* pos) {
  return [&audio, pos](int16_t* out, size_t max) -> Result<size_t> {
    const size_t n = std::min(max, audio.size() - *pos);
    std::memcpy(out, audio.data() + *pos, n * sizeof(int16_t));
    *pos += n;
    return n;
  };
}

class TranscribeStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(model_path())) GTEST_SKIP() << "run setup.sh";
    auto m = model::Model::open(model_path(), {.verify_hash = false, .expected_stage = "asr"});
    ASSERT_TRUE(m.ok()) << m.status().message();
    auto t = Transcriber::create({}, std::make_shared<model::Model>(std::move(m).value()));
    ASSERT_TRUE(t.ok()) << t.status().message();
    t_ = std::move(t).value();
    const std::string dir = std::string(EARSHOT_SPEECH_DIR) + "/librivox/";
    for (const char* id : {"0870", "0880", "0890"}) {
      auto a = audio::read_mono16k(dir + "sense_and_sensibility_01_austen_64kb-" + id + ".wav");
      ASSERT_TRUE(a.ok()) << a.status().message();
      clips_.push_back(std::move(a).value());
    }
  }
  std::unique_ptr<Transcriber> t_;
  std::vector<std::vector<int16_t>> clips_;
};

TEST_F(TranscribeStreamTest, WithinOneChunkEqualsTranscribe) {
  const auto& audio = clips_[0];
  auto whole = t_->transcribe(audio);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  size_t pos = 0;
  auto streamed = t_->transcribe_stream(pull_from(audio, &pos), 0.0);
  ASSERT_TRUE(streamed.ok()) << streamed.status().message();
  EXPECT_EQ(streamed->text, whole->text);
  ASSERT_EQ(streamed->segments.size(), whole->segments.size());
  for (size_t i = 0; i < whole->segments.size(); ++i) {
    EXPECT_EQ(streamed->segments[i].tokens, whole->segments[i].tokens);
    EXPECT_DOUBLE_EQ(streamed->segments[i].start, whole->segments[i].start);
  }
  EXPECT_NEAR(streamed->duration, audio.size() / 16000.0, 0.01);
}

TEST_F(TranscribeStreamTest, ManyChunksKeepEveryPhraseInOrder) {
  // Three clips with 25 s pauses: about 2.5 minutes read as 60 s chunks.
  std::vector<int16_t> audio;
  std::vector<double> starts;
  for (const auto& c : clips_) {
    starts.push_back(audio.size() / 16000.0);
    audio.insert(audio.end(), c.begin(), c.end());
    audio.resize(audio.size() + 16000 * 25, 0);
  }
  size_t pos = 0;
  auto r = t_->transcribe_stream(pull_from(audio, &pos), audio.size() / 16000.0, {}, nullptr, 60);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Each clip's transcript on its own, found in order, with a segment over the clip.
  size_t at = 0;
  for (size_t i = 0; i < clips_.size(); ++i) {
    auto alone = t_->transcribe(clips_[i]);
    ASSERT_TRUE(alone.ok());
    const std::string first_words = alone->segments.at(0).text.substr(0, 20);
    const size_t found = r->text.find(first_words.substr(1), at);
    ASSERT_NE(found, std::string::npos) << "clip " << i << " (" << first_words << ") in\n"
                                        << r->text;
    at = found + 1;
    // Whisper starts a window's first segment at the window's start, not where speech does:
    // a segment overlapping the clip is what holds.
    const double end = starts[i] + clips_[i].size() / 16000.0;
    const bool has_segment =
        std::any_of(r->segments.begin(), r->segments.end(),
                    [&](const Segment& s) { return s.start < end && s.end > starts[i] + 0.5; });
    EXPECT_TRUE(has_segment) << "no segment over " << starts[i] << "-" << end << " s";
  }
  EXPECT_NEAR(r->duration, audio.size() / 16000.0, 0.01);
}

TEST_F(TranscribeStreamTest, SourceErrorsAndBadParametersAreReported) {
  auto failing = [](int16_t*, size_t) -> Result<size_t> { return IoError("disk vanished"); };
  auto r = t_->transcribe_stream(failing, 0.0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("disk vanished"), std::string::npos);
  size_t pos = 0;
  EXPECT_FALSE(t_->transcribe_stream(pull_from(clips_[0], &pos), 0.0, {}, nullptr, 10).ok());
  EXPECT_FALSE(t_->transcribe_stream(nullptr, 0.0).ok());
  std::vector<int16_t> empty;
  pos = 0;
  r = t_->transcribe_stream(pull_from(empty, &pos), 0.0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too short"), std::string::npos);
}

}  // namespace
}  // namespace earshot::asr
