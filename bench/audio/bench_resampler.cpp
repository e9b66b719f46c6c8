// Converting 48 kHz stereo float to 16 kHz mono int16 in 10 ms blocks, as a capture device
// would deliver it. Counter `x_realtime`: seconds of audio converted per CPU second.
// References in the same run: other soxr qualities and a plain linear-interpolation
// resampler (fast, but aliases), so the HQ figure reads as a ratio.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "audio/mono16k_converter.hpp"
#include "audio/sample_format.hpp"

namespace {

using earshot::audio::Mono16kConverter;
using earshot::audio::ResamplerQuality;

constexpr int kRate = 48000;
constexpr int kSeconds = 2;
constexpr std::size_t kBlockFrames = kRate / 100;

// A tone mix plus a little noise, so no code path sees silence.
const std::vector<float>& input() {
  static const std::vector<float> data = [] {
    std::vector<float> d(static_cast<std::size_t>(kRate) * kSeconds * 2);
    std::uint32_t seed = 1;
    for (std::size_t i = 0; i < d.size() / 2; ++i) {
      seed = seed * 1664525u + 1013904223u;
      const float noise = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
      const float t = static_cast<float>(i) / kRate;
      d[2 * i] = 0.3f * std::sin(6.2831853f * 440.0f * t) + 0.05f * noise;
      d[2 * i + 1] = 0.3f * std::sin(6.2831853f * 1250.0f * t) - 0.05f * noise;
    }
    return d;
  }();
  return data;
}

void BM_Soxr48kStereoToMono16k(benchmark::State& state) {
  const auto quality = static_cast<ResamplerQuality>(state.range(0));
  auto converter = Mono16kConverter::create(kRate, 2, quality);
  if (!converter.ok()) {
    state.SkipWithError(converter.status().message().c_str());
    return;
  }
  const auto& in = input();
  std::vector<std::int16_t> out;
  out.reserve(16000 * kSeconds + 4096);
  for (auto _ : state) {
    out.clear();
    for (std::size_t f = 0; f + kBlockFrames <= in.size() / 2; f += kBlockFrames) {
      if (!converter->process(in.data() + 2 * f, kBlockFrames, out).ok()) {
        state.SkipWithError("process failed");
        return;
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["samples_out"] = static_cast<double>(out.size());
  state.counters["x_realtime"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kSeconds, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Soxr48kStereoToMono16k)
    ->ArgName("soxr_quality")  // 0 quick, 1 low, 2 medium, 3 high (earshot's), 4 very high
    ->DenseRange(0, 4)
    ->Unit(benchmark::kMillisecond);

// Reference: down-mix, then linear interpolation at a 3:1 step, then int16. No filtering.
void BM_Linear48kStereoToMono16k(benchmark::State& state) {
  const auto& in = input();
  std::vector<std::int16_t> out;
  out.reserve(16000 * kSeconds + 4096);
  std::vector<float> mono(kBlockFrames + 1);
  const double step = static_cast<double>(kRate) / 16000.0;
  for (auto _ : state) {
    out.clear();
    double pos = 0;  // position in the current block, carried across blocks
    float prev = 0;  // last sample of the previous block
    for (std::size_t f = 0; f + kBlockFrames <= in.size() / 2; f += kBlockFrames) {
      mono[0] = prev;
      earshot::audio::downmix_to_mono(in.data() + 2 * f, kBlockFrames, 2, mono.data() + 1);
      for (; pos < kBlockFrames; pos += step) {
        const auto i = static_cast<std::size_t>(pos);
        const float frac = static_cast<float>(pos - i);
        out.push_back(earshot::audio::float_to_int16(mono[i] + frac * (mono[i + 1] - mono[i])));
      }
      pos -= kBlockFrames;
      prev = mono[kBlockFrames];
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["samples_out"] = static_cast<double>(out.size());
  state.counters["x_realtime"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kSeconds, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Linear48kStereoToMono16k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
