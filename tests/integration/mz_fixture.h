// Shared helpers of the Materialize runtime tests: an mzemu emulator in front of a fresh database
// of the throwaway PostgreSQL (tests/support/test_postgres.h), hand-built Materialize plans,
// sessions, a counting session wrapper, and a child-process runner for the bgplan binary.
// The same tests run on the emulator lane and on the real-Materialize lane (see "lanes" below).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <utility>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "runtime/session.h"
#include "tests/integration/bgplan_process.h"
#include "tests/integration/runtime_fixture.h"
#include "tests/mzemu/mzemu_process.h"
#include "tests/support/conninfo_with.h"
#include "tests/support/test_postgres.h"

namespace bgplan::testing {

// TestPlan for Materialize: one deployment `name` swapping `schemas` and `clusters`, with the
// sinks schemas.
inline plans::Plan MzPlan(const std::string& name, const std::vector<std::string>& schemas,
                          const std::vector<std::string>& clusters,
                          const std::vector<std::string>& sink_schemas = {}) {
  return TestPlan(plans::Target::kMaterialize, name, schemas, clusters, sink_schemas);
}

// Counts the statements sent through a session (each Query() is one round trip).
class CountingSession : public runtime::SqlSession {
 public:
  explicit CountingSession(runtime::SqlSession& inner) : inner_(inner) {}
  Result<runtime::Rows> Query(std::string_view sql) override {
    ++queries;
    sent.emplace_back(sql);
    if (before_query) {
      before_query(sql);
    }
    return inner_.Query(sql);
  }
  void Cancel() override { inner_.Cancel(); }
  void Close() override { inner_.Close(); }
  int BackendPid() const override { return inner_.BackendPid(); }
  std::string Host() const override { return inner_.Host(); }
  std::string Port() const override { return inner_.Port(); }
  std::string User() const override { return inner_.User(); }
  std::string Database() const override { return inner_.Database(); }

  int queries = 0;
  std::vector<std::string> sent;
  std::function<void(std::string_view)> before_query;

