// The PostgreSQL runtime against a real server: each phase's effect in the catalog, idempotence,
// dry-run, every live rule triggered by a real catalog state (all reported at once, nothing
// written), the advisory lock, lock_timeout retries, and pg_terminate_backend mid-promote.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/execute/executor.h"
#include "runtime/lock/pg_lock.h"
#include "tests/integration/runtime_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::Executor;
using runtime::RunOptions;

class RuntimePg : public PgTest {
 protected:
  // Production: schema marts (table t, v = 'blue'), readable by role reader through a schema
  // grant and default privileges; view sinks.v reads marts.t.
  void Production() {
    Exec("DO $$ BEGIN CREATE ROLE reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;");
    Exec(
        "CREATE SCHEMA marts; GRANT USAGE ON SCHEMA marts TO reader; "
        "ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO reader; "
        "CREATE TABLE marts.t (id int PRIMARY KEY, v text); INSERT INTO marts.t VALUES (1, "
        "'blue'); "
        "GRANT SELECT ON marts.t TO reader; "
        "CREATE SCHEMA sinks; GRANT USAGE ON SCHEMA sinks TO reader; "
        "CREATE VIEW sinks.v AS SELECT id, v FROM marts.t; GRANT SELECT ON sinks.v TO reader;");
  }
  // The new code, as a deploy command would create it.
  void DeployGreen() {
    Exec(
        "CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text); "
        "INSERT INTO marts_dbt_deploy.t VALUES (1, 'green');");
  }
  std::string AsReader(const std::string& sql) { return Scalar("SET ROLE reader; " + sql); }
  Status Run(const plans::Plan& plan, PhaseKind phase, RunOptions options = {},
             RecordingSink* sink = nullptr, const std::string& user = "") {
    RecordingSink local;
    RecordingSink& s = sink != nullptr ? *sink : local;
    auto session = Connect(user);
    if (session == nullptr) {
      return Status::Internal("no session");
    }
    plans::Plan compiled = Compiled(plan);
    Executor ex(*session, compiled, {}, options, s);
    Status st = ex.Lock();
    if (!st.ok()) {
      return st;
    }
    return ex.RunPhase(phase);
  }
};

