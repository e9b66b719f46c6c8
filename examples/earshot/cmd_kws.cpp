// `earshot kws`: wake-word detection over an audio file (streamed, bounded memory).
//   earshot kws [--keyword hey_jarvis ...] [--threshold P] [--format json|text] FILE
// --dump-steps FILE writes every inference's uint8 output (one line per keyword: the name,
// then the values) for the parity test against the TFLite runtime; --stats prints the stage's
// counters (CPU time, arena and state bytes) to stderr.
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audio/audio_file_stream.hpp"
#include "command.hpp"
#include "kws/kws_detector.hpp"

namespace earshot::cli {
namespace {

struct KwsArgs {
  std::vector<std::string> keywords;
  float threshold = 0.0f;
  double refractory = 2.0;
  std::string format = "json";
  std::string input;
  std::string dump_steps;
  bool stats = false;
};

struct Collected {
  std::vector<kws::KwsDetection> detections;
  std::vector<std::vector<uint8_t>> steps;
};

int run_kws(const KwsArgs& args) {
  kws::KwsConfig config;
  if (!args.keywords.empty()) config.keywords = args.keywords;
  config.threshold = args.threshold;
  config.refractory_s = args.refractory;
  auto det = kws::KwsDetector::create(config);
  if (!det.ok()) return report_error("kws", det.status());
  auto stream = audio::AudioFileStream::open(args.input);
  if (!stream.ok()) return report_error("kws", stream.status());

  Collected got;
  got.steps.resize(config.keywords.size());
  kws::KwsDetectionSink sink;
  sink.user = &got;
  sink.on_detection = [](void* u, const kws::KwsDetection& d) {
    static_cast<Collected*>(u)->detections.push_back(d);
  };
  if (!args.dump_steps.empty()) {
    sink.on_inference = [](void* u, int k, uint64_t, uint8_t out) {
      static_cast<Collected*>(u)->steps[k].push_back(out);
    };
  }
  std::vector<int16_t> block(16000);
  uint64_t samples = 0;
  for (;;) {
    auto n = (*stream)->read(block.data(), block.size());
    if (!n.ok()) return report_error("kws", n.status());
    if (*n == 0) break;
    samples += *n;
    (*det)->process(std::span<const int16_t>(block.data(), *n), sink);
  }
  // One inference needs 3 frames: a 30 ms window plus two 10 ms steps.
  if (samples < 800) {
    return report_error("kws: " + args.input + ": audio is " + std::to_string(samples) +
                        " samples at 16 kHz, shorter than one wake-word inference (800 "
                        "samples, 50 ms)");
  }
  if (!args.dump_steps.empty()) {
    std::FILE* f = std::fopen(args.dump_steps.c_str(), "w");
    if (f == nullptr) return report_error("kws: cannot write " + args.dump_steps);
    for (int k = 0; k < (*det)->keyword_count(); ++k) {
      std::fprintf(f, "%s", (*det)->keyword_name(k).c_str());
      for (uint8_t v : got.steps[k]) std::fprintf(f, " %u", static_cast<unsigned>(v));
      std::fprintf(f, "\n");
    }
    if (std::fclose(f) != 0) return report_error("kws: cannot write " + args.dump_steps);
  }
  if (args.format == "json") {
    nlohmann::json out;
    out["detections"] = nlohmann::json::array();
    for (const auto& d : got.detections) {
      out["detections"].push_back({{"keyword", (*det)->keyword_name(d.keyword)},
                                   {"time", std::round(d.time_s * 100.0) / 100.0},
                                   {"score", std::round(d.score * 1000.0) / 1000.0}});
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    for (const auto& d : got.detections) {
      std::printf("%.2f\t%s\t%.3f\n", d.time_s, (*det)->keyword_name(d.keyword).c_str(), d.score);
    }
  }
  if (args.stats) {
    const auto& c = (*det)->counters();
    const double audio_s = static_cast<double>(samples) / 16000.0;
    std::fprintf(stderr,
                 "earshot: kws: %.1f s of audio, %llu frames, %.3f s in the stage "
                 "(%.4f %% of one core; %.2f us per 10 ms), arena+state %zu bytes, "
                 "%llu MACs\n",
                 audio_s, static_cast<unsigned long long>(c.frames), c.cpu_ns * 1e-9,
                 100.0 * c.cpu_ns * 1e-9 / audio_s, c.cpu_ns * 1e-3 / (audio_s * 100.0),
                 (*det)->arena_and_state_bytes(), static_cast<unsigned long long>(c.macs));
  }
  return 0;
}

CommandRunner setup_kws(CLI::App& app) {
  auto args = std::make_shared<KwsArgs>();
  auto* cmd = app.add_subcommand("kws", "Detect wake words in an audio file");
  cmd->add_option("--keyword", args->keywords,
                  "Keyword(s) to listen for: okay_nabu (default), hey_jarvis, alexa, hey_mycroft");
  cmd->add_option("--threshold", args->threshold,
                  "Probability cutoff for all keywords (default: each model's own)");
  cmd->add_option("--refractory", args->refractory, "Seconds a keyword stays quiet after firing")
      ->capture_default_str();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  cmd->add_option("--dump-steps", args->dump_steps,
                  "Write each inference's uint8 output per keyword to this file (parity tests)");
  cmd->add_flag("--stats", args->stats, "Print CPU time and memory figures to stderr");
  cmd->add_option("file", args->input, "Audio file (any rate/channels libsndfile reads)")
      ->required();
  return [args] { return run_kws(*args); };
}

const CommandRegistration kKws{"kws", &setup_kws};

}  // namespace
}  // namespace earshot::cli
