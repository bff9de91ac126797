// The fixture of the tests that run the bgplan executable against a real PostgreSQL: a temp
// directory, a test database holding production schema marts (table t) and view sinks.v reading
// it, a .bgplan for it (shop.bgplan), and helpers to start bgplan and wait for it.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/bgplan_process.h"
#include "tests/integration/runtime_fixture.h"

namespace bgplan::testing {

class RuntimeCli : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    char tmpl[] = "/tmp/bgplan-cli-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    url_ = pg_->Url(db_);
    Exec(
        "CREATE SCHEMA marts; CREATE TABLE marts.t (id int PRIMARY KEY, v text); "
        "INSERT INTO marts.t VALUES (1, 'blue'); CREATE SCHEMA sinks; "
        "CREATE VIEW sinks.v AS SELECT id, v FROM marts.t;");
    WritePlan("20s");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void WritePlan(const std::string& lock_timeout) {
    file_ = dir_ + "/shop.bgplan";
    std::ofstream(file_) << "target postgres;\n"
                            "deployment shop {\n"
                            "    schemas marts;\n"
                            "    sinks { schemas \"sinks\"; }\n"
                            "    await { poll_interval 100ms; timeout 10s; }\n"
                            "    promote { max_retries 1; retry_backoff 100ms; lock_timeout "
                         << lock_timeout << "; }\n}\n";
  }
  std::string DeployCmd() {
    return "'" + pg_->bindir() +
           "/psql' -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE IF NOT EXISTS "
           "\"'\"$BGPLAN_GREEN_MARTS\"'\".t (id int PRIMARY KEY, v text); INSERT INTO "
           "\"'\"$BGPLAN_GREEN_MARTS\"'\".t VALUES (1, '\"'green'\"') ON CONFLICT DO NOTHING'";
  }

  Proc Spawn(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    static int n = 0;
    return SpawnBgplan(dir_, ++n, std::move(args), env);
  }
  ProcResult Wait(const Proc& p) { return WaitBgplan(p); }
  ProcResult Run(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    return Wait(Spawn(std::move(args), env));
  }
  // A command on the test plan and database.
  std::vector<std::string> Cmd(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {command, file_, "--url", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // Waits until a bgplan session waits for a lock; returns its backend pid or "".
  std::string WaitForBlockedBgplan() {
    for (int i = 0; i < 400; ++i) {
      std::string pid = Scalar(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'bgplan' AND "
          "wait_event_type = 'Lock' LIMIT 1");
      if (!pid.empty()) {
        return pid;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return "";
  }
  void Initialized() {
    ProcResult r = Run(Cmd("apply", {"--deploy-cmd", DeployCmd()}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ProcResult back = Run(Cmd("rollback"));
    ASSERT_EQ(back.exit_code, 0) << back.err;
  }

  std::string dir_, url_, file_;
};

}  // namespace bgplan::testing
