// How a subcommand of the `earshot` CLI plugs in: each cmd_<name>.cpp defines a setup function
// that adds its CLI11 subcommand and returns the function that runs it, and registers it with
// a static `CommandRegistration`. main() parses, runs the chosen command and maps its result
// to the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::cli {

// Runs a parsed command; returns the process exit code (0 on success).
using CommandRunner = std::function<int()>;
using CommandSetup = CommandRunner (*)(CLI::App& app);

struct CommandRegistration {
  CommandRegistration(const char* name, CommandSetup setup);
};

struct RegisteredCommand {
  std::string name;
  CommandSetup setup;
};
std::vector<RegisteredCommand>& registered_commands();

// Prints "earshot: <what>: <status message>" to stderr and returns exit code 1.
int report_error(const std::string& what, const Status& status);
int report_error(const std::string& message);

}  // namespace earshot::cli
