// The offline commands of the bgplan CLI (no database): check, fmt, compile, graph.
#pragma once

#include "cli/output.h"

namespace CLI {
class App;
}

namespace bgplan::cli {

// Adds check, fmt, compile and graph to `app`. A command's callback stores its exit code in
// *exit_code. `output` is read when a command runs (after parsing), so it may be filled by
// app-level options.
void RegisterOfflineCommands(CLI::App& app, const OutputOptions& output, int* exit_code);

}  // namespace bgplan::cli
