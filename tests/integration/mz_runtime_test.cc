// The Materialize path of the runtime against the mzemu emulator (semantics.md section 3), and
// the re-creation of every test case of dbt-materialize-behaviour.md section 3 (numbered "dbt N"
// below), adapted to bgplan's commands.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "support/exit_codes.h"
#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::RunOptions;

class MzRuntime : public MzTest {
 protected:
  // Blue: schemas prod and staging in the current database, cluster prod (managed, 25cc, rf 1).
  void CreateBlue() {
    Exec({"CREATE SCHEMA prod", "CREATE SCHEMA staging",
          "CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ", REPLICATION FACTOR = 1)",
          "CREATE TABLE prod.t (id int)"});
  }
  plans::Plan Plan() { return MzPlan("prod", {"prod", "staging"}, {C("prod")}, {"sinks"}); }
  // The deploy step: green gets its copy of blue's table (else promote refuses, missing-in-green).
  void DeployGreen() { Exec({"CREATE TABLE prod_dbt_deploy.t (id int)"}); }
};

// ---- dbt 1-3: grants and default privileges ---------------------------------------------------

TEST_F(MzRuntime, Dbt1to3InitCopiesDefaultPrivilegesSchemaAndClusterGrants) {
  CreateBlue();
  const std::string my_role = R("my_role");
  Exec({"CREATE ROLE " + my_role,
        "ALTER DEFAULT PRIVILEGES FOR ROLE " + my_role +
            " IN SCHEMA prod GRANT SELECT ON TABLES TO " + my_role,
        // dbt 2: green has CREATE for my_role, blue has USAGE.
        "CREATE SCHEMA prod_dbt_deploy", "GRANT CREATE ON SCHEMA prod_dbt_deploy TO " + my_role,
        "GRANT USAGE ON SCHEMA prod TO " + my_role,
        // dbt 3: the same for clusters.
        "CREATE CLUSTER " + C("prod_dbt_deploy") + " (" + SizeOpt() + ")",
        "GRANT CREATE ON CLUSTER " + C("prod_dbt_deploy") + " TO " + my_role,
        "GRANT USAGE ON CLUSTER " + C("prod") + " TO " + my_role});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  // dbt 1: exactly one default privilege row for green.
  EXPECT_EQ(Column("SELECT object_owner, object_type, grantee, privilege_type FROM "
                   "mz_internal.mz_show_default_privileges WHERE database = current_database() "
                   "AND schema = 'prod_dbt_deploy'"),
            std::vector<std::string>{my_role + "|table|" + my_role + "|SELECT"});
  // dbt 2: green lost CREATE, gained USAGE (copied to a pre-existing green: the reference
  // skips pre-existing schemas; semantics.md section 3 says copy).
  EXPECT_EQ(Column("SELECT privilege_type FROM mz_internal.mz_show_schema_privileges WHERE "
                   "database = current_database() AND name = 'prod_dbt_deploy' AND grantee = '" +
                   my_role + "'"),
            std::vector<std::string>{"USAGE"});
  // dbt 3.
  EXPECT_EQ(Column("SELECT privilege_type FROM mz_internal.mz_show_cluster_privileges WHERE name "
                   "= '" + C("prod_dbt_deploy") + "' AND grantee = '" + my_role + "'"),
            std::vector<std::string>{"USAGE"});
}

// ---- dbt 4-5: CI tags -> bgplan's marker comments ---------------------------------------------

// bgplan replaces the CI_TAG environment variable by a marker naming the deployment and run:
// a re-run recognises its own green objects (dbt 4), and a non-empty green carrying another
// marker is refused (dbt 5).
TEST_F(MzRuntime, Dbt4MarkerMatchesOnRerun) {
  CreateBlue();
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  std::string marker = Comment(SchemaId("prod_dbt_deploy"));
  EXPECT_EQ(marker.rfind("bgplan deployment prod run prod-", 0), 0u) << marker;
  EXPECT_EQ(Comment(ClusterId(C("prod_dbt_deploy"))), marker);
  Exec({"CREATE TABLE prod_dbt_deploy.t (id int)"});  // the deploy command built green
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Comment(SchemaId("prod_dbt_deploy")), marker);
}

TEST_F(MzRuntime, Dbt5ForeignMarkerOnNonEmptyGreenIsRefused) {
  CreateBlue();
  Exec({"CREATE SCHEMA prod_dbt_deploy", "CREATE TABLE prod_dbt_deploy.t (id int)",
        "COMMENT ON SCHEMA prod_dbt_deploy IS 'bgplan deployment other run x'"});
  Status st = RunPhase(Plan(), PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "green-not-empty")) << last_diagnostics_;
  EXPECT_EQ(ClusterId(C("prod_dbt_deploy")), "");  // nothing created
  RunOptions adopt;
  adopt.overrides.ignore_existing = true;
  EXPECT_TRUE(RunPhase(Plan(), PhaseKind::kInit, adopt).ok()) << last_diagnostics_;
}

// ---- dbt 6-9: permission validation ----------------------------------------------------------

// dbt 6-9 call the internal macros as a superuser and expect them to pass; bgplan's checks run
// for non-superusers, so these run init as a role with exactly the privileges needed (pass),
// and as roles missing one (PR #38069's cases: the reference's ownership check never fires).
TEST_F(MzRuntime, Dbt6to9PermissionsOfAnOwnerPass) {
  const std::string deployer = R("deployer");
  Exec({"CREATE ROLE " + deployer, "GRANT CREATECLUSTER ON SYSTEM TO " + deployer,
        "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO " + deployer,
        "CREATE SCHEMA my_schema", "ALTER SCHEMA my_schema OWNER TO " + deployer,
        "CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ")",
        "ALTER CLUSTER " + C("prod") + " OWNER TO " + deployer});
  MZ_REQUIRE_LOGIN(deployer);
  auto plan = MzPlan("prod", {"my_schema"}, {C("prod")});
  Status st = RunPhase(plan, PhaseKind::kInit, {}, nullptr, deployer);
  EXPECT_TRUE(st.ok()) << st.ToString() << last_diagnostics_;
}

