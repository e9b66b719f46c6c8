// Time per 10 ms frame of the feature frontends on real speech, pushed 160 samples at a time
// as a device does: FixedPointMfcc against its FFTW reference FloatMfccReference (same run,
// ratio printed at the end), both for MFCC and log-mel output, and the Whisper log-mel.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "features/mfcc/fixed_point_mfcc.hpp"
#include "features/mfcc/float_mfcc_reference.hpp"
#include "features/whisper/streaming_whisper_mel.hpp"

namespace {

using earshot::features::StreamingFrontend;
using namespace earshot::features::mfcc;

const std::vector<int16_t>& speech() {
  static const std::vector<int16_t> s = [] {
    std::ifstream in(std::string(EARSHOT_SPEECH_DIR) + "/goforward.raw", std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<int16_t> v(bytes.size() / 2);
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = static_cast<int16_t>(static_cast<uint8_t>(bytes[2 * i]) |
                                  (static_cast<uint8_t>(bytes[2 * i + 1]) << 8));
    }
    if (v.size() < 16000) v.assign(16000, 0);  // keeps the benchmark running without the data
    return v;
  }();
  return s;
}

// One iteration = one 160-sample push = one frame (after the first 400 samples).
void run_frames(benchmark::State& state, StreamingFrontend& fe) {
  const auto& audio = speech();
  const std::size_t hop = fe.hop_samples();
  std::vector<float> out(8 * fe.frame_size());
  std::size_t pos = 0, frames = 0;
  for (auto _ : state) {
    if (pos + hop > audio.size()) pos = 0;
    frames += fe.push({audio.data() + pos, hop}, out);
    benchmark::DoNotOptimize(out.data());
    pos += hop;
  }
  state.counters["frames"] = static_cast<double>(frames);
}

template <typename Frontend>
void BM_Mfcc(benchmark::State& state) {
  MfccConfig c;
  c.log_mel = state.range(0) != 0;
  auto fe = Frontend::create(c);
  if (!fe.ok()) {
    state.SkipWithError(fe.status().message().c_str());
    return;
  }
  run_frames(state, **fe);
}
BENCHMARK_TEMPLATE(BM_Mfcc, FixedPointMfcc)->ArgName("log_mel")->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_Mfcc, FloatMfccReference)->ArgName("log_mel")->Arg(0)->Arg(1);

void BM_WhisperMel(benchmark::State& state) {
  earshot::features::whisper::StreamingWhisperMel fe;
  run_frames(state, fe);
}
BENCHMARK(BM_WhisperMel);

// The per-frame summary with the fixed/float ratio (CPU time, same run).
void print_summary(const earshot::bench::TimeRecorder& t) {
  std::printf("\nCPU time per 10 ms frame (goforward.raw, 160-sample pushes):\n");
  for (const char* arg : {"log_mel:0", "log_mel:1"}) {
    const double a = t.seconds(std::string("BM_Mfcc<FixedPointMfcc>/") + arg);
    const double b = t.seconds(std::string("BM_Mfcc<FloatMfccReference>/") + arg);
    if (a <= 0 || b <= 0) continue;
    std::printf("  %-8s fixed-point %.2f us, float FFTW reference %.2f us, ratio %.2fx\n",
                arg[8] == '1' ? "log-mel" : "mfcc", a * 1e6, b * 1e6, a / b);
  }
  if (t.has("BM_WhisperMel"))
    std::printf("  whisper-mel %.2f us\n", t.seconds("BM_WhisperMel") * 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  earshot::bench::TimeRecorder times;
  benchmark::RunSpecifiedBenchmarks(&times);
  benchmark::Shutdown();
  print_summary(times);
  return 0;
}
