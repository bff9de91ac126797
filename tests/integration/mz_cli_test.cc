// The bgplan binary on the Materialize path, against the mzemu emulator: the examples/materialize
// full cycle, exit codes, JSON events, and crash-and-resume at every fault point of the
// Materialize path (runtime::MzFaultPoints()).
#include <chrono>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "runtime/fault.h"
#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

class MzCli : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    MZ_REQUIRE_KAFKA();
    compute_ = C("shop_compute");
    green_compute_ = C("shop_compute_dbt_deploy");
    file_ = ShopFile();
    Exec({"CREATE SCHEMA shop", "CREATE CLUSTER " + compute_ + " (" + SizeOpt() + ")",
          "CREATE MATERIALIZED VIEW shop.orders IN CLUSTER " + compute_ + " AS SELECT 1 AS n",
          "CREATE MATERIALIZED VIEW shop.revenue IN CLUSTER " + compute_ + " AS SELECT 1 AS n",
          "CREATE SCHEMA shop_sinks", "CREATE CLUSTER " + C("shop_sinks") + " (" + SizeOpt() + ")",
          KafkaConnection("kafka"),
          "CREATE SINK shop_sinks.orders_out IN CLUSTER " + C("shop_sinks") +
              " FROM shop.orders INTO KAFKA CONNECTION kafka (TOPIC '" + prefix_ +
              "o') FORMAT JSON ENVELOPE DEBEZIUM",
          "CREATE SINK shop_sinks.revenue_out IN CLUSTER " + C("shop_sinks") +
              " FROM shop.revenue INTO KAFKA CONNECTION kafka (TOPIC '" + prefix_ +
              "r') FORMAT JSON ENVELOPE DEBEZIUM"});
  }
  // examples/materialize/shop.bgplan with this test's cluster names (C()) and, on the real lane,
  // an await timeout long enough for a new replica to be provisioned. Everything else verbatim.
  std::string ShopFile() {
    std::string text = Slurp(std::string(BGPLAN_SOURCE_DIR) + "/examples/materialize/shop.bgplan");
    auto replace = [&text](const std::string& from, const std::string& to) {
      size_t at = text.find(from);
      EXPECT_NE(at, std::string::npos) << "the example no longer has: " << from;
      if (at != std::string::npos) {
        text.replace(at, from.size(), to);
      }
    };
    replace("clusters shop_compute;", "clusters " + C("shop_compute") + ";");
    replace("clusters shop_sinks;", "clusters " + C("shop_sinks") + ";");
    if (real_) {
      replace("timeout       30s;", "timeout       15m;");
    }
    return WriteFile("shop.bgplan", text);
  }
  // The deploy command building green with psql: the environment names green per cli.md.
  std::string DeployCmd(bool if_not_exists = false) {
    std::string green = "$BGPLAN_GREEN_" + Upper(compute_);
    std::string ine = if_not_exists ? "IF NOT EXISTS " : "";
    return "'" + Psql() + "' \"$BGPLAN_URL\" -X -q -v ON_ERROR_STOP=1 -c \"CREATE MATERIALIZED VIEW " +
           ine + "$BGPLAN_GREEN_SHOP.orders IN CLUSTER " + green +
           " AS SELECT 2 AS n\" -c \"CREATE MATERIALIZED VIEW " + ine +
           "$BGPLAN_GREEN_SHOP.revenue IN CLUSTER " + green + " AS SELECT 2 AS n\"";
  }
  static std::string Upper(std::string s) {
    for (char& c : s) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
  }
  std::vector<std::string> Cmd(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {command, file_, "--url", Url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // What the deploy command does: the new version of both views in green.
  void BuildGreen() {
    Exec({"CREATE MATERIALIZED VIEW shop_dbt_deploy.orders IN CLUSTER " + green_compute_ +
              " AS SELECT 2 AS n",
          "CREATE MATERIALIZED VIEW shop_dbt_deploy.revenue IN CLUSTER " + green_compute_ +
              " AS SELECT 2 AS n"});
  }
  std::string SinkUpstreamSchema(const std::string& sink) {
    return Scalar(
        "SELECT o.schema_id FROM mz_sinks k JOIN mz_internal.mz_object_dependencies d ON "
        "d.object_id = k.id JOIN mz_objects o ON o.id = d.referenced_object_id WHERE o.type = "
        "'materialized-view' AND k.name = '" +
        sink + "'");
  }
  std::string file_;
  std::string compute_, green_compute_;  // the example's cluster shop_compute and its green
};

TEST_F(MzCli, ExampleFullCycle) {
  std::string deploy = DeployCmd();
  std::string blue = SchemaId("shop");
  ProcResult r = Run(Cmd("apply", {"--deploy-cmd", deploy, "--through", "cleanup"}));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(r.err.find("\x1b["), std::string::npos) << "cursor control in a pipe:\n" << r.err;
  std::string now = SchemaId("shop");
  EXPECT_NE(now, blue);
  EXPECT_EQ(SinkUpstreamSchema("orders_out"), now);
  EXPECT_EQ(SinkUpstreamSchema("revenue_out"), now);
  // The promote text names each sink it re-pointed, and await prints its elapsed time and timeout.
  EXPECT_NE(r.err.find("promote: done\n  sink shop_sinks.orders_out reads shop.orders\n  sink "
                       "shop_sinks.revenue_out reads shop.revenue\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("; timeout " + std::string(real_ ? "15m" : "30s") + " (exit 4)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" of " + std::string(real_ ? "15m" : "30s") + "]"), std::string::npos)
      << r.err;
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(green_compute_), "");
  EXPECT_EQ(Scalar("SELECT n FROM shop.revenue"), "2");
  EXPECT_EQ(SchemaId("bgplan_lock_shop"), "");
  ProcResult status = Run(Cmd("status"));
  EXPECT_EQ(status.exit_code, 0) << status.err;
  // As on PostgreSQL: the run finished (the journal says so), nothing of green is left.
  EXPECT_NE(status.out.find("deployment shop: finished"), std::string::npos) << status.out;
}

