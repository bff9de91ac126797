// The live commands of the bgplan CLI (everything that talks to a database):
// plan, init, await, promote, rollback, cleanup, status, apply, unlock, demo.
// The offline commands (check, fmt, compile, graph) are in cli/offline_commands.h.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace bgplan::runtime {

// Options the main program parses once for every command (app-level options; subcommands are
// created with fallthrough so they may appear after the command name).
struct GlobalOptions {
  std::string format = "text";  // "text" | "json" (json: one object per line on stdout)
  bool quiet = false;
  int verbose = 0;
  bool no_color = false;
};

// Adds the live subcommands to `app`. When one of them runs, its callback stores the exit code
// of cli.md in *exit_code. `global` must outlive app.parse().
void RegisterLiveCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace bgplan::runtime
