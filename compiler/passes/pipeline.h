// The pass pipeline: validate the lowered plan, select deployments, build the phases, optimize.
// pipeline.cc holds the single ordered list of passes; reading it tells what the compiler does.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "compiler/passes/pass.h"
#include "support/diagnostic.h"
#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::passes {

struct PassTiming {
  std::string name;
  std::chrono::nanoseconds duration{0};
  bool changed = false;
};

struct PipelineOptions {
  // --deployment: the deployments to keep, by name (empty: all). Unknown names are ignored; the
  // caller reports them (UnknownDeployments).
  std::vector<std::string> deployments;
  // --disable-pass: passes skipped, by name (see PassNames()).
  std::vector<std::string> disabled_passes;
  // --dump-ir-after: a pass name or "all"; the DumpPlan text after that pass (each pass for
  // "all") is appended to *dump_out under a "# IR after <pass>" line. Disabled passes dump
  // nothing.
  std::string dump_ir_after;
  std::string* dump_out = nullptr;
  // Stop after the validation passes (`bgplan check`: the rules are all there is to report; the
  // plan is left without phases).
  bool stop_after_validation = false;
  // Optional: receives one entry per pass that ran, in order.
  std::vector<PassTiming>* timings = nullptr;
  // Runs the IR verifier (plans/verify.h) after every pass. Always on when this library is built
  // with BGPLAN_VERIFY_IR (Debug builds, and non-Release builds with BGPLAN_BUILD_TESTS=ON); set it
  // to verify in other builds too.
  bool verify_ir = false;
  // Optional: receives a kInternal Status when a pass fails or, with BGPLAN_VERIFY_IR, the IR
  // verifier rejects the plan after a pass ("IR invalid after pass 'x': ..."). When null, such a
  // failure prints "bgplan: internal error: ..." to stderr and aborts (it is a bug).
  Status* internal_error = nullptr;
};

// Runs the pipeline on `plan` (as LowerToPlan returned it, every deployment): the validation
// passes (all of them, so every rule is reported at once), then, only if no error has been
// reported to `diags` (before or during), deployment selection, phase construction and the
// optimizations. Returns false when errors were reported (the plan is then left without phases)
// or on an internal error; true otherwise (warnings allowed).
bool RunPipeline(plans::Plan& plan, const PipelineOptions& options, DiagnosticEngine& diags);

// The names in `names` that match no deployment of `plan` (DeploymentNameMatches in pass.h), each
// once, in the order given.
std::vector<std::string> UnknownDeployments(const plans::Plan& plan,
                                            const std::vector<std::string>& names);

// Every pass name, in pipeline order (for --disable-pass / --dump-ir-after validation and help).
std::vector<std::string> PassNames();
// The names of the optimization passes (PassKind::kOptimization), in pipeline order: the passes
// a live command may run without (--disable-pass), since they change how a plan runs, not what
// it does.
std::vector<std::string> OptimizationPassNames();

}  // namespace bgplan::passes