TEST_F(MzRuntime, Dbt6to9MissingPrivilegesAndOwnershipAllReportedAtOnce) {
  // The deployer may create schemas (the lock schema needs it) but not clusters.
  const std::string deployer = R("deployer"), team = R("team");
  Exec({"CREATE ROLE " + deployer, "CREATE ROLE " + team, "GRANT " + team + " TO " + deployer,
        "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO " + deployer, "CREATE SCHEMA mine",
        "ALTER SCHEMA mine OWNER TO " + team,  // owned through membership
        "CREATE SCHEMA theirs", "CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ")"});
  MZ_REQUIRE_LOGIN(deployer);
  auto plan = MzPlan("prod", {"mine", "theirs"}, {C("prod")});
  Status st = RunPhase(plan, PhaseKind::kInit, {}, nullptr, deployer);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "missing-privilege")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("CREATECLUSTER"), std::string::npos) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("not own schema '" + db_ + ".theirs'"), std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("not own cluster '" + C("prod") + "'"), std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(last_diagnostics_.find(".mine"), std::string::npos) << last_diagnostics_;
  EXPECT_EQ(SchemaId("mine_dbt_deploy"), "");
}

// ---- dbt 10: a deployment run builds into the green cluster -----------------------------------

TEST_F(MzRuntime, Dbt10DeploymentRunBuildsIntoGreen) {
  Exec({"CREATE CLUSTER " + C("quick2") + " (" + SizeOpt() + ")"});
  auto plan = MzPlan("q", {"public"}, {C("quick2")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  const std::string green = C("quick2_dbt_deploy");
  Exec({"CREATE SOURCE public_dbt_deploy.src IN CLUSTER " + green +
            " FROM LOAD GENERATOR COUNTER",
        "CREATE MATERIALIZED VIEW public_dbt_deploy.mv IN CLUSTER " + green + " AS SELECT 1 AS x",
        "CREATE INDEX mv_idx IN CLUSTER " + green + " ON public_dbt_deploy.mv (x)",
        "CREATE VIEW public_dbt_deploy.v AS SELECT 2 AS y",
        "CREATE DEFAULT INDEX IN CLUSTER " + green + " ON public_dbt_deploy.v"});
  std::string c = ClusterId(green);
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_sources WHERE cluster_id = '" + c + "'"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_materialized_views WHERE cluster_id = '" + c + "'"),
            "1");
  // The two indexes the deploy built (every cluster also has system introspection indexes).
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_indexes WHERE cluster_id = '" + c +
                   "' AND id LIKE 'u%'"),
            "2");
  // Never promoted: cleanup refuses to drop the new code unless told to abandon it (the same
  // rule as on PostgreSQL).
  EXPECT_EQ(RunPhase(plan, PhaseKind::kCleanup, {}).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "not-promoted")) << last_diagnostics_;
  EXPECT_NE(ClusterId(green), "");
  RunOptions force;
  force.overrides.abandon = true;
  EXPECT_TRUE(RunPhase(plan, PhaseKind::kCleanup, force).ok()) << last_diagnostics_;
  EXPECT_EQ(ClusterId(green), "");
}

// ---- dbt 11: sinks in blue ---------------------------------------------------------------------

TEST_F(MzRuntime, Dbt11SinkInBlueSchemaOrClusterFailsInit) {
  MZ_REQUIRE_KAFKA();
  CreateBlue();
  Exec({KafkaConnection("kafka"),
        "CREATE MATERIALIZED VIEW prod.mv IN CLUSTER " + C("prod") + " AS SELECT 1 AS x",
        "CREATE SINK prod.snk IN CLUSTER " + C("prod") +
            " FROM prod.mv INTO KAFKA CONNECTION kafka (TOPIC '" + prefix_ +
            "t') FORMAT JSON ENVELOPE DEBEZIUM"});
  Status st = RunPhase(Plan(), PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition);
  // Both the schema and the cluster are named (the reference's message does not interpolate).
  EXPECT_NE(last_diagnostics_.find("schema '" + db_ + ".prod' contains sinks: '" + db_ +
                                   ".prod.snk'"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("cluster '" + C("prod") + "' contains sinks"), std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), "");
}

// ---- dbt 12-15: promote ----------------------------------------------------------------------

TEST_F(MzRuntime, Dbt12PromoteDryRunThenSwapAndTag) {
  CreateBlue();
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  DeployGreen();
  std::string prod = SchemaId("prod"), green = SchemaId("prod_dbt_deploy");
  std::string staging = SchemaId("staging"), sgreen = SchemaId("staging_dbt_deploy");
  std::string cprod = ClusterId(C("prod")), cgreen = ClusterId(C("prod_dbt_deploy"));
  RunOptions dry;
  dry.dry_run = true;
  RecordingSink sink;
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote, dry, &sink).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), prod);
  std::string printed;
  for (const auto& p : sink.products) {
    printed += p + "\n";
  }
  EXPECT_NE(printed.find("BEGIN;\nALTER SCHEMA \"prod\" SWAP WITH \"prod_dbt_deploy\";\nALTER "
                         "SCHEMA \"staging\" SWAP WITH \"staging_dbt_deploy\";\nALTER CLUSTER \"" +
                         C("prod") + "\" SWAP WITH \"" + C("prod_dbt_deploy") + "\";\nCOMMIT;"),
            std::string::npos)
      << printed;
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), green);
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), prod);
  EXPECT_EQ(SchemaId("staging"), sgreen);
  EXPECT_EQ(SchemaId("staging_dbt_deploy"), staging);
  EXPECT_EQ(ClusterId(C("prod")), cgreen);
  EXPECT_EQ(ClusterId(C("prod_dbt_deploy")), cprod);
  for (std::string s : {"prod", "staging"}) {
    std::string tag = Comment(SchemaId(s));
    EXPECT_EQ(tag.rfind("Deployment by " + AdminUser() + " on ", 0), 0u) << tag;
    EXPECT_NE(tag.find(" | bgplan prod-"), std::string::npos) << tag;
  }
  // Idempotent: a second promote changes nothing.
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), green);
}

