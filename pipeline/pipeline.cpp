#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>

#include "asr/streaming_transcriber.hpp"
#include "kws/kws_detector.hpp"
#include "nlp/nlu.hpp"
#include "pipeline/model_source.hpp"
#include "pipeline/stages/command_asr_stage.hpp"
#include "pipeline/stages/intent_stage.hpp"
#include "pipeline/stages/voice_stage.hpp"
#include "pipeline/stages/wake_word_stage.hpp"
#include "pipeline/wake_phrase.hpp"
#include "vad/neural_vad.hpp"

namespace earshot::pipeline {
namespace {

constexpr int64_t kRate = 16000;
constexpr int64_t ms(int v) { return static_cast<int64_t>(v) * kRate / 1000; }
// Speech that ends this soon after the wake detection belongs to the wake word (the detection
// comes 0.05-0.3 s after the word's end; no command fits in the rest).
constexpr int kTailMarginMs = 150;

// `s` without surrounding blanks; empty when it has no letter or digit ("." or "...").
std::string trim(std::string s) {
  if (std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c >= 0x80; })) {
    return {};
  }
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

Pipeline::Pipeline(const PipelineConfig& c)
    : config_(c),
      ring_(static_cast<size_t>(ms(c.ring_ms))),
      preroll_(static_cast<size_t>(ms(std::max(c.preroll_ms, c.wake_backoff_ms + 1500)) + 160)) {}

Pipeline::~Pipeline() { stop(); }

Result<std::unique_ptr<Pipeline>> Pipeline::create(const PipelineConfig& config) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  try {
    std::unique_ptr<Pipeline> p(new Pipeline(config));
    EARSHOT_RETURN_IF_ERROR(p->build_stages());
    return p;
  } catch (const std::exception& e) {
    return ResourceExhausted(std::string("pipeline: ") + e.what());
  }
}

Status Pipeline::build_stages() {
  const PipelineConfig& c = config_;
  VoiceStageConfig vc;
  vc.threshold_q15 = static_cast<int32_t>(std::lround(c.voice_threshold * 32768.0f));
  vc.min_voice_frames = std::max(1, c.voice_min_ms / 10);
  vc.hangover_frames = std::max(1, c.voice_hangover_ms / 10);
  auto voice = VoiceStage::create(vc);
  if (!voice.ok()) return voice.status();
  voice_ = std::move(voice).value();

  kws::KwsConfig kc;
  kc.keywords = c.keywords;
  kc.threshold = c.sensitivity > 0.0f ? 1.0f - c.sensitivity : 0.0f;
  kc.refractory_s = c.refractory_ms / 1000.0;
  EARSHOT_RETURN_IF_ERROR(kc.validate());
  std::vector<model::Model> kws_models;
  for (const auto& k : c.keywords) {
    auto m = open_model(c, "kws-" + k + ".esm", "kws");
    if (!m.ok()) return Status(m.status().code(), "wake word '" + k + "': " + m.status().message());
    kws_models.push_back(std::move(m).value());
  }
  auto det = kws::KwsDetector::create(kc, std::move(kws_models));
  if (!det.ok()) return det.status();
  wake_ = std::make_unique<WakeWordStage>(std::move(det).value());

  auto vm = open_model(c, c.asr_vad_model, "vad");
  if (!vm.ok()) return Status(vm.status().code(), "command endpoint VAD: " + vm.status().message());
  auto vad = vad::NeuralVad::create(std::move(vm).value());
  if (!vad.ok()) return vad.status();
  auto am = open_model(c, c.asr_model, "asr");
  if (!am.ok()) return Status(am.status().code(), "ASR: " + am.status().message());
  asr::StreamingConfig sc;
  sc.threads = c.asr_threads;
  sc.step_s = static_cast<float>(c.partial_interval_ms) / 1000.0f;
  sc.endpoint_silence_s = static_cast<float>(c.endpoint_ms) / 1000.0f;
  sc.pause_silence_s = std::min(sc.pause_silence_s, sc.endpoint_silence_s * 0.5f);
  sc.fresh_final = true;
  sc.ring_s = 2.0f;
  auto st = asr::StreamingTranscriber::create(
      sc, std::make_shared<model::Model>(std::move(am).value()), std::move(vad).value());
  if (!st.ok()) return st.status();
  asr_ = std::make_unique<CommandAsrStage>(std::move(st).value());

  if (c.understand) {
    auto nm = open_model(c, c.nlu_model, "nlp");
    if (!nm.ok()) return Status(nm.status().code(), "NLU: " + nm.status().message());
    auto nlu = nlp::Nlu::create({}, std::move(nm).value());
    if (!nlu.ok()) return nlu.status();
    nlu_ = std::make_unique<IntentStage>(std::make_unique<nlp::Nlu>(std::move(nlu).value()));
  }
  for (auto* s : {&voice_sink_, &wake_sink_, &asr_sink_, &nlu_sink_}) s->events.reserve(64);
  if (!c.gate) transition(Trigger::kVoice, 0);
  return Status::Ok();
}