TEST_F(RuntimePg, FullCycleCatalogEffects) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  std::string blue_oid = Oid("marts");

  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  std::string green_oid = Oid("marts_dbt_deploy");
  ASSERT_FALSE(green_oid.empty());
  // Grants and default privileges on green equal blue's, checked as the non-owner role.
  EXPECT_EQ(Scalar("SELECT has_schema_privilege('reader', 'marts_dbt_deploy', 'USAGE')"), "t");
  EXPECT_EQ(Scalar("SELECT string_agg(a::text, ',' ORDER BY a::text) FROM pg_default_acl d, "
                   "aclexplode(d.defaclacl) a WHERE d.defaclnamespace = " +
                   green_oid),
            Scalar("SELECT string_agg(a::text, ',' ORDER BY a::text) FROM pg_default_acl d, "
                   "aclexplode(d.defaclacl) a WHERE d.defaclnamespace = " +
                   blue_oid));
  EXPECT_EQ(Scalar("SELECT string_agg(a::text, ',' ORDER BY a::text) FROM pg_namespace n, "
                   "aclexplode(n.nspacl) a WHERE n.oid = " +
                   green_oid),
            Scalar("SELECT string_agg(a::text, ',' ORDER BY a::text) FROM pg_namespace n, "
                   "aclexplode(n.nspacl) a WHERE n.oid = " +
                   blue_oid));
  EXPECT_NE(Scalar("SELECT obj_description(" + green_oid + ", 'pg_namespace')")
                .find("bgplan deployment shop run shop-"),
            std::string::npos);
  // init again: nothing to do, nothing changes.
  std::string snap = Snapshot();
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  EXPECT_EQ(Snapshot(), snap);

  DeployGreen();
  // A table created in green gets blue's default privileges: the reader may read it.
  EXPECT_EQ(AsReader("SELECT v FROM marts_dbt_deploy.t"), "green");
  ASSERT_TRUE(Run(plan, PhaseKind::kAwait).ok());

  // Dry run: prints, changes nothing.
  snap = Snapshot();
  RecordingSink dry;
  RunOptions dry_run;
  dry_run.dry_run = true;
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote, dry_run, &dry).ok());
  EXPECT_EQ(Snapshot(), snap);
  ASSERT_FALSE(dry.products.empty());
  EXPECT_NE(dry.products[0].find("ALTER SCHEMA \"marts\" RENAME TO"), std::string::npos);
  EXPECT_NE(dry.products[0].find("CREATE OR REPLACE VIEW \"sinks\".\"v\""), std::string::npos);

  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  EXPECT_EQ(Oid("marts"), green_oid);
  EXPECT_EQ(Oid("marts_dbt_deploy"), blue_oid);
  // The dependent view in sinks now reads the new objects, for the non-owner role too.
  EXPECT_EQ(AsReader("SELECT v FROM sinks.v"), "green");
  EXPECT_EQ(Scalar("SELECT phase FROM bgplan.runs"), "promoted");
  snap = Snapshot();
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  EXPECT_EQ(Snapshot(), snap);

  ASSERT_TRUE(Run(plan, PhaseKind::kRollback).ok());
  EXPECT_EQ(Oid("marts"), blue_oid);
  EXPECT_EQ(Oid("marts_dbt_deploy"), green_oid);
  EXPECT_EQ(AsReader("SELECT v FROM sinks.v"), "blue");
  snap = Snapshot();
  ASSERT_TRUE(Run(plan, PhaseKind::kRollback).ok());
  EXPECT_EQ(Snapshot(), snap);

  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  EXPECT_EQ(AsReader("SELECT v FROM sinks.v"), "green");
  ASSERT_TRUE(Run(plan, PhaseKind::kCleanup).ok());
  EXPECT_EQ(Oid("marts_dbt_deploy"), "");
  EXPECT_EQ(Oid("marts"), green_oid);
  EXPECT_EQ(AsReader("SELECT v FROM sinks.v"), "green");
  EXPECT_EQ(Scalar("SELECT status || '/' || phase FROM bgplan.runs"), "finished/finished");
  snap = Snapshot();
  ASSERT_TRUE(Run(plan, PhaseKind::kCleanup).ok());
  EXPECT_EQ(Snapshot(), snap);
}

// Default privileges ON SCHEMAS give a schema the role creates grants of their own: green would
// start with grants blue lacks. Init revokes them, so green's ACL is blue's.
TEST_F(RuntimePg, InitRevokesGrantsDefaultPrivilegesGaveGreen) {
  Production();
  Exec("DO $$ BEGIN CREATE ROLE auditor; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
       "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO auditor; CREATE SCHEMA probe;");
  ASSERT_EQ(Scalar("SELECT has_schema_privilege('auditor', 'probe', 'USAGE')"), "t");
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  EXPECT_EQ(Scalar("SELECT has_schema_privilege('auditor', 'marts_dbt_deploy', 'USAGE')"), "f");
  EXPECT_EQ(Scalar("SELECT has_schema_privilege('reader', 'marts_dbt_deploy', 'USAGE')"), "t");
  const std::string acl =
      "SELECT string_agg(a::text, ',' ORDER BY a::text) FROM pg_namespace n, "
      "aclexplode(n.nspacl) a WHERE n.nspname = ";
  EXPECT_EQ(Scalar(acl + "'marts_dbt_deploy'"), Scalar(acl + "'marts'"));
  Exec("ALTER DEFAULT PRIVILEGES REVOKE USAGE ON SCHEMAS FROM auditor;");
}

