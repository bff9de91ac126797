// The live commands of the bgplan CLI (everything that talks to a database):
// plan, init, await, promote, rollback, cleanup, status, apply, unlock, demo. Registered here
// (options and help); they run in the live module (cli/live_options.h).
// The offline commands (check, fmt, compile, graph) are in cli/offline_commands.h.
#pragma once

#include <string>

#include "cli/live_options.h"

namespace CLI {
class App;
}

namespace bgplan::runtime {

// Adds the live subcommands to `app`. When one of them runs, its callback stores the exit code
// of cli.md in *exit_code. `global` must outlive app.parse().
void RegisterLiveCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace bgplan::runtime