void Pipeline::deliver(Event&& e) {
  if (callback_) {
    try {
      callback_(e);
    } catch (...) {  // the host's exception must not unwind through the pipeline
    }
    return;
  }
  std::lock_guard<std::mutex> lock(queue_mutex_);
  if (queue_.size() >= config_.max_queued_events) {
    ++events_dropped_;
    return;
  }
  queue_.push_back(std::move(e));
}

void Pipeline::transition(Trigger t, int64_t sample) {
  const auto next = next_state(state_, t);
  if (!next || *next == state_) return;
  Event e;
  e.type = EventType::kState;
  e.sample = sample;
  e.previous = state_;
  e.state = *next;
  state_ = *next;
  state_atomic_.store(state_, std::memory_order_relaxed);
  ++transitions_;
  if (state_ == State::kIdle && e.previous != State::kListening) {
    asr_->reset();  // the recogniser ran: forget the command
    wake_keyword_.clear();
  }
  deliver(std::move(e));
}

void Pipeline::fail(const Status& s) {
  Event e;
  e.type = EventType::kError;
  e.sample = samples_;
  e.message = s.to_string();
  deliver(std::move(e));
  wake_->reset();
  asr_->reset();
  transition(Trigger::kError, samples_);
}

Status Pipeline::run_stage(Stage& s, PendingSink& sink, std::span<const int16_t> audio,
                           int64_t first_sample) {
  sink.events.clear();
  if (&s == asr_.get()) asr_call_start_ = std::chrono::steady_clock::now();
  EARSHOT_RETURN_IF_ERROR(s.push(audio, first_sample, sink));
  return handle(sink);
}

Status Pipeline::handle(PendingSink& sink) {
  // Handlers may run other stages (their own sinks), never this one again.
  for (size_t i = 0; i < sink.events.size(); ++i) {
    EARSHOT_RETURN_IF_ERROR(on_stage_event(sink.events[i]));
  }
  sink.events.clear();
  return Status::Ok();
}

Status Pipeline::on_stage_event(Event& e) {
  switch (e.type) {
    case EventType::kSpeechStart:
      voice_active_ = true;
      deliver(std::move(e));
      return Status::Ok();
    case EventType::kSpeechEnd:
      voice_active_ = false;
      last_voice_end_ = e.end_sample;
      deliver(std::move(e));
      return Status::Ok();
    case EventType::kWake: {
      if (state_ != State::kListening || e.sample < wake_allowed_from_) return Status::Ok();
      const int64_t at = e.sample;
      wake_keyword_ = e.keyword;
      wake_allowed_from_ = at + ms(config_.refractory_ms);
      deliver(std::move(e));
      transition(Trigger::kWake, at);
      return enter_capturing(at, at - ms(config_.wake_backoff_ms));
    }
    case EventType::kPartial: {
      if (state_ != State::kCapturing) return Status::Ok();
      e.text = trim(wake_keyword_.empty() ? e.text : strip_wake_phrase(e.text, wake_keyword_));
      if (e.text.empty()) return Status::Ok();
      command_text_seen_ = true;
      deliver(std::move(e));
      return Status::Ok();
    }
    case EventType::kFinal: return on_command_text(e);
    case EventType::kIntent: {
      e.latency_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - asr_call_start_)
                         .count();
      deliver(std::move(e));
      return Status::Ok();
    }
    default: deliver(std::move(e)); return Status::Ok();
  }
}

