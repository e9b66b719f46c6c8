// `earshot vad`: speech segments of an audio file (any rate and channels, resampled to 16 kHz,
// streamed with bounded memory), from the tier-0 fixed-point VAD or Silero VAD v6.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio_file_stream.hpp"
#include "command.hpp"
#include "vad/fixed_vad.hpp"
#include "vad/neural_vad.hpp"
#include "vad/streaming_vad.hpp"
#include "vad/vad_factory.hpp"

namespace earshot::cli {
namespace {

struct VadArgs {
  vad::VadEngineOptions engine;
  vad::SegmenterConfig seg;
  std::string input;
  std::string format = "json";
  std::string frame_probs;    // optional: one probability per line
  std::string dump_features;  // optional (fixed): int32 features per frame, raw
  size_t chunk = 160;
  bool stats = false;
};

class Collector final : public vad::VadListener {
 public:
  Collector(std::FILE* probs, std::FILE* feats, const vad::FixedPointVad* fixed,
            const vad::NeuralVad* neural)
      : probs_(probs), feats_(feats), fixed_(fixed), neural_(neural) {}
  void on_frame(int64_t, int32_t prob_q15) override {
    // The neural engine's float probability, unrounded (parity tests compare it to 1e-4).
    if (probs_) {
      std::fprintf(probs_, "%.7f\n", neural_ ? neural_->last_probability() : prob_q15 / 32768.0);
    }
    if (feats_ && fixed_) {
      std::fwrite(fixed_->features().data(), sizeof(int32_t), fixed_->features().size(), feats_);
    }
  }
  void on_segment(const vad::SpeechSegment& s) override { segments.push_back(s); }
  std::vector<vad::SpeechSegment> segments;

 private:
  std::FILE* probs_;
  std::FILE* feats_;
  const vad::FixedPointVad* fixed_;
  const vad::NeuralVad* neural_;
};

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

int run_vad(const VadArgs& a) {
  if (a.chunk < 1 || a.chunk > (1u << 22)) return report_error("vad: --chunk must be in [1, 4M]");
  if (a.format != "json" && a.format != "text") {
    return report_error("vad: --format must be json or text");
  }
  auto engine = vad::make_vad_engine(a.engine);
  if (!engine.ok()) return report_error("vad", engine.status());
  const auto* fixed = dynamic_cast<const vad::FixedPointVad*>(engine.value().get());
  const auto* neural = dynamic_cast<const vad::NeuralVad*>(engine.value().get());
  auto stream = vad::StreamingVad::create(std::move(engine.value()), a.seg);
  if (!stream.ok()) return report_error("vad", stream.status());
  auto file = audio::AudioFileStream::open(a.input);
  if (!file.ok()) return report_error("vad", file.status());

  File probs, feats;
  if (!a.frame_probs.empty()) {
    probs.reset(std::fopen(a.frame_probs.c_str(), "w"));
    if (!probs) return report_error("vad: cannot write " + a.frame_probs);
  }
  if (!a.dump_features.empty()) {
    if (!fixed) return report_error("vad: --dump-features needs --engine fixed");
    feats.reset(std::fopen(a.dump_features.c_str(), "wb"));
    if (!feats) return report_error("vad: cannot write " + a.dump_features);
  }
  Collector out(probs.get(), feats.get(), fixed, neural);
  vad::StreamingVad& v = *stream.value();
  std::vector<int16_t> buf(a.chunk);
  for (;;) {
    auto got = file.value()->read(buf.data(), buf.size());
    if (!got.ok()) return report_error("vad: " + a.input, got.status());
    if (got.value() == 0) break;
    const Status st = v.push(std::span<const int16_t>(buf.data(), got.value()), out);
    if (!st.ok()) return report_error("vad: " + a.input, st);
  }
  const int64_t total = v.samples_seen();
  const std::string engine_name = v.engine().name();
  const Status st = v.finish(out);
  if (!st.ok()) return report_error("vad: " + a.input, st);

  if (a.format == "json") {
    std::printf("{\"segments\":[");
    for (size_t i = 0; i < out.segments.size(); ++i) {
      std::printf("%s{\"start\":%.3f,\"end\":%.3f}", i ? "," : "", out.segments[i].start / 16000.0,
                  out.segments[i].end / 16000.0);
    }
    std::printf("]}\n");
  } else {
    for (const auto& s : out.segments)
      std::printf("%.3f\t%.3f\n", s.start / 16000.0, s.end / 16000.0);
  }
  if (a.stats) {
    const runtime::StageCounters& e = v.engine().counters();
    std::fprintf(stderr,
                 "{\"engine\":\"%s\",\"audio_s\":%.3f,\"frames\":%llu,\"cpu_ns\":%llu,"
                 "\"ns_per_frame\":%.1f,\"macs\":%llu,\"state_bytes\":%llu}\n",
                 engine_name.c_str(), total / 16000.0, (unsigned long long)e.frames,
                 (unsigned long long)e.cpu_ns, e.frames ? double(e.cpu_ns) / double(e.frames) : 0.0,
                 (unsigned long long)e.macs, (unsigned long long)e.state_bytes);
  }
  return 0;
}

CommandRunner setup_vad(CLI::App& app) {
  auto a = std::make_shared<VadArgs>();
  auto* cmd = app.add_subcommand("vad", "Print the speech segments of an audio file");
  cmd->add_option("file", a->input, "Audio file (any rate/channels libsndfile reads)")->required();
  cmd->add_option("--engine", a->engine.engine,
                  "fixed (tier 0, integer only) or neural (Silero v6)")
      ->check(CLI::IsMember({"fixed", "neural"}))
      ->capture_default_str();
  cmd->add_option("--precision", a->engine.precision, "neural: f32 or int8")
      ->check(CLI::IsMember({"f32", "int8"}))
      ->capture_default_str();
  cmd->add_option("--model", a->engine.model_path, "neural: model file (default: models folder)");
  cmd->add_option("--format", a->format, "json or text (start<TAB>end per line)")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  cmd->add_option("--threshold", a->seg.threshold, "speech starts at this probability")
      ->capture_default_str();
  cmd->add_option("--end-threshold", a->seg.end_threshold,
                  "speech ends below this (default threshold - 0.15)");
  cmd->add_option("--min-speech-ms", a->seg.min_speech_ms, "shorter segments are dropped")
      ->capture_default_str();
  cmd->add_option("--min-silence-ms", a->seg.min_silence_ms, "silence that ends a segment")
      ->capture_default_str();
  cmd->add_option("--pad-ms", a->seg.speech_pad_ms, "padding on both sides of a segment")
      ->capture_default_str();
  cmd->add_option("--max-speech-s", a->seg.max_speech_s, "longer segments are split (0 = never)")
      ->capture_default_str();
  cmd->add_option("--chunk", a->chunk, "samples per push (streaming test)")->capture_default_str();
  cmd->add_option("--frame-probs", a->frame_probs, "write each frame's probability to this file");
  cmd->add_option("--dump-features", a->dump_features,
                  "fixed: write each frame's int32 features (raw) to this file (training)");
  cmd->add_flag("--stats", a->stats, "print engine counters as JSON on stderr");
  return [a] { return run_vad(*a); };
}

const CommandRegistration kVad{"vad", &setup_vad};

}  // namespace
}  // namespace earshot::cli
