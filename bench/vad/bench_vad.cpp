// VAD timings on real speech (goforward.raw), to read as ratios in one run:
//   BM_MfccFrontend vs BM_FixedVad: the tier-0 VAD's cost beyond the shared fixed-point
//   frontend (per 10 ms frame); BM_FixedVadScore: that part alone on precomputed log-mel.
//   BM_Silero/f32 vs BM_Silero/int8: per 32 ms chunk (bench/eval_vad/run_eval.py compares them
//   with onnxruntime in the same run).
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "features/mfcc/fixed_point_mfcc.hpp"
#include "vad/fixed_vad.hpp"
#include "vad/silero_vad.hpp"

namespace {

using earshot::vad::FixedPointVad;

std::vector<int16_t> speech() {
  std::ifstream f(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw", std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(f)), {});
  std::vector<int16_t> s(b.size() / 2);
  std::memcpy(s.data(), b.data(), s.size() * 2);
  return s;
}

void BM_MfccFrontend(benchmark::State& state) {
  earshot::features::mfcc::MfccConfig cfg;
  cfg.log_mel = true;
  cfg.mel_bins = FixedPointVad::kMelBins;
  auto fe = earshot::features::mfcc::FixedPointMfcc::create(cfg);
  const auto audio = speech();
  std::vector<int32_t> out(FixedPointVad::kMelBins);
  size_t pos = 0;
  for (auto _ : state) {
    if (pos + 160 > audio.size()) pos = 0;
    benchmark::DoNotOptimize(fe.value()->push_fixed({audio.data() + pos, 160}, out));
    pos += 160;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MfccFrontend);

void BM_FixedVad(benchmark::State& state) {
  auto v = FixedPointVad::create();
  const auto audio = speech();
  size_t pos = 0;
  int32_t p = 0;
  for (auto _ : state) {
    if (pos + 160 > audio.size()) pos = 0;
    benchmark::DoNotOptimize(v.value()->process_frame(audio.data() + pos, &p));
    pos += 160;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FixedVad);

void BM_FixedVadScore(benchmark::State& state) {
  auto v = FixedPointVad::create();
  earshot::features::mfcc::MfccConfig cfg;
  cfg.log_mel = true;
  cfg.mel_bins = FixedPointVad::kMelBins;
  auto fe = earshot::features::mfcc::FixedPointMfcc::create(cfg);
  const auto audio = speech();
  std::vector<int32_t> frames(FixedPointVad::kMelBins * (audio.size() / 160));
  const size_t n = fe.value()->push_fixed(audio, frames);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(v.value()->score_frame(frames.data() + (i++ % n) * 40));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FixedVadScore);

void BM_Silero(benchmark::State& state) {
  const std::string path = std::string(EARSHOT_CACHE_DIR) + "/models/silero-vad-v6." +
                           (state.range(0) ? "int8" : "f32") + ".esm";
  auto m = earshot::model::Model::open(path);
  if (!m.ok()) {
    state.SkipWithError(m.status().message().c_str());
    return;
  }
  auto v = earshot::vad::SileroVad::create(std::move(m.value()));
  const auto audio = speech();
  std::vector<float> x(audio.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = audio[i] / 32768.0f;
  size_t pos = 0;
  float p = 0;
  for (auto _ : state) {
    if (pos + 512 > x.size()) pos = 0;
    benchmark::DoNotOptimize(v.value()->process(x.data() + pos, &p));
    pos += 512;
  }
  state.SetLabel(state.range(0) ? "int8" : "f32");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Silero)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
