// `earshot info`: version, build and the CPU features that pick the kernel engines.
#include <cstdio>

#include "command.hpp"
#include "runtime/kernels/engine.hpp"

namespace earshot::cli {
namespace {

CommandRunner setup_info(CLI::App& app) {
  app.add_subcommand("info", "Print the version, build options, CPU features and kernel engines");
  return [] {
    std::printf("earshot %s\n", EARSHOT_VERSION);
#ifdef NDEBUG
    std::printf("build: release\n");
#else
    std::printf("build: debug\n");
#endif
#if defined(__x86_64__)
    std::printf("architecture: x86_64\n");
#elif defined(__aarch64__)
    std::printf("architecture: aarch64\n");
#endif
#ifdef EARSHOT_FORCE_REF
    std::printf("kernels: reference only (EARSHOT_FORCE_REF build)\n");
#endif
    std::printf("engines: %s\n", kernels::engine_description().c_str());
    return 0;
  };
}

const CommandRegistration kInfo{"info", &setup_info};

}  // namespace
}  // namespace earshot::cli
