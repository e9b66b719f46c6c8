// The pipeline on spoken commands: the wake word wakes it, the command after it (with or
// without a pause) becomes the final and the intent, in every chunking and on its own thread
// alike; silence and noise leave it idle; a stream cut mid-command or with no command ends in
// a final or a timeout, never a hang.
#include <algorithm>
#include <chrono>
#include <random>

#include "pipeline_test_util.hpp"

namespace earshot::pipeline::test {
namespace {

class PipelineSpeech : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  }
  std::unique_ptr<Pipeline> make(PipelineConfig c = test_config()) {
    auto p = Pipeline::create(c);
    EXPECT_TRUE(p.ok()) << p.status().message();
    return p.ok() ? std::move(p).value() : nullptr;
  }
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// `gated`: the pipeline starts idle; ungated it listens from the start and after each command.
void expect_kitchen_light_off(const std::vector<Event>& ev, bool gated = true) {
  const auto wakes = of_type(ev, EventType::kWake);
  ASSERT_EQ(wakes.size(), 1u) << describe(ev);
  EXPECT_EQ(wakes[0]->keyword, kKeyword);
  const auto finals = of_type(ev, EventType::kFinal);
  ASSERT_EQ(finals.size(), 1u) << describe(ev);
  const std::string text = lower(finals[0]->text);
  // The first word is kept, the wake word is not in the command.
  EXPECT_EQ(text.rfind("turn off", 0), 0u) << text;
  EXPECT_EQ(text.find("alexa"), std::string::npos) << text;
  EXPECT_GT(finals[0]->start_sample, wakes[0]->sample - 16000);
  const auto intents = of_type(ev, EventType::kIntent);
  ASSERT_EQ(intents.size(), 1u) << describe(ev);
  EXPECT_EQ(intents[0]->intent, "HassTurnOff");
  ASSERT_FALSE(intents[0]->slots.empty());
  bool named = false;
  for (const auto& s : intents[0]->slots) {
    if (s.name == "name" && s.value == "kitchen light") named = true;
  }
  EXPECT_TRUE(named) << describe(ev);
  EXPECT_GT(intents[0]->latency_ns, 0);
  // State path and the end state.
  std::vector<State> states;
  for (const auto* e : of_type(ev, EventType::kState)) states.push_back(e->state);
  const std::vector<State> want = {State::kListening, State::kCapturing, State::kUnderstanding,
                                   State::kIdle};
  EXPECT_TRUE(std::search(states.begin(), states.end(), want.begin() + (gated ? 0 : 1),
                          want.end()) != states.end())
      << describe(ev);
  EXPECT_EQ(states.back(), State::kIdle);  // the end of input ends listening too
  EXPECT_TRUE(of_type(ev, EventType::kError).empty()) << describe(ev);
  // Stream times never go backwards.
  for (size_t i = 1; i < ev.size(); ++i) EXPECT_GE(ev[i].sample, ev[i - 1].sample) << describe(ev);
}

TEST_F(PipelineSpeech, CommandRightAfterTheWakeWordKeepsItsFirstWord) {
  auto p = make();
  ASSERT_TRUE(p);
  expect_kitchen_light_off(run_stepped(*p, speech("no_pause.wav")));
}

TEST_F(PipelineSpeech, CommandAfterAPause) {
  auto p = make();
  ASSERT_TRUE(p);
  expect_kitchen_light_off(run_stepped(*p, speech("pause.wav")));
}

TEST_F(PipelineSpeech, AnyChunkingGivesTheSameEvents) {
  const auto audio = speech("pause.wav");
  auto p = make();
  ASSERT_TRUE(p);
  const auto base = run_stepped(*p, audio);
  std::mt19937 rng(7);
  std::vector<Event> got;
  ASSERT_TRUE(p->reset().ok());
  ASSERT_TRUE(p->set_event_callback([&](const Event& e) { got.push_back(e); }).ok());
  for (size_t i = 0; i < audio.size();) {
    const size_t n = std::min<size_t>(1 + rng() % 999, audio.size() - i);
    ASSERT_EQ(p->push(std::span<const int16_t>(audio.data() + i, n)), PushResult::kOk);
    if (rng() % 3 == 0) {
      ASSERT_TRUE(p->step().ok());
    }
    i += n;
  }
  ASSERT_TRUE(p->finish().ok());
  ASSERT_EQ(got.size(), base.size()) << describe(base) << "---\n" << describe(got);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(event_to_json(got[i]).substr(0, 40), event_to_json(base[i]).substr(0, 40));
    EXPECT_EQ(got[i].type, base[i].type);
    EXPECT_EQ(got[i].sample, base[i].sample);
    EXPECT_EQ(got[i].text, base[i].text);
    EXPECT_EQ(got[i].intent, base[i].intent);
  }
}

