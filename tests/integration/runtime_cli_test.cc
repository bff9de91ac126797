// The bgplan executable against a real server: exit codes, --format json events, plan files
// and stale-plan, two concurrent promotes (one exits 6; kill -9 of the holder frees the lock),
// SIGINT/SIGTERM (exit 8, nothing half done), crash-and-resume at every fault point, and
// passwords never printed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "runtime/fault.h"
#include "runtime/lock/pg_lock.h"
#include "tests/integration/cli_fixture.h"

namespace bgplan::testing {
namespace {

TEST_F(RuntimeCli, ExitCodesAndJsonEvents) {
  ProcResult before = Run(Cmd("promote"));
  EXPECT_EQ(before.exit_code, 3) << before.err;
  EXPECT_NE(before.err.find("[green-missing]"), std::string::npos) << before.err;
  EXPECT_NE(before.err.find("shop.bgplan:"), std::string::npos) << before.err;

  ProcResult usage = Run(Cmd("init", {"--deployment", "nope"}));
  EXPECT_EQ(usage.exit_code, 64) << usage.err;

  ProcResult conn = Run({"init", file_, "--url", "postgresql://postgres@127.0.0.1:1/x"});
  EXPECT_EQ(conn.exit_code, 7) << conn.err;
  EXPECT_NE(conn.err.find("SQLSTATE"), std::string::npos) << conn.err;
  // libpq's two lines, one message: joined as sentences, not run together.
  EXPECT_NE(conn.err.find("Connection refused; Is the server running"), std::string::npos)
      << conn.err;

  ProcResult plan = Run(Cmd("plan", {"--detailed-exitcode"}));
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  EXPECT_NE(plan.out.find("CREATE SCHEMA \"marts_dbt_deploy\";"), std::string::npos) << plan.out;

  ProcResult init = Run({"--format", "json", "init", file_, "--url", url_});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::istringstream lines(init.out);
  std::string line;
  int n = 0;
  bool result = false;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_TRUE(j.contains("type") && j.contains("deployment") && j.contains("timestamp")) << line;
    EXPECT_EQ(j["timestamp"].get<std::string>().back(), 'Z') << line;
    EXPECT_EQ(j["schema_version"], 1) << line;
    if (j["type"] == "result") {
      EXPECT_EQ(j["exit_code"], 0) << line;  // a number
      EXPECT_EQ(j["ok"], true) << line;      // a boolean
    }
    if (j["type"] == "phase" && j["state"] == "started") {
      EXPECT_EQ(j["attempt"], 0) << line;
    }
    result = result || j["type"] == "result";
    ++n;
  }
  EXPECT_GT(n, 2);
  EXPECT_TRUE(result);
  ProcResult again = Run(Cmd("plan", {"--phase", "init", "--detailed-exitcode"}));
  EXPECT_EQ(again.exit_code, 0) << again.err << again.out;

  // Without the new code in green the view in sinks would lose its upstream.
  ProcResult upstream = Run(Cmd("promote"));
  EXPECT_EQ(upstream.exit_code, 3) << upstream.err;
  EXPECT_NE(upstream.err.find("[sink-upstream-missing]"), std::string::npos) << upstream.err;
  Exec("CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text)");
  // The lock held by someone else: exit 6 naming the holder.
  auto holder = Connect();
  ASSERT_TRUE(holder
                  ->Exec("SELECT pg_advisory_lock(" +
                         std::to_string(runtime::AdvisoryLockKey(db_, "shop")) + ")")
                  .ok());
  ProcResult locked = Run(Cmd("promote"));
  EXPECT_EQ(locked.exit_code, 6) << locked.err;
  EXPECT_NE(locked.err.find("held by pid " + std::to_string(holder->BackendPid())),
            std::string::npos)
      << locked.err;
  // Read-only commands are not locked out.
  EXPECT_EQ(Run(Cmd("status")).exit_code, 0);
  EXPECT_EQ(Run(Cmd("promote", {"--dry-run"})).exit_code, 0);
  ProcResult unlock = Run(Cmd("unlock", {"--deployment", "shop"}));
  EXPECT_EQ(unlock.exit_code, 6) << unlock.err;
  ProcResult forced = Run(Cmd("unlock", {"--deployment", "shop", "--force"}));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Run(Cmd("promote")).exit_code, 0);
}

