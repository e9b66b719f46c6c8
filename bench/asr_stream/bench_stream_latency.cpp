// Streaming ASR latency on spoken commands of 2-6 s (espeak-ng, made at start-up): the time
// from the end of the audio (the last push, then finish()) to the final text, against the
// offline Transcriber decoding the same clip, one thread, int8 tiny.en, in the same run.
//
//   BM_Offline/<i>           Transcriber::transcribe(clip), what an offline system waits for
//   BM_StreamFinal/as_made/<i>  finish() -> final, the clip as espeak-ng made it (about 0.3 s
//                            of silence after the speech, so the decode made at the pause is
//                            usually the final)
//   BM_StreamFinal/trimmed/<i>  the same with the trailing silence cut (speech up to the last
//                            sample: the final needs a decode after finish())
//   BM_StreamTotal/<i>       all the work of a streamed clip (every partial decode), for scale
//
// Times are the thread's CPU time (the work is single-threaded; the machine is shared), set
// as manual iteration times. The summary prints each StreamFinal / Offline ratio, their
// geometric mean, and the streamed and offline texts.
//
//   bench_stream_latency [--pad_s=S] [--benchmark_filter=...]   (needs espeak-ng, model cache)
// --pad_s: the streaming encoder window is the audio rounded up to S seconds (default 10).
#include <benchmark/benchmark.h>
#include <time.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "asr/streaming_transcriber.hpp"
#include "audio/audio_file.hpp"
#include "bench/common/time_recorder.hpp"
#include "vad/vad_factory.hpp"

namespace {

using earshot::asr::StreamEvent;
using earshot::asr::StreamingConfig;
using earshot::asr::StreamingTranscriber;
using earshot::asr::Transcriber;
using earshot::asr::TranscriberConfig;

const std::vector<std::string> kCommands = {
    "set a timer for ten minutes",
    "turn on the kitchen lights and set them to fifty percent",
    "what is the weather going to be like tomorrow morning",
    "play some relaxing music in the living room",
    "remind me to call my mother at seven thirty this evening",
    "turn off all the lights downstairs and lock the front door please",
};

struct Clip {
  std::vector<int16_t> as_made, trimmed;
};

std::vector<Clip> g_clips;
std::shared_ptr<earshot::model::Model> g_model;
std::unique_ptr<Transcriber> g_offline;
float g_pad_s = StreamingConfig{}.pad_s;

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

std::string model_path() {
  return std::string(EARSHOT_CACHE_DIR) + "/models/whisper-tiny.en.int8.esm";
}

// Cuts the silence after the last sample louder than about -40 dBFS, keeping 20 ms.
std::vector<int16_t> trim_tail(const std::vector<int16_t>& a) {
  size_t end = a.size();
  while (end > 0 && std::abs(a[end - 1]) < 330) --end;
  return std::vector<int16_t>(a.begin(), a.begin() + std::min(a.size(), end + 320));
}

bool make_clips() {
  const auto dir = std::filesystem::temp_directory_path() / "earshot_asr_stream_bench";
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < kCommands.size(); ++i) {
    const std::string wav = (dir / ("command" + std::to_string(i) + ".wav")).string();
    const std::string cmd = "espeak-ng -v en-us -s 150 -w '" + wav + "' '" + kCommands[i] + "'";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "bench_stream_latency: espeak-ng failed (%s)\n", cmd.c_str());
      return false;
    }
    auto a = earshot::audio::read_mono16k(wav);
    if (!a.ok()) {
      std::fprintf(stderr, "bench_stream_latency: %s\n", a.status().to_string().c_str());
      return false;
    }
    g_clips.push_back({*a, trim_tail(*a)});
  }
  return true;
}

std::unique_ptr<StreamingTranscriber> make_stream() {
  auto v = earshot::vad::make_vad_engine({});
  if (!v.ok()) return nullptr;
  StreamingConfig c;
  c.pad_s = g_pad_s;
  auto s = StreamingTranscriber::create(c, g_model, std::move(v).value());
  return s.ok() ? std::move(s).value() : nullptr;
}

// Streams `clip` in 10 ms blocks, stepping after each; returns the seconds of thread CPU
// from finish() to the final and the final text.
double stream_clip(StreamingTranscriber& s, const std::vector<int16_t>& clip, std::string* text,
                   double* total_s = nullptr) {
  s.reset();
  std::string final_text;
  auto drain = [&] {
    for (;;) {
      auto e = s.step();
      if (!e.ok() || !e->has_value()) return;
      if ((*e)->type == StreamEvent::Type::kFinal) final_text += (*e)->text;
    }
  };
  const double t_start = thread_cpu_s();
  for (size_t pos = 0; pos < clip.size(); pos += 160) {
    const size_t n = std::min<size_t>(160, clip.size() - pos);
    if (!s.push(std::span<const int16_t>(clip.data() + pos, n)).ok()) return 0.0;
    drain();
  }
  const double t0 = thread_cpu_s();
  if (!s.finish().ok()) return 0.0;
  drain();
  const double t1 = thread_cpu_s();
  if (text) *text = final_text;
  if (total_s) *total_s = t1 - t_start;
  return t1 - t0;
}

