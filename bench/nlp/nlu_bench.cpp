// `nlu_bench`: one utterance, one thread, through Nlu::understand with the committed f32 and
// int8 models. Compare with `python3 bench/nlp/torch_time.py` (torch on the same model and
// sentences) run beside it; the ratio is what counts, not the absolute time.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "nlp/nlu.hpp"

namespace {

const std::vector<std::string> kTexts = {"turn off the kitchen light",
                                         "set a timer for twenty five minutes",
                                         "what's the temperature in the bedroom",
                                         "could you please set the bedside lamp to 40%",
                                         "add peanut butter to my shopping list",
                                         "i already turned the tv off"};

void BM_Understand(benchmark::State& state, const char* precision) {
  auto m = earshot::model::Model::open(std::string(EARSHOT_NLU_MODEL_DIR) + "/nlu-" + precision +
                                       ".esm");
  if (!m.ok()) return state.SkipWithError(m.status().to_string().c_str());
  auto nlu = earshot::nlp::Nlu::create({}, std::move(*m));
  if (!nlu.ok()) return state.SkipWithError(nlu.status().to_string().c_str());
  earshot::nlp::NluResult r;
  size_t i = 0;
  for (auto _ : state) {
    if (!nlu->understand(kTexts[i++ % kTexts.size()], &r).ok()) state.SkipWithError("failed");
    benchmark::DoNotOptimize(r.confidence);
  }
  state.SetLabel("ms per utterance = Time / 1e6");
}

BENCHMARK_CAPTURE(BM_Understand, f32, "f32")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Understand, int8, "int8")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
