// The C ABI (include/earshot/earshot.h) over pipeline::Pipeline. Nothing here throws into
// the host: every entry point turns exceptions into a status and a last-error message.
#include <atomic>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include "earshot/earshot.h"
#include "pipeline/c_api/c_event.hpp"
#include "pipeline/pipeline.hpp"
#include "runtime/model/model_paths.hpp"

using earshot::Status;
using earshot::StatusCode;
using earshot::pipeline::CEventHolder;
using earshot::pipeline::Pipeline;

namespace {

constexpr uint32_t kAlive = 0x45415253;  // "EARS"

thread_local std::string g_last_error;
std::atomic<earshot_log_callback> g_log{nullptr};
std::atomic<void*> g_log_user{nullptr};

void log_line(earshot_log_level level, const std::string& message) {
  if (auto cb = g_log.load(std::memory_order_acquire)) {
    cb(level, message.c_str(), g_log_user.load(std::memory_order_acquire));
  }
}

earshot_status to_c(StatusCode c) {
  switch (c) {
    case StatusCode::kOk: return EARSHOT_OK;
    case StatusCode::kInvalidArgument: return EARSHOT_E_INVALID_ARGUMENT;
    case StatusCode::kNotFound: return EARSHOT_E_NOT_FOUND;
    case StatusCode::kIoError: return EARSHOT_E_IO;
    case StatusCode::kUnsupported: return EARSHOT_E_UNSUPPORTED;
    case StatusCode::kCorruptData: return EARSHOT_E_CORRUPT_DATA;
    case StatusCode::kDeviceError: return EARSHOT_E_DEVICE;
    case StatusCode::kResourceExhausted: return EARSHOT_E_RESOURCE_EXHAUSTED;
    case StatusCode::kInternal: return EARSHOT_E_INTERNAL;
    case StatusCode::kFailedPrecondition: return EARSHOT_E_BAD_STATE;
  }
  return EARSHOT_E_INTERNAL;
}

earshot_status fail(earshot_status code, std::string message) {
  try {
    g_last_error = std::move(message);
  } catch (...) {
  }
  return code;
}

earshot_status report(const Status& s) {
  if (s.ok()) return EARSHOT_OK;
  return fail(to_c(s.code()), s.message());
}

// Runs `f` and turns a thrown exception into a status.
template <typename F>
earshot_status guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(EARSHOT_E_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return fail(EARSHOT_E_INTERNAL, e.what());
  } catch (...) {
    return fail(EARSHOT_E_INTERNAL, "unknown exception");
  }
}