TEST_F(RuntimePg, InitReportsEveryFailureAtOnceAndWritesNothing) {
  Production();
  Exec(
      "DO $$ BEGIN CREATE ROLE dev LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
      "REVOKE CREATE ON DATABASE " +
      db_ +
      " FROM PUBLIC; "
      "CREATE SCHEMA staging_dbt_deploy; CREATE TABLE staging_dbt_deploy.leftover (x int); "
      "GRANT USAGE ON SCHEMA staging_dbt_deploy TO dev; CREATE SCHEMA staging;");
  plans::Plan plan = PgPlan("shop", {"marts", "staging", "missing"});
  std::string snap = Snapshot();
  RecordingSink sink;
  Status st = Run(plan, PhaseKind::kInit, {}, &sink, "dev");
  EXPECT_EQ(st.code(), StatusCode::kPrecondition);
  std::vector<std::string> kinds = sink.Kinds();
  for (const char* want : {"missing-privilege", "not-owner", "green-not-empty", "blue-missing"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), want), kinds.end()) << want << "\n"
                                                                        << sink.AllDiagnostics();
  }
  EXPECT_NE(sink.AllDiagnostics().find("'missing'"), std::string::npos);
  EXPECT_NE(sink.AllDiagnostics().find("'marts'"), std::string::npos);
  EXPECT_NE(sink.AllDiagnostics().find("'staging_dbt_deploy'"), std::string::npos);
  EXPECT_NE(sink.AllDiagnostics().find("needs membership in role 'postgres'"), std::string::npos)
      << sink.AllDiagnostics();
  EXPECT_EQ(Snapshot(), snap);
}

TEST_F(RuntimePg, IgnoreExistingAdoptsANonEmptyGreen) {
  Production();
  Exec("CREATE SCHEMA marts_dbt_deploy; CREATE TABLE marts_dbt_deploy.leftover (x int);");
  plans::Plan plan = PgPlan("shop", {"marts"});
  RecordingSink sink;
  EXPECT_EQ(Run(plan, PhaseKind::kInit, {}, &sink).code(), StatusCode::kPrecondition);
  EXPECT_EQ(sink.Kinds(), std::vector<std::string>{"green-not-empty"});
  RunOptions ignore;
  ignore.overrides.ignore_existing = true;
  ASSERT_TRUE(Run(plan, PhaseKind::kInit, ignore).ok());
  // Grants are copied to a pre-existing green too.
  EXPECT_EQ(Scalar("SELECT has_schema_privilege('reader', 'marts_dbt_deploy', 'USAGE')"), "t");
}

TEST_F(RuntimePg, PromoteRulesGreenMissingAndGreenNotOurs) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  RecordingSink a;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &a).code(), StatusCode::kPrecondition);
  EXPECT_EQ(a.Kinds(), std::vector<std::string>{"green-missing"});
  Exec("CREATE SCHEMA marts_dbt_deploy; CREATE TABLE marts_dbt_deploy.t (id int, v text);");
  RecordingSink b;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &b).code(), StatusCode::kPrecondition);
  EXPECT_EQ(b.Kinds(), std::vector<std::string>{"green-not-ours"});
  // A marker of another run is not ours either.
  Exec("COMMENT ON SCHEMA marts_dbt_deploy IS 'bgplan deployment shop run someone-else'");
  RecordingSink c;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &c).code(), StatusCode::kPrecondition);
  RunOptions force;
  force.overrides.force = true;
  std::string green = Oid("marts_dbt_deploy");
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote, force).ok());
  EXPECT_EQ(Oid("marts"), green);
}

TEST_F(RuntimePg, SinkUpstreamMissing) {
  Production();
  Exec(
      "CREATE TABLE marts.u (id int); CREATE VIEW sinks.w AS SELECT t.id FROM marts.t JOIN "
      "marts.u ON u.id = t.id;");
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  std::string snap = Snapshot();
  RecordingSink sink;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &sink).code(), StatusCode::kPrecondition);
  // marts.u is also a blue object green lacks (missing-in-green): both rules name it.
  EXPECT_EQ(sink.Kinds(), (std::vector<std::string>{"sink-upstream-missing", "missing-in-green"}));
  EXPECT_NE(sink.AllDiagnostics().find("marts.u"), std::string::npos) << sink.AllDiagnostics();
  EXPECT_EQ(Snapshot(), snap);
}

