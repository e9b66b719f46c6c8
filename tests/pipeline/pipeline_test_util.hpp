// Shared by the pipeline tests: a pipeline on the cached models, the synthesised command
// recordings (make_commands.sh), and runs that collect every event.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "audio/audio_file.hpp"
#include "pipeline/pipeline.hpp"

namespace earshot::pipeline::test {

inline std::string models_dir() { return std::string(EARSHOT_CACHE_DIR) + "/models"; }

// The wake word the recordings say, and its model.
inline constexpr const char* kKeyword = "alexa";

inline bool models_present() {
  for (const char* f : {"kws-alexa.esm", "silero-vad-v6.int8.esm", "whisper-tiny.en.int8.esm",
                        "nlu-int8.esm"}) {
    if (!std::filesystem::exists(models_dir() + "/" + f)) return false;
  }
  return true;
}

inline PipelineConfig test_config() {
  PipelineConfig c;
  c.models_dir = models_dir();
  c.keywords = {kKeyword};
  c.verify_models = false;  // verified once by `earshot model verify` in setup's checks
  return c;
}

inline std::vector<int16_t> speech(const std::string& name) {
  auto s = audio::read_mono16k(std::string(EARSHOT_PIPELINE_SPEECH_DIR) + "/" + name);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? std::move(s).value() : std::vector<int16_t>{};
}

// Pushes `audio` in chunks of `chunk` samples, stepping after each, then finishes.
inline std::vector<Event> run_stepped(Pipeline& p, const std::vector<int16_t>& audio,
                                      size_t chunk = 160) {
  std::vector<Event> events;
  EXPECT_TRUE(p.set_event_callback([&](const Event& e) { events.push_back(e); }).ok());
  for (size_t i = 0; i < audio.size(); i += chunk) {
    const size_t n = std::min(chunk, audio.size() - i);
    EXPECT_EQ(p.push(std::span<const int16_t>(audio.data() + i, n)), PushResult::kOk);
    EXPECT_TRUE(p.step().ok());
  }
  EXPECT_TRUE(p.finish().ok());
  return events;
}

inline std::vector<const Event*> of_type(const std::vector<Event>& ev, EventType t) {
  std::vector<const Event*> out;
  for (const auto& e : ev) {
    if (e.type == t) out.push_back(&e);
  }
  return out;
}

inline std::string describe(const std::vector<Event>& ev);

}  // namespace earshot::pipeline::test

#include "pipeline/event_json.hpp"

inline std::string earshot::pipeline::test::describe(const std::vector<Event>& ev) {
  std::string s;
  for (const auto& e : ev) s += event_to_json(e) + "\n";
  return s;
}
