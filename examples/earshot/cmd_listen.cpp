// `earshot listen`: streaming transcription of a file, raw stdin or a microphone, with
// partial hypotheses as they stabilise and a final result at each endpoint. On a terminal the
// partial rewrites one line; otherwise every event is one JSON line
// {"type":"partial"|"final","text":..,"confirmed":..,"start":..,"end":..,"utterance":..}.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "asr/streaming_transcriber.hpp"
#include "audio/source_factory.hpp"
#include "audio_input.hpp"
#include "command.hpp"
#include "vad/vad_factory.hpp"
#include "whisper_model.hpp"

namespace earshot::cli {
namespace {

struct ListenArgs {
  AudioInput input;
  std::string model = "tiny.en";
  std::string events = "auto";
  bool realtime = false;
  bool no_vad = false;
  bool stats = false;
  asr::StreamingConfig cfg;
  vad::VadEngineOptions vad;
};

bool is_live(const std::string& spec) {
  return spec.rfind("alsa:", 0) == 0 || spec.rfind("pa:", 0) == 0;
}

class EventPrinter {
 public:
  explicit EventPrinter(bool terminal) : terminal_(terminal) {}
  void print(const asr::StreamEvent& e) {
    const bool final = e.type == asr::StreamEvent::Type::kFinal;
    if (terminal_) {
      // Rewrite the line: confirmed text plain, the tentative tail dimmed.
      const std::string tail = e.text.substr(e.confirmed.size());
      std::printf("\r\033[K%s\033[2m%s\033[0m%s", e.confirmed.c_str(), tail.c_str(),
                  final ? "\n" : "");
    } else {
      nlohmann::json j{{"type", final ? "final" : "partial"},
                       {"text", e.text},
                       {"confirmed", e.confirmed},
                       {"start", e.start},
                       {"end", e.end},
                       {"utterance", e.utterance}};
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
    std::fflush(stdout);
  }

 private:
  bool terminal_;
};

int run_listen(const ListenArgs& a) {
  auto path = resolve_whisper_model(a.model);
  if (!path.ok()) return report_error("listen: model", path.status());
  auto m = model::Model::open(*path, {.verify_hash = false, .expected_stage = "asr"});
  if (!m.ok()) return report_error("listen: model", m.status());
  std::unique_ptr<vad::VadEngine> vad;
  if (!a.no_vad) {
    auto v = vad::make_vad_engine(a.vad);
    if (!v.ok()) return report_error("listen: VAD (use --no-vad to go without)", v.status());
    vad = std::move(v).value();
  }
  auto s = asr::StreamingTranscriber::create(
      a.cfg, std::make_shared<model::Model>(std::move(m).value()), std::move(vad));
  if (!s.ok()) return report_error("listen", s.status());
  asr::StreamingTranscriber& st = **s;

  audio::SourceOptions options;
  options.file_pace = a.realtime ? audio::FilePace::kRealtime : audio::FilePace::kFast;
  options.live.ring_seconds = 10.0;
  if (a.input.spec == "-") {
    auto format = audio::parse_sample_format(a.input.format);
    if (!format.ok()) return report_error("listen: --format", format.status());
    options.raw.sample_rate = a.input.rate;
    options.raw.channels = a.input.channels;
    options.raw.format = *format;
  }
  const bool live = is_live(a.input.spec);
  if (live && !(a.input.seconds > 0 && a.input.seconds <= 86400)) {
    return report_error("listen: --seconds must be in (0, 86400]");
  }
  auto source = audio::open_source(a.input.spec, options);
  if (!source.ok()) return report_error("listen: " + a.input.spec, source.status());
  const Status started = (*source)->start();
  if (!started.ok()) return report_error("listen: " + a.input.spec, started);

  EventPrinter out(a.events == "auto" ? isatty(STDOUT_FILENO) != 0 : a.events == "line");
  auto drain = [&]() -> Status {
    for (;;) {
      auto e = st.step();
      if (!e.ok()) return e.status();
      if (!e->has_value()) return Status::Ok();
      out.print(**e);
    }
  };
  const int64_t limit = live ? static_cast<int64_t>(a.input.seconds * 16000) : INT64_MAX;
  int64_t total = 0;
  int16_t block[audio::kBlockSamples];
  std::chrono::duration<double> finish_wait{0};
  Status status;
  while (total < limit) {
    auto n = (*source)->read_block(block);
    if (!n.ok()) {
      status = n.status();
      break;
    }
    if (*n == 0) break;
    total += static_cast<int64_t>(*n);
    status = st.push(std::span<const int16_t>(block, *n));
    if (status.ok()) status = drain();
    if (!status.ok()) break;
  }
  (*source)->stop();
  if (status.ok()) {
    const auto t0 = std::chrono::steady_clock::now();
    status = st.finish();
    if (status.ok()) status = drain();
    finish_wait = std::chrono::steady_clock::now() - t0;
  }
  if (!status.ok()) return report_error("listen: " + a.input.spec, status);
  if (a.stats) {
    std::fprintf(stderr,
                 "{\"audio_s\":%.3f,\"decodes\":%d,\"finals_precomputed\":%d,\"cpu_s\":%.3f,"
                 "\"finish_to_final_ms\":%.1f,\"full_window_retries\":%d}\n",
                 total / 16000.0, st.decodes(), st.finals_precomputed(), st.counters().cpu_ns / 1e9,
                 finish_wait.count() * 1e3, st.transcriber().full_window_retries());
  }
  return 0;
}

CommandRunner setup_listen(CLI::App& app) {
  auto a = std::make_shared<ListenArgs>();
  auto* cmd = app.add_subcommand(
      "listen", "Streaming transcription: partials as they stabilise, a final per utterance");
  add_audio_input(cmd, a->input);
  cmd->add_option("--model", a->model, "tiny.en (from the model cache) or a .esm path")
      ->capture_default_str();
  cmd->add_option("--threads", a->cfg.threads, "threads")->check(CLI::Range(1, 64));
  cmd->add_flag("--realtime", a->realtime, "files: replay at real-time pace");
  cmd->add_option("--events", a->events,
                  "line (rewrite one terminal line), json (one line per event) or auto")
      ->check(CLI::IsMember({"auto", "line", "json"}))
      ->capture_default_str();
  cmd->add_option("--step", a->cfg.step_s, "seconds of new audio between partials")
      ->capture_default_str();
  cmd->add_option("--endpoint", a->cfg.endpoint_silence_s, "silence that ends an utterance (s)")
      ->capture_default_str();
  cmd->add_option("--pause", a->cfg.pause_silence_s,
                  "silence that triggers a decode before the endpoint (s)")
      ->capture_default_str();
  cmd->add_option("--max-window", a->cfg.max_window_s,
                  "a longer utterance commits its text and moves its window on (s)")
      ->capture_default_str();
  cmd->add_option("--pad", a->cfg.pad_s,
                  "encoder window: the utterance rounded up to a multiple of this (s)")
      ->capture_default_str();
  cmd->add_flag("--no-vad", a->no_vad, "no VAD: one utterance, ended by the end of the input");
  cmd->add_option("--vad-engine", a->vad.engine, "fixed or neural")
      ->check(CLI::IsMember({"fixed", "neural"}))
      ->capture_default_str();
  cmd->add_option("--vad-model", a->vad.model_path, "neural VAD model file");
  cmd->add_flag("--stats", a->stats, "print decode counts and the finish-to-final time on stderr");
  return [a] { return run_listen(*a); };
}

const CommandRegistration kListen{"listen", &setup_listen};

}  // namespace
}  // namespace earshot::cli
