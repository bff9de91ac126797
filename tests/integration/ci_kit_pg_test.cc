// The GitHub Actions kit (examples/ci/github-actions): its step scripts run in the workflow's
// order against a throwaway PostgreSQL, with this build's bgplan on PATH and a temp directory as
// the artifact store (no GitHub, no network): review -> build green -> plan -> promote from the
// plan file (stale-plan when the catalog changed after the plan) -> status -> rollback -> plan ->
// promote -> cleanup --when-due. And --format markdown's usage error on other commands.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/integration/bgplan_process.h"
#include "tests/support/test_postgres.h"

namespace bgplan::testing {
namespace {

const std::string kSteps = std::string(BGPLAN_SOURCE_DIR) + "/examples/ci/github-actions/steps/";

class CiKitPg : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    pg_ = TestPostgres::Get(&error);
    ASSERT_NE(pg_, nullptr) << error;
    db_ = pg_->CreateDatabase("cikit");
    ASSERT_FALSE(db_.empty());
    char tmpl[] = "/tmp/bgplan-ci-kit-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    artifacts_ = dir_ + "/artifacts";
    Exec(
        "CREATE SCHEMA marts; CREATE TABLE marts.t (id int PRIMARY KEY, v text); "
        "INSERT INTO marts.t VALUES (1, 'blue'); CREATE SCHEMA reporting; "
        "CREATE VIEW reporting.v AS SELECT id, v FROM marts.t;");
    WritePlan("0s");
    // The workflow's environment: bgplan on PATH, the URL as from a secret, GitHub's files.
    setenv("PATH", (std::string(BGPLAN_BINARY_DIR) + "/cli:" + std::getenv("PATH")).c_str(), 1);
    setenv("BGPLAN_URL", pg_->Url(db_).c_str(), 1);
    setenv("BGPLAN_FILE", file_.c_str(), 1);
    setenv("BGPLAN_ARTIFACTS", artifacts_.c_str(), 1);
    setenv("GITHUB_STEP_SUMMARY", (dir_ + "/summary.md").c_str(), 1);
    setenv("GITHUB_OUTPUT", (dir_ + "/output").c_str(), 1);
    // What `dbt run` would do: build the new version into green.
    const std::string deploy =
        "'" + pg_->bindir() +
        "/psql' -X -q -v ON_ERROR_STOP=1 -d \"$BGPLAN_URL\" -c 'CREATE TABLE "
        "marts_dbt_deploy.t (id int PRIMARY KEY, v text); INSERT INTO marts_dbt_deploy.t "
        "VALUES (1, $$green$$)'";
    setenv("BGPLAN_DEPLOY_CMD", deploy.c_str(), 1);
    unsetenv("BGPLAN_FAULT");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void WritePlan(const std::string& keep_blue) {
    file_ = dir_ + "/shop.bgplan";
    std::ofstream(file_) << "target postgres;\n"
                            "deployment shop {\n"
                            "    schemas marts;\n"
                            "    sinks { schemas reporting; }\n"
                            "    await { poll_interval 100ms; timeout 10s; }\n"
                            "    cleanup { keep_blue "
                         << keep_blue << "; }\n}\n";
  }
  // Runs steps/<name>.sh as the workflow does; its output is in out_ and err_.
  int Step(const std::string& name) {
    ++n_;
    const std::string out = dir_ + "/" + name + std::to_string(n_) + ".out";
    const std::string err = dir_ + "/" + name + std::to_string(n_) + ".err";
    int status = std::system(("bash '" + kSteps + name + ".sh' > '" + out + "' 2> '" + err + "'")
                                 .c_str());
    out_ = Slurp(out);
    err_ = Slurp(err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void Exec(const std::string& sql) { ASSERT_EQ(pg_->Exec(db_, sql), "") << sql; }
  std::string Scalar(const std::string& sql) { return pg_->Scalar(db_, sql); }
  std::string Oid(const std::string& schema) {
    return Scalar("SELECT oid FROM pg_namespace WHERE nspname = '" + schema + "'");
  }
  std::string Artifact(const std::string& name) { return Slurp(artifacts_ + "/" + name); }
  std::string Green() { return Scalar("SELECT v FROM marts.t WHERE id = 1"); }

  TestPostgres* pg_ = nullptr;
  std::string db_, dir_, artifacts_, file_, out_, err_;
  int n_ = 0;
};

TEST_F(CiKitPg, StepsRunInOrderAndPromoteExecutesThePlanFile) {
  // Pull request: offline review.
  ASSERT_EQ(Step("review"), 0) << err_;
  const std::string compile = Artifact("compile.md");
  EXPECT_NE(compile.find("## bgplan compile"), std::string::npos) << compile;
  EXPECT_NE(compile.find("### Phase `promote`"), std::string::npos) << compile;
  EXPECT_NE(compile.find("```sql\n"), std::string::npos) << compile;

  // Main: build green, plan the promote.
  ASSERT_EQ(Step("green"), 0) << err_;
  ASSERT_EQ(Scalar("SELECT count(*) FROM marts_dbt_deploy.t"), "1");
  ASSERT_EQ(Step("plan"), 0) << err_;
  EXPECT_NE(Slurp(dir_ + "/output").find("changes=true"), std::string::npos);
  ASSERT_TRUE(std::filesystem::exists(artifacts_ + "/plan.json"));
  const std::string plan = Artifact("plan.md");
  EXPECT_NE(plan.find("## bgplan plan (postgres)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("### Phase `promote`"), std::string::npos) << plan;
  EXPECT_NE(plan.find("```sql\n"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ALTER SCHEMA"), std::string::npos) << plan;  // the swap
  EXPECT_NE(plan.find("| `missing-in-green` | passed |"), std::string::npos) << plan;
  EXPECT_NE(Slurp(dir_ + "/summary.md").find(plan), std::string::npos);

  // The catalog changes after the review: the reviewed plan no longer holds.
  Exec("CREATE TABLE marts_dbt_deploy.unreviewed (x int)");
  const std::string marts_oid = Oid("marts");
  EXPECT_EQ(Step("promote"), 3) << err_;
  EXPECT_NE(err_.find("stale-plan"), std::string::npos) << err_;
  EXPECT_EQ(Oid("marts"), marts_oid);  // nothing swapped
  EXPECT_EQ(Green(), "blue");

  // Plan again (the new plan shows the new table), then promote that plan file.
  Exec("DROP TABLE marts_dbt_deploy.unreviewed");
  ASSERT_EQ(Step("plan"), 0) << err_;
  ASSERT_EQ(Step("promote"), 0) << err_;
  EXPECT_EQ(Green(), "green");
  EXPECT_NE(Artifact("status.md").find("### Deployment `shop`: promoted"), std::string::npos)
      << Artifact("status.md");

  ASSERT_EQ(Step("status"), 0) << err_;
  const std::string status = Artifact("status.md");
  EXPECT_NE(status.find("| schema | `marts` |"), std::string::npos) << status;
  EXPECT_NE(status.find("**History** (latest first)"), std::string::npos) << status;

  // What cleanup's DROP ... CASCADE would remove, in the report.
  {
    ProcResult r = WaitBgplan(SpawnBgplan(
        dir_, 100, {"--format", "markdown", "plan", file_, "--phase", "cleanup", "--url",
                    pg_->Url(db_)},
        {}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("**Removed by cleanup**"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("marts_dbt_deploy.t"), std::string::npos) << r.out;
  }

  // Manual rollback, then the next deployment of the same green.
  ASSERT_EQ(Step("rollback"), 0) << err_;
  EXPECT_EQ(Green(), "blue");
  ASSERT_EQ(Step("plan"), 0) << err_;
  ASSERT_EQ(Step("promote"), 0) << err_;
  EXPECT_EQ(Green(), "green");

  // The hourly cleanup: keep_blue 0s has passed, the old version is dropped.
  ASSERT_EQ(Step("cleanup"), 0) << err_;
  EXPECT_EQ(Oid("marts_dbt_deploy"), "");
  EXPECT_EQ(Green(), "green");
}

TEST_F(CiKitPg, ScheduledCleanupWaitsForKeepBlue) {
  WritePlan("1h");
  ASSERT_EQ(Step("green"), 0) << err_;
  ASSERT_EQ(Step("plan"), 0) << err_;
  ASSERT_EQ(Step("promote"), 0) << err_;
  ASSERT_EQ(Step("cleanup"), 0) << err_;  // not due: exit 0, nothing dropped
  EXPECT_NE(Oid("marts_dbt_deploy"), "");
  // And promote's plan file cannot run another phase (plan-file-phase).
  ProcResult r = WaitBgplan(SpawnBgplan(dir_, 101, {"cleanup", artifacts_ + "/plan.json", "--url",
                                                    pg_->Url(db_)},
                                        {}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST(CiKitMarkdown, OtherCommandsRefuseMarkdown) {
  char tmpl[] = "/tmp/bgplan-ci-kit-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string demo = std::string(BGPLAN_SOURCE_DIR) + "/examples/demo/demo.bgplan";
  ProcResult r =
      WaitBgplan(SpawnBgplan(tmpl, 0, {"--format", "markdown", "check", demo}, {}));
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("compile, plan, validate and status"), std::string::npos) << r.err;
  ProcResult ok = WaitBgplan(SpawnBgplan(tmpl, 1, {"--format", "markdown", "compile", demo}, {}));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("```sql\n"), std::string::npos) << ok.out;
  std::error_code ec;
  std::filesystem::remove_all(tmpl, ec);
}

}  // namespace
}  // namespace bgplan::testing
