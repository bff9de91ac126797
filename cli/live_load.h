// The executable's half of a live command (cli/live_load.cc): load and check the plan, then run
// the command in the live module.
#pragma once

#include <optional>
#include <string>

#include "cli/live_options.h"

namespace bgplan::runtime {

// Runs live command `command` (`phase` for the phase commands); its exit code (cli.md).
int RunLiveCommand(const std::string& command, LiveOptions& o, const GlobalOptions& g,
                   std::optional<plans::PhaseKind> phase);
// `bgplan demo`.
int RunDemoCommand(const GlobalOptions& g);

}  // namespace bgplan::runtime