TEST_F(MzRuntime, Dbt13PromoteWithWaitOnEmptyClusters) {
  CreateBlue();
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  DeployGreen();
  std::string green = SchemaId("prod_dbt_deploy");
  auto plan = Plan();
  plan.deployments[0].promote.wait = true;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), green);
}

TEST_F(MzRuntime, Dbt14And15PromoteWithoutGreenFails) {
  CreateBlue();
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  std::string prod = SchemaId("prod");
  Exec({"DROP CLUSTER " + C("prod_dbt_deploy") + " CASCADE",
        "DROP SCHEMA staging_dbt_deploy CASCADE"});
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kPromote).code(), StatusCode::kPrecondition);
  EXPECT_NE(last_diagnostics_.find("cluster '" + C("prod_dbt_deploy") + "' does not exist"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("staging_dbt_deploy' does not exist"), std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), prod);
}

// ---- dbt 16-17: autoscaling ------------------------------------------------------------------

TEST_F(MzRuntime, Dbt16InitInheritsAutoScalingStrategy) {
  // Autoscaling is not available everywhere: a real server that refuses it skips the test.
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("prod") + " (" + SizeOpt() +
                   ", AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '" + Size2() +
                   "', LINGER DURATION = '15s')))"});
  auto plan = MzPlan("prod", {}, {C("prod")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Scalar("SELECT (s.strategy->'on_hydration'->>'hydration_size') || ',' || "
                   "(s.strategy->'on_hydration'->'linger_duration'->>'secs') FROM "
                   "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id = "
                   "s.cluster_id WHERE c.name = '" +
                   C("prod_dbt_deploy") + "'"),
            Size2() + ",15");
}

TEST_F(MzRuntime, Dbt17InitWithoutAutoScalingStrategy) {
  Exec({"CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ")"});
  auto plan = MzPlan("prod", {}, {C("prod")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_NE(ClusterId(C("prod_dbt_deploy")), "");
  // The relation may not exist on a real server without autoscaling: then there is no strategy.
  auto strategies = admin_->Query(
      "SELECT count(*) FROM mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c "
      "ON c.id = s.cluster_id WHERE c.name = '" +
      C("prod_dbt_deploy") + "' AND s.strategy IS NOT NULL");
  if (!real_ || strategies.ok()) {
    ASSERT_TRUE(strategies.ok()) << strategies.status().ToString();
    EXPECT_EQ((*strategies)[0][0], "0");
  }
}

// ---- dbt 18-22: unmanaged clusters -----------------------------------------------------------

std::vector<std::string> Replicas(MzTest& t, const std::string& cluster) {
  return t.Column(
      "SELECT r.name, r.size FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = "
      "r.cluster_id WHERE c.name = '" +
      cluster + "' ORDER BY r.name");
}

TEST_F(MzRuntime, Dbt18UnmanagedEmpty) {
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("prod") + " REPLICAS ()"});
  auto plan = MzPlan("prod", {}, {C("prod")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Scalar("SELECT managed::text FROM mz_clusters WHERE name = '" + C("prod_dbt_deploy") +
                   "'"),
            "false");
  EXPECT_TRUE(Replicas(*this, C("prod_dbt_deploy")).empty());
}

TEST_F(MzRuntime, Dbt19To21UnmanagedReplicasClonedOrderedIdempotent) {
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("prod") + " REPLICAS (r2 (SIZE '" + Size2() +
                   "'), r1 (SIZE '" + Size() + "'))"});
  auto plan = MzPlan("prod", {}, {C("prod")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  std::vector<std::string> want = {"r1|" + Size(), "r2|" + Size2()};
  EXPECT_EQ(Replicas(*this, C("prod_dbt_deploy")), want);
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;  // dbt 21
  EXPECT_EQ(Replicas(*this, C("prod_dbt_deploy")), want);
}

TEST_F(MzRuntime, Dbt22UnsizedReplicasAllListed) {
  // Unsized replicas need unsafe mode on a real server; one that refuses skips the test.
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("prod") +
                   " REPLICAS (r1 (STORAGECTL ADDRESSES ['a:1'], COMPUTECTL ADDRESSES ['a:2']), "
                   "r2 (STORAGECTL ADDRESSES ['b:1'], COMPUTECTL ADDRESSES ['b:2']))"});
  auto plan = MzPlan("prod", {}, {C("prod")});
  EXPECT_EQ(RunPhase(plan, PhaseKind::kInit).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "unsized-replicas"));
  EXPECT_NE(last_diagnostics_.find("no SIZE, which cannot be cloned: r1, r2"), std::string::npos)
      << last_diagnostics_;
}

// ---- init: cluster options, overrides ---------------------------------------------------------

TEST_F(MzRuntime, InitCopiesScheduleAndPlanOverridesWin) {
  Exec({"CREATE CLUSTER " + C("big") + " (" + SizeOpt() + ", REPLICATION FACTOR = 1)"});
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("sched") + " (" + SizeOpt() +
                   ", SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '10 minutes'))"});
  auto plan = MzPlan("prod", {}, {C("sched"), C("big")});
  plan.deployments[0].clusters[1].settings.size = Size2();
  plan.deployments[0].clusters[1].settings.replication_factor = 2;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Scalar("SELECT cs.type || ' ' || cs.refresh_hydration_time_estimate::text FROM "
                   "mz_internal.mz_cluster_schedules cs JOIN mz_clusters c ON c.id = "
                   "cs.cluster_id WHERE c.name = '" +
                   C("sched_dbt_deploy") + "'"),
            "on-refresh 00:10:00");
  EXPECT_EQ(Scalar("SELECT size || ' ' || replication_factor::text FROM mz_clusters WHERE name = "
                   "'" +
                   C("big_dbt_deploy") + "'"),
            Size2() + " 2");
}

