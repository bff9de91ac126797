// Shared helpers of the runtime integration tests: a fresh database per test on the throwaway
// server of tests/support/test_postgres.h, hand-built PostgreSQL plans (plans::Plan built here,
// its phases built by the compiler's passes: tests/support/compiled_plan.h; these tests do not
// depend on the compiler's front end), sessions, and an EventSink that records what the executor
// reports.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "runtime/session.h"
#include "tests/support/compiled_plan.h"
#include "tests/support/test_postgres.h"

namespace bgplan::testing {

// A plan with one deployment `name` on `target` swapping `schemas` and `clusters`, with `sinks`
// schemas, and fast settings (await polls every 50 ms, 5 s timeout; promote 2 retries 50 ms
// apart; keep_blue 0).
inline plans::Plan TestPlan(plans::Target target, const std::string& name,
                            const std::vector<std::string>& schemas,
                            const std::vector<std::string>& clusters,
                            const std::vector<std::string>& sinks) {
  plans::Plan plan;
  plan.target = target;
  plan.source_file = "test.bgplan";
  plans::Deployment d;
  d.name = name;
  d.origin.begin = {1, 1};
  d.origin.end = {1, 2};
  for (const std::string& s : schemas) {
    plans::SchemaPair p;
    p.blue = s;
    p.green = s + d.suffix;
    d.schemas.push_back(p);
  }
  for (const std::string& c : clusters) {
    plans::ClusterPair p;
    p.blue = c;
    p.green = c + d.suffix;
    d.clusters.push_back(p);
  }
  for (const std::string& s : sinks) {
    plans::SinkSchema sink;
    sink.name = s;
    d.sink_schemas.push_back(sink);
  }
  d.await.poll_interval_ms = 50;
  d.await.timeout_ms = 5000;
  d.promote.max_retries = 2;
  d.promote.retry_backoff_ms = 50;
  plan.deployments.push_back(d);
  return plan;
}

// TestPlan for PostgreSQL, with promote's lock_timeout at 500 ms.
inline plans::Plan PgPlan(const std::string& name, const std::vector<std::string>& schemas,
                          const std::vector<std::string>& sinks = {}) {
  plans::Plan plan = TestPlan(plans::Target::kPostgres, name, schemas, {}, sinks);
  plan.deployments.front().promote.lock_timeout_ms = 500;
  return plan;
}

// Records every event and diagnostic instead of printing.
class RecordingSink : public runtime::EventSink {
 public:
  RecordingSink() : EventSink(runtime::OutputOptions{}) {}
  void Emit(const runtime::Event& e) override { events.push_back(e); }
  void Product(const std::string& type, const std::string&, const std::string& text) override {
    products.push_back(type + ":" + text);
  }
  void Diagnose(const Diagnostic& d, const std::string&) override { diagnostics.push_back(d); }
  void Error(const std::string& m, const std::string&) override { errors.push_back(m); }
  void Result(const std::string&, int, const runtime::EventFields&) override {}

  std::vector<std::string> Kinds() const {
    std::vector<std::string> kinds;
    for (const auto& d : diagnostics) {
      kinds.emplace_back(DiagKindName(d.kind));
    }
    return kinds;
  }
  std::string AllDiagnostics() const {
    std::string s;
    for (const auto& d : diagnostics) {
      s += std::string(DiagKindName(d.kind)) + ": " + d.message + "\n";
    }
    return s;
  }

  std::vector<runtime::Event> events;
  std::vector<std::string> products;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> errors;
};

// A test database with its own sessions.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    pg_ = TestPostgres::Get(&error);
    ASSERT_NE(pg_, nullptr) << error;
    db_ = pg_->CreateDatabase("rt");
    ASSERT_FALSE(db_.empty());
  }

  // A bgplan session to the test database (as the superuser unless `user` is given).
  std::unique_ptr<runtime::SqlSession> Connect(const std::string& user = "") {
    std::string dsn = pg_->Dsn(db_) + " application_name=bgplan";
    if (!user.empty()) {
      dsn += " user=" + user;
    }
    auto s = runtime::ConnectPqxx(dsn, "");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  void Exec(const std::string& sql) { ASSERT_EQ(pg_->Exec(db_, sql), "") << sql; }
  std::string Scalar(const std::string& sql) { return pg_->Scalar(db_, sql); }
  std::string Oid(const std::string& schema) {
    return Scalar("SELECT oid FROM pg_namespace WHERE nspname = '" + schema + "'");
  }
  // Everything the phases may change, as text: schemas (oid, owner, acl, comment), default
  // privileges, relations, view definitions, journal rows.
  std::string Snapshot() {
    std::string s;
    for (const auto& row :
         pg_->Query(db_,
                    "SELECT n.nspname, n.oid, n.nspowner, coalesce(n.nspacl::text, ''), "
                    "coalesce(obj_description(n.oid, 'pg_namespace'), '') FROM pg_namespace n "
                    "WHERE n.nspname NOT LIKE 'pg\\_%' ORDER BY 1")) {
      for (const auto& c : row) s += c + "|";
      s += "\n";
    }
    for (const auto& row :
         pg_->Query(db_,
                    "SELECT defaclrole, defaclnamespace, defaclobjtype, defaclacl::text FROM "
                    "pg_default_acl ORDER BY 1, 2, 3")) {
      for (const auto& c : row) s += c + "|";
      s += "\n";
    }
    for (const auto& row :
         pg_->Query(db_,
                    "SELECT c.oid, n.nspname, c.relname, c.relkind, CASE WHEN c.relkind = 'v' "
                    "THEN pg_get_viewdef(c.oid) ELSE '' END FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname "
                    "<> 'information_schema' ORDER BY 1")) {
      for (const auto& c : row) s += c + "|";
      s += "\n";
    }
    if (Scalar("SELECT to_regclass('bgplan.runs') IS NOT NULL") == "t") {
      for (const auto& row : pg_->Query(db_,
                                        "SELECT id, phase, status, objects::text FROM "
                                        "bgplan.runs ORDER BY started_at, id")) {
        for (const auto& c : row) s += c + "|";
        s += "\n";
      }
      s += "events " + Scalar("SELECT count(*) FROM bgplan.events") + "\n";
    }
    return s;
  }

  TestPostgres* pg_ = nullptr;
  std::string db_;
};

}  // namespace bgplan::testing
