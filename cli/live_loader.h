// Loads the live module (cli/live_options.h) on first use and runs a live command in it.
#pragma once

#include <string>

#include "cli/live_options.h"

namespace bgplan::runtime {

// Runs `call` in the live module; its exit code. A module that cannot be loaded is an internal
// error (exit 70) naming where it was looked for.
int CallLive(const LiveCall& call);

}  // namespace bgplan::runtime
