// A stable, human-readable text form of a plans::Plan, used by --dump-ir-after, unit tests and
// golden files. Deterministic: the same plan always gives the same bytes; every list is printed
// in its IR order and durations in milliseconds.
#pragma once

#include <string>
#include <string_view>

#include "plans/plan.h"

namespace bgplan::plans {

struct DumpOptions {
  // Print `@line:col` source origins (off to compare plans built from different texts).
  bool origins = true;
};

// The whole plan: header, deployments (names, green names, settings), then phases, batches and
// steps, one per line, two-space indentation, ending in a newline.
std::string DumpPlan(const Plan& plan, const DumpOptions& options);
std::string DumpPlan(const Plan& plan);

// A name as the dump prints it: bare when it is a plain lower-case identifier, else double-quoted
// with " doubled (so names with spaces or capitals stay unambiguous) and control characters shown
// as \xNN (so every item stays on one line).
std::string DumpName(std::string_view name);

}  // namespace bgplan::plans