TEST_F(PipelineSpeech, OwnThreadGivesTheSameCommand) {
  const auto audio = speech("no_pause.wav");
  auto c = test_config();
  c.ring_ms = 10000;  // the file is pushed at once, faster than real time
  auto p = make(c);
  ASSERT_TRUE(p);
  std::vector<Event> got;
  ASSERT_TRUE(p->set_event_callback([&](const Event& e) { got.push_back(e); }).ok());
  ASSERT_TRUE(p->start().ok());
  EXPECT_EQ(p->start().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(p->step().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(p->reset().code(), StatusCode::kFailedPrecondition);
  for (size_t i = 0; i < audio.size(); i += 160) {
    const size_t n = std::min<size_t>(160, audio.size() - i);
    // The ring holds 10 s: the whole file fits, nothing may be dropped.
    ASSERT_EQ(p->push(std::span<const int16_t>(audio.data() + i, n)), PushResult::kOk);
  }
  ASSERT_TRUE(p->finish().ok());
  expect_kitchen_light_off(got);
  EXPECT_EQ(p->push(std::span<const int16_t>(audio.data(), 160)), PushResult::kClosed);
}

TEST_F(PipelineSpeech, RealTimeReplayLikeAMicrophoneGivesTheSameCommand) {
  // The live path: a capture thread feeding a lock-free ring at real-time pace, read in
  // 10 ms blocks (the replay source shares RingBufferSource with ALSA and PortAudio).
  auto p = make();
  ASSERT_TRUE(p);
  std::vector<Event> ev;
  ASSERT_TRUE(p->set_event_callback([&](const Event& e) { ev.push_back(e); }).ok());
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(
      p->run_source(std::string(EARSHOT_PIPELINE_SPEECH_DIR) + "/no_pause.wav", true, nullptr).ok());
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(took, 4.0);  // it really was paced: the file is 5.2 s long
  expect_kitchen_light_off(ev);
  EXPECT_EQ(p->stats().overrun_samples, 0u);
}

TEST_F(PipelineSpeech, MicrophonesThatDoNotExistAreErrors) {
  auto p = make();
  ASSERT_TRUE(p);
  for (const char* dev : {"alsa:earshot_no_such_pcm", "pa:9999", "pa:no such device"}) {
    ASSERT_TRUE(p->reset().ok());
    const Status s = p->run_source(dev, false, nullptr);
    EXPECT_FALSE(s.ok()) << dev;
    EXPECT_FALSE(s.message().empty()) << dev;
  }
}

TEST_F(PipelineSpeech, SilenceAndNoiseStayIdle) {
  auto p = make();
  ASSERT_TRUE(p);
  std::vector<int16_t> quiet(16000 * 20, 0);
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 30.0f);  // about -60 dBFS room noise
  for (size_t i = quiet.size() / 2; i < quiet.size(); ++i) {
    quiet[i] = static_cast<int16_t>(std::lround(noise(rng)));
  }
  const auto ev = run_stepped(*p, quiet);
  EXPECT_TRUE(of_type(ev, EventType::kWake).empty()) << describe(ev);
  EXPECT_TRUE(of_type(ev, EventType::kState).empty()) << describe(ev);
  const auto s = p->stats();
  EXPECT_EQ(s.samples, quiet.size());
  EXPECT_EQ(s.state_samples[static_cast<size_t>(State::kIdle)], quiet.size());
  // Only tier 0 ran.
  for (const auto& st : s.stages) {
    if (st.tier != runtime::PowerTier::kTier0) {
      EXPECT_EQ(st.counters.calls, 0u) << st.name;
    }
  }
}

TEST_F(PipelineSpeech, WakeWordWithoutACommandTimesOut) {
  auto p = make();
  ASSERT_TRUE(p);
  const auto ev = run_stepped(*p, speech("wake_only.wav"));
  ASSERT_EQ(of_type(ev, EventType::kWake).size(), 1u) << describe(ev);
  const auto t = of_type(ev, EventType::kTimeout);
  ASSERT_EQ(t.size(), 1u) << describe(ev);
  EXPECT_EQ(t[0]->reason, "no_speech");
  EXPECT_NEAR(static_cast<double>(t[0]->sample - of_type(ev, EventType::kWake)[0]->sample),
              4.0 * 16000, 0.1 * 16000);
  EXPECT_TRUE(of_type(ev, EventType::kIntent).empty());
  EXPECT_EQ(p->state(), State::kIdle);
}

TEST_F(PipelineSpeech, StreamCutMidCommandEndsTheCommand) {
  auto p = make();
  ASSERT_TRUE(p);
  const auto ev = run_stepped(*p, speech("cut.wav"));
  ASSERT_EQ(of_type(ev, EventType::kWake).size(), 1u) << describe(ev);
  const auto finals = of_type(ev, EventType::kFinal);
  ASSERT_EQ(finals.size(), 1u) << describe(ev);
  EXPECT_EQ(lower(finals[0]->text).rfind("turn off", 0), 0u) << finals[0]->text;
  EXPECT_EQ(of_type(ev, EventType::kIntent).size(), 1u);
  EXPECT_EQ(p->state(), State::kIdle);
}

TEST_F(PipelineSpeech, UngatedFindsTheSameWakeWord) {
  auto c = test_config();
  c.gate = false;
  auto p = make(c);
  ASSERT_TRUE(p);
  const auto ev = run_stepped(*p, speech("pause.wav"));
  expect_kitchen_light_off(ev, false);
  // Idle only for the moment between the command and listening again.
  EXPECT_LT(p->stats().state_samples[static_cast<size_t>(State::kIdle)], 320u);
}

TEST_F(PipelineSpeech, FollowUpTakesASecondCommandWithoutTheWakeWord) {
  auto c = test_config();
  c.follow_up_ms = 3000;
  auto p = make(c);
  ASSERT_TRUE(p);
  // The command, then the same command again without the wake word.
  auto audio = speech("pause.wav");
  const auto again = speech("command_only.wav");
  audio.insert(audio.end(), again.begin(), again.end());
  const auto ev = run_stepped(*p, audio);
  EXPECT_EQ(of_type(ev, EventType::kWake).size(), 1u) << describe(ev);
  const auto intents = of_type(ev, EventType::kIntent);
  ASSERT_EQ(intents.size(), 2u) << describe(ev);
  EXPECT_EQ(intents[1]->intent, "HassTurnOff");
  bool follow_up = false;
  for (const auto* e : of_type(ev, EventType::kState)) follow_up |= e->state == State::kFollowUp;
  EXPECT_TRUE(follow_up);
}

}  // namespace
}  // namespace earshot::pipeline::test
