// earshot_consumer MODELS_DIR FILE KEYWORDS: prints "intent NAME" for each intent in FILE (C++17).
#include <earshot/pipeline.hpp>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  earshot::PipelineConfig cfg;
  cfg.models_dir = argv[1];
  cfg.keywords = argv[3];
  auto p = earshot::Pipeline::create(cfg);
  if (!p) {
    std::cerr << p.error().message << "\n";
    return 1;
  }
  p->on_event([](const earshot::Event& e) {
    if (e.type == EARSHOT_EVENT_INTENT) std::cout << "intent " << e.intent << "\n";
  });
  auto r = p->run(argv[2]);
  if (!r) {
    std::cerr << r.error().message << "\n";
    return 1;
  }
  return 0;
}
