// `earshot run [SOURCE]`: the voice demo. The whole pipeline (tier-0 VAD -> wake word ->
// streaming ASR -> intent) on a microphone (default alsa:default), a file, or raw 16 kHz
// s16le mono on stdin ("-"), through the public C++ API (include/earshot/pipeline.hpp).
//   --format json: one event per line, {"type":..,"time":..,"sample":..,...}
//   --format text: one line per wake, final and intent; on a terminal also a live line with
//                  the state, the input level and the partial text.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "command.hpp"
#include "earshot/pipeline.hpp"
#include "runtime/model/model_paths.hpp"

namespace earshot::cli {
namespace {

struct RunArgs {
  std::string source = "alsa:default";
  std::vector<std::string> keywords = {"hey_jarvis"};
  float sensitivity = -1.0f;
  std::string format = "text";
  bool realtime = false;
  bool stats = false;
  bool no_gate = false;
  int follow_up_ms = 0;
  int preroll_ms = 1000;
  int threads = 1;
  std::string models;
};

std::atomic<earshot_pipeline*> g_running{nullptr};

extern "C" void on_interrupt(int) { earshot_pipeline_stop(g_running.load()); }

// What the person sees in text mode.
class TextView {
 public:
  explicit TextView(bool live) : live_(live) {}
  void event(const Event& e) {
    std::lock_guard<std::mutex> lock(m_);
    switch (e.type) {
      case EARSHOT_EVENT_WAKE:
        line("%7.2fs  wake    %s (%.2f)", e.time, e.keyword.c_str(), e.score);
        break;
      case EARSHOT_EVENT_PARTIAL: partial_ = e.text; break;
      case EARSHOT_EVENT_FINAL:
        partial_.clear();
        line("%7.2fs  final   %s", e.time, e.text.c_str());
        break;
      case EARSHOT_EVENT_INTENT: {
        nlohmann::ordered_json slots = nlohmann::ordered_json::object();
        for (const auto& s : e.slots) slots[s.name] = s.value;
        line("%7.2fs  intent  %s %s", e.time, e.intent.c_str(),
             slots.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        break;
      }
      case EARSHOT_EVENT_TIMEOUT: line("%7.2fs  timeout %s", e.time, e.reason.c_str()); break;
      case EARSHOT_EVENT_OVERRUN:
        line("%7.2fs  overrun %llu samples dropped", e.time,
             static_cast<unsigned long long>(e.count));
        break;
      case EARSHOT_EVENT_ERROR: line("%7.2fs  error   %s", e.time, e.message.c_str()); break;
      case EARSHOT_EVENT_STATE:
        if (e.state == EARSHOT_STATE_IDLE) partial_.clear();
        break;
      default: break;
    }
  }
  // The live line: state, level bar, partial text.
  void refresh(earshot_state state, float level_dbfs) {
    if (!live_) return;
    std::lock_guard<std::mutex> lock(m_);
    const int bars = std::clamp(static_cast<int>((level_dbfs + 60.0f) / 6.0f), 0, 10);
    std::string bar(static_cast<size_t>(bars), '#');
    bar.resize(10, '.');
    std::printf("\r\033[K[%-13s] %s %s", earshot_state_name(state), bar.c_str(), partial_.c_str());
    std::fflush(stdout);
  }
  void end() {
    if (live_) std::printf("\r\033[K");
    std::fflush(stdout);
  }

 private:
  template <typename... A>
  void line(const char* fmt, A... a) {
    if (live_) std::printf("\r\033[K");
    std::printf(fmt, a...);
    std::printf("\n");
    std::fflush(stdout);
  }
  bool live_;
  std::mutex m_;
  std::string partial_;
};

void print_stats(const earshot_pipeline_stats& s) {
  nlohmann::ordered_json tiers = nlohmann::ordered_json::array();
  for (int tier = 0; tier <= 2; ++tier) {
    uint64_t cpu = 0, calls = 0, macs = 0;
    for (size_t i = 0; i < s.stage_count; ++i) {
      if (s.stages[i].tier != tier) continue;
      cpu += s.stages[i].cpu_ns;
      calls += s.stages[i].calls;
      macs += s.stages[i].macs;
    }
    tiers.push_back({{"tier", tier}, {"cpu_seconds", cpu / 1e9}, {"calls", calls}, {"macs", macs}});
  }
  nlohmann::ordered_json stages = nlohmann::ordered_json::array();
  for (size_t i = 0; i < s.stage_count; ++i) {
    const auto& st = s.stages[i];
    stages.push_back({{"name", st.name},
                      {"tier", st.tier},
                      {"engine", st.engine},
                      {"cpu_seconds", st.cpu_ns / 1e9},
                      {"calls", st.calls},
                      {"macs", st.macs},
                      {"state_bytes", st.state_bytes}});
  }
  nlohmann::ordered_json states = nlohmann::ordered_json::object();
  for (int k = 0; k < 5; ++k) {
    states[earshot_state_name(static_cast<earshot_state>(k))] = s.state_samples[k] / 16000.0;
  }
  const nlohmann::ordered_json j{{"type", "stats"},
                                 {"audio_seconds", s.samples / 16000.0},
                                 {"overrun_samples", s.overrun_samples},
                                 {"transitions", s.transitions},
                                 {"tiers", tiers},
                                 {"stages", stages},
                                 {"states", states}};
  std::printf("%s\n", j.dump().c_str());
}

int run_pipeline(const RunArgs& a) {
  PipelineConfig cfg;
  cfg.models_dir = a.models.empty() ? model::models_dir() : a.models;
  cfg.keywords.clear();
  for (const auto& k : a.keywords) cfg.keywords += (cfg.keywords.empty() ? "" : ",") + k;
  cfg.c.sensitivity = a.sensitivity;
  cfg.c.gate = a.no_gate ? 0 : 1;
  cfg.c.follow_up_ms = a.follow_up_ms;
  cfg.c.preroll_ms = a.preroll_ms;
  cfg.c.asr_threads = a.threads;
  auto p = Pipeline::create(cfg);
  if (!p) return report_error("run: " + p.error().message);

  const bool json = a.format == "json";
  TextView view(!json && isatty(STDOUT_FILENO) != 0);
  auto ok = p->on_event([&](const Event& e) {
    if (json) {
      std::printf("%s\n", e.json.c_str());
      std::fflush(stdout);
    } else {
      view.event(e);
    }
  });
  if (!ok) return report_error("run: " + ok.error().message);

  g_running.store(p->handle());
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::atomic<bool> done{false};
  Expected<bool> result = true;
  std::thread worker([&] {
    result = p->run(a.source, a.realtime);
    done.store(true);
  });
  while (!done.load()) {
    view.refresh(p->state(), p->input_level_dbfs());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  worker.join();
  view.end();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_running.store(nullptr);
  if (a.stats) {
    auto s = p->stats();
    if (s) print_stats(*s);
  }
  if (!result) return report_error("run: " + result.error().message);
  return 0;
}

CommandRunner setup_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "The voice demo: tier-0 VAD -> wake word -> streaming ASR -> intent, as events");
  cmd->add_option("source", a->source,
                  "alsa:default (default), alsa:hw:1,0, pa:default, pa:N, an audio file, or - "
                  "(raw s16le 16 kHz mono on stdin)")
      ->capture_default_str();
  // One value per flag (or comma-separated), so that the source after it is not taken as one.
  cmd->add_option("--keyword", a->keywords,
                  "wake words, comma-separated or repeated: okay_nabu, hey_jarvis, alexa, "
                  "hey_mycroft")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--sensitivity", a->sensitivity,
                  "in (0, 1), higher wakes more easily (cutoff = 1 - sensitivity); default: each "
                  "model's own cutoff")
      ->check(CLI::Range(0.001, 0.999));
  cmd->add_option("--format", a->format, "text or json (one event per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--realtime", a->realtime, "files: replay at real-time pace");
  cmd->add_flag("--stats", a->stats, "end with a stats line: CPU per tier and stage, time per state");
  cmd->add_flag("--no-gate", a->no_gate, "run the wake word on every frame (no tier-0 gate)");
  cmd->add_option("--follow-up", a->follow_up_ms,
                  "ms after an intent in which a second command needs no wake word (0: off)")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  cmd->add_option("--preroll", a->preroll_ms, "ms of audio replayed into the wake word")
      ->check(CLI::Range(0, 5000))
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "ASR threads")->check(CLI::Range(1, 64));
  cmd->add_option("--models", a->models, "models folder (default: the model cache)");
  return [a] { return run_pipeline(*a); };
}

const CommandRegistration kRun{"run", &setup_run};

}  // namespace
}  // namespace earshot::cli