TEST_F(RuntimeCli, PlanFileAndStalePlan) {
  std::string plan_file = dir_ + "/plan.json";
  ProcResult plan = Run(Cmd("plan", {"--phase", "init", "-o", plan_file}));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  std::string text = Slurp(plan_file);
  EXPECT_NE(text.find("\"fingerprint\""), std::string::npos);
  Exec("CREATE ROLE stale_reader; GRANT USAGE ON SCHEMA marts TO stale_reader;");
  ProcResult stale = Run({"init", plan_file, "--url", url_});
  EXPECT_EQ(stale.exit_code, 3) << stale.err;
  EXPECT_NE(stale.err.find("[stale-plan]"), std::string::npos) << stale.err;
  EXPECT_EQ(Oid("marts_dbt_deploy"), "");
  ASSERT_EQ(Run(Cmd("plan", {"--phase", "init", "-o", plan_file})).exit_code, 0);
  ProcResult fresh = Run({"init", plan_file, "--url", url_});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(Oid("marts_dbt_deploy"), "");
}

// Two promotes at once: the first waits for a lock inside its swap transaction while holding
// the deployment lock; the second exits 6 naming it. kill -9 of the first frees the lock.
TEST_F(RuntimeCli, TwoConcurrentPromotesAndKillNine) {
  Initialized();
  std::string blue = Oid("marts");
  auto blocker = Connect();
  ASSERT_TRUE(blocker->Exec("BEGIN; SELECT * FROM sinks.v").ok());
  Proc first = Spawn(Cmd("promote"));
  std::string backend = WaitForBlockedBgplan();
  ASSERT_FALSE(backend.empty());
  ProcResult second = Run(Cmd("promote"));
  EXPECT_EQ(second.exit_code, 6) << second.err;
  EXPECT_NE(second.err.find("held by pid " + backend), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("application 'bgplan'"), std::string::npos) << second.err;
  kill(first.pid, SIGKILL);
  EXPECT_EQ(Wait(first).signal, SIGKILL);
  // The server notices the dead client, rolls its transaction back and frees the lock.
  std::string held = "1";
  for (int i = 0; i < 200 && held != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held = Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'");
  }
  EXPECT_EQ(held, "0");
  EXPECT_EQ(Oid("marts"), blue);
  ASSERT_TRUE(blocker->Exec("ROLLBACK").ok());
  ProcResult third = Run(Cmd("promote"));
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v"), "green");
}

