#include "plans/plan.h"

#include <algorithm>
#include <utility>

#include "support/check.h"

namespace bgplan::plans {

ObjectList::ObjectList(std::vector<ObjectRef> objects)
    : storage_(std::make_shared<const std::vector<ObjectRef>>(std::move(objects))),
      data_(storage_->data()),
      size_(storage_->size()) {}

ObjectList::ObjectList(std::initializer_list<ObjectRef> objects)
    : ObjectList(std::vector<ObjectRef>(objects)) {}

ObjectList ObjectList::Slice(size_t offset, size_t count) const {
  BGPLAN_CHECK(offset <= size_ && count <= size_ - offset);
  ObjectList out;
  if (count > 0) {
    out.storage_ = storage_;
    out.data_ = data_ + offset;
    out.size_ = count;
  }
  return out;
}

bool ObjectList::operator==(const ObjectList& other) const {
  if (data_ == other.data_ && size_ == other.size_) {
    return true;  // the same view (steps sharing one list)
  }
  return std::equal(begin(), end(), other.begin(), other.end());
}

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
    case StepKind::kValidate:
      return "validate";
    case StepKind::kEndHydrationBurst:
      return "end-hydration-burst";
  }
  return "check";
}

bool Step::IsWrite() const {
  return kind != StepKind::kCheck && kind != StepKind::kAwaitReady && kind != StepKind::kValidate;
}

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
