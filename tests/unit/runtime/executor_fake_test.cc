// The executor against the recording FakeSession: a phase is one round trip in the right order,
// a failure stops everything and rolls back, dry-run sends no write, the lock is released when
// another run holds one, and the journal's creation race is retried.
#include <gtest/gtest.h>

#include "runtime/execute/executor.h"
#include "runtime/fake_session.h"
#include "runtime/fault.h"
#include "runtime/journal/journal.h"
#include "runtime/lock/pg_lock.h"
#include "tests/support/compiled_plan.h"

namespace bgplan::runtime {
namespace {

class NullSink : public EventSink {
 public:
  NullSink() : EventSink(OutputOptions{}) {}
  void Emit(const Event&) override {}
  void Product(const std::string&, const std::string&, const std::string& text) override {
    products.push_back(text);
  }
  void Diagnose(const Diagnostic& d, const std::string&) override { diagnostics.push_back(d); }
  void Error(const std::string&, const std::string&) override {}
  std::vector<std::string> products;
  std::vector<Diagnostic> diagnostics;
};

plans::Plan OnePair(const std::vector<std::string>& extra_schemas = {}) {
  plans::Plan plan;
  plan.target = plans::Target::kPostgres;
  plans::Deployment d;
  d.name = "shop";
  d.schemas.push_back({"", "marts", "marts_dbt_deploy", {}});
  for (const std::string& schema : extra_schemas) {
    d.schemas.push_back({"", schema, schema + "_dbt_deploy", {}});
  }
  d.promote.max_retries = 2;
  d.promote.retry_backoff_ms = 1;
  plan.deployments.push_back(d);
  return testing::Compiled(plan);
}

// The server: PostgreSQL, the current role `user` (superuser and allowed to create schemas when
// `super`).
void Server(FakeSession& s, const std::string& user, bool super) {
  const std::string flag = super ? "true" : "false";
  s.On("SELECT version(), current_database()", {{"PostgreSQL 15.0", "db"}});
  s.On("SELECT current_user, current_database(), (SELECT rolsuper",
       {{user, "db", flag, flag, "PostgreSQL 15.0"}});
  s.On("pg_has_role(current_user, oid, 'MEMBER')", {{user}});
}

// A catalog where blue `marts` exists with a grant to reader, green does not, no journal.
void Catalog(FakeSession& s) {
  Server(s, "tester", true);
  s.On("c.relname IN ('runs', 'events')", {{"false"}});
  s.On("FROM pg_namespace n WHERE n.nspname = ANY(", {{"marts", "16384", "tester", "true", ""}});
  s.On("aclexplode(n.nspacl)", {{"marts", "reader", "USAGE", "false"}});
}

TEST(ExecutorFake, InitIsOneRoundTripInOrder) {
  FakeSession s;
  Catalog(s);
  NullSink sink;
  plans::Plan plan = OnePair();
  Executor ex(s, plan, {}, {}, sink);
  ASSERT_TRUE(ex.RunPhase(plans::PhaseKind::kInit).ok());
  std::vector<size_t> writes = s.Find("CREATE SCHEMA \"marts_dbt_deploy\"");
  ASSERT_EQ(writes.size(), 1u);
  const std::string& tx = s.sent()[writes[0]];
  EXPECT_EQ(tx.rfind("BEGIN;\n", 0), 0u);
  EXPECT_EQ(tx.substr(tx.size() - 8), "COMMIT;\n");
  size_t create = tx.find("CREATE SCHEMA");
  size_t grant = tx.find("GRANT USAGE ON SCHEMA \"marts_dbt_deploy\" TO \"reader\";");
  size_t marker =
      tx.find("COMMENT ON SCHEMA \"marts_dbt_deploy\" IS 'bgplan deployment shop run shop-");
  size_t run = tx.find("INSERT INTO \"bgplan\".runs");
  EXPECT_LT(create, grant);
  EXPECT_LT(grant, marker);
  EXPECT_LT(marker, run);
  EXPECT_NE(run, std::string::npos);
  // The current role's own entry is not copied.
  EXPECT_EQ(tx.find("TO \"tester\""), std::string::npos);
  // The journal was created before, in its own transaction.
  std::vector<size_t> journal = s.Find("CREATE SCHEMA IF NOT EXISTS \"bgplan\"");
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_LT(journal[0], writes[0]);
}

TEST(ExecutorFake, AFailureStopsAndRollsBack) {
  FakeSession s;
  Catalog(s);
  s.Fail("CREATE SCHEMA \"marts_dbt_deploy\"",
         Status(StatusCode::kDatabaseError, "permission denied for database db", "42501"));
  NullSink sink;
  plans::Plan plan = OnePair();
  Executor ex(s, plan, {}, {}, sink);
  Status st = ex.RunPhase(plans::PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kDatabaseError);
  EXPECT_EQ(st.sqlstate(), "42501");
  std::vector<size_t> writes = s.Find("CREATE SCHEMA \"marts_dbt_deploy\"");
  ASSERT_EQ(writes.size(), 1u);
  ASSERT_EQ(s.sent().size(), writes[0] + 2);
  EXPECT_EQ(s.sent().back(), "ROLLBACK");
}

TEST(ExecutorFake, DryRunSendsNoWrite) {
  FakeSession s;
  Catalog(s);
  NullSink sink;
  plans::Plan plan = OnePair();
  RunOptions options;
  options.dry_run = true;
  Executor ex(s, plan, {}, options, sink);
  ASSERT_TRUE(ex.Lock().ok());
  ASSERT_TRUE(ex.RunPhase(plans::PhaseKind::kInit).ok());
  for (const std::string& sql : s.sent()) {
    EXPECT_EQ(sql.find("BEGIN"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("CREATE SCHEMA"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("advisory"), std::string::npos) << sql;
  }
  ASSERT_EQ(sink.products.size(), 1u);
  EXPECT_NE(sink.products[0].find("CREATE SCHEMA \"marts_dbt_deploy\";"), std::string::npos);
}

TEST(ExecutorFake, ViolationsAreAllReportedBeforeAnyWrite) {
  FakeSession s;
  Server(s, "dev", false);
  s.On("c.relname IN ('runs', 'events')", {{"false"}});
  s.On("FROM pg_namespace n WHERE n.nspname = ANY(", {{"marts", "16384", "owner", "false", ""}});
  NullSink sink;
  plans::Plan plan = OnePair({"gone"});
  Executor ex(s, plan, {}, {}, sink);
  EXPECT_EQ(ex.RunPhase(plans::PhaseKind::kInit).code(), StatusCode::kPrecondition);
  std::vector<std::string> kinds;
  for (const auto& d : sink.diagnostics) {
    kinds.emplace_back(DiagKindName(d.kind));
  }
  // In the order of the phase's check steps (the order `compile` lists them in).
  EXPECT_EQ(kinds, (std::vector<std::string>{"blue-missing", "not-owner", "missing-privilege"}));
  EXPECT_TRUE(s.Find("BEGIN").empty());
}

// A deployment initialized by run R1: blue oid 100, green oid 200 carrying R1's marker.
void Initialized(FakeSession& s) {
  Server(s, "tester", true);
  s.On("c.relname IN ('runs', 'events')", {{"true"}});
  s.On("status = 'active'",
       {{"R1", "shop", "fp", "tester", "host", "",
         R"([{"blue": "marts", "green": "marts_dbt_deploy", "blue_oid": 100, "green_oid": 200}])",
         "ready", "active", "2026-11-24T00:00:00Z", "", ""}});
  s.On("FROM pg_namespace n WHERE n.nspname = ANY(",
       {{"marts", "100", "tester", "true", ""},
        {"marts_dbt_deploy", "200", "tester", "true", "bgplan deployment shop run R1"}});
}

TEST(ExecutorFake, SwapIsRetriedOnSerializationFailureThenSucceeds) {
  FakeSession s;
  Initialized(s);
  s.Fail("RENAME TO", Status(StatusCode::kDatabaseError, "could not serialize", "40001"), 1);
  NullSink sink;
  plans::Plan plan = OnePair();
  Executor ex(s, plan, {}, {}, sink);
  ASSERT_TRUE(ex.RunPhase(plans::PhaseKind::kPromote).ok());
  std::vector<size_t> attempts = s.Find("ALTER SCHEMA \"marts\" RENAME TO");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(s.sent()[attempts[0] + 1], "ROLLBACK");
  // The catalog is read again before the second attempt.
  std::vector<size_t> reads = s.Find("FROM pg_namespace n WHERE n.nspname = ANY(");
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_GT(reads[1], attempts[0]);
  EXPECT_LT(reads[1], attempts[1]);
}

TEST(ExecutorFake, OtherErrorsAndExhaustedRetriesStop) {
  for (const char* state : {"42501", "55P03"}) {
    FakeSession s;
    Initialized(s);
    s.Fail("RENAME TO", Status(StatusCode::kDatabaseError, "no", state));
    NullSink sink;
    plans::Plan plan = OnePair();
    plan.deployments[0].promote.max_retries = 1;
    Executor ex(s, plan, {}, {}, sink);
    Status st = ex.RunPhase(plans::PhaseKind::kPromote);
    EXPECT_EQ(st.sqlstate(), state);
    size_t expected = std::string(state) == "55P03" ? 2u : 1u;
    EXPECT_EQ(s.Find("ALTER SCHEMA \"marts\" RENAME TO").size(), expected) << state;
    EXPECT_EQ(s.sent().back(), "ROLLBACK");
  }
}

TEST(LockFake, SecondLockHeldReleasesTheFirstAndNamesTheHolder) {
  FakeSession s;
  s.On("pg_try_advisory_lock", {{"true"}}, 1);
  s.On("pg_try_advisory_lock", {{"false"}});
  s.On("FROM pg_locks l", {{"77", "bgplan", "10.0.0.5:5000", "ci", "2026-11-24T00:00:00Z"}});
  Status st = AcquireDeploymentLocks(s, "db", {"b", "a"});
  EXPECT_EQ(st.code(), StatusCode::kLocked);
  EXPECT_NE(st.message().find("deployment 'b'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("pid 77 (application 'bgplan', client 10.0.0.5:5000"),
            std::string::npos)
      << st.message();
  EXPECT_NE(s.sent().back().find("pg_advisory_unlock_all"), std::string::npos);
  // Sorted: 'a' is taken first.
  EXPECT_NE(s.sent()[0].find(std::to_string(AdvisoryLockKey("db", "a"))), std::string::npos);
}

TEST(LockFake, KeyIsStableAndDistinct) {
  EXPECT_EQ(AdvisoryLockKey("db", "shop"), AdvisoryLockKey("db", "shop"));
  EXPECT_NE(AdvisoryLockKey("db", "shop"), AdvisoryLockKey("db2", "shop"));
  EXPECT_NE(AdvisoryLockKey("db", "shop"), AdvisoryLockKey("db", "shop2"));
}

TEST(JournalFake, CreationRaceIsRetriedOnce) {
  FakeSession s;
  s.Fail("CREATE SCHEMA IF NOT EXISTS", Status(StatusCode::kDatabaseError, "dup", "23505"), 1);
  s.On("c.relname IN ('runs', 'events')", {{"false"}});
  std::unique_ptr<Journal> journal = MakePostgresJournal("bgplan");
  ASSERT_TRUE(journal->Ensure(s).ok());
  // The existence check, the failed creation, its rollback, the creation again.
  ASSERT_EQ(s.sent().size(), 4u);
  EXPECT_EQ(s.sent()[2], "ROLLBACK");
  EXPECT_EQ(s.sent()[1], s.sent()[3]);
}

TEST(FaultPoints, EveryPointIsPhaseColonPoint) {
  for (const std::string& p : FaultPoints()) {
    EXPECT_NE(p.find(':'), std::string::npos) << p;
    EXPECT_FALSE(FaultArmed(p.substr(0, p.find(':')), p.substr(p.find(':') + 1)));
  }
}

}  // namespace
}  // namespace bgplan::runtime