Status Pipeline::on_command_text(Event& e) {
  if (state_ != State::kCapturing && state_ != State::kFollowUp) return Status::Ok();
  // The recogniser starts a little before the wake detection (wake_backoff_ms) so that a
  // command said without a pause keeps its first word. An utterance whose speech ended by
  // then, or whose words are only the wake word's, is the wake word's tail: not a command;
  // keep capturing.
  if (!wake_keyword_.empty() && e.end_sample <= capture_start_ + ms(kTailMarginMs)) {
    return Status::Ok();
  }
  std::string text =
      trim(wake_keyword_.empty() ? e.text : strip_wake_phrase(e.text, wake_keyword_));
  if (text.empty()) return Status::Ok();
  command_text_seen_ = true;
  e.text = text;
  const int64_t at = e.sample;
  deliver(std::move(e));
  transition(Trigger::kFinal, at);
  if (nlu_) {
    nlu_sink_.events.clear();
    EARSHOT_RETURN_IF_ERROR(nlu_->push_text(text, at, nlu_sink_));
    EARSHOT_RETURN_IF_ERROR(handle(nlu_sink_));
  }
  if (config_.follow_up_ms > 0) {
    transition(Trigger::kDoneFollowUp, at);
    asr_->reset();
    wake_keyword_.clear();
    capture_start_ = samples_;
    command_text_seen_ = false;
    entered_this_block_ = true;  // the follow-up hears audio from the next block on
  } else {
    transition(Trigger::kDone, at);
  }
  return Status::Ok();
}

Status Pipeline::enter_listening() {
  wake_->reset();
  // The pre-roll, ending with the current block.
  const int64_t from = std::max(preroll_.begin(), preroll_.end() - std::max<int64_t>(
                                                                       ms(config_.preroll_ms), 160));
  Status st = Status::Ok();
  preroll_.read(from, [&](std::span<const int16_t> part, int64_t first) {
    if (st.ok() && state_ == State::kListening) st = run_stage(*wake_, wake_sink_, part, first);
  });
  entered_this_block_ = true;
  return st;
}

Status Pipeline::enter_capturing(int64_t wake_sample, int64_t from) {
  asr_->reset();
  capture_start_ = wake_sample;
  command_text_seen_ = false;
  entered_this_block_ = true;
  Status st = Status::Ok();
  preroll_.read(from, [&](std::span<const int16_t> part, int64_t first) {
    if (st.ok() && state_ == State::kCapturing) st = run_stage(*asr_, asr_sink_, part, first);
  });
  return st;
}

Status Pipeline::close_command(const char* reason, bool finish_asr) {
  // The length limit is news even when a command comes out of it; the other reasons are
  // said only when none does.
  const bool said_first = std::string_view(reason) == "max_command";
  const auto timeout = [&] {
    Event t;
    t.type = EventType::kTimeout;
    t.sample = samples_;
    t.reason = reason;
    deliver(std::move(t));
  };
  if (said_first) timeout();
  if (finish_asr) {
    asr_sink_.events.clear();
    asr_call_start_ = std::chrono::steady_clock::now();
    EARSHOT_RETURN_IF_ERROR(asr_->finish(samples_, asr_sink_));
    EARSHOT_RETURN_IF_ERROR(handle(asr_sink_));
  }
  if (state_ == State::kCapturing) {  // no command came out of it
    if (!said_first) timeout();
    transition(Trigger::kNoSpeech, samples_);
  } else if (state_ == State::kFollowUp) {
    transition(Trigger::kQuiet, samples_);
  }
  return Status::Ok();
}

