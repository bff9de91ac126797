// The pass interface (style.md 7.6). A pass checks or transforms a plans::Plan. Validation passes
// report diagnostics and never mutate; the phase builder and deployment selection turn the
// lowered plan into phases; optimization passes must preserve the plan's meaning.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "support/diagnostic.h"
#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::passes {

enum class PassKind {
  // Reports user mistakes (language.md section 5); never changes the plan. The pipeline stops
  // after the last validation pass when errors were reported.
  kValidation,
  // Changes what the plan is (selection, phase construction).
  kTransform,
  // Changes how the plan runs, never what it does.
  kOptimization,
};

// What a pass may use besides the plan. Not thread-safe.
class PassContext {
 public:
  // `diags` must outlive the context. `deployments` is the --deployment selection (empty: all).
  PassContext(DiagnosticEngine& diags, std::vector<std::string> deployments)
      : diags_(diags), deployments_(std::move(deployments)) {}

  DiagnosticEngine& diags() { return diags_; }
  const std::vector<std::string>& deployments() const { return deployments_; }

  // Reports a diagnostic of `kind` (its default severity) at `range` of `plan`'s source file.
  void Report(const plans::Plan& plan, DiagKind kind, SourceRange range, std::string message,
              std::vector<Diagnostic::Note> notes = {});

 private:
  DiagnosticEngine& diags_;
  std::vector<std::string> deployments_;
};

class Pass {
 public:
  virtual ~Pass() = default;
  // Stable kebab-case name used by --disable-pass and --dump-ir-after.
  virtual std::string_view Name() const = 0;
  virtual PassKind Kind() const = 0;
  // Runs the pass. Returns whether the plan changed, or a non-OK Status (kInternal) when the pass
  // could not run. User mistakes go to ctx.diags(), never to the Status.
  virtual Result<bool> Run(plans::Plan& plan, PassContext& ctx) = 0;
};

// Helpers shared by the passes.

// "marts", or "db.marts" when `database` is set (for messages).
std::string DisplayName(std::string_view database, std::string_view name);

// The phase of `kind` in `plan`, or null when phases were not built yet.
plans::Phase* FindMutablePhase(plans::Plan& plan, plans::PhaseKind kind);

// Where a step stands in a phase: batch index and index within that batch.
struct StepPosition {
  size_t batch = 0;
  size_t index = 0;
};

// Removes from `phase`, in one linear pass, the steps for which `take` returns true (called once
// per step, in phase order) and returns them in order. The other steps keep their order and
// batches; batches left empty are kept, so positions stay valid until DropEmptyBatches. When a
// step was taken and `first` is not null, *first is where the first taken step stood (now the
// position of the step that followed it).
std::vector<plans::Step> TakeSteps(plans::Phase& phase,
                                   const std::function<bool(const plans::Step&)>& take,
                                   StepPosition* first);

// Erases the batches of `phase` that hold no step.
void DropEmptyBatches(plans::Phase& phase);

// Every step of `phase` in order, across batches.
std::vector<plans::Step> FlattenSteps(const plans::Phase& phase);

// True if `requested` (a --deployment argument) names the deployment `name` (as lowered): equal,
// or equal once ASCII A-Z are folded, as the file's unquoted names were (`--deployment
// Analytics` selects `deployment Analytics { }`, whose name is `analytics`).
bool DeploymentNameMatches(std::string_view requested, std::string_view name);

// True if `a` and `b` do the same thing (all fields but the origin equal).
bool SameAction(const plans::Step& a, const plans::Step& b);

}  // namespace bgplan::passes
