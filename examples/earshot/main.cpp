// earshot: on-device listening, wake word, transcription and intents from the command line.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

#include "command.hpp"

namespace earshot::cli {

std::vector<RegisteredCommand>& registered_commands() {
  static std::vector<RegisteredCommand> commands;
  return commands;
}

CommandRegistration::CommandRegistration(const char* name, CommandSetup setup) {
  registered_commands().push_back({name, setup});
}

int report_error(const std::string& what, const Status& status) {
  std::fprintf(stderr, "earshot: %s: %s\n", what.c_str(), status.message().c_str());
  return 1;
}

int report_error(const std::string& message) {
  std::fprintf(stderr, "earshot: %s\n", message.c_str());
  return 1;
}

}  // namespace earshot::cli

int main(int argc, char** argv) {
  using namespace earshot::cli;
  spdlog::set_pattern("earshot: %l: %v");
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{"earshot: listen, wake, transcribe and understand speech on the device"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("earshot ") + EARSHOT_VERSION);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log what earshot does (to stderr)");

  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<std::string, CommandRunner> runners;
  for (const auto& c : commands) runners[c.name] = c.setup(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (verbose) spdlog::set_level(spdlog::level::info);

  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub->get_name());
    if (it == runners.end()) continue;
    try {
      return it->second();
    } catch (const std::exception& e) {
      return report_error(sub->get_name() + ": " + e.what());
    }
  }
  return report_error("no command given; see earshot --help");
}