Status Pipeline::check_timeouts() {
  const int64_t since_capture = samples_ - capture_start_;
  switch (state_) {
    case State::kIdle:
      // Ungated, the wake word listens all the time.
      if (voice_active_ || !config_.gate) {
        transition(Trigger::kVoice, samples_);
        return enter_listening();
      }
      return Status::Ok();
    case State::kListening:
      if (config_.gate && !voice_active_ &&
          samples_ - last_voice_end_ >= ms(config_.listen_timeout_ms)) {
        transition(Trigger::kQuiet, samples_);
      }
      return Status::Ok();
    case State::kCapturing:
      if (!asr_->busy() && !command_text_seen_ &&
          since_capture >= ms(config_.no_speech_timeout_ms)) {
        return close_command("no_speech", false);
      }
      if (since_capture >= ms(config_.max_command_ms)) return close_command("max_command", true);
      return Status::Ok();
    case State::kFollowUp:
      if (asr_->busy()) {
        transition(Trigger::kCommandSpeech, samples_);
      } else if (since_capture >= ms(config_.follow_up_ms)) {
        transition(Trigger::kQuiet, samples_);
      }
      return Status::Ok();
    case State::kUnderstanding: return Status::Ok();
  }
  return Status::Ok();
}

void Pipeline::process_block(std::span<const int16_t> block) {
  const int64_t s0 = samples_;
  preroll_.write(block);
  samples_ += static_cast<int64_t>(block.size());
  state_samples_[static_cast<size_t>(state_)] += block.size();
  // Integer mean square for the level meter (tier 0 is integer only), on samples scaled by
  // 1/16 so that the sum fits 32 bits and vectorises; decibels are worked out when asked.
  int32_t energy = 0;
  for (int16_t v : block) {
    const int32_t x = v >> 4;
    energy += x * x;
  }
  level_.store(static_cast<int64_t>(energy) * 256 /
                   static_cast<int64_t>(std::max<size_t>(1, block.size())),
               std::memory_order_relaxed);
  entered_this_block_ = false;

  // Idle turns to listening in check_timeouts(), whose pre-roll replay ends with this block.
  Status st = run_stage(*voice_, voice_sink_, block, s0);
  if (st.ok() && state_ == State::kListening && !entered_this_block_) {
    st = run_stage(*wake_, wake_sink_, block, s0);
  }
  if (st.ok() && (state_ == State::kCapturing || state_ == State::kFollowUp) &&
      !entered_this_block_) {
    st = run_stage(*asr_, asr_sink_, block, s0);
  }
  if (st.ok()) st = check_timeouts();
  if (!st.ok()) fail(st);
}

Status Pipeline::end_of_input() {
  process_ring(true);
  Status st = Status::Ok();
  if (state_ == State::kCapturing) {
    st = close_command(command_text_seen_ ? "end_of_input" : "no_speech", true);
  } else if (state_ == State::kFollowUp) {
    st = close_command("end_of_input", true);
  }
  if (!st.ok()) fail(st);
  voice_sink_.events.clear();
  Status v = voice_->finish(samples_, voice_sink_);
  if (v.ok()) v = handle(voice_sink_);
  if (!v.ok()) fail(v);
  if (state_ == State::kListening) transition(Trigger::kQuiet, samples_);
  return Status::Ok();
}

void Pipeline::process_ring(bool flush_partial) {
  for (;;) {
    const uint64_t over = ring_.overruns();
    if (over > overruns_reported_) {
      Event e;
      e.type = EventType::kOverrun;
      e.sample = samples_;
      e.count = over - overruns_reported_;
      overruns_reported_ = over;
      deliver(std::move(e));
    }
    const size_t got = ring_.pop(block_.data() + block_fill_, block_.size() - block_fill_);
    block_fill_ += got;
    if (block_fill_ == block_.size()) {
      block_fill_ = 0;
      process_block(block_);
      continue;
    }
    if (got == 0) break;
  }
  if (flush_partial && block_fill_ > 0) {
    const size_t n = block_fill_;
    block_fill_ = 0;
    process_block(std::span<const int16_t>(block_.data(), n));
  }
}

PipelineStats Pipeline::stats() const {
  PipelineStats s;
  s.samples = static_cast<uint64_t>(samples_);
  s.overrun_samples = ring_.overruns();
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    s.events_dropped = events_dropped_;
  }
  s.state = state_;
  s.state_samples = state_samples_;
  s.transitions = transitions_;
  for (const Stage* st : {voice_.get(), wake_.get(), asr_.get(), nlu_.get()}) {
    if (st == nullptr) continue;
    s.stages.push_back({st->name(), st->tier(), st->engine(), st->counters()});
  }
  return s;
}

}  // namespace earshot::pipeline
