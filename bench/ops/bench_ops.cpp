// Neural-network ops: every compiled variant against the scalar `ref` in the same run; the
// table at the end prints each variant's speed-up over ref (time_ref / time_variant).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench/common/time_recorder.hpp"
#include "runtime/kernels/act.hpp"
#include "runtime/kernels/attention.hpp"
#include "runtime/kernels/dwconv_stream.hpp"
#include "runtime/kernels/norm.hpp"
#include "runtime/kernels/softmax.hpp"

namespace ek = earshot::kernels;

namespace {

std::vector<float> floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// microWakeWord-like streaming depthwise step: 64 channels, kernel 9, one new frame.
void dwconv_stream_i8(benchmark::State& st, const ek::DwConvKernels* k) {
  const int c = 64, kernel = 9;
  std::vector<int8_t> w(kernel * c, 3), in(c, 5), out(c);
  std::vector<int32_t> bias(c, 100), mult(c, 1 << 30), shift(c, -7);
  ek::I8ConvQuant q;
  q.multiplier = mult.data();
  q.shift = shift.data();
  auto s = ek::I8DwConvStream::create({c, kernel, 1, 1}, w.data(), bias.data(), q);
  s->set_kernels(*k);
  int produced = 0;
  for (auto _ : st) {
    (void)s->push(in.data(), 1, out.data(), 1, &produced);
    benchmark::DoNotOptimize(out.data());
  }
}

void dwconv_stream_f32(benchmark::State& st, const ek::DwConvKernels* k) {
  const int c = 64, kernel = 9;
  auto w = floats(kernel * c, 1), in = floats(c, 2);
  std::vector<float> out(c);
  auto s =
      ek::F32DwConvStream::create({c, kernel, 1, 1}, w.data(), nullptr, ek::FusedActivation::kRelu);
  s->set_kernels(*k);
  int produced = 0;
  for (auto _ : st) {
    (void)s->push(in.data(), 1, out.data(), 1, &produced);
    benchmark::DoNotOptimize(out.data());
  }
}

void layer_norm_384(benchmark::State& st, const ek::NormKernels* k) {
  auto x = floats(384, 1), g = floats(384, 2), b = floats(384, 3);
  std::vector<float> y(384);
  for (auto _ : st) {
    k->layer_norm(x.data(), g.data(), b.data(), 1e-5f, 384, y.data());
    benchmark::DoNotOptimize(y.data());
  }
}

void softmax_1500(benchmark::State& st, const ek::SoftmaxKernels* k) {
  auto x = floats(1500, 1);
  std::vector<float> y(1500);
  for (auto _ : st) {
    k->softmax(x.data(), 0.125f, 1500, y.data());
    benchmark::DoNotOptimize(y.data());
  }
}

void gelu_1536(benchmark::State& st, const ek::ActKernels* k) {
  auto x = floats(1536, 1);
  std::vector<float> y(1536);
  for (auto _ : st) {
    k->gelu_erf(x.data(), y.data(), 1536);
    benchmark::DoNotOptimize(y.data());
  }
}

// Whisper tiny decoder self-attention step: 6 heads x 64, 448 cached tokens, one query.
void attention_step_448(benchmark::State& st, const ek::AttentionKernels* k) {
  const int heads = 6, hd = 64, row = heads * hd;
  auto cache = ek::KvCache::create(heads, hd, 448);
  auto kv = floats(448 * row, 1);
  (void)cache->append(kv.data(), kv.data(), 448);
  auto q = floats(row, 2);
  std::vector<float> scores(448), out(row);
  for (auto _ : st) {
    (void)ek::attend(q.data(), 1, *cache, true, scores.data(), out.data(), k);
    benchmark::DoNotOptimize(out.data());
  }
}

// Speed-up of every variant over the ref of the same op, measured in this run.
void print_ratios(const earshot::bench::TimeRecorder& t) {
  std::printf("\nspeed-up over ref (same run, CPU time):\n");
  for (const auto& [name, seconds] : t.all()) {
    const size_t slash = name.rfind('/');
    if (slash == std::string::npos || name.substr(slash + 1) == "ref") continue;
    const double ref = t.seconds(name.substr(0, slash) + "/ref");
    if (ref > 0 && seconds > 0) std::printf("  %-32s %6.2fx\n", name.c_str(), ref / seconds);
  }
}

template <typename K, typename F>
void register_all(const char* op, std::span<const K* const> variants, F fn) {
  for (const K* k : variants) {
    benchmark::RegisterBenchmark((std::string(op) + "/" + k->name).c_str(), fn, k);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all("dwconv_stream_i8_c64_k9", ek::dwconv_variants(), dwconv_stream_i8);
  register_all("dwconv_stream_f32_c64_k9", ek::dwconv_variants(), dwconv_stream_f32);
  register_all("layer_norm_384", ek::norm_variants(), layer_norm_384);
  register_all("softmax_1500", ek::softmax_variants(), softmax_1500);
  register_all("gelu_erf_1536", ek::act_variants(), gelu_1536);
  register_all("attention_step_448", ek::attention_variants(), attention_step_448);
  benchmark::Initialize(&argc, argv);
  earshot::bench::TimeRecorder times;
  benchmark::RunSpecifiedBenchmarks(&times);
  print_ratios(times);
  benchmark::Shutdown();
  return 0;
}
