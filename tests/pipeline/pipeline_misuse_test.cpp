// Misuse and bad input through the C++ pipeline: bad configs, missing or wrong models, calls
// out of order, a producer that outruns the consumer, events nobody drains.
#include <fstream>
#include <iterator>

#include "pipeline_test_util.hpp"

namespace earshot::pipeline::test {
namespace {

TEST(PipelineConfig, BadValuesAreRefusedByName) {
  auto bad = [](auto change, const char* field) {
    PipelineConfig c = test_config();
    change(c);
    const Status s = c.validate();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << field;
    EXPECT_NE(s.message().find(field), std::string::npos) << s.message();
  };
  bad([](PipelineConfig& c) { c.keywords.clear(); }, "wake word");
  bad([](PipelineConfig& c) { c.sensitivity = 1.5f; }, "sensitivity");
  bad([](PipelineConfig& c) { c.sensitivity = 0.0f; }, "sensitivity");
  bad([](PipelineConfig& c) { c.preroll_ms = -1; }, "preroll_ms");
  bad([](PipelineConfig& c) { c.max_command_ms = 10; }, "max_command_ms");
  bad([](PipelineConfig& c) { c.no_speech_timeout_ms = 1 << 30; }, "no_speech_timeout_ms");
  bad([](PipelineConfig& c) { c.ring_ms = 0; }, "ring_ms");
  bad([](PipelineConfig& c) { c.asr_model.clear(); }, "model name");
  bad([](PipelineConfig& c) { c.models.push_back({"x.esm", nullptr, 3}); }, "blob");
  EXPECT_TRUE(test_config().validate().ok());
}

TEST(PipelineCreate, MissingModelsAreNamed) {
  PipelineConfig c = test_config();
  c.models_dir = "/nonexistent/earshot-models";
  auto p = Pipeline::create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("alexa"), std::string::npos) << p.status().message();
  c.models_dir.clear();
  p = Pipeline::create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  c = test_config();
  c.keywords = {"../../etc/passwd"};
  EXPECT_FALSE(Pipeline::create(c).ok());
}

TEST(PipelineCreate, AModelOfTheWrongStageIsRefused) {
  if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  // The wake-word model handed over, from memory, as the ASR model.
  std::ifstream f(models_dir() + "/kws-alexa.esm", std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  ASSERT_FALSE(bytes.empty());
  PipelineConfig c = test_config();
  c.models.push_back({"whisper-tiny.en.int8.esm", bytes.data(), bytes.size()});
  auto p = Pipeline::create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("ASR"), std::string::npos) << p.status().message();
  // And a damaged copy of a real one.
  std::vector<char> damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x5a;
  c = test_config();
  c.verify_models = true;
  c.models.push_back({"kws-alexa.esm", damaged.data(), damaged.size()});
  p = Pipeline::create(c);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kCorruptData) << p.status().message();
}

class PipelineMisuse : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  }
};

TEST_F(PipelineMisuse, CallsOutOfOrderAreRefused) {
  auto p = Pipeline::create(test_config());
  ASSERT_TRUE(p.ok()) << p.status().message();
  Pipeline& pl = **p;
  std::vector<int16_t> a(1600, 0);
  EXPECT_EQ(pl.push(a), PushResult::kOk);
  EXPECT_EQ(pl.push({}), PushResult::kOk);
  ASSERT_TRUE(pl.finish().ok());
  EXPECT_EQ(pl.push(a), PushResult::kClosed);
  EXPECT_EQ(pl.finish().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pl.step().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pl.start().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pl.run_source("/nonexistent.wav", false, nullptr).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(pl.reset().ok());
  EXPECT_EQ(pl.push(a), PushResult::kOk);
  EXPECT_TRUE(pl.step().ok());
  EXPECT_EQ(pl.stats().samples, a.size());
  ASSERT_TRUE(pl.finish().ok());
}

TEST_F(PipelineMisuse, ABadSourceIsAnErrorNotACrash) {
  auto p = Pipeline::create(test_config());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_FALSE((*p)->run_source("/nonexistent/audio.wav", false, nullptr).ok());
  const std::string junk = std::string(EARSHOT_PIPELINE_SPEECH_DIR) + "/junk.wav";
  std::ofstream(junk) << "RIFF....WAVEfmt definitely not audio";
  ASSERT_TRUE((*p)->reset().ok());
  EXPECT_FALSE((*p)->run_source(junk, false, nullptr).ok());
  ASSERT_TRUE((*p)->reset().ok());
  EXPECT_FALSE((*p)->run_source("alsa:earshot_no_such_device", false, nullptr).ok());
}

TEST_F(PipelineMisuse, OverrunsAreCountedAndReported) {
  PipelineConfig c = test_config();
  c.ring_ms = 100;
  auto p = Pipeline::create(c);
  ASSERT_TRUE(p.ok()) << p.status().message();
  std::vector<Event> ev;
  ASSERT_TRUE((*p)->set_event_callback([&](const Event& e) { ev.push_back(e); }).ok());
  std::vector<int16_t> second(16000, 0);
  EXPECT_EQ((*p)->push(second), PushResult::kOverrun);
  ASSERT_TRUE((*p)->step().ok());
  const auto over = of_type(ev, EventType::kOverrun);
  ASSERT_EQ(over.size(), 1u);
  // 100 ms is 1600 samples; the ring rounds up to 2048, the rest was dropped.
  EXPECT_EQ(over[0]->count, second.size() - 2048);
  EXPECT_EQ((*p)->stats().overrun_samples, over[0]->count);
  ASSERT_TRUE((*p)->finish().ok());
}

TEST_F(PipelineMisuse, EventsNobodyDrainsAreBoundedAndCounted) {
  PipelineConfig c = test_config();
  c.max_queued_events = 16;
  c.gate = true;
  auto p = Pipeline::create(c);
  ASSERT_TRUE(p.ok()) << p.status().message();
  // Bursts of loud noise and silence: voice starts and ends, listening comes and goes.
  std::vector<int16_t> a;
  uint32_t x = 1;
  for (int burst = 0; burst < 30; ++burst) {
    for (int i = 0; i < 8000; ++i) {
      x = x * 1664525u + 1013904223u;
      a.push_back(static_cast<int16_t>(static_cast<int32_t>(x >> 16) - 32768) / 4);
    }
    a.insert(a.end(), 16000 * 3, 0);
  }
  for (size_t i = 0; i < a.size(); i += 1600) {
    (*p)->push(std::span<const int16_t>(a.data() + i, std::min<size_t>(1600, a.size() - i)));
    ASSERT_TRUE((*p)->step().ok());
  }
  ASSERT_TRUE((*p)->finish().ok());
  const auto s = (*p)->stats();
  EXPECT_GT(s.events_dropped, 0u);
  size_t polled = 0;
  while (auto e = (*p)->poll_event()) {
    ++polled;
    EXPECT_FALSE(event_to_json(*e).empty());
  }
  EXPECT_EQ(polled, 16u);
  EXPECT_FALSE((*p)->poll_event().has_value());
}

}  // namespace
}  // namespace earshot::pipeline::test
