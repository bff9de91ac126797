// A hand-built plan touching every field of the IR (optional fields set and unset, names that
// need quoting), for the dump, JSON and verifier tests.
#pragma once

#include "plans/plan.h"

namespace bgplan::plans::testing_fixture {

inline SourceRange At(int line, int column, int length) {
  return SourceRange{{line, column}, {line, column + length}};
}

// Every key of a `cluster X { }` block set.
inline ClusterSettings Settings() {
  ClusterSettings c;
  c.size = "200cc";
  c.replication_factor = 2;
  c.introspection_interval_ms = 1500;
  c.introspection_debugging = true;
  c.hydration_size = "800cc";
  c.linger_ms = 600'000;
  return c;
}

inline Plan RichPlan() {
  Plan plan;
  plan.target = Target::kMaterialize;
  plan.target_origin = At(1, 8, 11);
  plan.source_file = "dir/analytics.bgplan";
  plan.catalog_fingerprint = "";
  Deployment d;
  d.name = "analytics";
  d.origin = At(2, 12, 9);
  d.database = "";
  d.suffix = "_g";
  d.schemas.push_back({"", "marts", "marts_g", At(3, 13, 5)});
  d.schemas.push_back({"db", "Odd \"Name\" é", "Odd \"Name\" é_g", At(3, 20, 14)});
  d.clusters.push_back({"compute", "compute_g", Settings(), At(4, 14, 7)});
  d.clusters.push_back({"serving", "serving_g", {}, At(4, 23, 7)});
  d.cluster_overrides.push_back({"compute", Settings(), At(5, 13, 7)});
  d.sink_schemas.push_back({"", "sinks", At(6, 21, 5)});
  d.sink_clusters.push_back({"sink_cluster", At(6, 37, 12)});
  d.await.poll_interval_ms = 500;
  d.await.compare_to_blue = true;
  d.promote.wait = true;
  d.promote.max_retries = 7;
  d.cleanup.keep_blue_ms = 86'400'000;
  d.validate.origin = At(7, 5, 8);
  d.validate.row_count_change_pct = 10;
  d.validate.asserts.push_back(
      {"no_neg", "SELECT count(*) = 0 FROM {marts}.o WHERE s <> 'x'", At(8, 16, 6), At(8, 23, 53)});
  d.validate.asserts.push_back(
      {"Multi \"Line\"", "SELECT\n  true", At(9, 16, 14), SourceRange{{9, 31}, {10, 9}}});
  plan.deployments.push_back(d);

  ObjectRef marts{ObjectKind::kSchema, "analytics", "", "marts", "marts_g"};
  ObjectRef compute{ObjectKind::kCluster, "analytics", "", "compute", "compute_g"};
  auto phase = [](PhaseKind kind) {
    Phase p;
    p.kind = kind;
    return p;
  };
  Phase init = phase(PhaseKind::kInit);
  init.batches.push_back(
      {Batch::Mode::kEach,
       {Step{StepKind::kCheck, {marts, compute}, "blue-missing", false, At(2, 12, 9)},
        Step{StepKind::kCreateGreenSchema, {marts}, "", false, At(3, 13, 5)},
        Step{StepKind::kCreateGreenCluster, {compute}, "", false, At(4, 14, 7)}}});
  Phase await = phase(PhaseKind::kAwait);
  await.batches.push_back(
      {Batch::Mode::kEach, {Step{StepKind::kAwaitReady, {marts, compute}, "", false, {}}}});
  Phase promote = phase(PhaseKind::kPromote);
  promote.batches.push_back({Batch::Mode::kTransaction,
                             {Step{StepKind::kSwap, {marts, compute}, "", false, At(2, 12, 9)}}});
  promote.batches.push_back(
      {Batch::Mode::kEach, {Step{StepKind::kRepointSinks, {marts}, "", false, At(2, 12, 9)}}});
  Phase rollback = phase(PhaseKind::kRollback);
  rollback.batches.push_back({Batch::Mode::kTransaction,
                              {Step{StepKind::kSwap, {marts, compute}, "", true, At(2, 12, 9)}}});
  Phase cleanup = phase(PhaseKind::kCleanup);
  cleanup.batches.push_back(
      {Batch::Mode::kEach,
       {Step{StepKind::kDropGreen, {marts}, "", false, At(3, 13, 5)},
        Step{StepKind::kJournal, {marts, compute}, "phase-done", false, At(2, 12, 9)}}});
  plan.phases = {init, await, promote, rollback, cleanup};
  return plan;
}

}  // namespace bgplan::plans::testing_fixture
