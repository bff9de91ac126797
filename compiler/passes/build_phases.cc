// Pass `build-phases` (transform).
// Input: a validated plan with the selected deployments and no phases.
// Output: all five phases (semantics.md sections 2-4), each one kEach batch holding the steps in
// naive per-deployment order; every step's origin points into the .bgplan source (the deployment
// name for per-deployment steps, the object for per-object steps):
//  - init: per deployment, its checks (blue-missing, blue-contains-sinks [Materialize],
//    not-owner, missing-privilege, unsized-replicas [Materialize, clusters only],
//    green-not-empty), then per schema create-green-schema, copy-schema-privileges, mark-green,
//    then per cluster create-green-cluster, copy-cluster-privileges, mark-green, then journal
//    phase-done;
//  - await: one await-ready per deployment;
//  - promote: per deployment its checks (blue-missing, green-missing, not-owner, green-not-ours,
//    sink-upstream-missing, orphaned-dependents, missing-in-green, incompatible-upstream,
//    repoint-not-owner, missing-privilege [PostgreSQL], state-not-carried, swap-name-taken
//    [PostgreSQL, schemas only]), await-ready if `promote { wait true; }`, validate if the
//    deployment has a `validate` block (and schemas),
//    journal intent; then one swap per deployment (schemas, then clusters); then per deployment
//    journal swapped, tag-schemas and repoint-sinks (when it has schemas);
//  - rollback: per deployment its checks (nothing-to-roll-back, not-owner, orphaned-dependents,
//    swap-name-taken [PostgreSQL, schemas only]); then one
//    reverse swap per deployment; then per deployment reverse repoint-sinks (when it has
//    schemas), journal phase-done;
//  - cleanup: per deployment its checks (not-promoted, not-owner, cleanup-drops-dependents,
//    keep-blue-not-elapsed), one drop-green per schema then cluster, journal phase-done.
// Swaps are consecutive so that merging them (merge-swaps) moves no swap past another step.
// Diagnostics: none.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <range/v3/view/enumerate.hpp>
#include <range/v3/view/zip.hpp>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

using plans::ObjectKind;
using plans::ObjectRef;
using plans::PhaseKind;
using plans::Step;
using plans::StepKind;

// A deployment's objects, schemas then clusters, in one vector that every step of the deployment
// shares (plans::ObjectList): one ObjectRef per object whatever the number of steps.
static plans::ObjectList AllRefs(const plans::Deployment& d) {
  std::vector<ObjectRef> refs;
  refs.reserve(d.schemas.size() + d.clusters.size());
  for (const auto& s : d.schemas) {
    refs.push_back(ObjectRef{ObjectKind::kSchema, d.name, s.database, s.blue, s.green});
  }
  for (const auto& c : d.clusters) {
    refs.push_back(ObjectRef{ObjectKind::kCluster, d.name, "", c.blue, c.green});
  }
  return plans::ObjectList(std::move(refs));
}

static Step MakeStep(StepKind kind, plans::ObjectList objects, SourceRange origin,
                     std::string rule = "", bool reverse = false) {
  Step step;
  step.kind = kind;
  step.objects = std::move(objects);
  step.rule = std::move(rule);
  step.reverse = reverse;
  step.origin = origin;
  return step;
}

namespace {

class PhaseBuilder {
  // Each deployment's objects, computed once: schemas, clusters, and both (schemas first); the
  // three share one vector (AllRefs), and so do the steps built from them.
  struct Refs {
    plans::ObjectList schemas;
    plans::ObjectList clusters;
    plans::ObjectList all;
  };

  const plans::Plan& plan_;
  bool materialize_;
  std::vector<Refs> refs_;

  // Each deployment with its objects: (const plans::Deployment&, const Refs&) pairs.
  auto Deployments() const { return ranges::views::zip(plan_.deployments, refs_); }

 public:
  explicit PhaseBuilder(const plans::Plan& plan)
      : plan_(plan), materialize_(plan.target == plans::Target::kMaterialize) {
    for (const auto& d : plan.deployments) {
      plans::ObjectList all = AllRefs(d);
      plans::ObjectList schemas = all.Slice(0, d.schemas.size());
      plans::ObjectList clusters = all.Slice(d.schemas.size(), d.clusters.size());
      refs_.push_back({std::move(schemas), std::move(clusters), std::move(all)});
    }
  }