// ---- lock --------------------------------------------------------------------------------------

TEST_F(MzRuntime, LockHeldByAnotherRunIsExit6AndExpiredLockIsTakenOver) {
  CreateBlue();
  Exec({"CREATE SCHEMA bgplan_lock_prod",
        "COMMENT ON SCHEMA bgplan_lock_prod IS 'bgplan lock holder=ci host=elsewhere pid=1 "
        "expires_ms=99999999999999'"});
  Status st = RunPhase(Plan(), PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kLocked);
  EXPECT_NE(st.message().find("held by ci on host elsewhere (pid 1) until "), std::string::npos) << st.message();
  EXPECT_EQ(ExitCodeFor(st), 6);
  Exec(
      {"COMMENT ON SCHEMA bgplan_lock_prod IS 'bgplan lock holder=ci host=elsewhere pid=1 "
       "expires_ms=1'"});
  EXPECT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("bgplan_lock_prod"), "");  // released
}

// ---- promote: sinks, dependents, retries, round trips ------------------------------------------

class MzSinks : public MzRuntime {
 protected:
  void SetUp() override {
    MzRuntime::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    MZ_REQUIRE_KAFKA();
    CreateBlue();
    const std::string prod = C("prod"), sink_cluster = C("sink_cluster");
    Exec({KafkaConnection("kafka"), "CREATE SCHEMA sinks",
          "CREATE CLUSTER " + sink_cluster + " (" + SizeOpt() + ")",
          "CREATE MATERIALIZED VIEW prod.a IN CLUSTER " + prod + " AS SELECT 1 AS x",
          "CREATE MATERIALIZED VIEW prod.b IN CLUSTER " + prod + " AS SELECT 2 AS x",
          Sink("sinks.sa", "prod.a"), Sink("sinks.sb", "prod.b")});
    ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
    DeployGreen();
    Exec({"CREATE MATERIALIZED VIEW prod_dbt_deploy.a IN CLUSTER " + C("prod_dbt_deploy") +
              " AS SELECT 10 AS x",
          "CREATE MATERIALIZED VIEW prod_dbt_deploy.b IN CLUSTER " + C("prod_dbt_deploy") +
              " AS SELECT 20 AS x"});
  }
  // CREATE SINK `name` in the sink cluster reading `from`, to a topic of this test.
  std::string Sink(const std::string& name, const std::string& from) {
    return "CREATE SINK " + name + " IN CLUSTER " + C("sink_cluster") + " FROM " + from +
           " INTO KAFKA CONNECTION kafka (TOPIC '" + prefix_ + name +
           "') FORMAT JSON ENVELOPE DEBEZIUM";
  }
  // The schema the upstream of sink `name` lives in, by id.
  std::string SinkUpstreamSchema(const std::string& name) {
    return Scalar(
        "SELECT o.schema_id FROM mz_sinks k JOIN mz_internal.mz_object_dependencies d ON "
        "d.object_id = k.id JOIN mz_objects o ON o.id = d.referenced_object_id WHERE o.type = "
        "'materialized-view' AND k.name = '" +
        name + "'");
  }
};

TEST_F(MzSinks, PromoteRepointsSinksAndRollbackPointsThemBack) {
  std::string green = SchemaId("prod_dbt_deploy"), blue = SchemaId("prod");
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(SinkUpstreamSchema("sa"), green);
  EXPECT_EQ(SinkUpstreamSchema("sb"), green);
  {
    Status rb = RunPhase(Plan(), PhaseKind::kRollback);
    ASSERT_TRUE(rb.ok()) << rb.ToString() << last_diagnostics_;
  }
  EXPECT_EQ(SchemaId("prod"), blue);
  EXPECT_EQ(SinkUpstreamSchema("sa"), blue);
  EXPECT_EQ(SinkUpstreamSchema("sb"), blue);
  // Promote again after the rollback, then cleanup: rollback has nothing left.
  {
    Status p2 = RunPhase(Plan(), PhaseKind::kPromote);
    ASSERT_TRUE(p2.ok()) << p2.ToString() << last_diagnostics_;
  }
  EXPECT_EQ(SinkUpstreamSchema("sa"), green);
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kCleanup).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(C("prod_dbt_deploy")), "");
  EXPECT_EQ(SchemaId("prod"), green);
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kRollback).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "nothing-to-roll-back")) << last_diagnostics_;
}

TEST_F(MzSinks, CleanupWaitsForKeepBlueUnlessForced) {
  auto plan = Plan();
  plan.deployments[0].cleanup.keep_blue_ms = 3600 * 1000;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(RunPhase(plan, PhaseKind::kCleanup).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "keep-blue-not-elapsed")) << last_diagnostics_;
  EXPECT_NE(SchemaId("prod_dbt_deploy"), "");
  RunOptions force;
  force.overrides.before_keep_blue = true;
  EXPECT_TRUE(RunPhase(plan, PhaseKind::kCleanup, force).ok()) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), "");
}

TEST_F(MzSinks, SinkUpstreamMissingAndOrphanedDependents) {
  Exec({"DROP MATERIALIZED VIEW prod_dbt_deploy.b",
        "CREATE VIEW sinks.reader AS SELECT x FROM prod.a"});
  std::string blue = SchemaId("prod");
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kPromote).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "sink-upstream-missing")) << last_diagnostics_;
  EXPECT_TRUE(Has(last_kinds_, "orphaned-dependents")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("view " + db_ + ".sinks.reader"), std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), blue);
}

