#include "plans/plan.h"

namespace bgplan::plans {

std::string_view TargetName(Target target) {
  return target == Target::kMaterialize ? "materialize" : "postgres";
}

std::string_view PhaseName(PhaseKind phase) {
  switch (phase) {
    case PhaseKind::kInit:
      return "init";
    case PhaseKind::kAwait:
      return "await";
    case PhaseKind::kPromote:
      return "promote";
    case PhaseKind::kRollback:
      return "rollback";
    case PhaseKind::kCleanup:
      return "cleanup";
  }
  return "init";
}

bool ParsePhaseName(std::string_view name, PhaseKind* phase) {
  for (PhaseKind k : {PhaseKind::kInit, PhaseKind::kAwait, PhaseKind::kPromote,
                      PhaseKind::kRollback, PhaseKind::kCleanup}) {
    if (PhaseName(k) == name) {
      *phase = k;
      return true;
    }
  }
  return false;
}

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kCheck:
      return "check";
    case StepKind::kCreateGreenSchema:
      return "create-green-schema";
    case StepKind::kCopySchemaPrivileges:
      return "copy-schema-privileges";
    case StepKind::kCreateGreenCluster:
      return "create-green-cluster";
    case StepKind::kCopyClusterPrivileges:
      return "copy-cluster-privileges";
    case StepKind::kMarkGreen:
      return "mark-green";
    case StepKind::kAwaitReady:
      return "await-ready";
    case StepKind::kJournal:
      return "journal";
    case StepKind::kSwap:
      return "swap";
    case StepKind::kRepointSinks:
      return "repoint-sinks";
    case StepKind::kTagSchemas:
      return "tag-schemas";
    case StepKind::kDropGreen:
      return "drop-green";
  }
  return "check";
}

bool Step::IsWrite() const { return kind != StepKind::kCheck && kind != StepKind::kAwaitReady; }

const Phase* Plan::FindPhase(PhaseKind kind) const {
  for (const auto& phase : phases) {
    if (phase.kind == kind) {
      return &phase;
    }
  }
  return nullptr;
}

const Deployment* Plan::FindDeployment(std::string_view name) const {
  for (const auto& d : deployments) {
    if (d.name == name) {
      return &d;
    }
  }
  return nullptr;
}

}  // namespace bgplan::plans