TEST_F(RuntimePg, OrphanedDependentsListsEachAndAllowOrphans) {
  Production();
  Exec(
      "CREATE SCHEMA other; CREATE MATERIALIZED VIEW other.mv AS SELECT id FROM marts.t; "
      "CREATE TABLE other.child (id int REFERENCES marts.t (id)); "
      "CREATE VIEW other.plain AS SELECT v FROM marts.t;");
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  RecordingSink sink;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &sink).code(), StatusCode::kPrecondition);
  ASSERT_EQ(sink.Kinds(), std::vector<std::string>{"orphaned-dependents"});
  std::string text = sink.AllDiagnostics();
  EXPECT_NE(text.find("materialized view other.mv"), std::string::npos) << text;
  EXPECT_NE(text.find("other.plain"), std::string::npos) << text;
  EXPECT_NE(text.find("child"), std::string::npos) << text;
  RunOptions allow;
  allow.overrides.allow_orphans = true;
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote, allow).ok());
  // Cleanup would drop them with the old schema: refused, listing them, unless --drop-dependents.
  RecordingSink cleanup;
  EXPECT_EQ(Run(plan, PhaseKind::kCleanup, {}, &cleanup).code(), StatusCode::kPrecondition);
  EXPECT_EQ(cleanup.Kinds(), std::vector<std::string>{"cleanup-drops-dependents"});
  EXPECT_NE(cleanup.AllDiagnostics().find("other.mv"), std::string::npos);
  RunOptions force;
  force.overrides.drop_dependents = true;
  RecordingSink forced;
  ASSERT_TRUE(Run(plan, PhaseKind::kCleanup, force, &forced).ok());
  EXPECT_EQ(Scalar("SELECT to_regclass('other.mv') IS NULL"), "t");
  // The override lets the drop happen, never without naming what it drops.
  EXPECT_NE(forced.AllDiagnostics().find("cleanup-drops: --drop-dependents: DROP ... CASCADE of "
                                         "the green side also drops"),
            std::string::npos)
      << forced.AllDiagnostics();
  EXPECT_NE(forced.AllDiagnostics().find("other.mv"), std::string::npos);
}

