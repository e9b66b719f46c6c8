// Whisper log-mel: the filterbank against librosa's published properties, the offline
// function's shape and clamp, the streaming form frame-for-frame against the offline one,
// and errors. (Parity with a NumPy implementation of Whisper's algorithm is
// test_whisper_mel_parity.py.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "features/whisper/slaney_mel.hpp"
#include "features/whisper/streaming_whisper_mel.hpp"
#include "features/whisper/whisper_log_mel.hpp"
#include "speech_files.hpp"

namespace earshot::features::whisper {
namespace {

TEST(SlaneyMel, ScaleAndFilterbankShape) {
  EXPECT_NEAR(slaney_hz_to_mel(1000.0), 15.0, 1e-12);
  EXPECT_NEAR(slaney_hz_to_mel(200.0), 3.0, 1e-12);
  EXPECT_NEAR(slaney_mel_to_hz(slaney_hz_to_mel(5123.0)), 5123.0, 1e-9);
  const auto w = slaney_mel_filterbank(16000, 400, 80);
  ASSERT_EQ(w.size(), 80u * 201u);
  // Slaney normalisation: each triangle has area 1 in Hz (sum of weights * bin width ~ 1)
  // where it spans several bins; every filter is non-empty and peaks below its 2/width.
  for (int m = 0; m < 80; ++m) {
    double sum = 0.0;
    int nonzero = 0;
    for (int k = 0; k < 201; ++k) {
      sum += w[m * 201 + k];
      nonzero += w[m * 201 + k] > 0.0;
    }
    EXPECT_GT(nonzero, 0) << "filter " << m;
    if (m >= 40) {
      EXPECT_NEAR(sum * 40.0, 1.0, 0.1) << "filter " << m;  // 40 Hz per bin
    }
  }
}

TEST(WhisperLogMel, ShapeRangeAndClamp) {
  const auto audio = test::load_speech(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  auto mel = whisper_log_mel(audio);
  ASSERT_TRUE(mel.ok()) << mel.status().to_string();
  ASSERT_EQ(mel->size(), audio.size() / 160 * 80);
  const auto [lo, hi] = std::minmax_element(mel->begin(), mel->end());
  EXPECT_NEAR(*hi - *lo, 2.0, 1e-5);  // the clamp keeps 8 decades, /4 -> 2
  EXPECT_GT(*hi, 0.5);
  EXPECT_LT(*hi, 2.5);
}

TEST(WhisperLogMel, RejectsClipsTooShortToPad) {
  std::vector<int16_t> tiny(200, 5);
  auto mel = whisper_log_mel(tiny);
  ASSERT_FALSE(mel.ok());
  EXPECT_EQ(mel.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(whisper_log_mel(std::vector<int16_t>(201, 5)).ok());
}

std::vector<float> run_streaming(StreamingWhisperMel& s, const std::vector<int16_t>& audio,
                                 unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> size(0, 900);
  std::vector<float> got, out;
  for (std::size_t pos = 0; pos < audio.size();) {
    const std::size_t len = std::min(size(rng), audio.size() - pos);
    out.resize(s.max_frames_for(len) * kMelBins);
    const std::size_t k = s.push({audio.data() + pos, len}, out);
    got.insert(got.end(), out.begin(), out.begin() + k * kMelBins);
    pos += len;
  }
  out.resize(s.max_flush_frames() * kMelBins);
  const std::size_t k = s.flush(out);
  got.insert(got.end(), out.begin(), out.begin() + k * kMelBins);
  return got;
}

TEST(StreamingWhisperMel, EqualsOfflineFramesBitExact) {
  StreamingWhisperMel s;
  ASSERT_TRUE(s.ok());
  for (const auto& path : test::speech_files()) {
    const auto audio = test::load_speech(path);
    ASSERT_FALSE(audio.empty()) << path;
    auto offline = whisper_log10_mel(audio);
    ASSERT_TRUE(offline.ok());
    EXPECT_EQ(run_streaming(s, audio, 5), offline.value()) << path;
  }
  // Lengths around the padding and hop boundaries, including the first valid one.
  const auto speech = test::load_speech(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  for (std::size_t n : {201u, 319u, 320u, 360u, 361u, 399u, 400u, 401u, 559u, 560u, 1234u}) {
    std::vector<int16_t> clip(speech.begin() + 8000, speech.begin() + 8000 + n);
    auto offline = whisper_log10_mel(clip);
    ASSERT_TRUE(offline.ok());
    EXPECT_EQ(run_streaming(s, clip, static_cast<unsigned>(n)), offline.value()) << n;
  }
  // Too short to pad: nothing, and the stream is reset for the next clip.
  EXPECT_TRUE(run_streaming(s, std::vector<int16_t>(150, 1), 1).empty());
}

}  // namespace
}  // namespace earshot::features::whisper
