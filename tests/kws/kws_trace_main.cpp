// kws_trace MODEL INPUTS STEP: runs a kws model over int8 inputs (raw file of 120-byte
// inferences) and prints every op output of inference STEP ("op name v v v ..."), for tracing
// a difference against TFLite (tests/kws/kws_trace_compare.py).
// kws_trace MODEL INPUTS all: prints the uint8 output of every inference, one per line
// (tests/kws/test_kws_parity_random.py).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kws/kws_net.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: kws_trace MODEL INPUTS STEP\n");
    return 2;
  }
  auto m = earshot::model::Model::open(argv[1]);
  if (!m.ok()) return std::fprintf(stderr, "%s\n", m.status().message().c_str()), 1;
  auto net = earshot::kws::KwsNet::create(*m);
  if (!net.ok()) return std::fprintf(stderr, "%s\n", net.status().message().c_str()), 1;
  std::FILE* f = std::fopen(argv[2], "rb");
  if (!f) return 1;
  std::vector<int8_t> in(120);
  const bool all = std::string(argv[3]) == "all";
  const long step = all ? -1 : std::atol(argv[3]);
  if (all) {
    while (std::fread(in.data(), 1, 120, f) == 120) std::printf("%d\n", (*net)->invoke(in.data()));
    std::fclose(f);
    return 0;
  }
  for (long s = 0; s <= step && std::fread(in.data(), 1, 120, f) == 120; ++s) {
    if (s < step) {
      (void)(*net)->invoke(in.data());
      continue;
    }
    (*net)->invoke_traced(
        in.data(),
        [](void*, int op, const std::string& name, const uint8_t* d, std::size_t n) {
          std::printf("%d %s", op, name.c_str());
          for (std::size_t i = 0; i < n; ++i) std::printf(" %d", static_cast<int8_t>(d[i]));
          std::printf("\n");
        },
        nullptr);
  }
  std::fclose(f);
  return 0;
}
