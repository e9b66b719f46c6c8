// `earshot transcribe`: offline transcription of audio files with Whisper (tiny.en by
// default), printed as text, JSON, SRT or WebVTT.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "asr/transcriber.hpp"
#include "audio/audio_file_stream.hpp"
#include "command.hpp"
#include "vad/vad_factory.hpp"
#include "whisper_model.hpp"

namespace earshot::cli {
namespace {

struct TranscribeArgs {
  std::string model = "tiny.en";
  std::string format = "text";
  int threads = 1;
  int beam = 1;
  bool full_windows = false;
  double pad_multiple = 10.0;
  bool no_progress = false;
  std::string vad = "neural";
  double chunk_seconds = 120.0;
  std::vector<std::string> files;
};

std::string timestamp(double t, char sep) {
  const long ms = std::lround(t * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld%c%03ld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, sep, ms % 1000);
  return buf;
}

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b);
}

void print(const asr::Transcript& t, const std::string& format, double rtf) {
  if (format == "text") {
    std::printf("%s\n", t.text.c_str());
  } else if (format == "json") {
    nlohmann::json j;
    j["text"] = t.text;
    j["segments"] = nlohmann::json::array();
    for (const auto& s : t.segments) {
      nlohmann::json js{{"start", s.start},
                        {"end", s.end},
                        {"text", trimmed(s.text)},
                        {"avg_logprob", s.avg_logprob},
                        {"no_speech_prob", s.no_speech_prob},
                        {"tokens", s.tokens}};
      js["words"] = nlohmann::json::array();
      for (const auto& w : s.words) {
        js["words"].push_back({{"word", w.word}, {"start", w.start}, {"end", w.end}, {"p", w.p}});
      }
      j["segments"].push_back(js);
    }
    j["rtf"] = rtf;
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    const bool srt = format == "srt";
    if (!srt) std::printf("WEBVTT\n\n");
    int i = 1;
    for (const auto& s : t.segments) {
      if (srt) std::printf("%d\n", i++);
      std::printf("%s --> %s\n%s\n\n", timestamp(s.start, srt ? ',' : '.').c_str(),
                  timestamp(s.end, srt ? ',' : '.').c_str(), trimmed(s.text).c_str());
    }
  }
}

CommandRunner setup_transcribe(CLI::App& app) {
  auto args = std::make_shared<TranscribeArgs>();
  auto* cmd = app.add_subcommand("transcribe", "Transcribe audio files with Whisper");
  cmd->add_option("--model", args->model, "tiny.en (from the model cache) or a .esm path");
  cmd->add_option("--format", args->format, "text, json, srt or vtt")
      ->check(CLI::IsMember({"text", "json", "srt", "vtt"}));
  cmd->add_option("--threads", args->threads, "threads")->check(CLI::Range(1, 64));
  cmd->add_option("--beam", args->beam, "beam size (1 = greedy)")->check(CLI::Range(1, 8));
  cmd->add_flag("--full-windows", args->full_windows,
                "pad clips shorter than 30 s to 30 s (default: to --pad-multiple)");
  cmd->add_option("--pad-multiple", args->pad_multiple,
                  "clips shorter than 30 s: encoder window rounded up to a multiple of this (s)")
      ->check(CLI::Range(0.02, 30.0));
  cmd->add_option("--vad", args->vad,
                  "speech detection before decoding: neural (Silero), fixed (tier 0) or none; "
                  "silence and noise then give no text")
      ->check(CLI::IsMember({"neural", "fixed", "none"}));
  cmd->add_option("--chunk-seconds", args->chunk_seconds,
                  "audio read and decoded at a time; bounds memory on long files")
      ->check(CLI::Range(60.0, 3600.0));
  cmd->add_flag("--no-progress", args->no_progress, "no progress bar");
  cmd->add_option("files", args->files, "audio files")->required();
  return [args]() -> int {
    asr::TranscriberConfig cfg;
    cfg.threads = args->threads;
    cfg.beam_size = args->beam;
    cfg.short_windows = !args->full_windows;
    cfg.pad_multiple = std::max(2, 2 * static_cast<int>(std::lround(args->pad_multiple * 50.0)));
    auto resolved = resolve_whisper_model(args->model);
    if (!resolved.ok()) return report_error("model", resolved.status());
    const std::string path = *resolved;
    // The hash check would read (and keep resident) every page of the file; the loader still
    // checks the header, the tensor table and every tensor's bounds.
    auto model = model::Model::open(path, {.verify_hash = false, .expected_stage = "asr"});
    if (!model.ok()) return report_error("model", model.status());
    auto t =
        asr::Transcriber::create(cfg, std::make_shared<model::Model>(std::move(model).value()));
    if (!t.ok()) return report_error("model " + path, t.status());
    std::unique_ptr<vad::VadEngine> vad;
    if (args->vad != "none") {
      vad::VadEngineOptions options;
      options.engine = args->vad;
      auto v = vad::make_vad_engine(options);
      if (!v.ok()) return report_error("--vad " + args->vad, v.status());
      vad = std::move(v).value();
    }
    const bool bar = !args->no_progress && isatty(STDERR_FILENO);
    int failures = 0;
    for (const auto& file : args->files) {
      // Read in chunks: a file of any length is transcribed with bounded memory.
      auto stream = audio::AudioFileStream::open(file);
      if (!stream.ok()) {
        failures += report_error("transcribe", stream.status());  // the status names the file
        continue;
      }
      const auto t0 = std::chrono::steady_clock::now();
      bool bar_done = false;
      auto progress = [&](double done, double total) {
        if (!bar || bar_done) return;
        const int w = 30,
                  filled = total > 0 ? static_cast<int>(w * std::min(1.0, done / total)) : w;
        std::fprintf(stderr, "\r[%.*s%*s] %.0f/%.0f s", filled, "##############################",
                     w - filled, "", done, total);
        if (done >= total) {
          std::fprintf(stderr, "\n");
          bar_done = true;
        }
      };
      auto pull = [&](int16_t* out, size_t max) { return (*stream)->read(out, max); };
      auto r = (*t)->transcribe_stream(pull, (*stream)->expected_samples() / 16000.0, progress,
                                       vad.get(), args->chunk_seconds);
      if (!r.ok()) {
        failures += report_error(file, r.status());
        continue;
      }
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      print(*r, args->format, r->duration > 0 ? secs / r->duration : 0.0);
    }
    return failures ? 1 : 0;
  };
}

const CommandRegistration kTranscribe{"transcribe", &setup_transcribe};

}  // namespace
}  // namespace earshot::cli