std::vector<std::string> split_keywords(const char* s) {
  std::vector<std::string> out;
  std::string cur;
  for (const char* c = s; *c != '\0'; ++c) {
    if (*c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (*c != ' ' && *c != '\t') {
      cur.push_back(*c);
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

struct earshot_pipeline {
  uint32_t magic = kAlive;
  std::unique_ptr<Pipeline> p;
  earshot_event_callback cb = nullptr;
  void* user = nullptr;
  CEventHolder callback_event;  // the working thread's
  CEventHolder polled_event;    // the control thread's
  std::atomic<bool> stop_source{false};
};

namespace {

bool alive(const earshot_pipeline* p) { return p != nullptr && p->magic == kAlive && p->p; }

}  // namespace

extern "C" {

const char* earshot_version(void) { return EARSHOT_VERSION; }

const char* earshot_status_name(earshot_status s) {
  switch (s) {
    case EARSHOT_OK: return "ok";
    case EARSHOT_E_INVALID_ARGUMENT: return "invalid argument";
    case EARSHOT_E_NOT_FOUND: return "not found";
    case EARSHOT_E_IO: return "I/O error";
    case EARSHOT_E_UNSUPPORTED: return "unsupported";
    case EARSHOT_E_CORRUPT_DATA: return "corrupt data";
    case EARSHOT_E_DEVICE: return "device error";
    case EARSHOT_E_RESOURCE_EXHAUSTED: return "resource exhausted";
    case EARSHOT_E_INTERNAL: return "internal error";
    case EARSHOT_E_BAD_STATE: return "call out of order";
    case EARSHOT_E_OVERRUN: return "overrun";
  }
  return "unknown status";
}

const char* earshot_last_error(void) { return g_last_error.c_str(); }

void earshot_set_log_callback(earshot_log_callback cb, void* user) {
  g_log_user.store(user, std::memory_order_release);
  g_log.store(cb, std::memory_order_release);
}

const char* earshot_state_name(earshot_state s) {
  if (s < EARSHOT_STATE_IDLE || s > EARSHOT_STATE_FOLLOW_UP) return "?";
  return earshot::pipeline::state_name(static_cast<earshot::pipeline::State>(s));
}

const char* earshot_event_type_name(earshot_event_type t) {
  if (t < EARSHOT_EVENT_STATE || t > EARSHOT_EVENT_ERROR) return "?";
  return earshot::pipeline::event_type_name(static_cast<earshot::pipeline::EventType>(t));
}

earshot_status earshot_pipeline_config_default(earshot_pipeline_config* c) {
  if (c == nullptr) return fail(EARSHOT_E_INVALID_ARGUMENT, "config_default: config is NULL");
  const earshot::pipeline::PipelineConfig d;
  std::memset(c, 0, sizeof *c);
  c->keywords = "hey_jarvis";
  c->sensitivity = d.sensitivity;
  c->refractory_ms = d.refractory_ms;
  c->preroll_ms = d.preroll_ms;
  c->wake_backoff_ms = d.wake_backoff_ms;
  c->listen_timeout_ms = d.listen_timeout_ms;
  c->no_speech_timeout_ms = d.no_speech_timeout_ms;
  c->max_command_ms = d.max_command_ms;
  c->follow_up_ms = d.follow_up_ms;
  c->gate = d.gate ? 1 : 0;
  c->understand = d.understand ? 1 : 0;
  c->asr_threads = d.asr_threads;
  c->endpoint_ms = d.endpoint_ms;
  c->partial_interval_ms = d.partial_interval_ms;
  c->asr_model = "whisper-tiny.en.int8.esm";
  c->nlu_model = "nlu-int8.esm";
  c->ring_ms = d.ring_ms;
  c->verify_models = d.verify_models ? 1 : 0;
  return EARSHOT_OK;
}

earshot_status earshot_pipeline_create(const earshot_pipeline_config* c, earshot_pipeline** out) {
  if (out == nullptr) return fail(EARSHOT_E_INVALID_ARGUMENT, "create: out is NULL");
  *out = nullptr;
  if (c == nullptr) return fail(EARSHOT_E_INVALID_ARGUMENT, "create: config is NULL");
  return guarded([&]() -> earshot_status {
    earshot::pipeline::PipelineConfig pc;
    if (c->models_dir != nullptr) {
      pc.models_dir = c->models_dir;
    } else if (c->models_from_environment) {
      pc.models_dir = earshot::model::models_dir();
    }
    if (c->model_count > 0 && c->models == nullptr) {
      return fail(EARSHOT_E_INVALID_ARGUMENT, "create: model_count > 0 but models is NULL");
    }
    for (size_t i = 0; i < c->model_count; ++i) {
      const auto& b = c->models[i];
      if (b.file_name == nullptr) {
        return fail(EARSHOT_E_INVALID_ARGUMENT, "create: a model blob has no file_name");
      }
      pc.models.push_back({b.file_name, b.data, b.size});
    }
    if (c->keywords == nullptr) return fail(EARSHOT_E_INVALID_ARGUMENT, "create: keywords is NULL");
    pc.keywords = split_keywords(c->keywords);
    pc.sensitivity = c->sensitivity;
    pc.refractory_ms = c->refractory_ms;
    pc.preroll_ms = c->preroll_ms;
    pc.wake_backoff_ms = c->wake_backoff_ms;
    pc.listen_timeout_ms = c->listen_timeout_ms;
    pc.no_speech_timeout_ms = c->no_speech_timeout_ms;
    pc.max_command_ms = c->max_command_ms;
    pc.follow_up_ms = c->follow_up_ms;
    pc.gate = c->gate != 0;
    pc.understand = c->understand != 0;
    pc.asr_threads = c->asr_threads;
    pc.endpoint_ms = c->endpoint_ms;
    pc.partial_interval_ms = c->partial_interval_ms;
    if (c->asr_model == nullptr || (pc.understand && c->nlu_model == nullptr)) {
      return fail(EARSHOT_E_INVALID_ARGUMENT, "create: asr_model or nlu_model is NULL");
    }
    pc.asr_model = c->asr_model;
    if (c->nlu_model != nullptr) pc.nlu_model = c->nlu_model;
    pc.ring_ms = c->ring_ms;
    pc.verify_models = c->verify_models != 0;
    auto p = Pipeline::create(pc);
    if (!p.ok()) {
      log_line(EARSHOT_LOG_ERROR, "pipeline not created: " + p.status().message());
      return report(p.status());
    }
    auto h = std::make_unique<earshot_pipeline>();
    h->p = std::move(p).value();
    *out = h.release();
    return EARSHOT_OK;
  });
}

void earshot_pipeline_destroy(earshot_pipeline** pp) {
  if (pp == nullptr || *pp == nullptr) return;
  earshot_pipeline* p = *pp;
  *pp = nullptr;
  if (p->magic != kAlive) return;
  p->magic = 0;
  p->stop_source.store(true);
  try {
    delete p;
  } catch (...) {
  }
}

earshot_status earshot_pipeline_set_event_callback(earshot_pipeline* p, earshot_event_callback cb,
                                                   void* user) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "set_event_callback: no pipeline");
  return guarded([&]() -> earshot_status {
    p->cb = cb;
    p->user = user;
    if (cb == nullptr) return report(p->p->set_event_callback(nullptr));
    return report(p->p->set_event_callback([p](const earshot::pipeline::Event& e) {
      p->callback_event.fill(e);
      if (e.type == earshot::pipeline::EventType::kError) {
        log_line(EARSHOT_LOG_WARNING, e.message);
      }
      p->cb(&p->callback_event.view(), p->user);
    }));
  });
}

earshot_status earshot_pipeline_push(earshot_pipeline* p, const int16_t* samples, size_t count) {
  if (!alive(p)) return EARSHOT_E_INVALID_ARGUMENT;
  if (samples == nullptr && count > 0) return EARSHOT_E_INVALID_ARGUMENT;
  switch (p->p->push(std::span<const int16_t>(samples, count))) {
    case earshot::pipeline::PushResult::kOk: return EARSHOT_OK;
    case earshot::pipeline::PushResult::kOverrun: return EARSHOT_E_OVERRUN;
    case earshot::pipeline::PushResult::kClosed: return EARSHOT_E_BAD_STATE;
  }
  return EARSHOT_E_INTERNAL;
}

earshot_status earshot_pipeline_step(earshot_pipeline* p) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "step: no pipeline");
  return guarded([&] { return report(p->p->step()); });
}

earshot_status earshot_pipeline_start(earshot_pipeline* p) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "start: no pipeline");
  return guarded([&] { return report(p->p->start()); });
}