  std::vector<Step> Init() const {
    std::vector<Step> steps;
    for (const auto& [d, r] : Deployments()) {
      if (r.all.empty()) {
        continue;
      }
      AddCheck(steps, d, "blue-missing", r.all);
      if (materialize_) {
        AddCheck(steps, d, "blue-contains-sinks", r.all);
      }
      AddCheck(steps, d, "not-owner", r.all);
      AddCheck(steps, d, "missing-privilege", r.all);
      if (materialize_) {
        AddCheck(steps, d, "unsized-replicas", r.clusters);
        if (std::any_of(d.clusters.begin(), d.clusters.end(), [](const plans::ClusterPair& c) {
              return c.settings != plans::ClusterSettings{};
            })) {
          AddCheck(steps, d, "cluster-settings-unsupported", r.clusters);
        }
      }
      AddCheck(steps, d, "green-not-empty", r.all);
      AddCheck(steps, d, "state-not-carried", r.schemas);
      for (const auto& [i, pair] : ranges::views::enumerate(d.schemas)) {
        const plans::ObjectList one = r.schemas.Slice(i, 1);
        steps.push_back(MakeStep(StepKind::kCreateGreenSchema, one, pair.origin));
        steps.push_back(MakeStep(StepKind::kCopySchemaPrivileges, one, pair.origin));
        steps.push_back(MakeStep(StepKind::kMarkGreen, one, pair.origin));
      }
      for (const auto& [i, pair] : ranges::views::enumerate(d.clusters)) {
        const plans::ObjectList one = r.clusters.Slice(i, 1);
        steps.push_back(MakeStep(StepKind::kCreateGreenCluster, one, pair.origin));
        steps.push_back(MakeStep(StepKind::kCopyClusterPrivileges, one, pair.origin));
        steps.push_back(MakeStep(StepKind::kMarkGreen, one, pair.origin));
      }
      steps.push_back(MakeStep(StepKind::kJournal, r.all, d.origin, "phase-done"));
    }
    return steps;
  }

  std::vector<Step> Await() const {
    std::vector<Step> steps;
    for (const auto& [d, r] : Deployments()) {
      if (!r.all.empty()) {
        steps.push_back(MakeStep(StepKind::kAwaitReady, r.all, d.origin));
      }
    }
    return steps;
  }

  std::vector<Step> Promote() const {
    std::vector<Step> steps;
    for (const auto& [d, r] : Deployments()) {
      if (r.all.empty()) {
        continue;
      }
      for (const char* rule : {"blue-missing", "green-missing", "not-owner", "green-not-ours",
                               "sink-upstream-missing", "orphaned-dependents"}) {
        AddCheck(steps, d, rule, r.all);
      }
      AddCheck(steps, d, "missing-in-green", r.schemas);
      AddCheck(steps, d, "incompatible-upstream", r.schemas);
      AddCheck(steps, d, "repoint-not-owner", r.schemas);
      if (!materialize_) {  // ALTER SCHEMA ... RENAME needs CREATE on the database
        AddCheck(steps, d, "missing-privilege", r.schemas);
      }
      AddCheck(steps, d, "state-not-carried", r.schemas);
      if (!materialize_) {  // PostgreSQL parks each blue schema under a temporary name
        AddCheck(steps, d, "swap-name-taken", r.schemas);
      }
      if (d.promote.wait) {
        steps.push_back(MakeStep(StepKind::kAwaitReady, r.all, d.origin));
      }
      if (!d.validate.empty() && !d.schemas.empty()) {
        steps.push_back(MakeStep(StepKind::kValidate, r.schemas,
                                 d.validate.origin.valid() ? d.validate.origin : d.origin));
      }
      // Materialize: the green-only hydration bursts end before green becomes production.
      for (const auto& [i, pair] : ranges::views::enumerate(d.clusters)) {
        if (materialize_ && pair.settings.hydration_size.has_value()) {
          steps.push_back(
              MakeStep(StepKind::kEndHydrationBurst, r.clusters.Slice(i, 1), pair.origin));
        }
      }
      steps.push_back(MakeStep(StepKind::kJournal, r.all, d.origin, "intent"));
    }
    AddSwaps(steps, /*reverse=*/false);
    for (const auto& [d, r] : Deployments()) {
      if (r.all.empty()) {
        continue;
      }
      steps.push_back(MakeStep(StepKind::kJournal, r.all, d.origin, "swapped"));
      if (!d.schemas.empty()) {
        steps.push_back(MakeStep(StepKind::kTagSchemas, r.schemas, d.origin));
        steps.push_back(MakeStep(StepKind::kRepointSinks, r.schemas, d.origin));
      }
    }
    return steps;
  }

