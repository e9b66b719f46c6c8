// Streaming Whisper (int8 tiny.en, Silero VAD int8) on real speech fed in odd-sized chunks:
// confirmed text only grows, the final is close to the offline Transcriber's text, partials
// never loop, trailing silence ends an utterance by itself, silence and noise give no text,
// and misuse (bad config, push after finish, a full buffer) is an error Status.
#include "asr/streaming_transcriber.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "asr/streaming_hypothesis.hpp"
#include "asr_test_util.hpp"
#include "audio/audio_file.hpp"
#include "vad/vad_factory.hpp"

namespace earshot::asr {
namespace {

std::string model_path() {
  return test::cached_model("whisper-tiny.en.int8.esm");
}
std::string vad_path() {
  return test::cached_model("silero-vad-v6.int8.esm");
}
using test::read_raw;

std::vector<std::string> norm_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) {
    std::string n;
    for (char c : w) {
      if (std::isalnum(static_cast<unsigned char>(c))) n += static_cast<char>(std::tolower(c));
    }
    if (!n.empty()) out.push_back(n);
  }
  return out;
}

double wer(const std::string& ref, const std::string& hyp) {
  const auto r = norm_words(ref), h = norm_words(hyp);
  std::vector<size_t> d(h.size() + 1);
  for (size_t j = 0; j <= h.size(); ++j) d[j] = j;
  for (size_t i = 1; i <= r.size(); ++i) {
    size_t diag = d[0];
    d[0] = i;
    for (size_t j = 1; j <= h.size(); ++j) {
      const size_t up = d[j];
      d[j] = std::min({d[j] + 1, d[j - 1] + 1, diag + (r[i - 1] == h[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return r.empty() ? (h.empty() ? 0.0 : 1.0) : static_cast<double>(d[h.size()]) / r.size();
}

struct StreamRun {
  std::vector<StreamEvent> events;
  int finals_before_finish = 0;
};

class StreamingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(model_path()) || !std::filesystem::exists(vad_path())) return;
    auto m = model::Model::open(model_path(), {.verify_hash = false, .expected_stage = "asr"});
    ASSERT_TRUE(m.ok()) << m.status().message();
    model_ = std::make_shared<model::Model>(std::move(m).value());
    TranscriberConfig tc;
    tc.timestamps = false;
    auto t = Transcriber::create(tc, model_);
    ASSERT_TRUE(t.ok()) << t.status().message();
    shared_ = std::move(t).value();
  }
  static void TearDownTestSuite() {
    shared_.reset();
    model_.reset();
  }
  void SetUp() override {
    if (!shared_) GTEST_SKIP() << "converted Whisper / Silero models missing: run setup.sh";
  }

  static std::unique_ptr<StreamingTranscriber> make(StreamingConfig c = {}, bool with_vad = true) {
    std::unique_ptr<vad::VadEngine> v;
    if (with_vad) {
      auto e =
          vad::make_vad_engine({.engine = "neural", .precision = "int8", .model_path = vad_path()});
      EXPECT_TRUE(e.ok()) << e.status().message();
      if (!e.ok()) return nullptr;
      v = std::move(e).value();
    }
    auto s = StreamingTranscriber::create(c, shared_, std::move(v));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Pushes `audio` in chunks cycling through `chunks`, stepping after every push; then
  // finish() (when asked) and steps until the stream is drained.
  static StreamRun feed(StreamingTranscriber& s, const std::vector<int16_t>& audio,
                        const std::vector<size_t>& chunks, bool finish = true) {
    StreamRun run;
    auto drain = [&] {
      for (;;) {
        auto e = s.step();
        EXPECT_TRUE(e.ok()) << e.status().message();
        if (!e.ok() || !e->has_value()) return;
        run.events.push_back(**e);
      }
    };
    size_t pos = 0, k = 0;
    while (pos < audio.size()) {
      const size_t n = std::min(chunks[k++ % chunks.size()], audio.size() - pos);
      const Status st = s.push(std::span<const int16_t>(audio.data() + pos, n));
      EXPECT_TRUE(st.ok()) << st.message();
      pos += n;
      drain();
    }
    for (const auto& e : run.events)
      run.finals_before_finish += e.type == StreamEvent::Type::kFinal;
    if (finish) {
      EXPECT_TRUE(s.finish().ok());
      drain();
      EXPECT_TRUE(s.is_finished());
    }
    return run;
  }

  static std::string offline_text(const std::vector<int16_t>& audio) {
    auto m = model::Model::open(model_path(), {.verify_hash = false, .expected_stage = "asr"});
    EXPECT_TRUE(m.ok());
    auto t = Transcriber::create({}, std::make_shared<model::Model>(std::move(m).value()));
    EXPECT_TRUE(t.ok());
    auto r = (*t)->transcribe(audio);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->text : "";
  }

  static void expect_well_formed(const StreamRun& run) {
    std::string confirmed;
    int utterance = 0;
    for (const auto& e : run.events) {
      if (e.utterance != utterance) {
        utterance = e.utterance;
        confirmed.clear();
      }
      // (a) confirmed text only grows and is a prefix of the text it came with.
      EXPECT_EQ(e.confirmed.compare(0, confirmed.size(), confirmed), 0)
          << "confirmed changed: '" << confirmed << "' -> '" << e.confirmed << "'";
      EXPECT_EQ(e.text.compare(0, e.confirmed.size(), e.confirmed), 0) << e.text;
      confirmed = e.confirmed;
      // (c) no loops.
      EXPECT_LT(max_ngram_run(norm_words(e.text)), 3) << e.text;
      EXPECT_LE(e.start, e.end);
      if (e.type == StreamEvent::Type::kFinal) {
        confirmed.clear();
        ++utterance;
      }
    }
  }

  static inline std::shared_ptr<model::Model> model_;
  static inline std::shared_ptr<Transcriber> shared_;
};

TEST_F(StreamingTest, GoForwardPartialsGrowAndFinalMatchesOffline) {
  const auto audio = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  ASSERT_GT(audio.size(), 16000u);
  auto s = make();
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, audio, {137, 1013, 4099, 31});
  expect_well_formed(run);
  ASSERT_FALSE(run.events.empty());
  EXPECT_GE(run.events.size(), 2u) << "expected partials before the final";
  const StreamEvent& last = run.events.back();
  ASSERT_EQ(last.type, StreamEvent::Type::kFinal);
  EXPECT_EQ(norm_words(last.text), norm_words("Go forward 10 meters.")) << last.text;
  EXPECT_EQ(std::count_if(run.events.begin(), run.events.end(),
                          [](const StreamEvent& e) { return e.type == StreamEvent::Type::kFinal; }),
            1);

  // The chunking does not matter: decodes happen at the same audio positions.
  auto s2 = make();
  ASSERT_TRUE(s2);
  const StreamRun run2 = feed(*s2, audio, {16000});
  ASSERT_FALSE(run2.events.empty());
  EXPECT_EQ(run2.events.back().text, last.text);
}

TEST_F(StreamingTest, LibrivoxFinalCloseToOfflineAndPartialsNeverLoop) {
  auto audio = audio::read_mono16k(std::string(EARSHOT_SPEECH_DIR) +
                                   "/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  auto s = make();
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, *audio, {1601, 555, 2999});
  expect_well_formed(run);
  std::string final_text;
  for (const auto& e : run.events) {
    if (e.type == StreamEvent::Type::kFinal) final_text += (final_text.empty() ? "" : " ") + e.text;
  }
  const std::string offline = offline_text(*audio);
  ASSERT_FALSE(offline.empty());
  EXPECT_LE(wer(offline, final_text), 0.15) << "offline: " << offline << "\nstream: " << final_text;
  size_t partials = 0;
  for (const auto& e : run.events) partials += e.type == StreamEvent::Type::kPartial;
  EXPECT_GE(partials, 4u);
}

TEST_F(StreamingTest, FreshFinalsAreOfflineDecodesThatNeverRepeat) {
  // fresh_final: each utterance's final is decoded afresh, with timestamp rules, from its own
  // audio. On the librivox clip the finals together stay as close to the offline transcript
  // as the continued ones, and no final holds the same phrase twice in a row.
  auto audio = audio::read_mono16k(std::string(EARSHOT_SPEECH_DIR) +
                                   "/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  StreamingConfig c;
  c.fresh_final = true;
  auto s = make(c);
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, *audio, {1601, 555, 2999});
  // (Not expect_well_formed: a fresh final need not extend the confirmed partial text.)
  std::string final_text;
  int finals = 0;
  for (const auto& e : run.events) {
    if (e.type != StreamEvent::Type::kFinal) continue;
    ++finals;
    final_text += (final_text.empty() ? "" : " ") + e.text;
    // No run of 3+ words said twice back to back.
    const std::vector<std::string> w = norm_words(e.text);
    for (size_t n = 3; 2 * n <= w.size(); ++n) {
      for (size_t i = 0; i + 2 * n <= w.size(); ++i) {
        EXPECT_FALSE(std::equal(w.begin() + i, w.begin() + i + n, w.begin() + i + n)) << e.text;
      }
    }
  }
  EXPECT_GE(finals, 1);
  const std::string offline = offline_text(*audio);
  EXPECT_LE(wer(offline, final_text), 0.15) << "offline: " << offline << "\nstream: " << final_text;
  // goforward's single utterance: the fresh final is the offline text.
  const auto go = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  auto s2 = make(c);
  ASSERT_TRUE(s2);
  const StreamRun run2 = feed(*s2, go, {16000});
  ASSERT_FALSE(run2.events.empty());
  EXPECT_EQ(norm_words(run2.events.back().text), norm_words("Go forward 10 meters."));
}

TEST_F(StreamingTest, TrailingSilenceEndsTheUtteranceWithoutFinish) {
  auto audio = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  audio.resize(audio.size() + 24000, 0);  // 1.5 s of silence
  auto s = make();
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, audio, {480}, /*finish=*/false);
  EXPECT_EQ(run.finals_before_finish, 1);
  ASSERT_FALSE(run.events.empty());
  EXPECT_EQ(run.events.back().type, StreamEvent::Type::kFinal);
  EXPECT_EQ(norm_words(run.events.back().text), norm_words("Go forward 10 meters."));
  // The final was the decode made at the pause: no decode after the speech ended.
  EXPECT_EQ(s->finals_precomputed(), 1);
  // The stream goes on: the next utterance is numbered 1.
  const StreamRun more = feed(*s, audio, {999});
  ASSERT_FALSE(more.events.empty());
  EXPECT_EQ(more.events.back().utterance, 1);
  EXPECT_EQ(more.events.back().type, StreamEvent::Type::kFinal);
}

// Cuts the silence after the last sample louder than about -40 dBFS.
std::vector<int16_t> trim_tail(std::vector<int16_t> a) {
  while (!a.empty() && std::abs(a.back()) < 330) a.pop_back();
  return a;
}

TEST_F(StreamingTest, PauseShorterThanTheEndpointStaysInTheUtterance) {
  auto audio = trim_tail(read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw"));
  audio.resize(audio.size() + 4800, 0);  // 0.3 s
  auto second = audio::read_mono16k(std::string(EARSHOT_SPEECH_DIR) +
                                    "/librivox/sense_and_sensibility_01_austen_64kb-0880.wav");
  ASSERT_TRUE(second.ok());
  audio.insert(audio.end(), second->begin(), second->end());
  audio.resize(audio.size() + 32000, 0);  // 2 s: the endpoint
  // The gap is 0.3 s of zeros plus the silence around the words in the recordings (about
  // 0.5 s in all, VAD frames included).
  StreamingConfig c;
  c.endpoint_silence_s = 1.0f;
  auto s = make(c);
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, audio, {2500}, /*finish=*/false);
  expect_well_formed(run);
  ASSERT_EQ(run.finals_before_finish, 1);
  const auto words = norm_words(run.events.back().text);
  EXPECT_NE(std::find(words.begin(), words.end(), "forward"), words.end())
      << run.events.back().text;
  EXPECT_NE(std::find(words.begin(), words.end(), "young"), words.end()) << run.events.back().text;
}

// Without a VAD and with a 10 s window limit, 25 s of speech is committed twice on the way;
// the committed text stays and the whole is close to the offline text.
TEST_F(StreamingTest, LongSpeechCommitsWindows) {
  std::vector<int16_t> audio;
  for (const char* id : {"0870", "0880", "0890", "0920", "0930"}) {
    auto a = audio::read_mono16k(std::string(EARSHOT_SPEECH_DIR) +
                                 "/librivox/sense_and_sensibility_01_austen_64kb-" + id + ".wav");
    ASSERT_TRUE(a.ok()) << a.status().message();
    audio.insert(audio.end(), a->begin(), a->end());
  }
  StreamingConfig c;
  c.max_window_s = 10.0f;
  c.step_s = 2.0f;
  auto s = make(c, /*with_vad=*/false);
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, audio, {4000});
  expect_well_formed(run);
  ASSERT_FALSE(run.events.empty());
  const StreamEvent& last = run.events.back();
  ASSERT_EQ(last.type, StreamEvent::Type::kFinal);
  const std::string offline = offline_text(audio);
  EXPECT_LE(wer(offline, last.text), 0.2) << "offline: " << offline << "\nstream: " << last.text;
  // Partials late in the stream already hold the text of the first window.
  size_t late_confirmed = 0;
  for (const auto& e : run.events) {
    if (e.end > 15.0) late_confirmed = std::max(late_confirmed, norm_words(e.confirmed).size());
  }
  EXPECT_GE(late_confirmed, 15u);
}

TEST_F(StreamingTest, SilenceAndNoiseGiveNothing) {
  std::vector<int16_t> silence(16000 * 3, 0);
  std::vector<int16_t> noise(16000 * 3);
  std::mt19937 rng(7);
  std::normal_distribution<float> g(0.0f, 300.0f);  // about -40 dBFS white noise
  for (auto& v : noise) v = static_cast<int16_t>(std::clamp(g(rng), -32768.0f, 32767.0f));
  for (const auto* clip : {&silence, &noise}) {
    auto s = make();
    ASSERT_TRUE(s);
    const StreamRun run = feed(*s, *clip, {777});
    EXPECT_TRUE(run.events.empty()) << run.events.front().text;
    EXPECT_EQ(s->decodes(), 0);
  }
}

TEST_F(StreamingTest, WithoutVadTheStreamIsOneUtteranceEndedByFinish) {
  const auto audio = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  auto s = make({}, /*with_vad=*/false);
  ASSERT_TRUE(s);
  const StreamRun run = feed(*s, audio, {2048});
  expect_well_formed(run);
  EXPECT_EQ(run.finals_before_finish, 0);
  ASSERT_FALSE(run.events.empty());
  EXPECT_EQ(norm_words(run.events.back().text), norm_words("Go forward 10 meters."));
}

// The intended use: a capture thread pushes 10 ms blocks while another thread steps.
TEST_F(StreamingTest, ProducerAndConsumerThreads) {
  const auto audio = read_raw(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw");
  StreamingConfig c;
  c.ring_s = 1.0f;  // small: the producer meets a full buffer and waits
  c.catch_up_s = 0.5f;
  auto s = make(c);
  ASSERT_TRUE(s);
  std::thread producer([&] {
    for (size_t pos = 0; pos < audio.size();) {
      const size_t n = std::min<size_t>(160, audio.size() - pos);
      const Status st = s->push(std::span<const int16_t>(audio.data() + pos, n));
      if (st.code() == StatusCode::kResourceExhausted) {
        std::this_thread::yield();
        continue;
      }
      if (!st.ok()) {
        ADD_FAILURE() << st.message();
        break;
      }
      pos += n;
    }
    EXPECT_TRUE(s->finish().ok());  // always: the consumer loop ends on it
  });
  std::vector<StreamEvent> events;
  while (!s->is_finished()) {
    auto e = s->step();
    ASSERT_TRUE(e.ok()) << e.status().message();
    if (e->has_value()) {
      events.push_back(**e);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  producer.join();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, StreamEvent::Type::kFinal);
  EXPECT_EQ(norm_words(events.back().text), norm_words("Go forward 10 meters."));
}

TEST_F(StreamingTest, MisuseIsAnErrorStatus) {
  StreamingConfig bad;
  bad.step_s = 0.0f;
  EXPECT_FALSE(StreamingTranscriber::create(bad, shared_).ok());
  bad = {};
  bad.pause_silence_s = 2.0f;  // longer than the endpoint silence
  EXPECT_FALSE(StreamingTranscriber::create(bad, shared_).ok());
  bad = {};
  bad.max_window_s = 40.0f;
  EXPECT_FALSE(StreamingTranscriber::create(bad, shared_).ok());
  EXPECT_FALSE(StreamingTranscriber::create({}, std::shared_ptr<Transcriber>()).ok());
  EXPECT_FALSE(StreamingTranscriber::create({}, std::shared_ptr<model::Model>()).ok());
  // A transcriber that decodes timestamps cannot take a prefix after the start token.
  auto ts = Transcriber::create({}, model_);
  ASSERT_TRUE(ts.ok());
  const auto r =
      StreamingTranscriber::create({}, std::shared_ptr<Transcriber>(std::move(ts).value()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("timestamps"), std::string::npos);

  StreamingConfig small;
  small.ring_s = 1.0f;
  small.catch_up_s = 0.5f;
  auto s = make(small);
  ASSERT_TRUE(s);
  std::vector<int16_t> two_s(32000, 0);
  const Status full = s->push(two_s);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(s->push(std::span<const int16_t>(two_s.data(), 8000)).ok());
  EXPECT_TRUE(s->finish().ok());
  EXPECT_FALSE(s->finish().ok());
  EXPECT_EQ(s->push(std::span<const int16_t>(two_s.data(), 10)).code(),
            StatusCode::kInvalidArgument);
  auto e = s->step();
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->has_value());
  EXPECT_TRUE(s->is_finished());
  // step() after the end does nothing; reset() opens a new stream.
  e = s->step();
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->has_value());
  s->reset();
  EXPECT_FALSE(s->is_finished());
  EXPECT_TRUE(s->push(std::span<const int16_t>(two_s.data(), 10)).ok());
  EXPECT_TRUE(s->push({}).ok());
}

// The loop guards on token sequences built from the model's own vocabulary.
TEST_F(StreamingTest, LoopGuardsCutRepeats) {
  const WhisperTokenizer& tok = shared_->tokenizer();
  auto id = [&](std::string_view word) {
    for (int t = 0; t < tok.special().eot; ++t) {
      if (tok.bytes(t) == word) return t;
    }
    ADD_FAILURE() << "no token for '" << word << "'";
    return 0;
  };
  const int turn = id(" turn"), on = id(" on"), the = id(" the"), light = id(" light");
  const int dot = id(".");
  const std::vector<int> confirmed = {turn, on, the, light};
  // A tail that starts the confirmed text over (partials reject it).
  EXPECT_TRUE(repeats_confirmed_end(tok, confirmed, std::vector<int>{on, the, light, dot}));
  EXPECT_TRUE(
      repeats_confirmed_end(tok, std::vector<int>{the, light}, std::vector<int>{the, light, on}));
  EXPECT_FALSE(repeats_confirmed_end(tok, confirmed, std::vector<int>{the, light, on}));
  EXPECT_FALSE(repeats_confirmed_end(tok, std::vector<int>{light}, std::vector<int>{light}));
  // A word said three times in a row keeps two copies.
  EXPECT_EQ(loop_free_prefix(tok, {}, std::vector<int>{light, light, light, light}), 2u);
  // A bigram repeated: "the light the light the light" keeps two copies.
  EXPECT_EQ(loop_free_prefix(tok, {}, std::vector<int>{the, light, the, light, the, light}), 4u);
  // A normal continuation is kept whole.
  EXPECT_EQ(loop_free_prefix(tok, confirmed, std::vector<int>{on, dot}), 2u);

  // LocalAgreement-2: the common words except the newest one.
  const std::vector<int> a = {turn, on, the};
  const std::vector<int> b = {turn, on, the, light, dot};
  EXPECT_EQ(agreed_prefix_tokens(tok, a, b), 2u);  // "the" ends the older decode
  EXPECT_EQ(agreed_prefix_tokens(tok, b, b), 3u);  // "light." is the newest word
  EXPECT_EQ(agreed_prefix_tokens(tok, std::vector<int>{on}, b), 0u);
  EXPECT_EQ(word_prefix_tokens(tok, std::vector<int>{turn, on, dot, the}, 2), 2u);
  EXPECT_TRUE(starts_upper(tok, std::vector<int>{id(" Turn"), on}));
  EXPECT_FALSE(starts_upper(tok, std::vector<int>{turn, on}));
  // Case and punctuation aside; punctuation ending the last agreed word stays tentative.
  const std::vector<int> c = {id(" Turn"), on, the, light, dot, id(" please")};
  const std::vector<int> d = {turn, on, the, light, id(" now")};
  EXPECT_EQ(agreed_prefix_tokens(tok, c, d), 4u);
  EXPECT_EQ(agreed_prefix_tokens(tok, std::vector<int>{turn, on, dot, the},
                                 std::vector<int>{turn, on, dot, the, light}),
            2u);
}

}  // namespace
}  // namespace earshot::asr
