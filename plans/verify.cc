#include "plans/verify.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace bgplan::plans {

static bool AllowedIn(PhaseKind phase, StepKind kind) {
  if (kind == StepKind::kCheck) {
    return true;
  }
  switch (phase) {
    case PhaseKind::kInit:
      return kind == StepKind::kCreateGreenSchema || kind == StepKind::kCopySchemaPrivileges ||
             kind == StepKind::kCreateGreenCluster || kind == StepKind::kCopyClusterPrivileges ||
             kind == StepKind::kMarkGreen || kind == StepKind::kJournal;
    case PhaseKind::kAwait:
      return kind == StepKind::kAwaitReady;
    case PhaseKind::kPromote:
      return kind == StepKind::kAwaitReady || kind == StepKind::kValidate ||
             kind == StepKind::kJournal || kind == StepKind::kSwap ||
             kind == StepKind::kTagSchemas || kind == StepKind::kRepointSinks ||
             kind == StepKind::kEndHydrationBurst;
    case PhaseKind::kRollback:
      return kind == StepKind::kSwap || kind == StepKind::kRepointSinks ||
             kind == StepKind::kJournal;
    case PhaseKind::kCleanup:
      return kind == StepKind::kDropGreen || kind == StepKind::kJournal;
  }
  return false;
}

// The object kind a step kind requires, if it requires one.
static bool ObjectKindAllowed(StepKind step, ObjectKind object) {
  switch (step) {
    case StepKind::kCreateGreenSchema:
    case StepKind::kCopySchemaPrivileges:
    case StepKind::kTagSchemas:
    case StepKind::kRepointSinks:
      return object == ObjectKind::kSchema;
    case StepKind::kCreateGreenCluster:
    case StepKind::kCopyClusterPrivileges:
    case StepKind::kEndHydrationBurst:
      return object == ObjectKind::kCluster;
    default:
      return true;
  }
}

Status VerifyPlan(const Plan& plan) {
  static constexpr PhaseKind kOrder[] = {PhaseKind::kInit, PhaseKind::kAwait, PhaseKind::kPromote,
                                         PhaseKind::kRollback, PhaseKind::kCleanup};
  if (!plan.phases.empty() && plan.phases.size() != std::size(kOrder)) {
    return Status::Internal("expected 0 or 5 phases, found " + std::to_string(plan.phases.size()));
  }
  std::set<std::string> deployments;
  for (const auto& d : plan.deployments) {
    deployments.insert(d.name);
    // Lowering keeps only a value in range (invalid-setting-value otherwise).
    const std::optional<int64_t>& pct = d.validate.row_count_change_pct;
    if (pct.has_value() && (*pct < 0 || *pct > 1000)) {
      return Status::Internal("deployment '" + d.name + "': row_count_change " +
                              std::to_string(*pct) + " is outside 0..1000");
    }
  }
  // Objects of one step mostly share a deployment: skip the lookup for a name just checked.
  std::string_view last_known;
  for (size_t p = 0; p < plan.phases.size(); ++p) {
    const Phase& phase = plan.phases[p];
    std::string where = "phase '" + std::string(PhaseName(phase.kind)) + "'";
    if (phase.kind != kOrder[p]) {
      return Status::Internal(where + " at position " + std::to_string(p) + ", expected '" +
                              std::string(PhaseName(kOrder[p])) + "'");
    }
    for (size_t b = 0; b < phase.batches.size(); ++b) {
      const Batch& batch = phase.batches[b];
      std::string bwhere = where + " batch " + std::to_string(b);
      if (batch.steps.empty()) {
        return Status::Internal(bwhere + " is empty");
      }
      for (size_t s = 0; s < batch.steps.size(); ++s) {
        const Step& step = batch.steps[s];
        // Built only when reporting: the verifier runs after every pass on large plans.
        auto swhere_fn = [&] {
          return bwhere + " step " + std::to_string(s) + " (" +
                 std::string(StepKindName(step.kind)) + ")";
        };
        if (!AllowedIn(phase.kind, step.kind)) {
          return Status::Internal(swhere_fn() + " does not belong in this phase");
        }
        if (step.objects.empty()) {
          return Status::Internal(swhere_fn() + " acts on no object");
        }
        bool needs_rule = step.kind == StepKind::kCheck || step.kind == StepKind::kJournal;
        if (needs_rule == step.rule.empty()) {
          return Status::Internal(swhere_fn() + (needs_rule ? " has no rule" : " has a rule"));
        }
        bool reversible = step.kind == StepKind::kSwap || step.kind == StepKind::kRepointSinks;
        bool want_reverse = reversible && phase.kind == PhaseKind::kRollback;
        if (step.reverse != want_reverse) {
          return Status::Internal(swhere_fn() +
                                  (step.reverse ? " is reversed" : " is not reversed"));
        }
        if (batch.mode == Batch::Mode::kTransaction) {
          if (step.kind == StepKind::kAwaitReady) {
            return Status::Internal(swhere_fn() + ": await-ready inside a transaction");
          }
          if (plan.target == Target::kMaterialize && step.kind != StepKind::kSwap) {
            return Status::Internal(swhere_fn() +
                                    ": Materialize transactions may hold only swap steps");
          }
        }
        for (const auto& o : step.objects) {
          auto owhere_fn = [&] { return swhere_fn() + " object '" + o.blue + "'"; };
          if (o.blue.empty() || o.green.empty() || o.blue == o.green) {
            return Status::Internal(owhere_fn() + ": blue and green names must be set and differ");
          }
          if (o.deployment != last_known && deployments.count(o.deployment) == 0) {
            return Status::Internal(owhere_fn() + ": unknown deployment '" + o.deployment + "'");
          }
          if (o.kind == ObjectKind::kCluster && !o.database.empty()) {
            return Status::Internal(owhere_fn() + ": a cluster has no database");
          }
          if (!ObjectKindAllowed(step.kind, o.kind)) {
            return Status::Internal(owhere_fn() + ": wrong object kind for this step");
          }
          last_known = o.deployment;
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace bgplan::plans
