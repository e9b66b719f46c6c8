// i8 vs f32 matrix kernels, every variant this CPU supports, in one run:
//  - GEMV (m = 1) on Whisper-tiny linear layers (N x K = 384x384, 1536x384, 384x1536, the
//    51864x384 vocabulary projection) and wake-word-sized layers; prints f32 time / i8 time.
//  - GEMM (m = 64, 1500) on Whisper-tiny encoder shapes; prints GOPS (2 ops per MAC) and the
//    share of the measured single-core peak of the instruction sequence each i8 variant uses.
// Run: build/bin/bench_kernels_gemm [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "peak.hpp"
#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace {

using earshot::kernels::F32GemmParams;
using earshot::kernels::I8GemmParams;
using earshot::kernels::PackedI8Weights;

struct Layer {
  int n, k;
  std::vector<int8_t> w8;
  PackedI8Weights packed;
  std::vector<float> wf, bias_f;
  std::vector<int32_t> bias, mult, shift;
  Layer(int n_, int k_) : n(n_), k(k_) {
    std::mt19937 rng(static_cast<unsigned>(n * 31 + k));
    std::uniform_int_distribution<int> d(-127, 127);
    w8.resize(static_cast<size_t>(n) * k);
    wf.resize(w8.size());
    for (size_t i = 0; i < w8.size(); ++i) {
      w8[i] = static_cast<int8_t>(d(rng));
      wf[i] = w8[i] * 0.01f;
    }
    packed = std::move(earshot::kernels::pack_i8_weights(w8.data(), n, k).value());
    const auto q = earshot::kernels::quantize_multiplier(0.0007);
    bias.assign(n, 100);
    mult.assign(n, q.multiplier);
    shift.assign(n, q.shift);
    bias_f.assign(n, 0.5f);
  }
};

struct Inputs {
  std::vector<int8_t> x8;
  std::vector<float> xf;
  std::vector<int8_t> y8;
  std::vector<float> yf;
  Inputs(int m, int n, int k)
      : x8(static_cast<size_t>(m) * k),
        xf(x8.size()),
        y8(static_cast<size_t>(m) * n),
        yf(y8.size()) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> d(-128, 127);
    for (size_t i = 0; i < x8.size(); ++i) {
      x8[i] = static_cast<int8_t>(d(rng));
      xf[i] = x8[i] * 0.02f;
    }
  }
};

std::map<int64_t, Layer*>& layers() {
  static std::map<int64_t, Layer*> all;
  return all;
}
Layer& layer(int n, int k) {
  Layer*& l = layers()[static_cast<int64_t>(n) << 32 | k];
  if (l == nullptr) l = new Layer(n, k);  // lives for the whole run
  return *l;
}