TEST_F(RuntimePg, KeepBlueNotPromotedNothingToRollBack) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  plan.deployments[0].cleanup.keep_blue_ms = 3600 * 1000;
  RecordingSink r0;
  EXPECT_EQ(Run(plan, PhaseKind::kRollback, {}, &r0).code(), StatusCode::kPrecondition);
  EXPECT_EQ(r0.Kinds(), std::vector<std::string>{"nothing-to-roll-back"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  RecordingSink c0;
  EXPECT_EQ(Run(plan, PhaseKind::kCleanup, {}, &c0).code(), StatusCode::kPrecondition);
  EXPECT_EQ(c0.Kinds(), std::vector<std::string>{"not-promoted"});
  RecordingSink r1;
  EXPECT_EQ(Run(plan, PhaseKind::kRollback, {}, &r1).code(), StatusCode::kPrecondition);
  EXPECT_EQ(r1.Kinds(), std::vector<std::string>{"nothing-to-roll-back"});
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  RecordingSink c1;
  EXPECT_EQ(Run(plan, PhaseKind::kCleanup, {}, &c1).code(), StatusCode::kPrecondition);
  EXPECT_EQ(c1.Kinds(), std::vector<std::string>{"keep-blue-not-elapsed"});
  RunOptions force;
  force.overrides.before_keep_blue = true;
  ASSERT_TRUE(Run(plan, PhaseKind::kCleanup, force).ok());
  RecordingSink r2;
  EXPECT_EQ(Run(plan, PhaseKind::kRollback, {}, &r2).code(), StatusCode::kPrecondition);
  EXPECT_EQ(r2.Kinds(), std::vector<std::string>{"nothing-to-roll-back"});
}

TEST_F(RuntimePg, TargetMismatchAndStalePlan) {
  Production();
  plans::Plan mz = PgPlan("shop", {"marts"});
  mz.target = plans::Target::kMaterialize;
  RecordingSink a;
  EXPECT_EQ(Run(mz, PhaseKind::kInit, {}, &a).code(), StatusCode::kPrecondition);
  EXPECT_EQ(a.Kinds(), std::vector<std::string>{"target-mismatch"});

  plans::Plan other_db = PgPlan("shop", {"marts"});
  other_db.deployments[0].schemas[0].database = "elsewhere";
  RecordingSink c;
  EXPECT_EQ(Run(other_db, PhaseKind::kInit, {}, &c).code(), StatusCode::kPrecondition);
  EXPECT_NE(c.AllDiagnostics().find("database 'elsewhere'"), std::string::npos)
      << c.AllDiagnostics();

  plans::Plan plan = PgPlan("shop", {"marts"});
  plans::Plan compiled = Compiled(plan);
  auto session = Connect();
  RecordingSink reads;
  Executor reader(*session, compiled, {}, {}, reads);
  Result<std::string> fingerprint = reader.Fingerprint(PhaseKind::kInit);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().ToString();
  RunOptions planned;
  planned.expected_fingerprint = *fingerprint;
  // Unchanged catalog: the plan file is current.
  Exec("CREATE ROLE late_reader");
  // A grant on blue changes what init would copy: the plan is stale.
  Exec("GRANT USAGE ON SCHEMA marts TO late_reader");
  std::string snap = Snapshot();
  RecordingSink b;
  EXPECT_EQ(Run(plan, PhaseKind::kInit, planned, &b).code(), StatusCode::kPrecondition);
  EXPECT_EQ(b.Kinds(), std::vector<std::string>{"stale-plan"});
  EXPECT_EQ(Snapshot(), snap);
  Result<std::string> again = reader.Fingerprint(PhaseKind::kInit);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(*again, *fingerprint);
  planned.expected_fingerprint = *again;
  EXPECT_TRUE(Run(plan, PhaseKind::kInit, planned).ok());
}

TEST_F(RuntimePg, SecondRunIsLockedOutWithTheHolder) {
  Production();
  plans::Plan plan = Compiled(PgPlan("shop", {"marts"}));
  auto s1 = Connect();
  auto s2 = Connect();
  RecordingSink k1, k2;
  Executor e1(*s1, plan, {}, {}, k1);
  Executor e2(*s2, plan, {}, {}, k2);
  ASSERT_TRUE(e1.Lock().ok());
  Status st = e2.Lock();
  EXPECT_EQ(st.code(), StatusCode::kLocked);
  EXPECT_NE(st.message().find("pid " + std::to_string(s1->BackendPid())), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("application 'bgplan'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("127.0.0.1"), std::string::npos) << st.message();
  s1->Close();
  // The server frees a session lock when its holder goes away.
  for (int i = 0; i < 100 && !e2.Lock().ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(pg_->Scalar(db_, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "1");
}

// A long query reading through the sinks view holds locks on it and on blue's table. Promote
// waits at most lock_timeout per attempt, retries, then fails clearly with nothing swapped; a
// production query queued behind it is never blocked much longer than lock_timeout.
TEST_F(RuntimePg, LockTimeoutIsRetriedThenAClearError) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  plan.deployments[0].promote.lock_timeout_ms = 1000;
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  std::string blue = Oid("marts");
  auto holder = Connect();
  ASSERT_TRUE(holder->Exec("BEGIN; SELECT * FROM sinks.v, marts.t").ok());

  std::atomic<bool> done{false};
  std::atomic<long> worst_ms{0};
  std::thread production([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    while (!done) {
      auto start = std::chrono::steady_clock::now();
      pg_->Scalar(db_, "SELECT count(*) FROM sinks.v");
      long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
      worst_ms = std::max(worst_ms.load(), ms);
    }
  });
  RecordingSink sink;
  auto start = std::chrono::steady_clock::now();
  Status st = Run(plan, PhaseKind::kPromote, {}, &sink);
  long total = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
  done = true;
  production.join();
  (void)holder->Exec("ROLLBACK");

  EXPECT_EQ(st.code(), StatusCode::kDatabaseError);
  EXPECT_EQ(st.sqlstate(), "55P03");
  EXPECT_NE(st.message().find("gave up after 3 attempt(s)"), std::string::npos) << st.message();
  int retries = 0;
  for (const auto& e : sink.events) {
    retries += e.type == "retry";
  }
  EXPECT_EQ(retries, 2);
  EXPECT_GE(total, 3 * 1000);
  EXPECT_EQ(Oid("marts"), blue);
  // lock_timeout 1 s; the production query waits at most that long behind one attempt (plus
  // scheduling slack on a loaded test machine), never the whole 3 s of attempts.
  EXPECT_LT(worst_ms.load(), 1000 + 800) << "production query blocked " << worst_ms << " ms";
  // Once the long query is gone, promote succeeds.
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
}

// pg_terminate_backend of bgplan's session while its swap transaction waits: nothing is
// half-swapped, and promote can simply be run again.
TEST_F(RuntimePg, TerminateBackendMidPromoteNeverHalfSwaps) {
  Production();
  Exec(
      "CREATE SCHEMA marts2; CREATE TABLE marts2.t (id int); CREATE VIEW sinks.v2 AS SELECT "
      "id FROM marts2.t;");
  plans::Plan plan = PgPlan("shop", {"marts", "marts2"}, {"sinks"});
  plan.deployments[0].promote.lock_timeout_ms = 20000;
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  Exec("CREATE TABLE marts2_dbt_deploy.t (id int);");
  std::string blue = Oid("marts"), blue2 = Oid("marts2");
  auto holder = Connect();
  // Blocks the second CREATE OR REPLACE VIEW, after both renames of both pairs were executed.
  ASSERT_TRUE(holder->Exec("BEGIN; SELECT * FROM sinks.v2").ok());
  Status promote;
  std::thread t([&] { promote = Run(plan, PhaseKind::kPromote); });
  std::string pid;
  for (int i = 0; i < 200 && pid.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    pid = Scalar(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'bgplan' AND "
        "wait_event_type = 'Lock' LIMIT 1");
  }
  ASSERT_FALSE(pid.empty());
  Exec("SELECT pg_terminate_backend(" + pid + ")");
  t.join();
  (void)holder->Exec("ROLLBACK");
  EXPECT_EQ(promote.code(), StatusCode::kConnectionError) << promote.ToString();
  EXPECT_EQ(Oid("marts"), blue);
  EXPECT_EQ(Oid("marts2"), blue2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%bgplan_swap%'"), "0");
  EXPECT_EQ(Scalar("SELECT phase FROM bgplan.runs"), "initialized");
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  EXPECT_EQ(AsReader("SELECT v FROM sinks.v"), "green");
}

// Every selected deployment is swapped in the same transaction; the journal may live elsewhere.
TEST_F(RuntimePg, TwoDeploymentsSwapTogetherAndJournalSchemaIsConfigurable) {
  Production();
  Exec(
      "CREATE SCHEMA ops; CREATE TABLE ops.t (id int); CREATE VIEW sinks.o AS SELECT id FROM "
      "ops.t;");
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  plans::Plan second = PgPlan("ops", {"ops"}, {"sinks"});
  plan.deployments.push_back(second.deployments[0]);
  RunOptions options;
  options.journal_schema = "deploy_log";
  ASSERT_TRUE(Run(plan, PhaseKind::kInit, options).ok());
  DeployGreen();
  Exec("CREATE TABLE ops_dbt_deploy.t (id int);");
  std::string green1 = Oid("marts_dbt_deploy"), green2 = Oid("ops_dbt_deploy");
  RecordingSink sink;
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote, options, &sink).ok());
  int transactions = 0;
  for (const auto& e : sink.events) {
    transactions += e.type == "transaction";
  }
  EXPECT_EQ(transactions, 1);
  EXPECT_EQ(Oid("marts"), green1);
  EXPECT_EQ(Oid("ops"), green2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM deploy_log.runs WHERE phase = 'promoted'"), "2");
  EXPECT_EQ(Scalar("SELECT to_regclass('bgplan.runs') IS NULL"), "t");
}

// The text of a resolved phase's transaction batches as psql would send them (BEGIN ... COMMIT).
std::string TransactionText(Executor& reader, const resolve::ResolvedPhase& phase) {
  std::string text = "BEGIN;\n";
  for (const resolve::ResolvedBatch& batch : phase.batches) {
    if (batch.mode == plans::Batch::Mode::kTransaction && batch.HasWrites()) {
      Result<std::vector<std::string>> statements = reader.TransactionStatements(batch);
      EXPECT_TRUE(statements.ok()) << statements.status().ToString();
      for (const std::string& line : statements.ok() ? *statements : std::vector<std::string>{}) {
        text += line + "\n";
      }
    }
  }
  return text + "COMMIT;\n";
}

// The promote text re-checks, before renaming, that the dependent views it re-creates still have
// the definitions it captured; a view changed in between makes it fail with 40001 (retried by the
// executor with a fresh read), never re-create a view from a stale definition.
TEST_F(RuntimePg, StaleViewDefinitionAbortsTheSwap) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  auto session = Connect();
  plans::Plan compiled = Compiled(plan);
  RecordingSink reads;
  Executor reader(*session, compiled, {}, {}, reads);
  Result<resolve::ResolvedPhase> promote = reader.Resolve(PhaseKind::kPromote);
  ASSERT_TRUE(promote.ok()) << promote.status().ToString();
  ASSERT_TRUE(promote->violations.empty());
  std::string text;
  ASSERT_NO_FATAL_FAILURE(text = TransactionText(reader, *promote));
  std::string blue = Oid("marts");
  Exec("CREATE OR REPLACE VIEW sinks.v AS SELECT id, upper(v) AS v FROM marts.t");
  Status st = session->Exec(text);
  EXPECT_EQ(st.sqlstate(), "40001") << st.ToString();
  ASSERT_TRUE(session->Exec("ROLLBACK").ok());
  EXPECT_EQ(Oid("marts"), blue);
  // The executor re-reads and re-resolves: the new definition is the one re-created.
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v"), "GREEN");
}

// Cleanup's DROP runs in the same transaction as a check that the schema under the green name
// still has the oid the journal recorded: a schema that takes the name between the read and the
// drop makes the transaction fail with 40001 (nothing dropped), and the executor's fresh read
// then refuses with cleanup-id-mismatch.
TEST_F(RuntimePg, CleanupDropChecksTheRecordedIdInItsTransaction) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  ASSERT_TRUE(Run(plan, PhaseKind::kPromote).ok());
  auto session = Connect();
  plans::Plan compiled = Compiled(plan);
  RecordingSink reads;
  Executor reader(*session, compiled, {}, {}, reads);
  Result<resolve::ResolvedPhase> cleanup = reader.Resolve(PhaseKind::kCleanup);
  ASSERT_TRUE(cleanup.ok()) << cleanup.status().ToString();
  ASSERT_TRUE(cleanup->violations.empty()) << reads.AllDiagnostics();
  std::string text;
  ASSERT_NO_FATAL_FAILURE(text = TransactionText(reader, *cleanup));
  ASSERT_NE(text.find("IS DISTINCT FROM " + Oid("marts_dbt_deploy") + "::oid"), std::string::npos)
      << text;
  Exec("DROP SCHEMA marts_dbt_deploy CASCADE; CREATE SCHEMA marts_dbt_deploy; "
       "CREATE TABLE marts_dbt_deploy.precious (x int); INSERT INTO marts_dbt_deploy.precious "
       "VALUES (1);");
  Status st = session->Exec(text);
  EXPECT_EQ(st.sqlstate(), "40001") << st.ToString();
  ASSERT_TRUE(session->Exec("ROLLBACK").ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM marts_dbt_deploy.precious"), "1");
  RecordingSink refused;
  RunOptions every_override;
  every_override.overrides = {true, true, true, true, true, true, true};
  EXPECT_EQ(Run(plan, PhaseKind::kCleanup, every_override, &refused).code(),
            StatusCode::kPrecondition);
  EXPECT_EQ(refused.Kinds(), std::vector<std::string>{"cleanup-id-mismatch"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM marts_dbt_deploy.precious"), "1");
}

// Scenario 3 of issue 10 on PostgreSQL: the deploying role owns the schemas but not a view of the
// sinks schema that promote must re-create after the swap. Refused before the swap
// (repoint-not-owner, naming the view and the GRANT), nothing changed, exit 3 and not a database
// error half-way.
TEST_F(RuntimePg, PromoteRefusesBeforeTheSwapWhenACutOverRightIsMissing) {
  Production();
  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  DeployGreen();
  const std::string green = Oid("marts_dbt_deploy");
  Exec("DO $$ BEGIN CREATE ROLE deployer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END "
       "$$; ALTER SCHEMA marts OWNER TO deployer; ALTER SCHEMA marts_dbt_deploy OWNER TO "
       "deployer; GRANT USAGE ON SCHEMA sinks TO deployer;");
  std::string snap = Snapshot();
  // Scenario 4 (point 5): the journal exists, owned by another role, and this role may not use
  // it: journal-access with the GRANTs, exit 3, instead of "permission denied" half-way; and
  // with it, at once, every rule about the role that does not need the journal.
  const std::vector<std::string> all_at_once = {"journal-access", "repoint-not-owner",
                                                "missing-privilege"};
  RecordingSink no_journal;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &no_journal, "deployer").code(),
            StatusCode::kPrecondition);
  EXPECT_EQ(no_journal.Kinds(), all_at_once) << no_journal.AllDiagnostics();
  // Granted to this role by name (the journal's owner runs it: CURRENT_USER would be the owner).
  EXPECT_NE(no_journal.AllDiagnostics().find("GRANT USAGE ON SCHEMA \"bgplan\" TO \"deployer\""),
            std::string::npos)
      << no_journal.AllDiagnostics();
  EXPECT_EQ(Snapshot(), snap);
  Exec("GRANT USAGE ON SCHEMA bgplan TO deployer; GRANT ALL ON ALL TABLES IN SCHEMA bgplan TO "
       "deployer;");
  RecordingSink no_sequence;  // bigserial: nextval needs USAGE on the sequence
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &no_sequence, "deployer").code(),
            StatusCode::kPrecondition);
  EXPECT_EQ(no_sequence.Kinds(), all_at_once) << no_sequence.AllDiagnostics();
  EXPECT_NE(no_sequence.AllDiagnostics().find("ON ALL SEQUENCES IN SCHEMA"), std::string::npos)
      << no_sequence.AllDiagnostics();
  // Renaming a schema needs CREATE on the database (missing-privilege, checked by promote too).
  Exec("GRANT USAGE ON ALL SEQUENCES IN SCHEMA bgplan TO deployer; REVOKE CREATE ON DATABASE " +
       db_ + " FROM PUBLIC;");
  snap = Snapshot();
  RecordingSink no_create;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &no_create, "deployer").code(),
            StatusCode::kPrecondition);
  EXPECT_NE(no_create.AllDiagnostics().find("needs CREATE on database"), std::string::npos)
      << no_create.AllDiagnostics();
  EXPECT_EQ(Snapshot(), snap);
  Exec("GRANT CREATE ON DATABASE " + db_ + " TO deployer;");
  snap = Snapshot();
  RecordingSink sink;
  EXPECT_EQ(Run(plan, PhaseKind::kPromote, {}, &sink, "deployer").code(),
            StatusCode::kPrecondition)
      << sink.AllDiagnostics();
  EXPECT_EQ(sink.Kinds(), std::vector<std::string>{"repoint-not-owner"}) << sink.AllDiagnostics();
  EXPECT_NE(sink.AllDiagnostics().find("view sinks.v (owner 'postgres')"), std::string::npos)
      << sink.AllDiagnostics();
  EXPECT_NE(sink.AllDiagnostics().find("GRANT \"postgres\" TO \"deployer\""), std::string::npos)
      << sink.AllDiagnostics();
  EXPECT_NE(sink.AllDiagnostics().find("GRANT CREATE ON SCHEMA \"sinks\" TO \"deployer\""),
            std::string::npos)
      << sink.AllDiagnostics();
  EXPECT_EQ(Snapshot(), snap);
  // Owning the view (here: its owner is the deploying role) lets promote through.
  Exec("ALTER VIEW sinks.v OWNER TO deployer; GRANT CREATE ON SCHEMA sinks TO deployer;");
  RecordingSink ok;
  Status promoted = Run(plan, PhaseKind::kPromote, {}, &ok, "deployer");
  EXPECT_TRUE(promoted.ok()) << promoted.ToString() << ok.AllDiagnostics();
  // The swap happened and the view was re-created (the deployer owns it now; it reads green).
  EXPECT_EQ(Oid("marts"), green);
  EXPECT_EQ(Scalar("SELECT count(*) > 0 FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid "
                   "WHERE w.ev_class = 'sinks.v'::regclass AND d.refobjid = 'marts.t'::regclass"),
            "t");
}

}  // namespace
}  // namespace bgplan::testing