TEST_F(RuntimeCli, SigintAndSigtermExit8WithNothingHalfDone) {
  Initialized();
  std::string blue = Oid("marts");
  for (int sig : {SIGINT, SIGTERM}) {
    auto blocker = Connect();
    ASSERT_TRUE(blocker->Exec("BEGIN; SELECT * FROM sinks.v").ok());
    Proc p = Spawn(Cmd("promote"));
    ASSERT_FALSE(WaitForBlockedBgplan().empty());
    kill(p.pid, sig);
    ProcResult r = Wait(p);
    EXPECT_EQ(r.exit_code, 8) << r.err;
    EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
    ASSERT_TRUE(blocker->Exec("ROLLBACK").ok());
    EXPECT_EQ(Oid("marts"), blue);
    EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%bgplan_swap%'"), "0");
  }
  // A deploy command is stopped too.
  ProcResult cleanup = Run(Cmd("cleanup"));
  ASSERT_EQ(cleanup.exit_code, 0) << cleanup.err;
  auto start = std::chrono::steady_clock::now();
  Proc p = Spawn(Cmd("apply", {"--deploy-cmd", "sleep 30"}));
  for (int i = 0; i < 200 && Oid("marts_dbt_deploy").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(p.pid, SIGTERM);
  ProcResult r = Wait(p);
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // Resumable: apply again (the deploy command now succeeds) finishes the job.
  ProcResult resumed = Run(Cmd("apply", {"--deploy-cmd", DeployCmd()}));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v"), "green");
}

// Crash and resume: for every fault point, run the whole program with BGPLAN_FAULT set (the
// process SIGKILLs itself there), re-run the crashed command without it and go on; the end
// state equals that of an uninterrupted run.
TEST_F(RuntimeCli, CrashAndResumeAtEveryFaultPoint) {
  const std::vector<std::string> kPoints = {
      "init:after-lock",       "init:before-commit",  "init:after-commit",
      "await:after-lock",      "promote:after-lock",  "promote:before-commit",
      "promote:after-commit",  "rollback:after-lock", "rollback:before-commit",
      "rollback:after-commit", "cleanup:after-lock",  "cleanup:before-commit",
      "cleanup:after-commit",  "apply:after-init",    "apply:after-deploy-cmd",
      "apply:after-await",     "apply:after-promote",
  };
  ASSERT_EQ(kPoints, runtime::FaultPoints());
  auto end_state = [&](const std::string& db) {
    std::string s;
    for (const auto& row : pg_->Query(db,
                                      "SELECT nspname FROM pg_namespace WHERE nspname IN ('marts', "
                                      "'marts_dbt_deploy', 'sinks') ORDER BY 1")) {
      s += row[0] + ",";
    }
    s += " marts.t=" + pg_->Scalar(db, "SELECT v FROM marts.t");
    s += " sinks.v=" + pg_->Scalar(db, "SELECT v FROM sinks.v");
    for (const auto& row : pg_->Query(db,
                                      "SELECT phase, status FROM bgplan.runs ORDER BY "
                                      "started_at")) {
      s += " run=" + row[0] + "/" + row[1];
    }
    s += " swaps=" + pg_->Scalar(db,
                                 "SELECT count(*) FROM bgplan.events WHERE type IN "
                                 "('promoted', 'rolled_back')");
    return s;
  };
  const std::vector<std::vector<std::string>> program = {
      {"apply", "--deploy-cmd", DeployCmd()}, {"rollback"}, {"promote"}, {"cleanup"}};
  auto run_program = [&](const std::string& fault) {
    bool fired = fault.empty();
    for (const auto& step : program) {
      std::vector<std::string> args = {step[0], file_, "--url", url_};
      args.insert(args.end(), step.begin() + 1, step.end());
      if (!fired) {
        ProcResult r = Run(args, {"BGPLAN_FAULT=" + fault});
        if (r.signal == SIGKILL) {
          fired = true;
          // The killed run's session ends when the server notices the closed connection; until
          // then it still holds the deployment's advisory lock, and a resume that fast is
          // refused with exit 6 (correctly: it is locked). Resume once the lock is free, as
          // any later run (the next CI job, a person) would find it.
          std::string held = "1";
          for (int i = 0; i < 200 && held != "0"; ++i) {
            held = Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'");
            if (held != "0") {
              std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
          }
          EXPECT_EQ(held, "0") << "the killed run's lock was never released: " << fault;
        } else {
          EXPECT_EQ(r.exit_code, 0) << fault << " " << step[0] << "\n" << r.err;
          continue;
        }
      }
      ProcResult r = Run(args);
      EXPECT_EQ(r.exit_code, 0) << fault << " " << step[0] << "\n" << r.err;
    }
    EXPECT_TRUE(fired) << "fault point never reached: " << fault;
  };
  run_program("");
  const std::string expected = end_state(db_);
  EXPECT_EQ(expected, "marts,sinks, marts.t=green sinks.v=green run=finished/finished swaps=3");
  for (const std::string& point : kPoints) {
    db_ = pg_->CreateDatabase("crash");
    url_ = pg_->Url(db_);
    Exec(
        "CREATE SCHEMA marts; CREATE TABLE marts.t (id int PRIMARY KEY, v text); "
        "INSERT INTO marts.t VALUES (1, 'blue'); CREATE SCHEMA sinks; "
        "CREATE VIEW sinks.v AS SELECT id, v FROM marts.t;");
    run_program(point);
    EXPECT_EQ(end_state(db_), expected) << "after a crash at " << point;
  }
}

TEST_F(RuntimeCli, DeployCmdEnvironmentAndFailure) {
  std::string env_file = dir_ + "/env.txt";
  std::string url =
      "postgresql://postgres:pw-in-url@127.0.0.1:" + std::to_string(pg_->port()) + "/" + db_;
  ProcResult failing =
      Run({"apply", file_, "--url", url, "--deploy-cmd", "env > " + env_file + "; exit 3"});
  EXPECT_EQ(failing.exit_code, 9) << failing.err;
  EXPECT_NE(failing.err.find("exit status 3"), std::string::npos) << failing.err;
  EXPECT_NE(failing.err.find("before await"), std::string::npos) << failing.err;
  std::string env = Slurp(env_file);
  EXPECT_NE(env.find("BGPLAN_DEPLOYMENT=shop"), std::string::npos) << env;
  EXPECT_NE(env.find("BGPLAN_GREEN_SCHEMAS=marts_dbt_deploy"), std::string::npos) << env;
  EXPECT_NE(env.find("BGPLAN_GREEN_MARTS=marts_dbt_deploy"), std::string::npos) << env;
  EXPECT_NE(env.find("BGPLAN_GREEN_CLUSTERS="), std::string::npos) << env;
  EXPECT_NE(env.find("PGDATABASE=" + db_), std::string::npos) << env;
  // psql gets the password through PGPASSWORD; BGPLAN_URL never carries it.
  EXPECT_NE(env.find("PGPASSWORD=pw-in-url"), std::string::npos) << env;
  size_t url_at = env.find("BGPLAN_URL=");
  ASSERT_NE(url_at, std::string::npos);
  std::string url_line = env.substr(url_at, env.find('\n', url_at) - url_at);
  EXPECT_EQ(url_line.find("pw-in-url"), std::string::npos) << url_line;
  // Nothing was promoted; the run stays initialized and apply resumes from there.
  EXPECT_EQ(Scalar("SELECT phase FROM bgplan.runs"), "initialized");
  ProcResult ok = Run(Cmd("apply", {"--deploy-cmd", DeployCmd()}));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(Scalar("SELECT count(*) FROM bgplan.runs"), "1");
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v"), "green");
}

TEST_F(RuntimeCli, PasswordsAreNeverPrinted) {
  const std::string secret = "Sup3r-S3cret_pw";
  std::string url =
      "postgresql://postgres:" + secret + "@127.0.0.1:" + std::to_string(pg_->port()) + "/" + db_;
  std::string plan_file = dir_ + "/plan.json";
  std::vector<ProcResult> results;
  results.push_back(Run({"-v", "plan", file_, "--url", url, "-o", plan_file}));
  results.push_back(Run({"--format", "json", "-v", "init", file_, "--url", url}));
  results.push_back(Run({"-v", "status", file_, "--url", url}));
  results.push_back(Run(
      {"-v", "init", file_, "--url", "postgresql://postgres:" + secret + "@127.0.0.1:1/" + db_}));
  results.push_back(Run({"-v", "init", file_}, {"BGPLAN_URL=host=127.0.0.1 port=1 user=postgres "
                                                "password=" +
                                                secret}));
  std::ofstream(dir_ + "/bgplan.toml") << "[profile.p]\nurl = \"postgresql://postgres@127.0.0.1:1/"
                                       << db_ << "\"\npassword_env = \"TEST_PW\"\n";
  results.push_back(Run({"-v", "init", file_, "--config", dir_ + "/bgplan.toml", "--profile", "p"},
                        {"TEST_PW=" + secret}));
  EXPECT_EQ(results[0].exit_code, 0) << results[0].err;
  EXPECT_EQ(results[1].exit_code, 0) << results[1].err;
  EXPECT_EQ(results[3].exit_code, 7) << results[3].err;
  EXPECT_EQ(results[4].exit_code, 7) << results[4].err;
  EXPECT_EQ(results[5].exit_code, 7) << results[5].err;
  for (const ProcResult& r : results) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  }
  EXPECT_EQ(Slurp(plan_file).find(secret), std::string::npos);
  EXPECT_NE(Slurp(plan_file).find("postgres:***@"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM bgplan.runs WHERE objects::text || actor || host LIKE "
                   "'%" +
                   secret + "%'"),
            "0");
}

// `bgplan demo` (README's first command, through scripts/demo): the whole chain on a throwaway
// server it starts itself, every phase reported, the server stopped, exit 0.
TEST_F(RuntimeCli, DemoRunsTheWholeChain) {
  ProcResult r = Run({"--no-color", "demo"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("Done: init -> deploy -> await -> promote -> status -> rollback -> promote -> "
                     "cleanup."),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("deployment shop: finished"), std::string::npos) << all;
  // One event per line: no escaped newlines where a line break belongs.
  EXPECT_EQ(all.find("\\n"), std::string::npos) << all;
}

}  // namespace
}  // namespace bgplan::testing

