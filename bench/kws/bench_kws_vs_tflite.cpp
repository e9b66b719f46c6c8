// bench_kws: one microWakeWord inference (30 ms of audio) on earshot's KwsNet and on the TFLite
// C runtime shipped in pymicro-wakeword, loaded with dlopen into this process, on the same
// feature-like int8 inputs. Compare BM_Earshot/<k> with BM_Tflite/<k> of the same run.
// Environment: EARSHOT_TFLITE_C (the .so) and EARSHOT_TFLITE_MODELS (its models folder)
// override the default venv paths.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "kws/kws_net.hpp"

namespace {

const char* const kKeywords[] = {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string wheel_dir() {
  return std::string(EARSHOT_CACHE_DIR) + "/venv/lib/python3.11/site-packages/pymicro_wakeword";
}

std::vector<int8_t> inputs(std::size_t steps) {
  std::mt19937 rng(1);
  std::vector<int8_t> v(steps * 120);
  int x = -60;
  for (auto& e : v) {
    x = std::clamp(x + static_cast<int>(rng() % 41) - 20, -128, 127);
    e = static_cast<int8_t>(x);
  }
  return v;
}

void BM_Earshot(benchmark::State& state) {
  const std::string k = kKeywords[state.range(0)];
  state.SetLabel(k);
  auto m =
      earshot::model::Model::open(std::string(EARSHOT_CACHE_DIR) + "/models/kws-" + k + ".esm");
  if (!m.ok()) return state.SkipWithError(m.status().message().c_str());
  auto net = earshot::kws::KwsNet::create(*m);
  if (!net.ok()) return state.SkipWithError(net.status().message().c_str());
  const auto in = inputs(256);
  std::size_t s = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize((*net)->invoke(in.data() + 120 * (s++ & 255)));
  }
}

struct Tflite {
  void* lib = nullptr;
  void* (*model_create)(const char*);
  void* (*interp_create)(void*, void*);
  int (*allocate)(void*);
  void* (*input)(void*, int);
  int (*copy_from)(void*, const void*, std::size_t);
  int (*invoke)(void*);
  bool load() {
    lib = dlopen(env_or("EARSHOT_TFLITE_C", wheel_dir() + "/lib/libtensorflowlite_c.so").c_str(),
                 RTLD_NOW | RTLD_LOCAL);
    if (!lib) return false;
    model_create =
        reinterpret_cast<decltype(model_create)>(dlsym(lib, "TfLiteModelCreateFromFile"));
    interp_create =
        reinterpret_cast<decltype(interp_create)>(dlsym(lib, "TfLiteInterpreterCreate"));
    allocate = reinterpret_cast<decltype(allocate)>(dlsym(lib, "TfLiteInterpreterAllocateTensors"));
    input = reinterpret_cast<decltype(input)>(dlsym(lib, "TfLiteInterpreterGetInputTensor"));
    copy_from = reinterpret_cast<decltype(copy_from)>(dlsym(lib, "TfLiteTensorCopyFromBuffer"));
    invoke = reinterpret_cast<decltype(invoke)>(dlsym(lib, "TfLiteInterpreterInvoke"));
    return model_create && interp_create && allocate && input && copy_from && invoke;
  }
};

void BM_Tflite(benchmark::State& state) {
  const std::string k = kKeywords[state.range(0)];
  state.SetLabel(k);
  static Tflite t;
  static const bool ok = t.load();
  if (!ok) return state.SkipWithError("cannot load libtensorflowlite_c.so");
  const std::string path =
      env_or("EARSHOT_TFLITE_MODELS", wheel_dir() + "/models") + "/" + k + ".tflite";
  void* model = t.model_create(path.c_str());
  if (!model) return state.SkipWithError(("cannot load " + path).c_str());
  void* interp = t.interp_create(model, nullptr);  // default options: one thread
  if (!interp || t.allocate(interp) != 0) return state.SkipWithError("interpreter failed");
  void* in_tensor = t.input(interp, 0);
  const auto in = inputs(256);
  std::size_t s = 0;
  for (auto _ : state) {
    t.copy_from(in_tensor, in.data() + 120 * (s++ & 255), 120);
    benchmark::DoNotOptimize(t.invoke(interp));
  }
  // Interpreter and model are left to process exit (the C API deleters are not needed here).
}

BENCHMARK(BM_Earshot)->DenseRange(0, 3);
BENCHMARK(BM_Tflite)->DenseRange(0, 3);

}  // namespace

BENCHMARK_MAIN();
