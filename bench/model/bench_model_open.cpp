// Opening a Whisper-sized (~155 MB) model: Model::open without the hash (mmap + header,
// metadata and table checks; no tensor page is touched) against the reference a loader without
// mmap needs, read() of the whole file into memory, measured in the same run. Also the full
// open with the SHA-256 check and the SHA-256 throughput.
//   build-model/bin/bench_model_open [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/model/model_writer.hpp"
#include "runtime/model/sha256.hpp"

namespace {

using earshot::model::DType;
using earshot::model::Model;
using earshot::model::OpenOptions;

// 168 f32 tensors of 384 x 600 (whisper tiny: 39 M f32 parameters, ~150 MB).
constexpr int kTensors = 168;
constexpr std::uint64_t kRows = 384, kCols = 600;

const std::string& model_path() {
  static const std::string path = [] {
    std::string p = "/tmp/earshot-bench-model-" + std::to_string(::getpid()) + ".esm";
    nlohmann::json meta = {
        {"stage", "asr"},
        {"architecture", "whisper"},
        {"format_version", 1},
        {"source", {{"package", "bench"}, {"version", "0"}, {"file", "-"}, {"sha256", ""}}},
        {"converter", "bench/model"}};
    earshot::model::ModelWriter w(meta);
    std::vector<float> values(kRows * kCols);
    for (int t = 0; t < kTensors; ++t) {
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i % 977) * t;
      auto st = w.add_tensor("encoder.blocks." + std::to_string(t) + ".weight", DType::kF32,
                             {kRows, kCols}, values.data(), values.size() * sizeof(float));
      if (!st.ok()) std::fprintf(stderr, "%s\n", st.message().c_str());
    }
    auto st = w.write_file(p);
    if (!st.ok()) std::fprintf(stderr, "bench setup: %s\n", st.message().c_str());
    return p;
  }();
  return path;
}

void BM_OpenMmapNoHash(benchmark::State& state) {
  const std::string& path = model_path();
  OpenOptions options;
  options.verify_hash = false;
  for (auto _ : state) {
    auto m = Model::open(path, options);
    if (!m.ok()) state.SkipWithError(m.status().message().c_str());
    benchmark::DoNotOptimize(m);
  }
}

// The reference: what a loader that copies the weights costs (allocate + read() the file).
void BM_ReadWholeFile(benchmark::State& state) {
  const std::string& path = model_path();
  for (auto _ : state) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const off_t size = ::lseek(fd, 0, SEEK_END);
    ::lseek(fd, 0, SEEK_SET);
    std::unique_ptr<char[]> buf(new char[static_cast<std::size_t>(size)]);
    std::size_t done = 0;
    while (done < static_cast<std::size_t>(size)) {
      const ssize_t n = ::read(fd, buf.get() + done, static_cast<std::size_t>(size) - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    benchmark::DoNotOptimize(buf.get());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.bytes_processed() + size));
  }
}

void BM_OpenMmapWithHash(benchmark::State& state) {
  const std::string& path = model_path();
  for (auto _ : state) {
    auto m = Model::open(path);
    if (!m.ok()) state.SkipWithError(m.status().message().c_str());
    benchmark::DoNotOptimize(m);
  }
}

void BM_Sha256(benchmark::State& state) {
  std::vector<std::uint8_t> data(16 << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31);
  for (auto _ : state) {
    auto d = earshot::model::Sha256::digest(data.data(), data.size());
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(data.size()));
}

BENCHMARK(BM_OpenMmapNoHash)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadWholeFile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OpenMmapWithHash)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Sha256)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Wall time: opening is about system calls and page tables, not CPU work alone.
  earshot::bench::TimeRecorder times(earshot::bench::TimeRecorder::Clock::kReal);
  benchmark::RunSpecifiedBenchmarks(&times);
  benchmark::Shutdown();
  const double open = times.seconds("BM_OpenMmapNoHash"), read = times.seconds("BM_ReadWholeFile");
  const double hashed = times.seconds("BM_OpenMmapWithHash");
  if (open > 0 && read > 0) {
    std::printf("open without hash: %.3f ms; read() of the file: %.2f ms; read/open = %.0fx\n",
                open * 1e3, read * 1e3, read / open);
  }
  if (hashed > 0 && read > 0) {
    std::printf("open with SHA-256: %.1f ms = %.2fx the read() reference\n", hashed * 1e3,
                hashed / read);
  }
  std::remove(model_path().c_str());
  return 0;
}
