#include "compiler/passes/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

#include "compiler/passes/passes.h"
#include "plans/plan_dump.h"
#include "plans/verify.h"

namespace bgplan::passes {

#ifdef BGPLAN_VERIFY_IR
constexpr bool kAlwaysVerify = true;
#else
constexpr bool kAlwaysVerify = false;
#endif

// The pipeline, in order. Validation passes first (each reports one family of language.md
// section 5 rules); the pipeline stops after them if any error was reported. Then the plan is
// narrowed to the selected deployments and its five phases are built in naive per-deployment
// order, and the optimizations rewrite how (never what) each phase runs.
static std::vector<std::unique_ptr<Pass>> MakePipeline() {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeValidateDeploymentsPass());
  passes.push_back(MakeValidateObjectsPass());
  passes.push_back(MakeValidateSinksPass());
  passes.push_back(MakeValidateClustersPass());
  passes.push_back(MakeValidateGreenNamesPass());
  passes.push_back(MakeValidateValidationPass());
  passes.push_back(MakeValidateDeployEnvPass());
  passes.push_back(MakeSelectDeploymentsPass());
  passes.push_back(MakeBuildPhasesPass());
  passes.push_back(MakeDedupePass());
  passes.push_back(MakeOrderDropsPass());
  passes.push_back(MakeHoistChecksPass());
  passes.push_back(MakeMergeSwapsPass());
  passes.push_back(MakeBatchPass());
  return passes;
}

// Reports an internal failure: to the caller when it asked for it, else aborts (a bug).
static bool Internal(const PipelineOptions& options, Status status) {
  if (options.internal_error != nullptr) {
    *options.internal_error = std::move(status);
    return false;
  }
  std::fprintf(stderr, "bgplan: internal error: %s\n", status.message().c_str());
  std::abort();
}

bool RunPipeline(plans::Plan& plan, const PipelineOptions& options, DiagnosticEngine& diags) {
  PassContext ctx(diags, options.deployments);
  bool validated = false;
  for (const auto& pass : MakePipeline()) {
    std::string name(pass->Name());
    if (pass->Kind() != PassKind::kValidation && !validated) {
      // The validation passes are done: stop on any error so far (lowering's included).
      validated = true;
      if (diags.has_errors()) {
        return false;
      }
      if (options.stop_after_validation) {
        return true;
      }
    }
    if (std::find(options.disabled_passes.begin(), options.disabled_passes.end(), name) !=
        options.disabled_passes.end()) {
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    Result<bool> changed = pass->Run(plan, ctx);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (!changed.ok()) {
      return Internal(
          options, Status::Internal("pass '" + name + "' failed: " + changed.status().message()));
    }
    if (options.timings != nullptr) {
      options.timings->push_back(
          {name, std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed), *changed});
    }
    if (kAlwaysVerify || options.verify_ir) {
      if (Status verified = plans::VerifyPlan(plan); !verified.ok()) {
        return Internal(options, Status::Internal("IR invalid after pass '" + name +
                                                  "': " + verified.message()));
      }
    }
    if (options.dump_out != nullptr &&
        (options.dump_ir_after == "all" || options.dump_ir_after == name)) {
      *options.dump_out += "# IR after " + name + "\n";
      *options.dump_out += plans::DumpPlan(plan);
    }
  }
  return !diags.has_errors();
}

std::vector<std::string> UnknownDeployments(const plans::Plan& plan,
                                            const std::vector<std::string>& names) {
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    bool known = std::any_of(
        plan.deployments.begin(), plan.deployments.end(),
        [&](const plans::Deployment& d) { return DeploymentNameMatches(name, d.name); });
    if (!known && std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
      unknown.push_back(name);
    }
  }
  return unknown;
}

std::vector<std::string> PassNames() {
  std::vector<std::string> names;
  for (const auto& pass : MakePipeline()) {
    names.emplace_back(pass->Name());
  }
  return names;
}

std::vector<std::string> OptimizationPassNames() {
  std::vector<std::string> names;
  for (const auto& pass : MakePipeline()) {
    if (pass->Kind() == PassKind::kOptimization) {
      names.emplace_back(pass->Name());
    }
  }
  return names;
}

}  // namespace bgplan::passes