// Scenario 3 of issue 10: the deploying role owns the schemas and the cluster but not a sink it
// must re-point after the swap. Refused before the swap (repoint-not-owner, naming the sink),
// not a swap followed by "must be owner of SINK".
TEST_F(MzSinks, PromoteRefusesBeforeTheSwapWhenASinkIsNotOwned) {
  const std::string deployer = R("deployer");
  Exec({"CREATE ROLE " + deployer, "GRANT CREATECLUSTER ON SYSTEM TO " + deployer,
        "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO " + deployer});
  for (const char* schema : {"prod", "prod_dbt_deploy", "staging", "staging_dbt_deploy"}) {
    Exec({std::string("ALTER SCHEMA ") + schema + " OWNER TO " + deployer});
  }
  Exec({"ALTER CLUSTER " + C("prod") + " OWNER TO " + deployer,
        "ALTER CLUSTER " + C("prod_dbt_deploy") + " OWNER TO " + deployer,
        "ALTER SINK sinks.sb OWNER TO " + deployer});
  MZ_REQUIRE_LOGIN(deployer);
  const std::string blue = SchemaId("prod");
  Status st = RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, deployer);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString() << last_diagnostics_;
  EXPECT_TRUE(Has(last_kinds_, "repoint-not-owner")) << last_diagnostics_;
  // The journal another role made is reported with it, at once (journal-access).
  EXPECT_TRUE(Has(last_kinds_, "journal-access")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("sinks.sa (owner"), std::string::npos) << last_diagnostics_;
  EXPECT_EQ(last_diagnostics_.find("sinks.sb"), std::string::npos) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), blue);
}

TEST_F(MzSinks, SinkOutsideThePlansSinksIsAnOrphanNotRepointed) {
  Exec({"CREATE SCHEMA elsewhere", Sink("elsewhere.stray", "prod.a")});
  auto plan = Plan();
  plan.deployments[0].sink_clusters.clear();
  EXPECT_EQ(RunPhase(plan, PhaseKind::kPromote).code(), StatusCode::kPrecondition);
  EXPECT_NE(last_diagnostics_.find("sink " + db_ + ".elsewhere.stray (outside the plan's sinks"),
            std::string::npos)
      << last_diagnostics_;
  std::string blue = SchemaId("prod");
  RunOptions allow;
  allow.overrides.allow_orphans = true;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote, allow).ok()) << last_diagnostics_;
  EXPECT_EQ(SinkUpstreamSchema("stray"), blue);  // never altered
  EXPECT_EQ(SinkUpstreamSchema("sa"), SchemaId("prod"));
}

TEST_F(MzRuntime, TwoDeploymentsSwapInOneBlock) {
  CreateBlue();
  Exec({"CREATE SCHEMA other", "CREATE CLUSTER " + C("other") + " (" + SizeOpt() + ")"});
  auto plan = Plan();
  plan.deployments.push_back(MzPlan("other", {"other"}, {C("other")}).deployments[0]);
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  DeployGreen();
  std::string g1 = SchemaId("prod_dbt_deploy"), g2 = SchemaId("other_dbt_deploy");
  auto inner = Connect();
  CountingSession counting(*inner);
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote, {}, nullptr, "", &counting).ok())
      << last_diagnostics_;
  int blocks = 0;
  for (const std::string& q : counting.sent) {
    if (q.find("SWAP WITH") != std::string::npos) {
      ++blocks;
      // Schemas first, then clusters, all deployments together.
      EXPECT_LT(q.find("ALTER SCHEMA \"other\""), q.find("ALTER CLUSTER \"" + C("prod") + "\""));
    }
  }
  EXPECT_EQ(blocks, 1);
  EXPECT_EQ(SchemaId("prod"), g1);
  EXPECT_EQ(SchemaId("other"), g2);
}

TEST_F(MzSinks, CleanupListsDependentsCascadeWouldDrop) {
  // Before promote, a view outside green reading green would be dropped by CASCADE.
  Exec({"CREATE VIEW sinks.peek AS SELECT x FROM prod_dbt_deploy.a"});
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kCleanup).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "cleanup-drops-dependents")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("sinks.peek"), std::string::npos) << last_diagnostics_;
  EXPECT_NE(SchemaId("prod_dbt_deploy"), "");
}

TEST_F(MzSinks, SwapBlockIsOneRoundTrip) {
  auto inner = Connect();
  CountingSession counting(*inner);
  int64_t before = real_ ? 0 : ConnCounter(inner->BackendPid(), 3);
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, "", &counting).ok())
      << last_diagnostics_;
  // Every Query() is exactly one round trip on the wire (counted by the emulator) ...
  if (!real_) {
    EXPECT_EQ(ConnCounter(inner->BackendPid(), 3) - before, counting.queries);
  }
  // ... and exactly one of them carried the swaps, all of them.
  int swaps = 0;
  for (const std::string& q : counting.sent) {
    if (q.find("SWAP WITH") != std::string::npos) {
      ++swaps;
      EXPECT_EQ(q.rfind("BEGIN;", 0), 0u);
      EXPECT_NE(q.find("ALTER SCHEMA \"staging\" SWAP"), std::string::npos);
      EXPECT_NE(q.find("ALTER CLUSTER \"" + C("prod") + "\" SWAP"), std::string::npos);
    }
  }
  EXPECT_EQ(swaps, 1);
}

