// The C ABI as a host links it (libearshot.so): defaults, NULLs and misuse give status codes
// and messages, destroy clears the handle, and a spoken command comes out as events with the
// JSON contract; the C++ RAII layer over it does the same.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "earshot/earshot.h"
#include "earshot/pipeline.hpp"

namespace {

std::string models_dir() { return std::string(EARSHOT_CACHE_DIR) + "/models"; }
std::string speech(const char* name) {
  return std::string(EARSHOT_PIPELINE_SPEECH_DIR) + "/" + name;
}
bool models_present() {
  return std::filesystem::exists(models_dir() + "/whisper-tiny.en.int8.esm") &&
         std::filesystem::exists(models_dir() + "/kws-alexa.esm") &&
         std::filesystem::exists(models_dir() + "/nlu-int8.esm");
}

TEST(CApi, NullsAndBadConfigsAreStatusCodes) {
  EXPECT_EQ(earshot_pipeline_config_default(nullptr), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_STRNE(earshot_last_error(), "");
  earshot_pipeline_config c;
  ASSERT_EQ(earshot_pipeline_config_default(&c), EARSHOT_OK);
  EXPECT_EQ(earshot_pipeline_create(&c, nullptr), EARSHOT_E_INVALID_ARGUMENT);
  earshot_pipeline* p = reinterpret_cast<earshot_pipeline*>(0x1);
  EXPECT_EQ(earshot_pipeline_create(nullptr, &p), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(p, nullptr);
  c.sensitivity = 2.0f;
  EXPECT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(earshot_last_error()).find("sensitivity"), std::string::npos);
  earshot_pipeline_config_default(&c);
  c.keywords = nullptr;
  EXPECT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_E_INVALID_ARGUMENT);
  earshot_pipeline_config_default(&c);
  c.models_dir = "/nonexistent/models";
  EXPECT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_E_NOT_FOUND);
  EXPECT_EQ(p, nullptr);
  earshot_pipeline_config_default(&c);
  c.model_count = 2;
  EXPECT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_E_INVALID_ARGUMENT);

  // Every call on a NULL pipeline: a status, never a crash.
  int16_t pcm[160] = {};
  EXPECT_EQ(earshot_pipeline_push(nullptr, pcm, 160), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_step(nullptr), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_start(nullptr), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_finish(nullptr), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_reset(nullptr), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_run_source(nullptr, "x.wav", 0), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_set_event_callback(nullptr, nullptr, nullptr),
            EARSHOT_E_INVALID_ARGUMENT);
  earshot_event e;
  EXPECT_EQ(earshot_pipeline_poll_event(nullptr, &e), 0);
  earshot_pipeline_stats s;
  EXPECT_EQ(earshot_pipeline_get_stats(nullptr, &s), EARSHOT_E_INVALID_ARGUMENT);
  EXPECT_EQ(earshot_pipeline_state(nullptr), EARSHOT_STATE_IDLE);
  earshot_pipeline_stop(nullptr);
  earshot_pipeline_destroy(nullptr);
  earshot_pipeline* none = nullptr;
  earshot_pipeline_destroy(&none);
  EXPECT_STREQ(earshot_status_name(EARSHOT_E_OVERRUN), "overrun");
  EXPECT_STREQ(earshot_state_name(static_cast<earshot_state>(99)), "?");
  EXPECT_STREQ(earshot_event_type_name(EARSHOT_EVENT_INTENT), "intent");
  EXPECT_STRNE(earshot_version(), "");
}

struct Collected {
  std::vector<std::string> json;
  std::vector<std::string> intents;
  std::vector<std::string> slots;
};

void collect(const earshot_event* e, void* user) {
  auto* c = static_cast<Collected*>(user);
  ASSERT_NE(e->json, nullptr);
  ASSERT_NE(e->text, nullptr);
  c->json.push_back(e->json);
  if (e->type == EARSHOT_EVENT_INTENT) {
    c->intents.push_back(e->intent);
    for (size_t i = 0; i < e->slot_count; ++i) {
      c->slots.push_back(std::string(e->slots[i].name) + "=" + e->slots[i].value);
    }
  }
}

