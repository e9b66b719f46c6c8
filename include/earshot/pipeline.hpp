// earshot's C++ API: a thin RAII layer over the C ABI (earshot.h), header-only, so a C++
// host links the same libearshot as a C host. Errors come back as earshot::Error values
// (never exceptions from the library); events as earshot::Event with owned strings.
//
//   earshot::PipelineConfig cfg;                    // defaults from earshot_pipeline_config_default
//   cfg.models_dir = "/usr/share/earshot/models";
//   cfg.keywords = "hey_jarvis";
//   auto p = earshot::Pipeline::create(cfg);
//   if (!p) { std::cerr << p.error().message << "\n"; return 1; }
//   p->on_event([](const earshot::Event& e) { std::cout << e.json << "\n"; });
//   p->start();
//   p->push(pcm, n);                                // audio thread, lock-free
//   p->finish();
//
// Threads and ownership are as in earshot.h. A Pipeline is movable, not copyable; the
// destructor stops its thread and frees it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "earshot/earshot.h"

namespace earshot {

struct Error {
  earshot_status code = EARSHOT_OK;
  std::string message;
};

// A value, or the Error that says why there is none.
template <typename T>
class Expected {
 public:
  Expected(T v) : v_(std::move(v)) {}          // NOLINT: implicit by design
  Expected(Error e) : v_(std::move(e)) {}      // NOLINT
  explicit operator bool() const noexcept { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Slot {
  std::string name, value;
  bool is_number = false;
};

struct Event {
  earshot_event_type type = EARSHOT_EVENT_STATE;
  int64_t sample = 0;
  double time = 0;
  earshot_state state = EARSHOT_STATE_IDLE, previous = EARSHOT_STATE_IDLE;
  std::string keyword;
  float score = 0;
  std::string text;
  int64_t start_sample = 0, end_sample = 0;
  std::string intent;
  std::vector<Slot> slots;
  float confidence = 0;
  int64_t latency_ns = 0;
  std::string reason, message;
  uint64_t count = 0;
  std::string json;  // the event as one JSON line

  const char* type_name() const { return earshot_event_type_name(type); }

  static Event from(const earshot_event& e) {
    Event o;
    o.type = e.type;
    o.sample = e.sample;
    o.time = e.time;
    o.state = e.state;
    o.previous = e.previous;
    o.keyword = e.keyword;
    o.score = e.score;
    o.text = e.text;
    o.start_sample = e.start_sample;
    o.end_sample = e.end_sample;
    o.intent = e.intent;
    for (size_t i = 0; i < e.slot_count; ++i) {
      o.slots.push_back({e.slots[i].name, e.slots[i].value, e.slots[i].is_number != 0});
    }
    o.confidence = e.confidence;
    o.latency_ns = e.latency_ns;
    o.reason = e.reason;
    o.message = e.message;
    o.count = e.count;
    o.json = e.json;
    return o;
  }
};

// The C config with owned strings. Defaults come from earshot_pipeline_config_default.
struct PipelineConfig {
  std::optional<std::string> models_dir;  // unset: blobs only, or the environment (below)
  std::vector<earshot_model_blob> models; // bytes stay the caller's until create() returns
  bool models_from_environment = false;
  std::string keywords = "hey_jarvis";
  std::string asr_model = "whisper-tiny.en.int8.esm";
  std::string nlu_model = "nlu-int8.esm";
  earshot_pipeline_config c = defaults();  // every other field, as in earshot.h

  static earshot_pipeline_config defaults() {
    earshot_pipeline_config d;
    earshot_pipeline_config_default(&d);
    return d;
  }
};

class Pipeline {
 public:
  using EventHandler = std::function<void(const Event&)>;

  static Expected<Pipeline> create(const PipelineConfig& config) {
    earshot_pipeline_config c = config.c;
    c.models_dir = config.models_dir ? config.models_dir->c_str() : nullptr;
    c.models = config.models.empty() ? nullptr : config.models.data();
    c.model_count = config.models.size();
    c.models_from_environment = config.models_from_environment ? 1 : 0;
    c.keywords = config.keywords.c_str();
    c.asr_model = config.asr_model.c_str();
    c.nlu_model = config.nlu_model.c_str();
    earshot_pipeline* p = nullptr;
    const earshot_status s = earshot_pipeline_create(&c, &p);
    if (s != EARSHOT_OK) return Error{s, earshot_last_error()};
    return Pipeline(p);
  }

  Pipeline(Pipeline&&) noexcept = default;
  Pipeline& operator=(Pipeline&&) noexcept = default;

  // Events on the working thread. Set before start()/step()/run().
  Expected<bool> on_event(EventHandler handler) {
    handler_ = std::make_unique<EventHandler>(std::move(handler));
    return check(earshot_pipeline_set_event_callback(
        p_.get(),
        [](const earshot_event* e, void* user) {
          (*static_cast<EventHandler*>(user))(Event::from(*e));
        },
        handler_.get()));
  }

  // Producer; EARSHOT_OK, EARSHOT_E_OVERRUN or EARSHOT_E_BAD_STATE, nothing else to check.
  earshot_status push(const int16_t* samples, size_t count) noexcept {
    return earshot_pipeline_push(p_.get(), samples, count);
  }
  Expected<bool> step() { return check(earshot_pipeline_step(p_.get())); }
  Expected<bool> start() { return check(earshot_pipeline_start(p_.get())); }
  Expected<bool> finish() { return check(earshot_pipeline_finish(p_.get())); }
  Expected<bool> reset() { return check(earshot_pipeline_reset(p_.get())); }
  Expected<bool> run(const std::string& source, bool realtime = false) {
    return check(earshot_pipeline_run_source(p_.get(), source.c_str(), realtime ? 1 : 0));
  }
  void stop() noexcept { earshot_pipeline_stop(p_.get()); }
  std::optional<Event> poll() {
    earshot_event e;
    if (earshot_pipeline_poll_event(p_.get(), &e) == 0) return std::nullopt;
    return Event::from(e);
  }
  earshot_state state() const noexcept { return earshot_pipeline_state(p_.get()); }
  float input_level_dbfs() const noexcept { return earshot_pipeline_input_level(p_.get()); }
  Expected<earshot_pipeline_stats> stats() const {
    earshot_pipeline_stats s;
    const earshot_status r = earshot_pipeline_get_stats(p_.get(), &s);
    if (r != EARSHOT_OK) return Error{r, earshot_last_error()};
    return s;
  }
  earshot_pipeline* handle() noexcept { return p_.get(); }

 private:
  struct Destroy {
    void operator()(earshot_pipeline* p) const noexcept { earshot_pipeline_destroy(&p); }
  };
  explicit Pipeline(earshot_pipeline* p) : p_(p) {}
  static Expected<bool> check(earshot_status s) {
    if (s != EARSHOT_OK) return Error{s, earshot_last_error()};
    return true;
  }

  // Members die in reverse order: the pipeline (whose thread calls the handler) goes first.
  std::unique_ptr<EventHandler> handler_;
  std::unique_ptr<earshot_pipeline, Destroy> p_;
};

}  // namespace earshot