TEST_F(MzSinks, PromoteUnderConcurrentDdlSucceedsWithinRetries) {
  std::string green = SchemaId("prod_dbt_deploy");
  auto other = Connect();
  std::atomic<bool> stop{false};
  std::atomic<int> ddl{0};
  // Another session commits DDL in a loop; each swap attempt that overlaps one fails with 40001.
  auto inner = Connect();
  CountingSession counting(*inner);
  std::thread loop([&] {
    for (int i = 0; !stop && i < 100000; ++i) {
      (void)other->Exec("COMMENT ON SCHEMA sinks IS 'tick " + std::to_string(i) + "'");
      ++ddl;
      // A DDL every few milliseconds: busy enough to hit swap attempts, not a wall that no
      // transaction could ever pass (then only a larger max_retries helps, by design).
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  auto plan = Plan();
  plan.deployments[0].promote.max_retries = 50;
  plan.deployments[0].promote.retry_backoff_ms = 7;
  Status st = RunPhase(plan, PhaseKind::kPromote, {}, nullptr, "", &counting);
  stop = true;
  loop.join();
  ASSERT_TRUE(st.ok()) << st.ToString() << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), green);
  EXPECT_GT(ddl.load(), 0);
  int attempts = 0;
  for (const std::string& q : counting.sent) {
    attempts += q.find("SWAP WITH") != std::string::npos ? 1 : 0;
  }
  // How many attempts the loop forced depends on timing; each failed one was a 40001.
  RecordProperty("swap_attempts", attempts);
  std::printf("swap attempts under concurrent DDL: %d\n", attempts);
}

TEST_F(MzSinks, RetriesExhaustedLeaveNothingSwapped) {
  std::string blue = SchemaId("prod");
  // Every swap attempt is preceded by a DDL of another session inside its window: the first
  // statement of the block is validated, then the other session commits, then COMMIT fails.
  auto other = Connect();
  auto inner = Connect();
  // Split the block: send BEGIN and the first swap, let the other session commit DDL, then the
  // rest. This is what a slow network does to one round trip; the runtime must see 40001.
  class SplittingSession : public CountingSession {
   public:
    SplittingSession(runtime::SqlSession& in, runtime::SqlSession& o)
        : CountingSession(in), in_(in), other_(o) {}
    Result<runtime::Rows> Query(std::string_view sql) override {
      if (sql.rfind("BEGIN;", 0) == 0 && sql.find("SWAP WITH") != std::string_view::npos) {
        ++swap_attempts;
        size_t first_end = sql.find(";\n", sql.find("SWAP WITH"));
        auto r = in_.Query(sql.substr(0, first_end + 1));
        if (!r.ok()) return r;
        (void)other_.Exec("COMMENT ON SCHEMA sinks IS 'concurrent " +
                          std::to_string(swap_attempts) + "'");
        return in_.Query(sql.substr(first_end + 2));
      }
      return in_.Query(sql);
    }
    int swap_attempts = 0;

   private:
    runtime::SqlSession& in_;
    runtime::SqlSession& other_;
  };
  SplittingSession split(*inner, *other);
  auto plan = Plan();
  plan.deployments[0].promote.max_retries = 2;
  Status st = RunPhase(plan, PhaseKind::kPromote, {}, nullptr, "", &split);
  EXPECT_EQ(st.code(), StatusCode::kDatabaseError);
  EXPECT_EQ(st.sqlstate(), "40001");
  EXPECT_NE(st.message().find("gave up after 3 attempt(s)"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("nothing was changed"), std::string::npos) << st.message();
  EXPECT_EQ(split.swap_attempts, 3);
  EXPECT_EQ(SchemaId("prod"), blue);
}

// ---- await
// ---------------------------------------------------------------------------------------

class MzAwait : public MzRuntime {
 protected:
  void SetUp() override {
    MzRuntime::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    Exec({"CREATE CLUSTER " + C("c1") + " (" + SizeOpt() + ")",
          "CREATE CLUSTER " + C("c2") + " (" + SizeOpt() + ")",
          "CREATE CLUSTER " + C("c3") + " (" + SizeOpt() + ")"});
    plan_ = MzPlan("w", {}, {C("c1"), C("c2"), C("c3")});
    plan_.deployments[0].await.poll_interval_ms = 100;
    plan_.deployments[0].await.timeout_ms = Patient(1500);
    ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
    Exec({"CREATE MATERIALIZED VIEW public.mv1 IN CLUSTER " + C("c1_dbt_deploy") +
              " AS SELECT 1 AS x",
          "CREATE MATERIALIZED VIEW public.mv2 IN CLUSTER " + C("c2_dbt_deploy") +
              " AS SELECT 1 AS x"});
  }
  // mzemu_* control statements name a cluster or "cluster.replica".
  std::string Control(const std::string& function, const std::string& target,
                      const std::string& rest = "") {
    return "SELECT " + function + "('" + target + "'" + (rest.empty() ? "" : ", " + rest) + ")";
  }
  plans::Plan plan_;
};

TEST_F(MzAwait, OneCatalogQueryPerPollAndTimeoutExit4) {
  MZ_EMULATOR_ONLY("hydration (a cluster that never hydrates) and the wire counters");
  Exec({Control("mzemu_set_hydrated", C("c2_dbt_deploy"), "false")});
  auto inner = Connect();
  CountingSession counting(*inner);
  int polls = 0;
  int64_t at_first_poll = 0, at_last_poll = 0;
  counting.before_query = [&](std::string_view sql) {
    if (sql.rfind("WITH problematic_replicas", 0) == 0) {
      at_last_poll = ConnCounter(inner->BackendPid(), 5);
      if (++polls == 1) {
        at_first_poll = at_last_poll;
      }
    }
  };
  Status st = RunPhase(plan_, PhaseKind::kAwait, {}, nullptr, "", &counting);
  EXPECT_EQ(st.code(), StatusCode::kTimeout) << st.ToString();
  EXPECT_EQ(ExitCodeFor(st), 4);
  EXPECT_NE(st.message().find(C("c2_dbt_deploy") + ": hydrating"), std::string::npos)
      << st.message();
  ASSERT_GE(polls, 5);
  // Three clusters: from the first poll to the last, exactly one catalog query per poll (counted
  // by the emulator on the wire, so nothing else slipped in between).
  EXPECT_EQ(at_last_poll - at_first_poll, polls - 1);
}

TEST_F(MzAwait, ReadinessNoticedWithinOnePollInterval) {
  MZ_EMULATOR_ONLY("hydration (the moment a cluster becomes hydrated)");
  Exec({Control("mzemu_set_hydrated", C("c1_dbt_deploy"), "false")});
  plan_.deployments[0].await.poll_interval_ms = 500;
  plan_.deployments[0].await.timeout_ms = 20000;
  auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point hydrated_at;
  std::thread flip([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    auto c = Connect();
    (void)c->Exec(Control("mzemu_set_hydrated", C("c1_dbt_deploy"), "true"));
    hydrated_at = std::chrono::steady_clock::now();
  });
  Status st = RunPhase(plan_, PhaseKind::kAwait);
  auto done = std::chrono::steady_clock::now();
  flip.join();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_LE(std::chrono::duration_cast<std::chrono::milliseconds>(done - hydrated_at).count(),
            500 + 300);  // one poll interval, plus the query and scheduling slack
  EXPECT_GE(done - start, std::chrono::milliseconds(700));
}

// Replicas also report system introspection indexes, which sometimes never hydrate: readiness
// counts only user objects, and a cluster without any (c3 here) is ready.
TEST_F(MzAwait, SystemIndexesThatNeverHydrateDoNotBlockReadiness) {
  MZ_EMULATOR_ONLY("hydration of system introspection indexes");
  for (const char* c : {"c1_dbt_deploy", "c2_dbt_deploy", "c3_dbt_deploy"}) {
    Exec({Control("mzemu_set_system_hydrated", C(c), "false")});
  }
  RecordingSink sink;
  Status st = RunPhase(plan_, PhaseKind::kAwait, {}, &sink);
  ASSERT_TRUE(st.ok()) << st.ToString() << last_diagnostics_;
  std::string lines;
  for (const auto& e : sink.events) {
    lines += e.message + "\n";
  }
  EXPECT_NE(lines.find(C("c3_dbt_deploy") + ": ready (hydrated 0/0"), std::string::npos) << lines;
  EXPECT_NE(lines.find(C("c1_dbt_deploy") + ": ready (hydrated 1/1"), std::string::npos) << lines;
}

TEST_F(MzAwait, StableForKeepsWaitingWhileReady) {
  plan_.deployments[0].await.stable_for_ms = 600;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kAwait).ok()) << last_diagnostics_;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(600));
}

