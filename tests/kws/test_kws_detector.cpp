// KwsDetector: keywords sharing one frontend behave as if each ran alone, block sizes do not
// matter, the refractory time spaces detections, and bad configurations are refused clearly.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "kws/kws_detector.hpp"

namespace earshot::kws {
namespace {

bool have_models() {
  return std::filesystem::exists(std::string(EARSHOT_CACHE_DIR) + "/models/kws-alexa.esm");
}

#define SKIP_WITHOUT_MODELS() \
  if (!have_models()) GTEST_SKIP() << "no converted kws models (run scripts/setup.sh)"

std::vector<int16_t> speech() {
  std::vector<int16_t> all;
  for (const char* name : {"goforward.raw", "numbers.raw", "something.raw"}) {
    const std::string path = std::string(EARSHOT_SPEECH_DIR) + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) continue;
    int16_t buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 2, 4096, f)) > 0) all.insert(all.end(), buf, buf + n);
    std::fclose(f);
  }
  return all;
}

struct Record {
  std::vector<std::vector<uint8_t>> steps = std::vector<std::vector<uint8_t>>(4);
  std::vector<KwsDetection> detections;
};

KwsDetectionSink sink_for(Record& r) {
  KwsDetectionSink s;
  s.user = &r;
  s.on_detection = [](void* u, const KwsDetection& d) {
    static_cast<Record*>(u)->detections.push_back(d);
  };
  s.on_inference = [](void* u, int k, uint64_t, uint8_t out) {
    static_cast<Record*>(u)->steps[k].push_back(out);
  };
  return s;
}

TEST(KwsDetector, KeywordsSharingTheFrontendMatchEachAlone) {
  SKIP_WITHOUT_MODELS();
  const auto audio = speech();
  ASSERT_GT(audio.size(), 16000u) << "pocketsphinx-testdata missing";
  KwsConfig all;
  all.keywords = {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"};
  auto det = KwsDetector::create(all);
  ASSERT_TRUE(det.ok()) << det.status().message();
  Record together;
  (*det)->process(audio, sink_for(together));
  // One frame per 10 ms once the first 30 ms window is full; one inference per 3 frames.
  EXPECT_EQ(together.steps[0].size(), ((audio.size() - 480) / 160 + 1) / 3);
  for (int k = 0; k < 4; ++k) {
    KwsConfig one;
    one.keywords = {all.keywords[k]};
    auto d1 = KwsDetector::create(one);
    ASSERT_TRUE(d1.ok());
    Record alone;
    (*d1)->process(audio, sink_for(alone));
    EXPECT_EQ(alone.steps[0], together.steps[k]) << all.keywords[k];
  }
}

TEST(KwsDetector, BlockSizeDoesNotChangeAnything) {
  SKIP_WITHOUT_MODELS();
  const auto audio = speech();
  KwsConfig c;
  c.keywords = {"hey_jarvis", "alexa"};
  auto whole = KwsDetector::create(c);
  auto pieces = KwsDetector::create(c);
  ASSERT_TRUE(whole.ok() && pieces.ok());
  Record a, b;
  (*whole)->process(audio, sink_for(a));
  std::mt19937 rng(5);
  for (std::size_t pos = 0; pos < audio.size();) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % 3000, audio.size() - pos);
    (*pieces)->process(std::span<const int16_t>(audio.data() + pos, n), sink_for(b));
    pos += n;
  }
  EXPECT_EQ(a.steps, b.steps);
  // And reset() starts over as if new.
  (*whole)->reset();
  Record again;
  (*whole)->process(audio, sink_for(again));
  EXPECT_EQ(a.steps, again.steps);
}

TEST(KwsDetector, RefractoryTimeSpacesDetections) {
  SKIP_WITHOUT_MODELS();
  const auto audio = speech();
  KwsConfig c;
  c.keywords = {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"};
  c.threshold = 1e-6f;  // fires whenever the window mean is above 0
  c.refractory_s = 0.0;
  auto eager = KwsDetector::create(c);
  c.refractory_s = 2.0;
  auto calm = KwsDetector::create(c);
  ASSERT_TRUE(eager.ok() && calm.ok());
  Record e, q;
  (*eager)->process(audio, sink_for(e));
  (*calm)->process(audio, sink_for(q));
  ASSERT_GT(e.detections.size(), 0u) << "no model output above 0 on speech: nothing tested";
  EXPECT_LT(q.detections.size(), e.detections.size());
  for (std::size_t i = 1; i < q.detections.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (q.detections[j].keyword == q.detections[i].keyword) {
        EXPECT_GE(q.detections[i].time_s - q.detections[j].time_s, 2.0);
      }
    }
  }
  for (const auto& d : q.detections) {
    EXPECT_GT(d.score, 1e-6f);
    EXPECT_EQ(d.end_sample % 160, 0u);
  }
}

TEST(KwsDetector, RefusesBadConfigurationsClearly) {
  KwsConfig c;
  c.keywords = {"hey_siri"};
  if (have_models()) {
    auto d = KwsDetector::create(c);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
    EXPECT_NE(d.status().message().find("hey_siri"), std::string::npos);
  }
  c.keywords = {};
  EXPECT_FALSE(c.validate().ok());
  c.keywords = {"alexa", "alexa"};
  EXPECT_FALSE(c.validate().ok());
  c.keywords = {"../vad"};
  EXPECT_FALSE(c.validate().ok());
  c.keywords = {"alexa"};
  c.threshold = 1.5f;
  EXPECT_FALSE(c.validate().ok());
  c.threshold = 0.5f;
  c.refractory_s = -1.0;
  EXPECT_FALSE(c.validate().ok());
  c.refractory_s = 1.0;
  EXPECT_TRUE(c.validate().ok());
}

}  // namespace
}  // namespace earshot::kws