TEST(CApi, ASpokenCommandThroughRunSource) {
  if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  earshot_pipeline_config c;
  earshot_pipeline_config_default(&c);
  const std::string dir = models_dir();
  c.models_dir = dir.c_str();
  c.keywords = "hey_jarvis, alexa";
  earshot_pipeline* p = nullptr;
  ASSERT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_OK) << earshot_last_error();
  ASSERT_NE(p, nullptr);
  Collected got;
  ASSERT_EQ(earshot_pipeline_set_event_callback(p, collect, &got), EARSHOT_OK);
  ASSERT_EQ(earshot_pipeline_run_source(p, speech("no_pause.wav").c_str(), 0), EARSHOT_OK)
      << earshot_last_error();
  ASSERT_EQ(got.intents.size(), 1u);
  EXPECT_EQ(got.intents[0], "HassTurnOff");
  EXPECT_NE(std::find(got.slots.begin(), got.slots.end(), "name=kitchen light"), got.slots.end());
  for (const auto& j : got.json) EXPECT_EQ(j.rfind("{\"type\":", 0), 0u) << j;
  earshot_pipeline_stats s;
  ASSERT_EQ(earshot_pipeline_get_stats(p, &s), EARSHOT_OK);
  EXPECT_GT(s.samples, 16000u * 4);
  EXPECT_EQ(s.stage_count, 4u);
  EXPECT_STREQ(s.stages[0].engine, "q15");
  EXPECT_EQ(s.stages[0].tier, 0);
  EXPECT_GT(s.stages[2].cpu_ns, 0u);
  // Out of order after the source finished, then reset and go again.
  int16_t pcm[160] = {};
  EXPECT_EQ(earshot_pipeline_push(p, pcm, 160), EARSHOT_E_BAD_STATE);
  EXPECT_EQ(earshot_pipeline_finish(p), EARSHOT_E_BAD_STATE);
  EXPECT_EQ(earshot_pipeline_push(p, nullptr, 5), EARSHOT_E_INVALID_ARGUMENT);
  ASSERT_EQ(earshot_pipeline_reset(p), EARSHOT_OK);
  EXPECT_EQ(earshot_pipeline_run_source(p, "/nonexistent.wav", 0), EARSHOT_E_NOT_FOUND);
  EXPECT_NE(std::string(earshot_last_error()).find("nonexistent"), std::string::npos);
  earshot_pipeline_destroy(&p);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(earshot_pipeline_push(p, pcm, 160), EARSHOT_E_INVALID_ARGUMENT);
}

TEST(CApi, PollModeOnItsOwnThread) {
  if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  earshot_pipeline_config c;
  earshot_pipeline_config_default(&c);
  const std::string dir = models_dir();
  c.models_dir = dir.c_str();
  c.ring_ms = 20000;
  c.keywords = "alexa";
  earshot_pipeline* p = nullptr;
  ASSERT_EQ(earshot_pipeline_create(&c, &p), EARSHOT_OK) << earshot_last_error();
  ASSERT_EQ(earshot_pipeline_start(p), EARSHOT_OK);
  EXPECT_EQ(earshot_pipeline_start(p), EARSHOT_E_BAD_STATE);
  // Raw samples of the recording (16 kHz mono s16 WAV: skip the 44-byte header).
  std::FILE* f = std::fopen(speech("pause.wav").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::vector<int16_t> pcm(16000 * 20);
  std::fseek(f, 44, SEEK_SET);
  const size_t n = std::fread(pcm.data(), 2, pcm.size(), f);
  std::fclose(f);
  ASSERT_GT(n, 16000u);
  for (size_t i = 0; i < n; i += 480) {
    ASSERT_EQ(earshot_pipeline_push(p, pcm.data() + i, std::min<size_t>(480, n - i)), EARSHOT_OK);
  }
  ASSERT_EQ(earshot_pipeline_finish(p), EARSHOT_OK);
  std::vector<std::string> types;
  std::string intent;
  earshot_event e;
  while (earshot_pipeline_poll_event(p, &e)) {
    types.push_back(earshot_event_type_name(e.type));
    if (e.type == EARSHOT_EVENT_INTENT) intent = e.intent;
  }
  EXPECT_EQ(intent, "HassTurnOff");
  EXPECT_NE(std::find(types.begin(), types.end(), "wake"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "final"), types.end());
  earshot_pipeline_destroy(&p);
}

TEST(CppApi, RaiiLayerOverTheCAbi) {
  if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  earshot::PipelineConfig cfg;
  cfg.models_dir = "/nonexistent";
  auto bad = earshot::Pipeline::create(cfg);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, EARSHOT_E_NOT_FOUND);
  EXPECT_FALSE(bad.error().message.empty());
  cfg.models_dir = models_dir();
  cfg.keywords = "alexa";
  auto p = earshot::Pipeline::create(cfg);
  ASSERT_TRUE(p) << p.error().message;
  std::vector<earshot::Event> events;
  ASSERT_TRUE(p->on_event([&](const earshot::Event& e) { events.push_back(e); }));
  ASSERT_TRUE(p->run(speech("pause.wav")));
  bool found = false;
  for (const auto& e : events) {
    if (e.type == EARSHOT_EVENT_INTENT) {
      found = true;
      EXPECT_EQ(e.intent, "HassTurnOff");
      EXPECT_EQ(e.json.rfind("{\"type\":\"intent\"", 0), 0u);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(p->finish());  // run() finished already
  earshot::Pipeline moved = std::move(*p);
  EXPECT_TRUE(moved.reset());
}

}  // namespace
