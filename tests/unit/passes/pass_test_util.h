// Helpers for the pass unit tests: lower a text, run chosen passes (with the IR verifier), and
// print the phases.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"
#include "compiler/passes/pipeline.h"
#include "plans/plan_dump.h"
#include "plans/verify.h"
#include "tests/unit/lower/lower_test_util.h"

namespace bgplan::testing_util {

// Runs `passes` in order on `lowered->plan`, verifying the IR after each; fails the test on an
// internal error. `deployments` is the --deployment selection.
inline void RunPasses(Lowered& lowered, std::vector<std::unique_ptr<passes::Pass>> passes,
                      std::vector<std::string> deployments = {}) {
  passes::PassContext ctx(lowered.diags, std::move(deployments));
  for (auto& pass : passes) {
    Result<bool> changed = pass->Run(lowered.plan, ctx);
    ASSERT_TRUE(changed.ok()) << pass->Name() << ": " << changed.status().message();
    Status verified = plans::VerifyPlan(lowered.plan);
    ASSERT_TRUE(verified.ok()) << "after " << pass->Name() << ": " << verified.message();
  }
}

// The dump from the first "phase" line on (the deployments are left out).
inline std::string PhasesOnly(const plans::Plan& plan, bool origins = false) {
  plans::DumpOptions options;
  options.origins = origins;
  std::string dump = plans::DumpPlan(plan, options);
  size_t at = dump.find("\nphase ");
  return at == std::string::npos ? "" : dump.substr(at + 1);
}

// The dump of one phase only ("phase cleanup" and its batches).
inline std::string PhaseDump(const plans::Plan& plan, plans::PhaseKind kind, bool origins = false) {
  std::string all = PhasesOnly(plan, origins);
  std::string header = "phase " + std::string(plans::PhaseName(kind)) + "\n";
  size_t begin = all.find(header);
  if (begin == std::string::npos) {
    return "";
  }
  size_t end = all.find("\nphase ", begin);
  return all.substr(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
}

// The whole pipeline with the verifier on; fails the test on an internal error.
inline bool RunPipelineForTest(Lowered& lowered, passes::PipelineOptions options = {}) {
  Status internal;
  options.internal_error = &internal;
  options.verify_ir = true;
  bool ok = passes::RunPipeline(lowered.plan, options, lowered.diags);
  EXPECT_TRUE(internal.ok()) << internal.message();
  return ok;
}

}  // namespace bgplan::testing_util