namespace bgplan::testing {
namespace {

// The CI contract (issue 15): a failing deploy command exits 9; --redeploy runs it again on
// resume; apply --through cleanup inside keep_blue ends at promote with exit 0 and says when
// cleanup is due; cleanup --when-due exits 0 and drops nothing until then.
TEST_F(RuntimeCli, DeployCommandRedeployAndCleanupWhenDue) {
  const std::string keep = dir_ + "/keep.bgplan";
  std::string text = Slurp(file_);
  const size_t close = text.rfind('}');
  ASSERT_NE(close, std::string::npos);
  text.insert(close, "    cleanup { keep_blue 1h; }\n");
  std::ofstream(keep) << text;
  auto cmd = [&](const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {command, keep, "--url", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  ProcResult failing = Run(cmd("apply", {"--deploy-cmd", "exit 4"}));
  EXPECT_EQ(failing.exit_code, 9) << failing.err;
  EXPECT_NE(failing.err.find("exit status 4"), std::string::npos) << failing.err;
  // A deploy that runs, then a check that stops before promote: the journal says deployed.
  const std::string counter = dir_ + "/deploys";
  const std::string counted = "echo x >> '" + counter + "'; " + DeployCmd();
  auto deploys = [&] {
    const std::string all = Slurp(counter);
    return std::count(all.begin(), all.end(), '\n');
  };
  ProcResult stopped = Run(cmd("apply", {"--deploy-cmd", counted, "--validate-cmd", "exit 1"}));
  ASSERT_EQ(stopped.exit_code, 3) << stopped.err;
  ASSERT_EQ(deploys(), 1);
  ProcResult resumed = Run(cmd("apply", {"--deploy-cmd", counted, "--validate-cmd", "exit 1"}));
  EXPECT_EQ(resumed.exit_code, 3) << resumed.err;
  EXPECT_EQ(deploys(), 1);  // the journal says it ran
  EXPECT_NE(resumed.err.find("--redeploy runs it again"), std::string::npos) << resumed.err;
  // A dry run decides as the run would: the deploy command is skipped (the journal says it ran),
  // so the dry run goes on to preview promote against what it built.
  ProcResult dry = Run(cmd("apply", {"--deploy-cmd", counted, "--dry-run"}));
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(deploys(), 1);
  EXPECT_NE(dry.err.find("deploy: already done for this run"), std::string::npos) << dry.err;
  EXPECT_NE(dry.err.find("promote (dry run): would run the statements below"), std::string::npos)
      << dry.err;
  ProcResult redeployed = Run(
      cmd("apply", {"--deploy-cmd", counted, "--redeploy", "--validate-cmd", "exit 1"}));
  EXPECT_EQ(redeployed.exit_code, 3) << redeployed.err;
  EXPECT_EQ(deploys(), 2);
  // Promote, then cleanup inside keep_blue: exit 0, nothing dropped, the due time said.
  const std::string blue = Scalar("SELECT oid FROM pg_namespace WHERE nspname = 'marts'");
  ProcResult applied = Run(cmd("apply", {"--deploy-cmd", counted, "--through", "cleanup"}));
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.err.find("cleanup: not due: keep_blue 1h has not passed since promote; due "
                             "at "),
            std::string::npos)
      << applied.err;
  EXPECT_EQ(Scalar("SELECT oid FROM pg_namespace WHERE nspname = 'marts_dbt_deploy'"), blue);
  ProcResult scheduled = Run(cmd("cleanup", {"--when-due"}));
  EXPECT_EQ(scheduled.exit_code, 0) << scheduled.err;
  EXPECT_NE(scheduled.err.find("cleanup: not due"), std::string::npos) << scheduled.err;
  EXPECT_EQ(Scalar("SELECT oid FROM pg_namespace WHERE nspname = 'marts_dbt_deploy'"), blue);
  ProcResult plain = Run(cmd("cleanup"));
  EXPECT_EQ(plain.exit_code, 3) << plain.err;  // without --when-due the rule refuses
  // The same deployment without keep_blue: due, so --when-due cleans.
  ProcResult due = Run(Cmd("cleanup", {"--when-due"}));
  EXPECT_EQ(due.exit_code, 0) << due.err;
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'marts_dbt_deploy'"), "0");
  ProcResult nothing = Run(Cmd("cleanup", {"--when-due"}));
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
}

// What people read: a dry run of apply stops where the rest depends on what the deploy command
// builds, await says how long it waits and may wait, and promote names the views it re-created.
TEST_F(RuntimeCli, ApplyDryRunAwaitProgressAndRepointedViews) {
  ProcResult absent = Run(Cmd("apply", {"--deploy-cmd", DeployCmd(), "--dry-run"}));
  EXPECT_EQ(absent.exit_code, 0) << absent.err;
  EXPECT_NE(absent.err.find("resolved once init has run; nothing was changed"), std::string::npos)
      << absent.err;
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'marts_dbt_deploy'"), "0");
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  // Green is empty until the deploy command runs: promote's preview would refuse it (exit 3,
  // missing-in-green), so the dry run stops after saying what it would run.
  ProcResult initialized = Run(Cmd("apply", {"--deploy-cmd", DeployCmd(), "--dry-run"}));
  EXPECT_EQ(initialized.exit_code, 0) << initialized.err;
  EXPECT_NE(initialized.err.find("deploy (dry run): would run `"), std::string::npos)
      << initialized.err;
  EXPECT_NE(initialized.err.find("once the deploy command has built green"), std::string::npos)
      << initialized.err;
  EXPECT_EQ(initialized.err.find("missing-in-green"), std::string::npos) << initialized.err;
  // A dry run never says a phase is done.
  for (const ProcResult* dry : {&absent, &initialized}) {
    EXPECT_EQ(dry->err.find(": done"), std::string::npos) << dry->err;
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_class WHERE relnamespace = "
                   "'marts_dbt_deploy'::regnamespace"),
            "0");

  Exec("CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text)");  // the new code
  ProcResult promote_dry = Run(Cmd("promote", {"--dry-run"}));
  EXPECT_EQ(promote_dry.exit_code, 0) << promote_dry.err;
  EXPECT_NE(promote_dry.err.find("promote (dry run): would run the statements below; nothing was "
                                 "changed"),
            std::string::npos)
      << promote_dry.err;
  EXPECT_EQ(promote_dry.err.find(": done"), std::string::npos) << promote_dry.err;
  ProcResult applied = Run(Cmd("apply", {"--deploy-cmd", DeployCmd()}));
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_NE(applied.err.find("await: polling every 100ms until every green object is ready; "
                             "timeout 10s (exit 4)\n  marts_dbt_deploy: ready [0s of 10s]\n"
                             "await: all 1 green object(s) are ready after 0s\n"),
            std::string::npos)
      << applied.err;
  EXPECT_NE(applied.err.find("promote: done\n  view sinks.v re-created, reads marts.t\n"),
            std::string::npos)
      << applied.err;
  ProcResult json = Run(Cmd("rollback", {"--format", "json"}));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find(R"("repointed":["view sinks.v re-created, reads marts.t"],"state":"done")"),
            std::string::npos)
      << json.out;
}

}  // namespace
}  // namespace bgplan::testing