TEST_F(MzAwait, LaggingThenFailingExit5AndTolerateFailing) {
  MZ_EMULATOR_ONLY("wallclock lag and OOM kills");
  // An environment an hour old: a lag of seconds is a real reading.
  Exec({"SELECT mzemu_backdate_history(INTERVAL '1 hour')"});
  // equal = ready
  Exec({Control("mzemu_set_lag", C("c1_dbt_deploy"), "INTERVAL '1 second'")});
  EXPECT_TRUE(RunPhase(plan_, PhaseKind::kAwait).ok()) << last_diagnostics_;
  Exec({Control("mzemu_set_lag", C("c1_dbt_deploy"), "INTERVAL '5 seconds'")});
  Status st = RunPhase(plan_, PhaseKind::kAwait);
  EXPECT_EQ(st.code(), StatusCode::kTimeout);
  EXPECT_NE(st.message().find(C("c1_dbt_deploy") + ": lagging"), std::string::npos)
      << st.message();
  Exec({Control("mzemu_clear_lag", C("c1_dbt_deploy")),
        Control("mzemu_oom", C("c3_dbt_deploy") + ".r1", "3")});
  st = RunPhase(plan_, PhaseKind::kAwait);
  EXPECT_EQ(st.code(), StatusCode::kFailing);
  EXPECT_EQ(ExitCodeFor(st), 5);
  EXPECT_NE(st.message().find("all_replicas_problematic"), std::string::npos) << st.message();
  RunOptions tolerate;
  tolerate.tolerate_failing = true;
  EXPECT_EQ(RunPhase(plan_, PhaseKind::kAwait, tolerate).code(), StatusCode::kTimeout);
}

TEST_F(MzAwait, ScheduledOffClusterSkippedAndNoClustersReadyAtOnce) {
  MZ_EXEC_OR_SKIP({"CREATE CLUSTER " + C("s") + " (" + SizeOpt() + ", SCHEDULE = ON REFRESH)"});
  auto plan = MzPlan("s", {}, {C("s")});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  RecordingSink sink;
  EXPECT_TRUE(RunPhase(plan, PhaseKind::kAwait, {}, &sink).ok()) << last_diagnostics_;
  bool warned = false;
  for (const auto& e : sink.events) {
    warned |= e.type == "warning" && e.message.find("ON REFRESH") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  Exec({"CREATE SCHEMA only_schema"});
  auto no_clusters = MzPlan("n", {"only_schema"}, {});
  ASSERT_TRUE(RunPhase(no_clusters, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_TRUE(RunPhase(no_clusters, PhaseKind::kAwait).ok()) << last_diagnostics_;
}

// ---- findings of the audit against Materialize's source (see the commit message) ---------------

// Materialize allocates ids per kind: a schema and a table can both be u6, and mz_comments holds
// both comments under id u6. A comment lookup by id alone read the table's comment as the
// schema's marker: here a table comment that looks like this deployment's marker made a foreign,
// non-empty green schema look like ours.
TEST_F(MzRuntime, CommentsAreMatchedByKindNotOnlyById) {
  MZ_EMULATOR_ONLY("id allocation (a table made to share the green schema's id)");
  CreateBlue();
  Exec({"CREATE SCHEMA prod_dbt_deploy", "CREATE TABLE prod_dbt_deploy.x (a int)"});
  const std::string green = SchemaId("prod_dbt_deploy");
  std::string twin;
  for (int i = 0; i < 100 && twin.empty(); ++i) {
    std::string t = "twin" + std::to_string(i);
    Exec({"CREATE TABLE prod." + t + " (a int)"});
    if (Scalar("SELECT id FROM mz_tables WHERE name = '" + t + "'") == green) {
      twin = t;
    }
  }
  ASSERT_FALSE(twin.empty()) << "no table got the schema's id " << green;
  Exec({"COMMENT ON TABLE prod." + twin + " IS 'bgplan deployment prod run prod-1'"});
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kInit).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "green-not-empty")) << last_diagnostics_;
}