void BM_Offline(benchmark::State& state) {
  const auto& clip = g_clips[state.range(0)].as_made;
  for (auto _ : state) {
    const double t0 = thread_cpu_s();
    auto r = g_offline->transcribe(clip);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    state.SetIterationTime(thread_cpu_s() - t0);
  }
}

void BM_StreamFinal(benchmark::State& state) {
  const auto& c = g_clips[state.range(1)];
  const auto& clip = state.range(0) ? c.trimmed : c.as_made;
  auto s = make_stream();
  if (!s) {
    state.SkipWithError("cannot create the stream");
    return;
  }
  for (auto _ : state) state.SetIterationTime(stream_clip(*s, clip, nullptr));
  state.counters["finals_precomputed"] =
      static_cast<double>(s->finals_precomputed()) / static_cast<double>(state.iterations());
}

void BM_StreamTotal(benchmark::State& state) {
  const auto& clip = g_clips[state.range(0)].as_made;
  auto s = make_stream();
  if (!s) {
    state.SkipWithError("cannot create the stream");
    return;
  }
  for (auto _ : state) {
    double total = 0;
    stream_clip(*s, clip, nullptr, &total);
    state.SetIterationTime(total);
  }
}

void register_all() {
  const int n = static_cast<int>(g_clips.size());
  for (int i = 0; i < n; ++i) {
    benchmark::RegisterBenchmark("BM_Offline", BM_Offline)->Arg(i)->UseManualTime()->Iterations(3);
    for (int trimmed : {0, 1}) {
      benchmark::RegisterBenchmark(trimmed ? "BM_StreamFinal/trimmed" : "BM_StreamFinal/as_made",
                                   BM_StreamFinal)
          ->Args({trimmed, i})
          ->UseManualTime()
          ->Iterations(3);
    }
    benchmark::RegisterBenchmark("BM_StreamTotal", BM_StreamTotal)
        ->Arg(i)
        ->UseManualTime()
        ->Iterations(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--pad_s=", 0) == 0) {
      g_pad_s = std::strtof(a.c_str() + 8, nullptr);
    } else {
      std::fprintf(stderr, "bench_stream_latency: unknown option %s\n", a.c_str());
      return 1;
    }
  }
  if (!std::filesystem::exists(model_path())) {
    std::fprintf(stderr, "bench_stream_latency: %s missing (run setup.sh)\n", model_path().c_str());
    return 1;
  }
  auto m =
      earshot::model::Model::open(model_path(), {.verify_hash = false, .expected_stage = "asr"});
  if (!m.ok()) {
    std::fprintf(stderr, "bench_stream_latency: %s\n", m.status().to_string().c_str());
    return 1;
  }
  g_model = std::make_shared<earshot::model::Model>(std::move(m).value());
  auto t = Transcriber::create(TranscriberConfig{}, g_model);
  if (!t.ok() || !make_clips()) return 1;
  g_offline = std::move(t).value();
  if (!make_stream()) {
    std::fprintf(stderr, "bench_stream_latency: no VAD model (run setup.sh)\n");
    return 1;
  }

  // What the two produce, once, before timing.
  for (size_t i = 0; i < g_clips.size(); ++i) {
    auto s = make_stream();
    std::string as_made, trimmed;
    stream_clip(*s, g_clips[i].as_made, &as_made);
    stream_clip(*s, g_clips[i].trimmed, &trimmed);
    auto off = g_offline->transcribe(g_clips[i].as_made);
    std::printf("clip %zu (%.2f s, trimmed %.2f s)\n  offline: %s\n  stream:  %s\n  trimmed: %s\n",
                i, g_clips[i].as_made.size() / 16000.0, g_clips[i].trimmed.size() / 16000.0,
                off.ok() ? off->text.c_str() : off.status().message().c_str(), as_made.c_str(),
                trimmed.c_str());
  }

  register_all();
  earshot::bench::TimeRecorder rec(earshot::bench::TimeRecorder::Clock::kReal);
  benchmark::RunSpecifiedBenchmarks(&rec);

  std::printf("\nfinish-to-final / offline transcribe (thread CPU, same run):\n");
  for (const char* variant : {"as_made", "trimmed"}) {
    double log_sum = 0;
    int n = 0;
    for (size_t i = 0; i < g_clips.size(); ++i) {
      const std::string off = "BM_Offline/" + std::to_string(i);
      const std::string st = std::string("BM_StreamFinal/") + variant + "/" +
                             (std::string(variant) == "trimmed" ? "1/" : "0/") + std::to_string(i);
      if (!rec.has(off) || !rec.has(st)) continue;
      const double r = rec.seconds(st) / rec.seconds(off);
      std::printf("  %-8s clip %zu: %.3f ms / %.1f ms = %.4f\n", variant, i, rec.seconds(st) * 1e3,
                  rec.seconds(off) * 1e3, r);
      log_sum += std::log(std::max(r, 1e-6));
      ++n;
    }
    if (n) std::printf("  %-8s geometric mean ratio: %.4f\n", variant, std::exp(log_sum / n));
  }
  benchmark::Shutdown();
  return 0;
}
