// Hand-built plans for the emitter's unit tests, shaped like the output of compiler/lower +
// compiler/passes (checks first, one swap transaction for all deployments with schemas before
// clusters, PostgreSQL writes in one transaction per phase, Materialize writes one per round trip,
// cleanup drops schemas before clusters), so the emitter can be tested without them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plans/plan.h"

namespace bgplan::resolve::testing {

// A deployment with green names = blue + suffix.
inline plans::Deployment MakeDeployment(std::string name, std::vector<std::string> schemas,
                                        std::vector<std::string> clusters,
                                        std::string database = "",
                                        std::string suffix = "_dbt_deploy") {
  plans::Deployment d;
  d.name = std::move(name);
  d.database = database;
  d.suffix = suffix;
  for (std::string& s : schemas) {
    d.schemas.push_back(plans::SchemaPair{database, s, s + suffix, {}});
  }
  for (std::string& c : clusters) {
    plans::ClusterPair pair;
    pair.blue = c;
    pair.green = c + suffix;
    d.clusters.push_back(pair);
  }
  return d;
}

inline std::vector<plans::ObjectRef> Objects(const std::vector<plans::Deployment>& deployments,
                                             bool schemas, bool clusters) {
  std::vector<plans::ObjectRef> out;
  for (const plans::Deployment& d : deployments) {
    if (schemas) {
      for (const plans::SchemaPair& s : d.schemas) {
        out.push_back({plans::ObjectKind::kSchema, d.name, s.database, s.blue, s.green});
      }
    }
  }
  for (const plans::Deployment& d : deployments) {
    if (clusters) {
      for (const plans::ClusterPair& c : d.clusters) {
        out.push_back({plans::ObjectKind::kCluster, d.name, "", c.blue, c.green});
      }
    }
  }
  return out;
}

inline plans::Step MakeStep(plans::StepKind kind, std::vector<plans::ObjectRef> objects,
                            std::string rule = "", bool reverse = false) {
  plans::Step step;
  step.kind = kind;
  step.objects = std::move(objects);
  step.rule = std::move(rule);
  step.reverse = reverse;
  return step;
}

inline plans::Batch MakeBatch(plans::Batch::Mode mode, std::vector<plans::Step> steps) {
  plans::Batch batch;
  batch.mode = mode;
  batch.steps = std::move(steps);
  return batch;
}

// All five phases for `deployments`.
inline plans::Plan MakePlan(plans::Target target, std::vector<plans::Deployment> deployments) {
  using plans::StepKind;
  using Mode = plans::Batch::Mode;
  const bool mz = target == plans::Target::kMaterialize;
  const Mode writes = mz ? Mode::kEach : Mode::kTransaction;
  plans::Plan plan;
  plan.target = target;
  plan.source_file = "test.bgplan";
  plan.deployments = deployments;
  const auto all = Objects(deployments, true, true);
  const auto schemas = Objects(deployments, true, false);
  const auto clusters = Objects(deployments, false, true);

  plans::Phase init{plans::PhaseKind::kInit, {}};
  std::vector<plans::Step> checks = {MakeStep(StepKind::kCheck, all, "blue-missing"),
                                     MakeStep(StepKind::kCheck, all, "missing-privilege"),
                                     MakeStep(StepKind::kCheck, all, "not-owner"),
                                     MakeStep(StepKind::kCheck, all, "green-not-empty")};
  if (mz) {
    checks.insert(checks.begin() + 1, MakeStep(StepKind::kCheck, all, "blue-contains-sinks"));
    if (!clusters.empty()) {
      checks.push_back(MakeStep(StepKind::kCheck, clusters, "unsized-replicas"));
    }
  }
  init.batches.push_back(MakeBatch(Mode::kEach, checks));
  std::vector<plans::Step> init_writes;
  for (const auto& s : schemas) {
    init_writes.push_back(MakeStep(StepKind::kCreateGreenSchema, {s}));
    init_writes.push_back(MakeStep(StepKind::kCopySchemaPrivileges, {s}));
    init_writes.push_back(MakeStep(StepKind::kMarkGreen, {s}));
  }
  for (const auto& c : clusters) {
    init_writes.push_back(MakeStep(StepKind::kCreateGreenCluster, {c}));
    init_writes.push_back(MakeStep(StepKind::kCopyClusterPrivileges, {c}));
    init_writes.push_back(MakeStep(StepKind::kMarkGreen, {c}));
  }
  init_writes.push_back(MakeStep(StepKind::kJournal, all, "phase-done"));
  init.batches.push_back(MakeBatch(writes, init_writes));
  plan.phases.push_back(init);

  plans::Phase await{plans::PhaseKind::kAwait, {}};
  await.batches.push_back(
      MakeBatch(Mode::kEach, {MakeStep(StepKind::kAwaitReady, mz ? clusters : schemas)}));
  plan.phases.push_back(await);

  for (bool reverse : {false, true}) {
    plans::Phase phase{reverse ? plans::PhaseKind::kRollback : plans::PhaseKind::kPromote, {}};
    std::vector<plans::Step> pre;
    if (reverse) {
      pre.push_back(MakeStep(StepKind::kCheck, all, "nothing-to-roll-back"));
    } else {
      pre.push_back(MakeStep(StepKind::kCheck, all, "green-missing"));
      pre.push_back(MakeStep(StepKind::kCheck, all, "not-owner"));
      pre.push_back(MakeStep(StepKind::kCheck, all, "green-not-ours"));
      pre.push_back(MakeStep(StepKind::kCheck, schemas, "sink-upstream-missing"));
      pre.push_back(MakeStep(StepKind::kCheck, schemas, "orphaned-dependents"));
    }
    phase.batches.push_back(MakeBatch(Mode::kEach, pre));
    plans::Step swap = MakeStep(StepKind::kSwap, all, "", reverse);
    if (mz) {
      phase.batches.push_back(
          MakeBatch(Mode::kEach, {MakeStep(StepKind::kJournal, all, "intent")}));
      phase.batches.push_back(MakeBatch(Mode::kTransaction, {swap}));
      std::vector<plans::Step> after = {MakeStep(StepKind::kJournal, all, "swapped")};
      if (!reverse) {
        after.push_back(MakeStep(StepKind::kTagSchemas, schemas));
      }
      after.push_back(MakeStep(StepKind::kRepointSinks, schemas, "", reverse));
      after.push_back(MakeStep(StepKind::kJournal, all, "phase-done"));
      phase.batches.push_back(MakeBatch(Mode::kEach, after));
    } else {
      std::vector<plans::Step> steps = {swap,
                                        MakeStep(StepKind::kRepointSinks, schemas, "", reverse)};
      if (!reverse) {
        steps.push_back(MakeStep(StepKind::kTagSchemas, schemas));
      }
      steps.push_back(MakeStep(StepKind::kJournal, all, "swapped"));
      phase.batches.push_back(MakeBatch(Mode::kTransaction, steps));
    }
    plan.phases.push_back(phase);
  }

  plans::Phase cleanup{plans::PhaseKind::kCleanup, {}};
  cleanup.batches.push_back(
      MakeBatch(Mode::kEach, {MakeStep(StepKind::kCheck, all, "keep-blue-not-elapsed"),
                              MakeStep(StepKind::kCheck, all, "cleanup-drops-dependents")}));
  std::vector<plans::Step> drops;
  if (!schemas.empty()) {
    drops.push_back(MakeStep(StepKind::kDropGreen, schemas));
  }
  if (!clusters.empty()) {
    drops.push_back(MakeStep(StepKind::kDropGreen, clusters));
  }
  drops.push_back(MakeStep(StepKind::kJournal, all, "phase-done"));
  cleanup.batches.push_back(MakeBatch(writes, drops));
  plan.phases.push_back(cleanup);
  return plan;
}

}  // namespace bgplan::resolve::testing