earshot_status earshot_pipeline_finish(earshot_pipeline* p) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "finish: no pipeline");
  return guarded([&] { return report(p->p->finish()); });
}

earshot_status earshot_pipeline_reset(earshot_pipeline* p) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "reset: no pipeline");
  return guarded([&] {
    p->stop_source.store(false);
    return report(p->p->reset());
  });
}

earshot_status earshot_pipeline_run_source(earshot_pipeline* p, const char* source, int realtime) {
  if (!alive(p)) return fail(EARSHOT_E_INVALID_ARGUMENT, "run_source: no pipeline");
  if (source == nullptr) return fail(EARSHOT_E_INVALID_ARGUMENT, "run_source: source is NULL");
  return guarded([&] { return report(p->p->run_source(source, realtime != 0, &p->stop_source)); });
}

void earshot_pipeline_stop(earshot_pipeline* p) {
  if (alive(p)) p->stop_source.store(true, std::memory_order_release);
}

int earshot_pipeline_poll_event(earshot_pipeline* p, earshot_event* event) {
  if (!alive(p) || event == nullptr) return 0;
  try {
    auto e = p->p->poll_event();
    if (!e) return 0;
    p->polled_event.fill(*e);
    *event = p->polled_event.view();
    return 1;
  } catch (...) {
    return 0;
  }
}

earshot_state earshot_pipeline_state(const earshot_pipeline* p) {
  if (!alive(p)) return EARSHOT_STATE_IDLE;
  return static_cast<earshot_state>(p->p->state());
}

float earshot_pipeline_input_level(const earshot_pipeline* p) {
  if (!alive(p)) return -120.0f;
  return p->p->input_level_dbfs();
}

earshot_status earshot_pipeline_get_stats(const earshot_pipeline* p, earshot_pipeline_stats* out) {
  if (!alive(p) || out == nullptr) {
    return fail(EARSHOT_E_INVALID_ARGUMENT, "get_stats: no pipeline or stats is NULL");
  }
  return guarded([&]() -> earshot_status {
    const auto s = p->p->stats();
    std::memset(out, 0, sizeof *out);
    out->samples = s.samples;
    out->overrun_samples = s.overrun_samples;
    out->events_dropped = s.events_dropped;
    out->state = static_cast<earshot_state>(s.state);
    for (size_t i = 0; i < s.state_samples.size() && i < 5; ++i) {
      out->state_samples[i] = s.state_samples[i];
    }
    out->transitions = s.transitions;
    out->stage_count = std::min<size_t>(s.stages.size(), EARSHOT_MAX_STAGES);
    for (size_t i = 0; i < out->stage_count; ++i) {
      auto& d = out->stages[i];
      const auto& st = s.stages[i];
      d.name = st.name;
      d.tier = static_cast<int>(st.tier);
      d.engine = earshot::runtime::to_string(st.engine);
      d.calls = st.counters.calls;
      d.frames = st.counters.frames;
      d.macs = st.counters.macs;
      d.cpu_ns = st.counters.cpu_ns;
      d.state_bytes = st.counters.state_bytes;
      d.weight_bytes = st.counters.weight_bytes;
    }
    return EARSHOT_OK;
  });
}

}  // extern "C"
