// Hand-built plans for the runtime's tests: a plans::Plan built in a test has deployments but no
// phases; the runtime executes the phases the compiler's passes build, so a test runs its plan
// through the same pass pipeline as `bgplan compile` (compiler/passes/pipeline.h) first.
#pragma once

#include <string>
#include <vector>

#include "plans/plan.h"

namespace bgplan::testing {

// `plan` with its phases built and optimized by the pass pipeline (`disabled_passes` skipped).
// A plan the validation passes reject fails the calling test (ADD_FAILURE with the diagnostics)
// and comes back without phases.
plans::Plan Compiled(plans::Plan plan, const std::vector<std::string>& disabled_passes = {});

}  // namespace bgplan::testing
