// Wake-word frontend speed: the integer KwsFrontend against its float reference (FFTW) on the
// same recording in the same run. Reports time per 10 ms frame and the ratio float / integer.
//   build-kws/bin/bench_kws_frontend
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "features/kws/kws_float_reference.hpp"
#include "features/kws/kws_frontend.hpp"

namespace {

using earshot::features::kws::KwsFloatReference;
using earshot::features::kws::KwsFrontend;

const std::vector<int16_t>& speech() {
  static const std::vector<int16_t> samples = [] {
    std::ifstream f(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw", std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<int16_t> s(bytes.size() / 2);
    std::memcpy(s.data(), bytes.data(), s.size() * 2);
    return s;
  }();
  return samples;
}

// Pushes the recording 160 samples at a time (the pipeline's 10 ms blocks).
template <typename Frontend, typename Out>
void run(benchmark::State& state, Frontend& fe) {
  const auto& audio = speech();
  if (audio.size() < 16000) {
    state.SkipWithError("goforward.raw missing");
    return;
  }
  std::vector<Out> out(fe.frame_size());
  std::size_t frames = 0;
  for (auto _ : state) {
    fe.reset();
    for (std::size_t pos = 0; pos + 160 <= audio.size(); pos += 160) {
      frames += fe.push(std::span(audio).subspan(pos, 160), std::span(out));
      benchmark::DoNotOptimize(out.data());
    }
  }
  // Seconds (CPU) per frame, printed with an SI prefix (e.g. 8.4u = 8.4 microseconds).
  state.counters["time_per_frame"] =
      benchmark::Counter(double(frames), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

struct NativeKws {
  std::unique_ptr<KwsFrontend> fe;
  std::size_t frame_size() const { return fe->frame_size(); }
  void reset() { fe->reset(); }
  std::size_t push(std::span<const int16_t> s, std::span<uint16_t> out) {
    return fe->push_native(s, out);
  }
};

void BM_KwsFrontendInt(benchmark::State& state) {
  auto fe = KwsFrontend::create();
  if (!fe.ok()) return state.SkipWithError(fe.status().to_string().c_str());
  NativeKws native{std::move(fe).value()};
  run<NativeKws, uint16_t>(state, native);
}

void BM_KwsFloatReference(benchmark::State& state) {
  auto ref = KwsFloatReference::create();
  if (!ref.ok()) return state.SkipWithError(ref.status().to_string().c_str());
  run<KwsFloatReference, float>(state, **ref);
}

BENCHMARK(BM_KwsFrontendInt)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KwsFloatReference)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  earshot::bench::TimeRecorder times;
  benchmark::RunSpecifiedBenchmarks(&times);
  benchmark::Shutdown();
  const double integer = times.seconds("BM_KwsFrontendInt");
  const double reference = times.seconds("BM_KwsFloatReference");
  if (integer > 0 && reference > 0) {
    std::printf("ratio float reference / integer KwsFrontend: %.2fx (CPU time)\n",
                reference / integer);
  }
  return 0;
}