 private:
  runtime::SqlSession& inner_;
};

// True if `v` holds `s` (diagnostic kinds of a run, ...).
inline bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ---- lanes ------------------------------------------------------------------------------------
//
// The Materialize suites run in two lanes with the same test code:
// - the emulator lane (default; ctest label "mzemu"): each test starts mzemu in front of a fresh
//   database of the throwaway PostgreSQL;
// - the real lane (BGPLAN_TEST_MZ_LANE=real, the `mz_real_lane_*` ctest entries): each test
//   creates its own database on the Materialize at BGPLAN_TEST_MZ_URL and drops it afterwards.
//   `mz_real_lane_on_emulator_*` (label "mzemu") runs this lane in CI against an mzemu
//   (mz_lane_on_emulator.cc), which emulates CREATE/DROP DATABASE but gives each database its own
//   catalog: the cleanup of prefixed clusters/roles through the base URL finds nothing there.
// Clusters and roles are global in Materialize, so every cluster and role a test creates is named
// C("x") / R("x"): a per-test random prefix, in both lanes, so a test never touches an object it
// did not create and parallel tests never collide. Steps that need the emulator's fault controls
// (hydration, lag, OOM, wire counters) are skipped on the real lane with MZ_EMULATOR_ONLY.

// True on the real-Materialize lane.
inline bool RealLane() {
  const char* lane = std::getenv("BGPLAN_TEST_MZ_LANE");
  return lane != nullptr && std::string(lane) == "real";
}

inline std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// Real lane: BGPLAN_TEST_MZ_URL as a keyword/value string with `overrides` applied.
inline std::string RealLaneConninfo(
    const std::string& conninfo, const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::string error;
  std::string out = ConninfoWith(conninfo, overrides, &error);
  if (!error.empty()) {
    ADD_FAILURE() << "BGPLAN_TEST_MZ_URL: " << error;
  }
  return out;
}

// Skips the rest of the test on the real lane: the step needs one of the emulator's controls.
#define MZ_EMULATOR_ONLY(why)                                                         \
  do {                                                                                \
    if (::bgplan::testing::RealLane()) {                                              \
      GTEST_SKIP() << "real-Materialize lane: needs the emulator's control of " << why; \
    }                                                                                 \
  } while (0)

// Runs setup statements of an optional server feature: on the real lane a server that refuses
// one (not enabled, not licensed, needs unsafe mode) skips the test with its message.
#define MZ_EXEC_OR_SKIP(...)                                                          \
  do {                                                                                \
    std::string mz_exec_error_ = TryExec(__VA_ARGS__);                                \
    if (!mz_exec_error_.empty()) {                                                    \
      if (::bgplan::testing::RealLane()) {                                            \
        GTEST_SKIP() << "real-Materialize lane: the server refused: " << mz_exec_error_; \
      }                                                                               \
      FAIL() << mz_exec_error_;                                                       \
    }                                                                                 \
  } while (0)

// Sinks need a Kafka connection: the emulator takes any broker; on the real lane the broker of
// BGPLAN_TEST_MZ_KAFKA_BROKER (reachable from Materialize) or the test is skipped.
#define MZ_REQUIRE_KAFKA()                                                             \
  do {                                                                                 \
    if (::bgplan::testing::RealLane() &&                                               \
        ::bgplan::testing::EnvOr("BGPLAN_TEST_MZ_KAFKA_BROKER", "").empty()) {         \
      GTEST_SKIP() << "real-Materialize lane: sinks need BGPLAN_TEST_MZ_KAFKA_BROKER"; \
    }                                                                                  \
  } while (0)

// Sessions as a role the test created: on the real lane a server that does not let it log in
// skips the test.
#define MZ_REQUIRE_LOGIN(role)                                                             \
  do {                                                                                     \
    if (::bgplan::testing::RealLane() && !CanLogin(role)) {                                \
      GTEST_SKIP() << "real-Materialize lane: role " << (role) << " cannot log in here"; \
    }                                                                                      \
  } while (0)

class MzTest : public ::testing::Test {
 public:
  std::vector<std::string> Column(const std::string& sql) {
    auto r = admin_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& row : *r) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
          line += (i ? "|" : "") + row[i];
        }
        out.push_back(line);
      }
    }
    return out;
  }

  // The name of cluster (or role) `name` of this test: a per-test prefix + `name`.
  std::string C(const std::string& name) const { return prefix_ + name; }
  std::string R(const std::string& name) const { return prefix_ + name; }

 protected:
  void SetUp() override {
    real_ = RealLane();
    std::random_device random;
    char prefix[32];
    std::snprintf(prefix, sizeof(prefix), "bgt%08x_", static_cast<unsigned>(random()));
    prefix_ = prefix;
    char tmpl[] = "/tmp/bgplan-mz-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string error;
    if (real_) {
      base_url_ = EnvOr("BGPLAN_TEST_MZ_URL", "");
      if (base_url_.empty()) {
        GTEST_SKIP() << "BGPLAN_TEST_MZ_URL is not set: skipped the real-Materialize lane";
      }
      auto base = runtime::ConnectPqxx(base_url_, "");
      ASSERT_TRUE(base.ok()) << "BGPLAN_TEST_MZ_URL: " << base.status().ToString();
      db_ = prefix_ + "db";
      Status st = (*base)->Exec("CREATE DATABASE \"" + db_ + "\"");
      ASSERT_TRUE(st.ok()) << st.ToString();
      created_db_ = true;
      admin_user_ = Scalar(**base, "SELECT current_user");
    } else {
      pg_ = TestPostgres::Get(&error);
      ASSERT_NE(pg_, nullptr) << error;
      db_ = pg_->CreateDatabase("mzrt");
      ASSERT_FALSE(db_.empty());
      ASSERT_TRUE(mz_.Start(pg_->Url(db_), &error)) << error;
      admin_user_ = "materialize";
    }
    admin_ = Connect();
    ASSERT_NE(admin_, nullptr);
    globals_before_ = GlobalNames();
  }
  void TearDown() override {
    if (admin_ != nullptr) {
      // A cluster or role created without the test's prefix could be a user's object on the real
      // lane: every test must name them with C() / R().
      // Another test's prefixed objects are not this test's doing: on the real lane clusters and
      // roles are global, and the two real-lane binaries may run at once against one server.
      for (const std::string& name : GlobalNames()) {
        if (globals_before_.count(name) == 0 && !IsTestPrefixed(name.substr(name.find('|') + 1))) {
          ADD_FAILURE() << "created without the test's prefix (use C()/R()): " << name;
        }
      }
    }
    admin_.reset();
    if (real_ && created_db_) {
      DropRealObjects();
    }
    mz_.Stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // True if `name` starts with a test prefix (`bgt` + 8 hex digits + `_`, see SetUp).
  static bool IsTestPrefixed(const std::string& name) {
    if (name.size() < 12 || name.compare(0, 3, "bgt") != 0 || name[11] != '_') return false;
    return std::all_of(name.begin() + 3, name.begin() + 11,
                       [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  }

  // "cluster|name" and "role|name" of every cluster and role on the server.
  std::set<std::string> GlobalNames() {
    std::set<std::string> names;
    for (const char* kind : {"cluster", "role"}) {
      auto rows = admin_->Query(std::string("SELECT name FROM mz_") + kind + "s");
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      for (const auto& row : rows.ok() ? *rows : runtime::Rows{}) {
        names.insert(std::string(kind) + "|" + row[0]);
      }
    }
    return names;
  }

  // Real lane: everything this test created (its database, clusters and roles by prefix).
  void DropRealObjects() {
    auto base = runtime::ConnectPqxx(base_url_, "");
    if (!base.ok()) {
      ADD_FAILURE() << "cleanup: " << base.status().ToString();
      return;
    }
    runtime::SqlSession& s = **base;
    std::vector<std::string> drops = {"DROP DATABASE IF EXISTS \"" + db_ + "\" CASCADE"};
    for (const char* kind : {"clusters", "roles"}) {
      // Filtered here, not with LIKE: the prefix's `_` is a LIKE wildcard.
      auto rows = s.Query(std::string("SELECT name FROM mz_") + kind);
      EXPECT_TRUE(rows.ok()) << "real lane cleanup: mz_" << kind << ": "
                             << rows.status().ToString();
      for (const auto& row : rows.ok() ? *rows : runtime::Rows{}) {
        if (row[0].rfind(prefix_, 0) != 0) continue;
        drops.push_back(std::string(kind[0] == 'c' ? "DROP CLUSTER IF EXISTS \"" : "DROP ROLE "
                                                                                  "IF EXISTS \"") +
                        row[0] + (kind[0] == 'c' ? "\" CASCADE" : "\""));
      }
    }
    for (const std::string& d : drops) {
      Status st = s.Exec(d);
      // A leak on a shared server must not go unnoticed.
      EXPECT_TRUE(st.ok()) << "real lane cleanup: " << d << ": " << st.ToString();
    }
  }

  // True if a session as `role` can be opened (the real lane needs a server that lets test roles
  // log in without a password, e.g. the self-managed image).
  bool CanLogin(const std::string& role) {
    return runtime::ConnectPqxx(Conninfo(role), "").ok();
  }
  std::unique_ptr<runtime::SqlSession> Connect(const std::string& user = "") {
    auto s = runtime::ConnectPqxx(Conninfo(user) + (real_ ? "" : " application_name=bgplan"), "");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // The connection string of this test's database, as `user` ("" = the admin user).
  std::string Conninfo(const std::string& user = "") const {
    if (real_) {
      std::vector<std::pair<std::string, std::string>> o = {{"dbname", db_},
                                                            {"application_name", "bgplan"}};
      if (!user.empty()) o.push_back({"user", user});
      return RealLaneConninfo(base_url_, o);
    }
    return mz_.Dsn(user.empty() ? admin_user_ : user);
  }
  // The connection string handed to the bgplan binary's --url.
  std::string Url(const std::string& user = "") const {
    return real_ ? Conninfo(user) : mz_.Url(user.empty() ? admin_user_ : user);
  }
  // The role the tests run as (the emulator's `materialize`, the real lane's URL user).
  const std::string& AdminUser() const { return admin_user_; }
  // A replica size the server accepts, and a second, different one.
  std::string Size() const { return real_ ? EnvOr("BGPLAN_TEST_MZ_SIZE", "25cc") : "25cc"; }
  std::string Size2() const { return real_ ? EnvOr("BGPLAN_TEST_MZ_SIZE_2", "50cc") : "50cc"; }
  // "SIZE = '<Size()>'" for CREATE CLUSTER options.
  std::string SizeOpt() const { return "SIZE = '" + Size() + "'"; }
  // An await timeout: `ms` on the emulator; on the real lane at least 10 minutes (a new
  // replica must be provisioned and hydrate).
  int64_t Patient(int64_t ms) const { return real_ ? std::max<int64_t>(ms, 600000) : ms; }
  // The statement creating Kafka connection `name` (see MZ_REQUIRE_KAFKA).
  std::string KafkaConnection(const std::string& name) const {
    if (!real_) {
      return "CREATE CONNECTION " + name + " TO KAFKA (BROKER 'localhost:9092')";
    }
    return "CREATE CONNECTION " + name + " TO KAFKA (BROKER '" +
           EnvOr("BGPLAN_TEST_MZ_KAFKA_BROKER", "") + "', SECURITY PROTOCOL = 'PLAINTEXT')";
  }
  // psql for deploy commands.
  std::string Psql() const { return pg_ != nullptr ? pg_->bindir() + "/psql" : "psql"; }
  // The throwaway PostgreSQL (started on first use on the real lane).
  TestPostgres* Pg() {
    if (pg_ == nullptr) {
      std::string error;
      pg_ = TestPostgres::Get(&error);
      EXPECT_NE(pg_, nullptr) << error;
    }
    return pg_;
  }

  // Runs each statement on its own round trip; fails the test on error.
  void Exec(const std::vector<std::string>& statements) {
    for (const std::string& s : statements) {
      Status st = admin_->Exec(s);
      ASSERT_TRUE(st.ok()) << s << ": " << st.ToString();
    }
  }
  // Runs each statement; returns the first error ("statement: message") or "".
  std::string TryExec(const std::vector<std::string>& statements) {
    for (const std::string& s : statements) {
      Status st = admin_->Exec(s);
      if (!st.ok()) {
        return s + ": " + st.ToString();
      }
    }
    return "";
  }
  static std::string Scalar(runtime::SqlSession& session, const std::string& sql) {
    auto r = session.Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() && !r->empty() && !(*r)[0].empty() ? (*r)[0][0] : "";
  }
  std::string Scalar(const std::string& sql) { return Scalar(*admin_, sql); }
  // A counter of connection `pid` from mzemu_connections() (a control statement: it returns
  // every connection, WHERE is not applied). column: 3 round_trips, 4 statements,
  // 5 catalog_queries. Emulator only.
  int64_t ConnCounter(int pid, int column) {
    auto r = admin_->Query("SELECT * FROM mzemu_connections()");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const auto& row : *r) {
        if (row[0] == std::to_string(pid)) {
          return std::stoll(row[column]);
        }
      }
    }
    ADD_FAILURE() << "no connection " << pid;
    return -1;
  }
  // Ids by name, in this test's database ("" when absent).
  std::string SchemaId(const std::string& name) {
    return Scalar(
        "SELECT s.id FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id WHERE "
        "d.name = current_database() AND s.name = '" +
        name + "'");
  }
  std::string ClusterId(const std::string& name) {
    return Scalar("SELECT id FROM mz_clusters WHERE name = '" + name + "'");
  }
  std::string Comment(const std::string& id) {
    return Scalar("SELECT comment FROM mz_internal.mz_comments WHERE id = '" + id + "'");
  }

  // Runs `phase` of `plan` in process, as `user` ("" = admin), with `options`.
  Status RunPhase(const plans::Plan& plan, plans::PhaseKind phase, runtime::RunOptions options = {},
                  RecordingSink* sink = nullptr, const std::string& user = "",
                  runtime::SqlSession* session = nullptr) {
    RecordingSink local;
    RecordingSink& out = sink != nullptr ? *sink : local;
    std::unique_ptr<runtime::SqlSession> own;
    if (session == nullptr) {
      own = Connect(user);
      session = own.get();
    }
    if (session == nullptr) {
      return Status::Internal("no session");
    }
    options.command = std::string(plans::PhaseName(phase));
    plans::Plan compiled = Compiled(plan);
    runtime::Executor ex(*session, compiled, {}, options, out);
    Status st = ex.Lock();
    if (st.ok()) {
      st = ex.RunPhase(phase);
    }
    ex.Unlock();
    last_diagnostics_ = out.AllDiagnostics();
    last_kinds_ = out.Kinds();
    return st;
  }

  // ---- the bgplan binary ---------------------------------------------------------------------

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  pid_t Spawn(std::vector<std::string> args, const std::vector<std::string>& env, int n) {
    return SpawnBgplan(dir_, n, std::move(args), env).pid;
  }
  ProcResult Wait(pid_t pid, int n) {
    return WaitBgplan({pid, dir_ + "/out" + std::to_string(n), dir_ + "/err" + std::to_string(n)});
  }
  ProcResult Run(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    int n = ++spawned_;
    return Wait(Spawn(args, env, n), n);
  }

  bool real_ = false;
  std::string prefix_;
  std::string base_url_;  // real lane: BGPLAN_TEST_MZ_URL
  bool created_db_ = false;
  std::string admin_user_;
  std::set<std::string> globals_before_;
  TestPostgres* pg_ = nullptr;
  std::string db_;
  MzemuProcess mz_;
  std::unique_ptr<runtime::SqlSession> admin_;
  std::string dir_;
  int spawned_ = 0;
  std::string last_diagnostics_;
  std::vector<std::string> last_kinds_;
};

}  // namespace bgplan::testing
