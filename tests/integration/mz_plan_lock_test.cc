// Plan files, fingerprints and the lock schema on the Materialize path (both lanes).
#include <algorithm>
#include <csignal>

#include "support/exit_codes.h"
#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::RunOptions;

// Blue: schema `app` with a materialized view on cluster C("app"); schema `other` outside the
// deployment. No sinks, so every test runs on both lanes without Kafka.
class MzPlanLock : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    Exec({"CREATE SCHEMA app", "CREATE SCHEMA other",
          "CREATE CLUSTER " + C("app") + " (" + SizeOpt() + ")",
          "CREATE MATERIALIZED VIEW app.mv IN CLUSTER " + C("app") + " AS SELECT 1 AS n"});
    file_ = WriteFile("app.bgplan", "target materialize;\n\ndeployment app {\n    schemas app;\n"
                                    "    clusters " +
                                        C("app") +
                                        ";\n\n    await {\n        poll_interval 100ms;\n"
                                        "        timeout       " +
                                        (real_ ? "15m" : "30s") +
                                        ";\n    }\n\n    cleanup {\n        keep_blue 0s;\n"
                                        "    }\n}\n");
  }
  plans::Plan Plan() { return MzPlan("app", {"app"}, {C("app")}); }
  std::vector<std::string> Cmd(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {command, file_, "--url", Url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // What a deploy command does: the new version into green.
  void BuildGreen() {
    Exec({"CREATE MATERIALIZED VIEW app_dbt_deploy.mv IN CLUSTER " + C("app_dbt_deploy") +
          " AS SELECT 2 AS n"});
  }
  // `phase` planned in process: whether it would change anything.
  bool PlanHasChanges(PhaseKind phase) {
    auto session = Connect();
    RecordingSink sink;
    RunOptions o;
    o.command = "plan";
    plans::Plan compiled = Compiled(plan_);
    runtime::Executor ex(*session, compiled, {}, o, sink);
    bool changes = false;
    Status st = ex.PrintPlan({phase}, &changes, nullptr, nullptr);
    EXPECT_TRUE(st.ok()) << st.ToString() << sink.AllDiagnostics();
    return changes;
  }
  std::string Fingerprint(PhaseKind phase) {
    auto session = Connect();
    RecordingSink sink;
    plans::Plan compiled = Compiled(plan_);
    runtime::Executor ex(*session, compiled, {}, {}, sink);
    auto fp = ex.Fingerprint(phase);
    EXPECT_TRUE(fp.ok()) << fp.status().ToString();
    return fp.ok() ? *fp : "";
  }
  // The lock schema and the pending lock schemas of deployment `app`.
  std::vector<std::string> LockSchemas() {
    return Column(
        "SELECT s.name FROM mz_schemas s JOIN mz_databases d ON s.database_id = d.id WHERE "
        "d.name = current_database() AND substr(s.name, 1, 15) = 'bgplan_lock_app' ORDER BY "
        "s.name");
  }

  std::string file_;
  plans::Plan plan_ = MzPlan("app", {"app"}, {});  // replaced in tests that need clusters
};

// ---- 1. per-phase fingerprints ----------------------------------------------------------------

// A promote plan file stays valid when only something cleanup reads changes (a view outside the
// deployment reading green: cleanup's CASCADE would drop it, promote does not care), and goes
// stale when something promote reads changes (a view reading blue: an orphan of the swap).
// The cleanup plan file made at the same time goes stale on the first change.
TEST_F(MzPlanLock, PromotePlanFileIgnoresCleanupOnlyFactsAndRefusesOnPromoteFacts) {
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  std::string promote_file = dir_ + "/promote.json", cleanup_file = dir_ + "/cleanup.json";
  ProcResult r = Run(Cmd("plan", {"--phase", "promote", "-o", promote_file}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Never promoted: cleanup needs --abandon (not-promoted), and so does its plan.
  r = Run(Cmd("plan", {"--phase", "cleanup", "--abandon", "-o", cleanup_file}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string blue = SchemaId("app"), green = SchemaId("app_dbt_deploy");

  Exec({"CREATE VIEW other.peek AS SELECT n FROM app_dbt_deploy.mv"});  // cleanup reads this
  r = Run({"cleanup", cleanup_file, "--url", Url(), "--abandon"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("stale-plan"), std::string::npos) << r.err;
  EXPECT_NE(SchemaId("app_dbt_deploy"), "");

  Exec({"CREATE VIEW other.reader AS SELECT n FROM app.mv"});  // promote reads this
  r = Run({"promote", promote_file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("stale-plan"), std::string::npos) << r.err;
  EXPECT_EQ(SchemaId("app"), blue);
  Exec({"DROP VIEW other.reader"});  // back to what the plan was made against

  // Only the cleanup-only change is left: the promote plan file is valid and runs.
  r = Run({"promote", promote_file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SchemaId("app"), green);
}

TEST_F(MzPlanLock, FingerprintOfAPhaseMovesOnlyWithWhatThatPhaseReads) {
  plan_ = Plan();
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  BuildGreen();
  std::string promote = Fingerprint(PhaseKind::kPromote), cleanup = Fingerprint(PhaseKind::kCleanup);
  EXPECT_NE(promote, cleanup);  // the phase is part of the fingerprint
  // An index in `other` on the green cluster: cleanup's DROP CLUSTER ... CASCADE would take it.
  Exec({"CREATE TABLE other.t (n int)",
        "CREATE INDEX other_t_idx IN CLUSTER " + C("app_dbt_deploy") + " ON other.t (n)"});
  std::string promote2 = Fingerprint(PhaseKind::kPromote);
  EXPECT_NE(Fingerprint(PhaseKind::kCleanup), cleanup);
  // ... but a table in `other` and an index on green's cluster are nothing promote reads.
  EXPECT_EQ(promote2, promote);
  Exec({"CREATE TABLE app_dbt_deploy.late (a int)"});  // what the swap moves changed
  EXPECT_NE(Fingerprint(PhaseKind::kPromote), promote);
}

// ---- 2. plan --detailed-exitcode -----------------------------------------------------------------

// The executor's side of `plan --detailed-exitcode`: a phase has changes when it would run a
// statement that changes something (the PostgreSQL executor's rule).
TEST_F(MzPlanLock, PlanPhaseReportsChangesOnlyWhenThereIsSomethingToDo) {
  plan_ = Plan();
  EXPECT_TRUE(PlanHasChanges(PhaseKind::kInit));     // nothing exists yet
  EXPECT_FALSE(PlanHasChanges(PhaseKind::kCleanup));  // no green to drop
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_FALSE(PlanHasChanges(PhaseKind::kInit));    // already initialized
  EXPECT_FALSE(PlanHasChanges(PhaseKind::kAwait));   // a read only
  BuildGreen();
  EXPECT_TRUE(PlanHasChanges(PhaseKind::kPromote));  // the swap
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_FALSE(PlanHasChanges(PhaseKind::kPromote));  // already promoted
  EXPECT_TRUE(PlanHasChanges(PhaseKind::kCleanup));   // green (the old blue) to drop
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kCleanup).ok()) << last_diagnostics_;
  EXPECT_FALSE(PlanHasChanges(PhaseKind::kCleanup));  // already dropped
}

// The CLI: `plan --detailed-exitcode` is 2 with changes and 0 without.
TEST_F(MzPlanLock, PlanDetailedExitcodeIsTwoWithChangesAndZeroWithout) {
  ProcResult r = Run(Cmd("plan", {"--phase", "init", "--detailed-exitcode"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  r = Run(Cmd("plan", {"--phase", "init", "--detailed-exitcode"}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  BuildGreen();
  r = Run(Cmd("plan", {"--phase", "promote", "--detailed-exitcode"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ASSERT_EQ(Run(Cmd("promote")).exit_code, 0);
  r = Run(Cmd("plan", {"--phase", "promote", "--detailed-exitcode"}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = Run(Cmd("plan", {"--phase", "await", "--detailed-exitcode"}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// ---- 3. the journal's runs carry the plan fingerprint -------------------------------------------

TEST_F(MzPlanLock, RunsRowCarriesThePlanFingerprintAndStatusShowsIt) {
  plan_ = Plan();
  std::string expected = Fingerprint(PhaseKind::kInit);
  ASSERT_EQ(expected.size(), 64u);
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Column("SELECT fingerprint FROM bgplan.runs WHERE deployment = 'app'"),
            std::vector<std::string>{expected});
  ProcResult r = Run(Cmd("status"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("plan fingerprint " + expected.substr(0, 12)), std::string::npos) << r.out;
}

// A journal made before runs had the column: the run still records its fingerprint (a column
// added where the server allows ALTER TABLE ... ADD COLUMN, else the run's fingerprint event).
TEST_F(MzPlanLock, JournalWithoutTheFingerprintColumnStillRecordsIt) {
  plan_ = Plan();
  Exec({"CREATE SCHEMA bgplan",
        "CREATE TABLE bgplan.runs (run_id text, deployment text, phase text, status text, actor "
        "text, host text, git_commit text, started_at text, updated_at text, promoted_at_ms "
        "text)",
        "CREATE TABLE bgplan.run_objects (run_id text, kind text, blue text, green text, "
        "blue_id text, green_id text)",
        "CREATE TABLE bgplan.events (at text, run_id text, deployment text, phase text, type "
        "text, message text)"});
  std::string expected = Fingerprint(PhaseKind::kInit);
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  ProcResult r = Run(Cmd("status"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("plan fingerprint " + expected.substr(0, 12)), std::string::npos) << r.out;
  // The rest of the cycle works on the old journal.
  BuildGreen();
  EXPECT_TRUE(RunPhase(plan_, PhaseKind::kPromote).ok()) << last_diagnostics_;
}

// ---- 4. objects on a blue cluster outside the blue schemas --------------------------------------

TEST_F(MzPlanLock, ObjectsOnABlueClusterOutsideTheBlueSchemasAreOrphanedDependents) {
  plan_ = Plan();
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  BuildGreen();
  Exec({"CREATE TABLE other.t (n int)",
        "CREATE INDEX other_t_idx IN CLUSTER " + C("app") + " ON other.t (n)",
        "CREATE MATERIALIZED VIEW other.mv IN CLUSTER " + C("app") + " AS SELECT 3 AS n"});
  std::string blue = SchemaId("app"), blue_cluster = ClusterId(C("app"));
  Status st = RunPhase(plan_, PhaseKind::kPromote);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_TRUE(Has(last_kinds_, "orphaned-dependents")) << last_diagnostics_;
  for (const std::string& what :
       {"index " + db_ + ".other.other_t_idx (runs on blue cluster " + C("app") + ",",
        "materialized-view " + db_ + ".other.mv (runs on blue cluster " + C("app") + ","}) {
    EXPECT_NE(last_diagnostics_.find(what), std::string::npos) << what << "\n"
                                                               << last_diagnostics_;
  }
  EXPECT_EQ(SchemaId("app"), blue);  // nothing swapped
  EXPECT_EQ(ClusterId(C("app")), blue_cluster);
  // --allow-orphans swaps anyway.
  RunOptions allow;
  allow.overrides.allow_orphans = true;
  ASSERT_TRUE(RunPhase(plan_, PhaseKind::kPromote, allow).ok()) << last_diagnostics_;
  EXPECT_NE(ClusterId(C("app")), blue_cluster);
}

// ---- 5. the lock schema ---------------------------------------------------------------------------

// A crash between creating the pending lock schema and renaming it onto the lock name leaves
// no lock at all: the next run is not blocked and drops the pending schema (its holder is gone).
TEST_F(MzPlanLock, CrashBeforeTheRenameLeavesNoLockAndThePendingSchemaIsDropped) {
  ProcResult r = Run(Cmd("init"), {"BGPLAN_FAULT=init:lock-pending"});
  EXPECT_EQ(r.signal, SIGKILL) << r.err;
  std::vector<std::string> left = LockSchemas();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].rfind("bgplan_lock_app__p", 0), 0u) << left[0];  // pending, not the lock
  EXPECT_NE(Comment(SchemaId(left[0])).find("bgplan lock holder="), std::string::npos);
  r = Run(Cmd("init"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(LockSchemas(), std::vector<std::string>{});
  EXPECT_NE(SchemaId("app_dbt_deploy"), "");
}

// While the lock is held it carries its comment (it was commented before it got its name); a
// live pending schema of another run blocks nobody and is left alone; an expired one is dropped.
TEST_F(MzPlanLock, LockIsCommentedWhenItAppearsAndPendingSchemasExpire) {
  plan_ = Plan();
  auto session = Connect();
  RecordingSink sink;
  RunOptions o;
  o.command = "init";
  plans::Plan compiled = Compiled(plan_);
  runtime::Executor holder(*session, compiled, {}, o, sink);
  ASSERT_TRUE(holder.Lock().ok());
  EXPECT_EQ(LockSchemas(), std::vector<std::string>{"bgplan_lock_app"});
  EXPECT_NE(Comment(SchemaId("bgplan_lock_app")).find("expires_ms="), std::string::npos);
  Status st = RunPhase(plan_, PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kLocked) << st.ToString();
  EXPECT_NE(st.message().find("is locked by another run, held by "), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find(" UTC (lock schema bgplan_lock_app;"), std::string::npos)
      << st.message();
  EXPECT_EQ(LockSchemas(), std::vector<std::string>{"bgplan_lock_app"});  // its pending dropped
  holder.Unlock();

  // Another host's run between its CREATE and its rename (live), and a crashed one's (expired).
  Exec({"CREATE SCHEMA bgplan_lock_app__p99999999999999_7",
        "COMMENT ON SCHEMA bgplan_lock_app__p99999999999999_7 IS 'bgplan lock holder=ci "
        "host=elsewhere pid=7 expires_ms=99999999999999'",
        "CREATE SCHEMA bgplan_lock_app__p1_8"});
  EXPECT_TRUE(RunPhase(plan_, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(LockSchemas(), std::vector<std::string>{"bgplan_lock_app__p99999999999999_7"});
}

// A lock schema without a comment (left by an older bgplan) is still reported as held.
TEST_F(MzPlanLock, CommentlessLockIsStillReportedAsHeld) {
  Exec({"CREATE SCHEMA bgplan_lock_app"});
  Status st = RunPhase(Plan(), PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kLocked) << st.ToString();
  EXPECT_NE(st.message().find("(lock being taken)"), std::string::npos) << st.message();
  EXPECT_EQ(ExitCodeFor(st), 6);
  EXPECT_EQ(SchemaId("app_dbt_deploy"), "");
  EXPECT_EQ(LockSchemas(), std::vector<std::string>{"bgplan_lock_app"});
}

}  // namespace
}  // namespace bgplan::testing

namespace bgplan::testing {
namespace {

// Two runs taking over the same expired lock at once can both succeed (Materialize has no
// conditional DDL): the later replaces the earlier one's lock schema. The earlier run checks
// that its lock is still its own before the swap, stops with exit 6 and swaps nothing, and does
// not drop the other run's lock when it leaves.
TEST_F(MzPlanLock, ARunThatLostItsLockStopsBeforeTheSwapAndLeavesTheOtherLock) {
  Exec({"CREATE SCHEMA prod", "CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ")"});
  auto plan = MzPlan("prod", {"prod"}, {C("prod")});
  ASSERT_TRUE(RunPhase(plan, plans::PhaseKind::kInit).ok()) << last_diagnostics_;
  const std::string blue = SchemaId("prod");
  const std::string foreign =
      "bgplan lock holder=other host=elsewhere pid=1 expires_ms=99999999999999";
  auto inner = Connect();
  ASSERT_NE(inner, nullptr);
  CountingSession counting(*inner);
  bool locked = false, taken_over = false;
  counting.before_query = [&](std::string_view sql) {
    if (locked && !taken_over) {  // the first statement after our lock was taken
      taken_over = true;
      Exec({"DROP SCHEMA bgplan_lock_prod", "CREATE SCHEMA bgplan_lock_prod",
            "COMMENT ON SCHEMA bgplan_lock_prod IS '" + foreign + "'"});
    }
    locked |= sql.find("RENAME TO \"bgplan_lock_prod\"") != std::string_view::npos;
  };
  Status st = RunPhase(plan, plans::PhaseKind::kPromote, {}, nullptr, "", &counting);
  ASSERT_TRUE(taken_over);
  EXPECT_EQ(st.code(), StatusCode::kLocked) << st.ToString();
  EXPECT_EQ(ExitCodeFor(st), 6);
  // The holder for people: who, where, and until when (a time, not epoch milliseconds).
  EXPECT_NE(st.message().find("lost the lock of deployment 'prod' before the swap: now held by "
                              "other on host elsewhere (pid 1) until 5138-11-16 09:46:39 UTC"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(SchemaId("prod"), blue);  // nothing swapped
  EXPECT_EQ(Comment(SchemaId("bgplan_lock_prod")), foreign);  // the other run's lock stays
}

}  // namespace
}  // namespace bgplan::testing