void run_i8(benchmark::State& state, earshot::kernels::I8GemmFn fn, int m, int n, int k) {
  Layer& l = layer(n, k);
  Inputs in(m, n, k);
  I8GemmParams p;
  p.m = m;
  p.x = in.x8.data();
  p.x_zero_point = -3;
  p.w = &l.packed;
  p.bias = l.bias.data();
  p.y = in.y8.data();
  p.multiplier = l.mult.data();
  p.shift = l.shift.data();
  for (auto _ : state) {
    fn(p);
    benchmark::DoNotOptimize(in.y8.data());
    benchmark::ClobberMemory();
  }
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void run_f32(benchmark::State& state, earshot::kernels::F32GemmFn fn, int m, int n, int k) {
  Layer& l = layer(n, k);
  Inputs in(m, n, k);
  F32GemmParams p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.a = in.xf.data();
  p.b = l.wf.data();
  p.b_transposed = true;
  p.bias = l.bias_f.data();
  p.c = in.yf.data();
  for (auto _ : state) {
    fn(p);
    benchmark::DoNotOptimize(in.yf.data());
    benchmark::ClobberMemory();
  }
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

std::string shape_name(int m, int n, int k) {
  std::string s = "m";
  s.append(std::to_string(m)).append("/n").append(std::to_string(n));
  s.append("/k").append(std::to_string(k));
  return s;
}

// "family/variant/shape" (appends: GCC 12 warns falsely on chained operator+ here).
std::string bench_name(const char* family, const char* variant, const std::string& shape) {
  std::string s = family;
  s.append("/").append(variant).append("/").append(shape);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  using earshot::kernels::f32_gemm_variants;
  using earshot::kernels::i8_gemm_variants;
  struct Shape {
    int m, n, k;
  };
  // Whisper tiny (d_model 384, FFN 1536, vocabulary 51864) and wake-word-sized layers.
  const std::vector<Shape> gemv = {{1, 384, 384},   {1, 1536, 384}, {1, 384, 1536},
                                   {1, 51864, 384}, {1, 64, 64},    {1, 32, 640}};
  const std::vector<Shape> gemm = {
      {64, 384, 384}, {64, 1536, 384}, {64, 384, 1536}, {1500, 384, 384}, {1500, 1536, 384}};
  auto reg = [](const std::vector<Shape>& shapes) {
    for (const Shape& s : shapes) {
      const bool small = static_cast<double>(s.m) * s.n * s.k < 4e6;
      for (const auto& v : i8_gemm_variants()) {
        if (v.isa == earshot::kernels::Isa::kRef && !small) continue;
        benchmark::RegisterBenchmark(bench_name("i8", v.name, shape_name(s.m, s.n, s.k)).c_str(),
                                     run_i8, v.run, s.m, s.n, s.k)
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(0.2);
      }
      for (const auto& v : f32_gemm_variants()) {
        if (v.isa == earshot::kernels::Isa::kRef && !small) continue;
        benchmark::RegisterBenchmark(bench_name("f32", v.name, shape_name(s.m, s.n, s.k)).c_str(),
                                     run_f32, v.run, s.m, s.n, s.k)
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(0.2);
      }
    }
  };
  reg(gemv);
  reg(gemm);
  earshot::bench::TimeRecorder rec;
  benchmark::RunSpecifiedBenchmarks(&rec);

  const double hz = earshot::bench::measure_frequency_hz();
  std::printf("\nengines: %s\n", earshot::kernels::engine_description().c_str());
  std::printf("core frequency (dependent-add chain, thread CPU time): %.3f GHz\n", hz * 1e-9);
  std::printf("times below are CPU times of the benchmark thread\n");
  auto time_of = [&](const std::string& name) { return rec.seconds(name) * 1e6; };
  std::printf("\nGEMV speed-up of i8 over f32 (f32 time / i8 time), same run:\n");
  for (const Shape& s : gemv) {
    const std::string sh = shape_name(s.m, s.n, s.k);
    for (const auto& iv : i8_gemm_variants()) {
      if (iv.isa == earshot::kernels::Isa::kRef) continue;
      const double ti = time_of(bench_name("i8", iv.name, sh));
      for (const auto& fv : f32_gemm_variants()) {
        if (fv.isa == earshot::kernels::Isa::kRef) continue;
        const double tf = time_of(bench_name("f32", fv.name, sh));
        if (ti > 0 && tf > 0)
          std::printf("  %-18s i8 %-12s %9.2f us  vs f32 %-9s %9.2f us  -> %5.2fx\n", sh.c_str(),
                      iv.name, ti, fv.name, tf, tf / ti);
      }
    }
  }
  std::printf("\nGEMM throughput vs single-core peak of the instruction sequence used:\n");
  for (const auto& iv : i8_gemm_variants()) {
    const double macs = earshot::bench::measure_i8_macs_per_cycle(iv.name, hz);
    if (macs <= 0) continue;
    const double peak_gops = 2.0 * macs * hz * 1e-9;
    std::printf("  %s: measured peak %.1f MAC/cycle = %.1f GOPS\n", iv.name, macs, peak_gops);
    for (const Shape& s : gemm) {
      const std::string sh = shape_name(s.m, s.n, s.k);
      const double t = time_of(bench_name("i8", iv.name, sh));
      if (t <= 0) continue;
      const double gops = 2.0 * s.m * s.n * s.k / (t * 1e-6) * 1e-9;
      std::printf("    %-20s %8.1f GOPS  %5.1f%% of peak\n", sh.c_str(), gops,
                  100.0 * gops / peak_gops);
    }
  }
  benchmark::Shutdown();
  return 0;
}
