// SpeechSegmenter: hysteresis, minimum durations, padding, maximum length, and config checks.
#include <gtest/gtest.h>

#include <vector>

#include "vad/speech_segmenter.hpp"

namespace earshot::vad {
namespace {

constexpr int32_t kOn = 32000, kMid = 14000, kOff = 1000;  // above, between, below thresholds

std::vector<SpeechSegment> run(const SegmenterConfig& cfg, const std::vector<int32_t>& probs,
                               int frame = 160) {
  auto s = SpeechSegmenter::create(cfg, frame);
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  std::vector<SpeechSegment> out;
  for (int32_t p : probs) {
    if (auto seg = s->push(p)) out.push_back(*seg);
  }
  while (auto seg = s->flush(int64_t(probs.size()) * frame)) out.push_back(*seg);
  return out;
}

std::vector<int32_t> pattern(std::initializer_list<std::pair<int32_t, int>> runs) {
  std::vector<int32_t> v;
  for (auto [p, n] : runs) v.insert(v.end(), n, p);
  return v;
}

SegmenterConfig no_pad() {
  SegmenterConfig c;
  c.speech_pad_ms = 0;
  c.min_speech_ms = 100;
  c.min_silence_ms = 100;
  return c;
}

TEST(SpeechSegmenter, OneSegmentWithExactBounds) {
  const auto segs = run(no_pad(), pattern({{kOff, 50}, {kOn, 40}, {kOff, 50}}));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, 50 * 160);
  EXPECT_EQ(segs[0].end, 90 * 160);
}

TEST(SpeechSegmenter, HysteresisKeepsSpeechBetweenThresholds) {
  // 0.43 is below the start threshold 0.5 but above the end threshold 0.35.
  const auto segs = run(no_pad(), pattern({{kOff, 10}, {kOn, 20}, {kMid, 30}, {kOff, 30}}));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].end, 60 * 160);
  // Starting needs the start threshold.
  EXPECT_TRUE(run(no_pad(), pattern({{kMid, 100}})).empty());
}

TEST(SpeechSegmenter, ShortPausesAreBridgedLongOnesSplit) {
  const auto bridged = run(no_pad(), pattern({{kOn, 30}, {kOff, 5}, {kOn, 30}, {kOff, 20}}));
  ASSERT_EQ(bridged.size(), 1u);
  const auto split = run(no_pad(), pattern({{kOn, 30}, {kOff, 15}, {kOn, 30}, {kOff, 20}}));
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[1].start, 45 * 160);
}

TEST(SpeechSegmenter, DropsTooShortSpeech) {
  EXPECT_TRUE(run(no_pad(), pattern({{kOff, 10}, {kOn, 5}, {kOff, 30}})).empty());
}

TEST(SpeechSegmenter, PaddingMergesCloseSegmentsAndClampsAtEdges) {
  SegmenterConfig c = no_pad();
  c.speech_pad_ms = 100;  // 10 frames each side
  const auto segs = run(c, pattern({{kOn, 20}, {kOff, 15}, {kOn, 20}, {kOff, 5}}));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].start, 0);
  EXPECT_EQ(segs[0].end, 60 * 160);  // clamped at the end of the audio
}

TEST(SpeechSegmenter, MaximumLengthSplitsWithoutOverlap) {
  SegmenterConfig c = no_pad();
  c.max_speech_s = 1.0f;  // 100 frames
  const auto segs = run(c, pattern({{kOn, 250}, {kOff, 30}}));
  ASSERT_EQ(segs.size(), 3u);
  for (size_t i = 0; i < segs.size(); ++i) {
    EXPECT_LE(segs[i].end - segs[i].start, 100 * 160);
    if (i) {
      EXPECT_GE(segs[i].start, segs[i - 1].end);
    }
  }
  EXPECT_EQ(segs.back().end, 250 * 160);
}

TEST(SpeechSegmenter, SpeechToTheEndIsClosedByFlush) {
  const auto segs = run(no_pad(), pattern({{kOff, 10}, {kOn, 40}}));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].end, 50 * 160);
}

TEST(SpeechSegmenter, RejectsBadConfigs) {
  SegmenterConfig c;
  c.threshold = 1.5f;
  EXPECT_FALSE(SpeechSegmenter::create(c, 160).ok());
  c = SegmenterConfig{};
  c.end_threshold = 0.9f;  // above the start threshold
  EXPECT_FALSE(SpeechSegmenter::create(c, 160).ok());
  c = SegmenterConfig{};
  c.min_silence_ms = -1;
  EXPECT_FALSE(SpeechSegmenter::create(c, 160).ok());
  EXPECT_FALSE(SpeechSegmenter::create(SegmenterConfig{}, 0).ok());
}

}  // namespace
}  // namespace earshot::vad