// ALTER DEFAULT PRIVILEGES FOR ROLE r needs membership in r, FOR ALL ROLES a superuser: a role
// that may do everything else learns it at preflight, before green exists (it used to fail
// half-way through init with 42501).
TEST_F(MzRuntime, DefaultPrivilegesItCannotCopyAreFoundBeforeAnyWrite) {
  const std::string deployer = R("deployer"), other = R("other");
  Exec({"CREATE ROLE " + deployer, "CREATE ROLE " + other,
        "GRANT CREATECLUSTER ON SYSTEM TO " + deployer,
        "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO " + deployer,
        "CREATE SCHEMA my_schema", "ALTER SCHEMA my_schema OWNER TO " + deployer,
        "ALTER DEFAULT PRIVILEGES FOR ROLE " + other +
            " IN SCHEMA my_schema GRANT SELECT ON TABLES TO " + other,
        "ALTER DEFAULT PRIVILEGES FOR ALL ROLES IN SCHEMA my_schema GRANT SELECT ON TABLES TO " +
            deployer});
  MZ_REQUIRE_LOGIN(deployer);
  auto plan = MzPlan("prod", {"my_schema"}, {});
  Status st = RunPhase(plan, PhaseKind::kInit, {}, nullptr, deployer);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_NE(last_diagnostics_.find("default privileges of role '" + other +
                                   "' in schema '" + db_ + ".my_schema' needs membership in role '" +
                                   other + "'"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("FOR ALL ROLES of schema '" + db_ +
                                   ".my_schema' needs a superuser"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("my_schema_dbt_deploy"), "");
  // A member of `other` is only refused FOR ALL ROLES.
  Exec({"GRANT " + other + " TO " + deployer});
  EXPECT_EQ(RunPhase(plan, PhaseKind::kInit, {}, nullptr, deployer).code(),
            StatusCode::kPrecondition);
  EXPECT_EQ(last_diagnostics_.find("membership in " + other), std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("needs a superuser"), std::string::npos) << last_diagnostics_;
}

// The journal tables are read on the session's cluster: one without replicas, or a green cluster
// that cleanup drops, is refused at once with what to do, before anything is written.
TEST_F(MzRuntime, SessionClusterOfTheJournalIsCheckedBeforeAnyWrite) {
  CreateBlue();
  Exec({"CREATE CLUSTER " + C("idle") + " (" + SizeOpt() + ", REPLICATION FACTOR = 0)"});
  auto session = Connect();
  ASSERT_NE(session, nullptr);
  ASSERT_TRUE(session->Exec("SET cluster = " + C("idle")).ok());
  Status st = RunPhase(Plan(), PhaseKind::kInit, {}, nullptr, "", session.get());
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_TRUE(Has(last_kinds_, "journal-cluster")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("the session's cluster " + C("idle") + " has no replicas"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("options=--cluster="), std::string::npos) << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), "");
  // A green cluster of the plan: usable until cleanup drops it, so refused too.
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  ASSERT_TRUE(session->Exec("SET cluster = " + C("prod_dbt_deploy")).ok());
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, "", session.get()).code(),
            StatusCode::kPrecondition);
  EXPECT_NE(last_diagnostics_.find("is the green cluster of deployment prod, which cleanup drops"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod_dbt_deploy"), SchemaId("prod_dbt_deploy"));
  EXPECT_NE(SchemaId("prod_dbt_deploy"), "");  // not swapped
}

// ---- the lanes' own plumbing ---------------------------------------------------------------

// The real lane connects to its own database (and as other roles) by rewriting
// BGPLAN_TEST_MZ_URL; a URL, its query parameters and the password survive the rewrite.
TEST(MzLane, ConninfoWithOverridesDatabaseAndUserKeepsTheRest) {
  std::string c = ConninfoWith("postgresql://alice:s%27cret@mz.example:6875/materialize?sslmode=require",
                               {{"dbname", "bgt1_db"}, {"user", "bob"}});
  EXPECT_NE(c.find("host='mz.example'"), std::string::npos) << c;
  EXPECT_NE(c.find("port='6875'"), std::string::npos) << c;
  EXPECT_NE(c.find("dbname='bgt1_db'"), std::string::npos) << c;
  EXPECT_NE(c.find("user='bob'"), std::string::npos) << c;
  EXPECT_NE(c.find("password='s\\'cret'"), std::string::npos) << c;
  EXPECT_NE(c.find("sslmode='require'"), std::string::npos) << c;
  EXPECT_EQ(c.find("materialize"), std::string::npos) << c;
  // libpq parses the result back to the same values.
  PQconninfoOption* opts = PQconninfoParse(c.c_str(), nullptr);
  ASSERT_NE(opts, nullptr);
  std::map<std::string, std::string> parsed;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) parsed[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  EXPECT_EQ(parsed["password"], "s'cret");
  EXPECT_EQ(parsed["dbname"], "bgt1_db");
}

}  // namespace
}  // namespace bgplan::testing
