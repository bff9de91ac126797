// One factory per pass (each pass lives in its own .cc, its class in an anonymous namespace).
// The order they run in is pipeline.cc's business, not this list's.
#pragma once

#include <memory>

#include "compiler/passes/pass.h"

namespace bgplan::passes {

// Validation (language.md section 5; never mutate).
std::unique_ptr<Pass> MakeValidateDeploymentsPass();  // validate-deployments
std::unique_ptr<Pass> MakeValidateObjectsPass();      // validate-objects
std::unique_ptr<Pass> MakeValidateSinksPass();        // validate-sinks
std::unique_ptr<Pass> MakeValidateClustersPass();     // validate-clusters
std::unique_ptr<Pass> MakeValidateGreenNamesPass();   // validate-green-names
std::unique_ptr<Pass> MakeValidateValidationPass();   // validate-validation
std::unique_ptr<Pass> MakeValidateDeployEnvPass();    // validate-deploy-env

// Transforms.
std::unique_ptr<Pass> MakeSelectDeploymentsPass();  // select-deployments
std::unique_ptr<Pass> MakeBuildPhasesPass();        // build-phases

// Optimizations (preserve meaning).
std::unique_ptr<Pass> MakeDedupePass();       // dedupe
std::unique_ptr<Pass> MakeOrderDropsPass();   // order-drops
std::unique_ptr<Pass> MakeHoistChecksPass();  // hoist-checks
std::unique_ptr<Pass> MakeMergeSwapsPass();   // merge-swaps
std::unique_ptr<Pass> MakeBatchPass();        // batch

}  // namespace bgplan::passes