  std::vector<Step> Rollback() const {
    std::vector<Step> steps;
    for (const auto& [d, r] : Deployments()) {
      AddCheck(steps, d, "nothing-to-roll-back", r.all);
      AddCheck(steps, d, "not-owner", r.all);
      AddCheck(steps, d, "orphaned-dependents", r.all);
      AddCheck(steps, d, "repoint-not-owner", r.schemas);
      if (!materialize_) {  // ALTER SCHEMA ... RENAME needs CREATE on the database
        AddCheck(steps, d, "missing-privilege", r.schemas);
        AddCheck(steps, d, "swap-name-taken", r.schemas);
      }
    }
    AddSwaps(steps, /*reverse=*/true);
    for (const auto& [d, r] : Deployments()) {
      if (r.all.empty()) {
        continue;
      }
      if (!d.schemas.empty()) {
        steps.push_back(MakeStep(StepKind::kRepointSinks, r.schemas, d.origin, "",
                                 /*reverse=*/true));
      }
      steps.push_back(MakeStep(StepKind::kJournal, r.all, d.origin, "phase-done"));
    }
    return steps;
  }

  std::vector<Step> Cleanup() const {
    std::vector<Step> steps;
    for (const auto& [d, r] : Deployments()) {
      if (r.all.empty()) {
        continue;
      }
      AddCheck(steps, d, "not-promoted", r.all);
      AddCheck(steps, d, "cleanup-id-mismatch", r.all);
      AddCheck(steps, d, "cleanup-drops", r.all);
      if (!d.schemas.empty()) {
        AddCheck(steps, d, "cutover-unfinished", r.schemas);
      }
      AddCheck(steps, d, "not-owner", r.all);
      AddCheck(steps, d, "cleanup-drops-dependents", r.all);
      AddCheck(steps, d, "keep-blue-not-elapsed", r.all);
      for (const auto& [i, pair] : ranges::views::enumerate(d.schemas)) {
        steps.push_back(MakeStep(StepKind::kDropGreen, r.schemas.Slice(i, 1), pair.origin));
      }
      for (const auto& [i, pair] : ranges::views::enumerate(d.clusters)) {
        steps.push_back(MakeStep(StepKind::kDropGreen, r.clusters.Slice(i, 1), pair.origin));
      }
      steps.push_back(MakeStep(StepKind::kJournal, r.all, d.origin, "phase-done"));
    }
    return steps;
  }

 private:
  static void AddCheck(std::vector<Step>& steps, const plans::Deployment& d, std::string rule,
                       plans::ObjectList objects) {
    if (!objects.empty()) {
      steps.push_back(MakeStep(StepKind::kCheck, std::move(objects), d.origin, std::move(rule)));
    }
  }

  void AddSwaps(std::vector<Step>& steps, bool reverse) const {
    for (const auto& [d, r] : Deployments()) {
      if (!r.all.empty()) {
        steps.push_back(MakeStep(StepKind::kSwap, r.all, d.origin, "", reverse));
      }
    }
  }
};

}  // namespace

static plans::Phase MakePhase(PhaseKind kind, std::vector<Step> steps) {
  plans::Phase phase;
  phase.kind = kind;
  if (!steps.empty()) {
    phase.batches.push_back(plans::Batch{plans::Batch::Mode::kEach, std::move(steps)});
  }
  return phase;
}

namespace {

class BuildPhasesPass : public Pass {
 public:
  std::string_view Name() const override { return "build-phases"; }
  PassKind Kind() const override { return PassKind::kTransform; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    if (!plan.phases.empty()) {
      return Status::Internal("build-phases: the plan already has phases");
    }
    PhaseBuilder builder(plan);
    plan.phases.push_back(MakePhase(PhaseKind::kInit, builder.Init()));
    plan.phases.push_back(MakePhase(PhaseKind::kAwait, builder.Await()));
    plan.phases.push_back(MakePhase(PhaseKind::kPromote, builder.Promote()));
    plan.phases.push_back(MakePhase(PhaseKind::kRollback, builder.Rollback()));
    plan.phases.push_back(MakePhase(PhaseKind::kCleanup, builder.Cleanup()));
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeBuildPhasesPass() { return std::make_unique<BuildPhasesPass>(); }

}  // namespace bgplan::passes
