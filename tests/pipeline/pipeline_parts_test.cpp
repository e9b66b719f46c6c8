// The pipeline's small parts: the pre-roll ring, the wake-phrase trimming and the JSON line
// contract of the events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "pipeline/event_json.hpp"
#include "pipeline/preroll_buffer.hpp"
#include "pipeline/wake_phrase.hpp"

namespace earshot::pipeline {
namespace {

std::vector<int16_t> read_all(const PrerollBuffer& b, int64_t from, int64_t* first = nullptr) {
  std::vector<int16_t> out;
  bool got_first = false;
  b.read(from, [&](std::span<const int16_t> part, int64_t start) {
    if (!got_first && first) *first = start;
    got_first = true;
    out.insert(out.end(), part.begin(), part.end());
  });
  return out;
}

TEST(PrerollBuffer, KeepsTheNewestAudioInOrderAcrossTheWrap) {
  PrerollBuffer b(7);
  std::vector<int16_t> x(23);
  std::iota(x.begin(), x.end(), int16_t{0});
  // Odd chunk sizes, one larger than the buffer.
  b.write(std::span(x).first(3));
  b.write(std::span(x).subspan(3, 9));
  b.write(std::span(x).subspan(12, 2));
  b.write(std::span(x).subspan(14));
  EXPECT_EQ(b.end(), 23);
  EXPECT_EQ(b.begin(), 16);
  int64_t first = -1;
  EXPECT_EQ(read_all(b, 0, &first), (std::vector<int16_t>{16, 17, 18, 19, 20, 21, 22}));
  EXPECT_EQ(first, 16);
  EXPECT_EQ(read_all(b, 20), (std::vector<int16_t>{20, 21, 22}));
  EXPECT_TRUE(read_all(b, 23).empty());
  b.reset(100);
  EXPECT_TRUE(read_all(b, 0).empty());
  b.write(std::span(x).first(2));
  EXPECT_EQ(b.begin(), 100);
  EXPECT_EQ(read_all(b, 0), (std::vector<int16_t>{0, 1}));
}

TEST(WakePhrase, TakesOffALeadingSuffixOfThePhrase) {
  EXPECT_EQ(strip_wake_phrase("Jarvis, turn on the light.", "hey_jarvis"), "turn on the light.");
  EXPECT_EQ(strip_wake_phrase("Hey Jarvis. Turn on the light.", "hey_jarvis"),
            "Turn on the light.");
  EXPECT_EQ(strip_wake_phrase("Hey, Jarvis!", "hey_jarvis"), "");
  EXPECT_EQ(strip_wake_phrase("  jarvis", "hey_jarvis"), "");
  EXPECT_EQ(strip_wake_phrase("Okay Nabu, what time is it?", "okay_nabu"), "what time is it?");
}

TEST(WakePhrase, LeavesOtherTextAlone) {
  // "hey" alone is not a suffix of "hey jarvis"; a wake word inside the command stays.
  EXPECT_EQ(strip_wake_phrase("Hey, turn on the light.", "hey_jarvis"), "Hey, turn on the light.");
  EXPECT_EQ(strip_wake_phrase("Tell jarvis hello", "hey_jarvis"), "Tell jarvis hello");
  EXPECT_EQ(strip_wake_phrase("Jarvisville is far", "hey_jarvis"), "Jarvisville is far");
  EXPECT_EQ(strip_wake_phrase("", "hey_jarvis"), "");
  EXPECT_EQ(strip_wake_phrase("Alexa", ""), "Alexa");
}

TEST(EventJson, KeepsTheContract) {
  Event w;
  w.type = EventType::kWake;
  w.sample = 24000;
  w.keyword = "hey_jarvis";
  w.score = 0.97f;
  auto j = nlohmann::json::parse(event_to_json(w));
  EXPECT_EQ(j["type"], "wake");
  EXPECT_EQ(j["keyword"], "hey_jarvis");
  EXPECT_NEAR(j["score"].get<double>(), 0.97, 1e-4);
  EXPECT_NEAR(j["time"].get<double>(), 1.5, 1e-9);
  EXPECT_EQ(j["sample"], 24000);

  Event i;
  i.type = EventType::kIntent;
  i.text = "set the heat to 21";
  i.intent = "HassClimateSetTemperature";
  i.slots = {{"temperature", "21", true}, {"name", "heat", false}, {"odd", "x1", true}};
  j = nlohmann::json::parse(event_to_json(i));
  EXPECT_EQ(j["type"], "intent");
  EXPECT_EQ(j["intent"], "HassClimateSetTemperature");
  EXPECT_EQ(j["text"], "set the heat to 21");
  ASSERT_TRUE(j["slots"].is_object());
  EXPECT_EQ(j["slots"]["temperature"], 21);
  EXPECT_EQ(j["slots"]["name"], "heat");
  EXPECT_EQ(j["slots"]["odd"], "x1");  // not a number after all: kept as text

  Event f;
  f.type = EventType::kFinal;
  f.text = std::string("bad \xff utf8");
  j = nlohmann::json::parse(event_to_json(f));  // replaced, not thrown
  EXPECT_EQ(j["type"], "final");
  EXPECT_TRUE(j["text"].is_string());

  for (int t = 0; t <= static_cast<int>(EventType::kError); ++t) {
    Event e;
    e.type = static_cast<EventType>(t);
    j = nlohmann::json::parse(event_to_json(e));
    EXPECT_EQ(j["type"], event_type_name(e.type));
    EXPECT_TRUE(j.contains("time"));
    EXPECT_TRUE(j.contains("sample"));
  }
}

}  // namespace
}  // namespace earshot::pipeline
