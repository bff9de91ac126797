// Shared helpers of the Materialize runtime tests: an mzemu emulator in front of a fresh database
// of the throwaway PostgreSQL (tests/support/test_postgres.h), hand-built Materialize plans,
// sessions, a counting session wrapper, and a child-process runner for the bgplan binary.
// Label "mzemu". When BGPLAN_TEST_MZ_URL is set, MzRealLane runs the core cycle against that
// real Materialize instead.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "runtime/events.h"
#include "runtime/mz_executor.h"
#include "runtime/session.h"
#include "tests/integration/bgplan_process.h"
#include "tests/integration/runtime_fixture.h"
#include "tests/mzemu/mzemu_process.h"
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

 protected:
  void SetUp() override {
    std::string error;
    pg_ = TestPostgres::Get(&error);
    ASSERT_NE(pg_, nullptr) << error;
    db_ = pg_->CreateDatabase("mzrt");
    ASSERT_FALSE(db_.empty());
    ASSERT_TRUE(mz_.Start(pg_->Url(db_), &error)) << error;
    admin_ = Connect();
    ASSERT_NE(admin_, nullptr);
    char tmpl[] = "/tmp/bgplan-mz-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    admin_.reset();
    mz_.Stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<runtime::SqlSession> Connect(const std::string& user = "materialize") {
    auto s = runtime::ConnectPqxx(mz_.Dsn(user) + " application_name=bgplan", "");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::string Url(const std::string& user = "materialize") const { return mz_.Url(user); }

  // Runs each statement on its own round trip; fails the test on error.
  void Exec(const std::vector<std::string>& statements) {
    for (const std::string& s : statements) {
      Status st = admin_->Exec(s);
      ASSERT_TRUE(st.ok()) << s << ": " << st.ToString();
    }
  }
  std::string Scalar(const std::string& sql) {
    auto r = admin_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() && !r->empty() && !(*r)[0].empty() ? (*r)[0][0] : "";
  }
  // A counter of connection `pid` from mzemu_connections() (a control statement: it returns
  // every connection, WHERE is not applied). column: 3 round_trips, 4 statements,
  // 5 catalog_queries.
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
  std::string SchemaId(const std::string& name) {
    return Scalar("SELECT id FROM mz_schemas WHERE name = '" + name + "'");
  }
  std::string ClusterId(const std::string& name) {
    return Scalar("SELECT id FROM mz_clusters WHERE name = '" + name + "'");
  }
  std::string Comment(const std::string& id) {
    return Scalar("SELECT comment FROM mz_internal.mz_comments WHERE id = '" + id + "'");
  }

  // Runs `phase` of `plan` in process, as `user`, with `options`.
  Status RunPhase(const plans::Plan& plan, plans::PhaseKind phase, runtime::RunOptions options = {},
                  RecordingSink* sink = nullptr, const std::string& user = "materialize",
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
    runtime::MzExecutor ex(*session, plan, {}, options, out);
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