// apply resumes from the deployment's state after a crash at each of its own fault points.
TEST_F(MzCli, ApplyResumesAfterCrash) {
  std::string deploy = DeployCmd(/*if_not_exists=*/true);
  std::string blue = SchemaId("shop");
  for (const char* point :
       {"apply:after-init", "apply:after-deploy-cmd", "apply:after-await", "apply:after-promote"}) {
    ProcResult r =
        Run(Cmd("apply", {"--deploy-cmd", deploy}), {std::string("BGPLAN_FAULT=") + point});
    EXPECT_EQ(r.signal, SIGKILL) << point << r.err;
    if (std::string(point) == "apply:after-promote") {
      break;
    }
  }
  ProcResult r = Run(Cmd("apply", {"--deploy-cmd", deploy, "--through", "cleanup"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(SchemaId("shop"), blue);
  EXPECT_EQ(SinkUpstreamSchema("revenue_out"), SchemaId("shop"));
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
}

TEST_F(MzCli, PhasesExitCodesAndJsonEvents) {
  // Preflight failure: exit 3 naming the rule.
  Exec({"CREATE SCHEMA shop_dbt_deploy", "CREATE TABLE shop_dbt_deploy.x (a int)"});
  ProcResult r = Run(Cmd("init"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("green-not-empty"), std::string::npos) << r.err;
  Exec({"DROP SCHEMA shop_dbt_deploy CASCADE"});
  r = Run(Cmd("init", {"--dry-run"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CREATE SCHEMA \"shop_dbt_deploy\";"), std::string::npos) << r.out;
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
  r = Run(Cmd("init"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  BuildGreen();
  // await: a failing green cluster stops at the first poll with exit 5 (one JSON poll event);
  // the timeout (exit 4) is MzAwait.OneCatalogQueryPerPollAndTimeoutExit4. On the real lane a
  // cluster without replicas is failing (no_replicas).
  if (real_) {
    Exec({"ALTER CLUSTER " + green_compute_ + " SET (REPLICATION FACTOR = 0)"});
  } else {
    Exec({"SELECT mzemu_oom('" + green_compute_ + ".r1', 3)"});
  }
  r = Run(Cmd("await", {"--format", "json"}));
  EXPECT_EQ(r.exit_code, 5) << r.err << r.out;
  int polls = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("type", "") == "poll") {
      ++polls;
    }
  }
  EXPECT_EQ(polls, 1) << r.out;
  if (real_) {
    Exec({"ALTER CLUSTER " + green_compute_ + " SET (REPLICATION FACTOR = 1)"});
  } else {
    Exec({"SELECT mzemu_clear_oom('" + green_compute_ + ".r1')"});
  }
  // Dry-run promote prints the swap block and the sink statements, executes none.
  std::string blue = SchemaId("shop");
  r = Run(Cmd("promote", {"--dry-run"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ALTER CLUSTER \"" + compute_ + "\" SWAP WITH \"" + green_compute_ + "\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ALTER SINK \"" + db_ + "\".\"shop_sinks\".\"revenue_out\" SET FROM \"" +
                       db_ + "\".\"shop\".\"revenue\";"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(SchemaId("shop"), blue);
  // Lock held by a live run elsewhere: exit 6 naming the holder; unlock --force removes it.
  Exec({"CREATE SCHEMA bgplan_lock_shop",
        "COMMENT ON SCHEMA bgplan_lock_shop IS 'bgplan lock holder=ci host=runner-7 pid=42 "
        "expires_ms=99999999999999'"});
  r = Run(Cmd("promote"));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("held by ci on host runner-7 (pid 42) until "), std::string::npos) << r.err;
  r = Run(Cmd("unlock", {"--deployment", "shop"}));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  r = Run(Cmd("unlock", {"--deployment", "shop", "--force"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = Run(Cmd("promote"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SinkUpstreamSchema("revenue_out"), SchemaId("shop"));
  r = Run(Cmd("rollback"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SchemaId("shop"), blue);
  EXPECT_EQ(SinkUpstreamSchema("revenue_out"), blue);
}

TEST_F(MzCli, PlanPrintsResolvedStatementsAndChangesNothing) {
  ProcResult r = Run(Cmd("plan"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-- phase init"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CREATE SCHEMA \"shop_dbt_deploy\";"), std::string::npos) << r.out;
  // Blue's SHOW CREATE CLUSTER replayed: every option, blue's size among them.
  const size_t create = r.out.find("CREATE CLUSTER \"" + green_compute_ + "\" (");
  ASSERT_NE(create, std::string::npos) << r.out;
  const std::string line = r.out.substr(create, r.out.find('\n', create) - create);
  EXPECT_NE(line.find("SIZE = '" + Size() + "'"), std::string::npos) << line;
  EXPECT_NE(line.find("INTROSPECTION INTERVAL = "), std::string::npos) << line;
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  r = Run(Cmd("plan"));  // next: promote
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-- phase promote"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ALTER SINK \"" + db_ + "\".\"shop_sinks\".\"orders_out\" SET FROM"),
            std::string::npos)
      << r.out;
  r = Run(Cmd("plan", {"--phase", "await"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("WITH problematic_replicas AS"), std::string::npos) << r.out;
  r = Run(Cmd("status"));
  EXPECT_NE(r.out.find("deployment shop: initialized"), std::string::npos) << r.out;
  // The two materialized views the deploy built; system indexes do not count. (A real replica
  // may still be hydrating them this soon.)
  EXPECT_NE(r.out.find("readiness " + green_compute_ + (real_ ? ": " : ": ready (hydrated 2/2")),
            std::string::npos)
      << r.out;
  r = Run(Cmd("promote", {"--dry-run"}));
  EXPECT_NE(r.out.find("-- journal: promote event intent: swap (run shop-"), std::string::npos)
      << r.out;
  ASSERT_EQ(Run(Cmd("promote")).exit_code, 0);
  r = Run(Cmd("status"));
  EXPECT_NE(r.out.find("deployment shop: promoted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("promote: sink - ALTER SINK"), std::string::npos) << r.out;
}

TEST_F(MzCli, PlanFileRefusesWithStalePlanWhenTheCatalogChanged) {
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  std::string plan_file = dir_ + "/promote.json";
  ProcResult r = Run(Cmd("plan", {"--phase", "promote", "-o", plan_file}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Exec({"CREATE TABLE shop_dbt_deploy.late (a int)"});  // the catalog moves on
  std::string blue = SchemaId("shop");
  r = Run({"promote", plan_file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("stale-plan"), std::string::npos) << r.err;
  EXPECT_EQ(SchemaId("shop"), blue);
  ASSERT_EQ(Run(Cmd("plan", {"--phase", "promote", "-o", plan_file})).exit_code, 0);
  r = Run({"promote", plan_file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(SchemaId("shop"), blue);
}

TEST_F(MzCli, InterruptDuringAwaitIsExit8AndReleasesTheLock) {
  MZ_EMULATOR_ONLY("hydration (a cluster that stays hydrating)");
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  Exec({"SELECT mzemu_set_hydrated('" + green_compute_ + "', false)"});
  int n = ++spawned_;
  pid_t pid = Spawn(Cmd("await"), {}, n);
  for (int i = 0; i < 100 && SchemaId("bgplan_lock_shop").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGINT);
  ProcResult r = Wait(pid, n);
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_EQ(SchemaId("bgplan_lock_shop"), "");
}

// On a terminal (a pty from script(1)) await rewrites one live line per cluster in place; in a
// pipe (every other test) it prints one line per change and never a cursor-control code.
TEST_F(MzCli, AwaitOnATerminalRewritesLiveLines) {
  if (access("/usr/bin/script", X_OK) != 0) {
    GTEST_SKIP() << "script(1) not installed";
  }
  MZ_EMULATOR_ONLY("hydration (a cluster that becomes hydrated while watched)");
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  Exec({"SELECT mzemu_set_hydrated('" + green_compute_ + "', false)"});
  std::thread flip([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    auto c = Connect();
    (void)c->Exec("SELECT mzemu_set_hydrated('" + green_compute_ + "', true)");
  });
  std::string cmd = "'" + Bgplan() + "' await '" + file_ + "' --url '" + Url() + "'";
  std::string path = dir_ + "/tty.out";
  ProcResult r;
  {
    int n = ++spawned_;
    pid_t pid = fork();
    if (pid == 0) {
      int out =
          open((dir_ + "/out" + std::to_string(n)).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, 1);
      dup2(out, 2);
      setenv("TERM", "xterm", 1);
      unsetenv("NO_COLOR");
      execl("/usr/bin/script", "script", "-qfec", cmd.c_str(), path.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    r = Wait(pid, n);
  }
  flip.join();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::string tty = Slurp(path);
  EXPECT_NE(tty.find("\x1b[1A"), std::string::npos) << tty;
  EXPECT_NE(tty.find("\x1b[2K  " + green_compute_ + ": hydrating"), std::string::npos) << tty;
  EXPECT_NE(tty.find(green_compute_ + ": ready"), std::string::npos) << tty;
}

TEST_F(MzCli, LockIsRefreshedWhileRunning) {
  MZ_EMULATOR_ONLY("hydration (a cluster that stays hydrating)");
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  Exec({"SELECT mzemu_set_hydrated('" + green_compute_ + "', false)"});
  int n = ++spawned_;
  pid_t pid = Spawn(Cmd("await"), {"BGPLAN_TEST_MZ_LOCK_TTL_MS=900"}, n);
  auto expiry = [this] {
    std::string c = Comment(SchemaId("bgplan_lock_shop"));
    size_t at = c.find("expires_ms=");
    return at == std::string::npos ? int64_t{0} : std::stoll(c.substr(at + 11));
  };
  int64_t first = 0;
  for (int i = 0; i < 100 && first == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    first = SchemaId("bgplan_lock_shop").empty() ? 0 : expiry();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  int64_t later = expiry();
  kill(pid, SIGINT);
  ProcResult r = Wait(pid, n);
  EXPECT_EQ(r.exit_code, 8) << r.err;
  ASSERT_GT(first, 0);
  // Refreshed at least once: the expiry moved past the first one, so the lock never expired.
  EXPECT_GT(later, first) << "first " << first << " later " << later;
}

TEST_F(MzCli, TargetMismatchIsExit3) {
  // A Materialize plan against PostgreSQL, and a PostgreSQL plan against Materialize.
  TestPostgres* pg = Pg();
  ASSERT_NE(pg, nullptr);
  ProcResult r = Run({"init", file_, "--url", pg->Url(pg->CreateDatabase("mismatch"))});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("target-mismatch"), std::string::npos) << r.err;
  std::string pg_file = WriteFile("pg.bgplan", "target postgres;\ndeployment shop {\n    schemas shop;\n}\n");
  r = Run({"init", pg_file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("target-mismatch"), std::string::npos) << r.err;
  // --target compiles the plan for that target: a Materialize plan with clusters is not a
  // PostgreSQL plan (a static rule, found before connecting).
  r = Run(Cmd("init", {"--target", "postgres"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("[clusters-not-supported]"), std::string::npos) << r.err;
}

// A deployment may not name bgplan's own schemas: the journal schema or a lock schema
// (bgplan_lock_<deployment>). Refused before the lock is taken: nothing is created.
TEST_F(MzCli, ReservedSchemaNamesAreRefusedBeforeAnything) {
  Exec({"CREATE SCHEMA bgplan_lock_x", "CREATE SCHEMA ops"});
  for (const std::string schemas : {"bgplan_lock_x", "ops"}) {
    SCOPED_TRACE(schemas);
    std::string file = WriteFile("reserved.bgplan", "target materialize;\ndeployment shop {\n"
                                                    "    schemas " + schemas + ";\n}\n");
    ProcResult r = Run({"init", file, "--url", Url(), "--journal-schema", "ops"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("[reserved-schema-name]"), std::string::npos) << r.err;
    EXPECT_EQ(SchemaId("bgplan_lock_shop"), "");
    EXPECT_EQ(SchemaId(schemas + "_dbt_deploy"), "");
  }
}

// Crash (SIGKILL at the fault point) and resume (the same command again) at every fault point of
// the Materialize path (runtime::MzFaultPoints(), each explained there). After each resume the
// deployment is exactly where an uninterrupted run leaves it; after a swap without its cut-over
// status says so and cleanup refuses; after cleanup's identity check a replaced name is refused.
class MzCrash : public MzCli, public ::testing::WithParamInterface<std::string> {};

TEST_P(MzCrash, ResumesAfterCrash) {
  const std::string point = GetParam();
  const std::string phase = point.substr(0, point.find(':'));
  std::vector<std::string> fault = {"BGPLAN_FAULT=" + point};
  if (phase == "init") {
    ProcResult r = Run(Cmd("init"), fault);
    EXPECT_EQ(r.signal, SIGKILL) << r.err;
    r = Run(Cmd("init"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(SchemaId("shop_dbt_deploy"), "");
    EXPECT_NE(ClusterId(green_compute_), "");
    EXPECT_NE(Comment(ClusterId(green_compute_)).find("bgplan deployment shop run"),
              std::string::npos);
    BuildGreen();
    r = Run(Cmd("promote"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    return;
  }
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  BuildGreen();
  std::string blue = SchemaId("shop"), green = SchemaId("shop_dbt_deploy");
  if (phase == "promote") {
    ProcResult r = Run(Cmd("promote"), fault);
    EXPECT_EQ(r.signal, SIGKILL) << r.err;
    if (point == "promote:before-last-repoint-sinks") {
      // Crashed between the two ALTER SINKs: one follows green, the other still reads blue.
      EXPECT_EQ(SinkUpstreamSchema("orders_out"), green);
      EXPECT_EQ(SinkUpstreamSchema("revenue_out"), blue);
    }
    if (SchemaId("shop") == green) {
      // Swapped, cut-over unfinished: status names the sinks still reading the old objects,
      // and cleanup refuses whatever the overrides (no override drops a sink).
      ProcResult s = Run(Cmd("status"));
      EXPECT_NE(s.out.find("promoted, cut-over unfinished"), std::string::npos) << s.out;
      EXPECT_NE(s.out.find("shop_sinks.revenue_out"), std::string::npos) << s.out;
      ProcResult c = Run(Cmd("cleanup", {"--drop-dependents", "--before-keep-blue"}));
      EXPECT_EQ(c.exit_code, 3) << c.err;
      EXPECT_NE(c.err.find("cutover-unfinished"), std::string::npos) << c.err;
      EXPECT_NE(c.err.find("run `bgplan promote` to finish the cut-over"), std::string::npos)
          << c.err;
      EXPECT_EQ(SchemaId("shop_dbt_deploy"), blue);
      EXPECT_EQ(SinkUpstreamSchema("revenue_out"), blue);
    }
    r = Run(Cmd("promote"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ProcResult done = Run(Cmd("status"));
    EXPECT_EQ(done.out.find("cut-over unfinished"), std::string::npos) << done.out;
    EXPECT_EQ(SchemaId("shop"), green);
    EXPECT_EQ(SinkUpstreamSchema("orders_out"), green);
    EXPECT_EQ(SinkUpstreamSchema("revenue_out"), green);
    EXPECT_NE(Comment(green).find("Deployment by " + AdminUser() + " on "), std::string::npos);
    return;
  }
  ASSERT_EQ(Run(Cmd("promote")).exit_code, 0);
  if (phase == "rollback") {
    ProcResult r = Run(Cmd("rollback"), fault);
    EXPECT_EQ(r.signal, SIGKILL) << r.err;
    r = Run(Cmd("rollback"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SchemaId("shop"), blue);
    EXPECT_EQ(SinkUpstreamSchema("orders_out"), blue);
    EXPECT_EQ(SinkUpstreamSchema("revenue_out"), blue);
    return;
  }
  ProcResult r = Run(Cmd("cleanup"), fault);
  EXPECT_EQ(r.signal, SIGKILL) << r.err;
  if (point == "cleanup:after-id-check") {
    // Crashed between the identity check and the drop: nothing dropped. Someone takes the name
    // before the resume: the resumed cleanup drops nothing that is not ours.
    EXPECT_EQ(SchemaId("shop_dbt_deploy"), blue);
    Exec({"DROP SCHEMA shop_dbt_deploy CASCADE", "CREATE SCHEMA shop_dbt_deploy",
          "CREATE TABLE shop_dbt_deploy.precious (x int)"});
    const std::string foreign = SchemaId("shop_dbt_deploy");
    r = Run(Cmd("cleanup"));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("cleanup-id-mismatch"), std::string::npos) << r.err;
    EXPECT_EQ(SchemaId("shop_dbt_deploy"), foreign);
    EXPECT_NE(ClusterId(green_compute_), "");
    Exec({"DROP SCHEMA shop_dbt_deploy CASCADE"});  // its owner removes it
  }
  r = Run(Cmd("cleanup"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(green_compute_), "");
  EXPECT_EQ(SchemaId("shop"), green);
}

INSTANTIATE_TEST_SUITE_P(AllPoints, MzCrash, ::testing::ValuesIn(runtime::MzFaultPoints()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string n;
                           for (char c : param_info.param) {
                             n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace bgplan::testing
