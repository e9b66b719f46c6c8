// The always-on cost: the whole pipeline in idle against tier 0 alone (the fixed-point
// frontend + integer VAD), on the same 10 s of audio, both in process, CPU time, same run.
// Audio: digital silence, and seeded room noise at about -60 and -45 dBFS. The target: the
// pipeline in idle costs at most 1.2x tier 0 alone.
//   build/bin/bench_pipeline_idle
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "pipeline/pipeline.hpp"
#include "vad/fixed_vad.hpp"

namespace {

using earshot::pipeline::Pipeline;

const char* const kKinds[] = {"silence", "noise60", "noise45"};

std::vector<int16_t> make_audio(int kind) {
  std::vector<int16_t> a(16000 * 10, 0);
  if (kind == 0) return a;
  std::mt19937 rng(11);
  std::normal_distribution<float> n(0.0f, kind == 1 ? 33.0f : 185.0f);
  // Pinkish: a one-pole low-pass on white noise, like a fan or room tone.
  float y = 0.0f;
  for (auto& v : a) {
    y = 0.9f * y + 0.436f * n(rng);
    v = static_cast<int16_t>(std::lround(y));
  }
  return a;
}

std::unique_ptr<Pipeline> g_pipeline;

void BM_Tier0Alone(benchmark::State& state) {
  const auto audio = make_audio(static_cast<int>(state.range(0)));
  auto vad = earshot::vad::FixedPointVad::create();
  if (!vad.ok()) return state.SkipWithError(vad.status().message().c_str());
  for (auto _ : state) {
    (*vad)->reset();
    int32_t p = 0;
    int64_t speech = 0;
    for (size_t i = 0; i + 160 <= audio.size(); i += 160) {
      (void)(*vad)->process_frame(audio.data() + i, &p);
      speech += p > 16384;
    }
    benchmark::DoNotOptimize(speech);
  }
  state.SetLabel(kKinds[state.range(0)]);
}

void BM_PipelineIdle(benchmark::State& state) {
  const auto audio = make_audio(static_cast<int>(state.range(0)));
  Pipeline& p = *g_pipeline;
  for (auto _ : state) {
    state.PauseTiming();
    (void)p.reset();
    state.ResumeTiming();
    for (size_t i = 0; i + 160 <= audio.size(); i += 160) {
      p.push(std::span<const int16_t>(audio.data() + i, 160));
      (void)p.step();
    }
  }
  const auto s = p.stats();
  if (s.state_samples[0] != s.samples) state.SkipWithError("the pipeline left idle");
  state.SetLabel(kKinds[state.range(0)]);
}

BENCHMARK(BM_Tier0Alone)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PipelineIdle)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  earshot::pipeline::PipelineConfig c;
  c.models_dir = std::string(EARSHOT_CACHE_DIR) + "/models";
  c.verify_models = false;
  auto p = Pipeline::create(c);
  if (!p.ok()) {
    std::fprintf(stderr, "bench_pipeline_idle: %s (run scripts/setup.sh)\n",
                 p.status().to_string().c_str());
    return 1;
  }
  g_pipeline = std::move(p).value();
  earshot::bench::TimeRecorder rec;
  benchmark::RunSpecifiedBenchmarks(&rec);
  std::printf("\npipeline in idle / tier 0 alone (CPU time, same audio, same run; target <= 1.2):\n");
  for (int k = 0; k < 3; ++k) {
    const std::string a = "BM_PipelineIdle/" + std::to_string(k);
    const std::string b = "BM_Tier0Alone/" + std::to_string(k);
    if (!rec.has(a) || !rec.has(b)) continue;
    std::printf("  %-8s %.1f us / %.1f us per 10 s = %.3f  (tier 0: %.3f us per 10 ms)\n", kKinds[k],
                rec.seconds(a) * 1e6, rec.seconds(b) * 1e6, rec.seconds(a) / rec.seconds(b),
                rec.seconds(b) * 1e6 / 1000.0);
  }
  g_pipeline.reset();
  benchmark::Shutdown();
  return 0;
}
