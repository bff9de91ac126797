// Holes an attack on bgplan found (issue 8), each pinned on a real PostgreSQL: SQL injection
// when standard_conforming_strings is off, sinks views losing their options on promote, and
// catalog reads that waited for a lock without bound.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "plans/plan_file.h"
#include "runtime/execute/executor.h"
#include "tests/integration/cli_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::Executor;
using runtime::RunOptions;

long MsSince(std::chrono::steady_clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count());
}

// ---- standard_conforming_strings = off -----------------------------------------------------

class Injection : public RuntimeCli {
 protected:
  // A schema name that ends a plain '...' literal early when backslashes are escapes.
  static constexpr const char* kHostile = "x\\'; DROP TABLE public.canary; --";

  void WriteHostilePlan() {
    file_ = dir_ + "/hostile.bgplan";
    std::ofstream(file_) << "target postgres;\n"
                            "deployment shop {\n"
                            "    schemas \"x\\'; DROP TABLE public.canary; --\";\n"
                            "    promote { max_retries 0; lock_timeout 2s; }\n}\n";
  }
  bool CanaryAlive() { return Scalar("SELECT to_regclass('public.canary') IS NOT NULL") == "t"; }
};

TEST_F(Injection, CheckAcceptsTheNameThatOnceInjected) {
  WriteHostilePlan();
  ProcResult check = Run({"check", file_});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

// The database's default makes backslashes escapes; `plan` (read-only) and a whole cycle on a
// schema carrying the hostile name leave the canary alone and record the exact name.
TEST_F(Injection, DatabaseSettingOffCannotTurnANameIntoSql) {
  WriteHostilePlan();
  Exec("CREATE TABLE public.canary (x int)");
  Exec("ALTER DATABASE " + db_ + " SET standard_conforming_strings = off");
  ASSERT_EQ(Scalar("SHOW standard_conforming_strings"), "off");

  ProcResult plan = Run(Cmd("plan", {"--phase", "all"}));
  EXPECT_EQ(plan.exit_code, 3) << plan.err;  // blue-missing: the schema does not exist yet
  EXPECT_NE(plan.err.find("[blue-missing]"), std::string::npos) << plan.err;
  EXPECT_TRUE(CanaryAlive());

  Exec(std::string("SET standard_conforming_strings = on; CREATE SCHEMA \"") + kHostile +
       "\"; CREATE TABLE \"" + kHostile + "\".t (id int)");
  for (const char* phase : {"init", "promote", "rollback", "promote"}) {
    if (std::string(phase) == "promote") {  // green's copy of the table (missing-in-green)
      Exec(std::string("SET standard_conforming_strings = on; CREATE TABLE IF NOT EXISTS \"") +
           kHostile + "_dbt_deploy\".t (id int)");
    }
    ProcResult r = Run(Cmd(phase));
    EXPECT_EQ(r.exit_code, 0) << phase << "\n" << r.err;
    EXPECT_TRUE(CanaryAlive()) << "after " << phase;
  }
  ProcResult cleanup = Run(Cmd("cleanup"));
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.err;
  EXPECT_TRUE(CanaryAlive());
  // The journal holds the name byte for byte.
  EXPECT_EQ(Scalar("SET standard_conforming_strings = on; SELECT objects->0->>'blue' FROM "
                   "bgplan.runs"),
            kHostile);
}

TEST_F(Injection, UrlOptionOffCannotTurnANameIntoSql) {
  WriteHostilePlan();
  Exec("CREATE TABLE public.canary (x int)");
  std::string url = url_ + "?options=-c%20standard_conforming_strings%3Doff";
  for (const char* command : {"plan", "init", "status"}) {
    ProcResult r = Run({command, file_, "--url", url});
    // plan and init: blue-missing (the schema does not exist); status only reports.
    EXPECT_EQ(r.exit_code, std::string(command) == "status" ? 0 : 3) << command << "\n" << r.err;
    EXPECT_TRUE(CanaryAlive()) << "after " << command;
  }
}

// A backslash in a string constant of a sinks view: read back and compared inside the swap
// transaction, the definition must match itself (it once failed every promote with a false
// "dependent view changed" under standard_conforming_strings = off).
TEST_F(Injection, BackslashInASinksViewPromotes) {
  Exec("CREATE OR REPLACE VIEW sinks.v AS SELECT id, v, E'a\\\\b'::text AS s FROM marts.t");
  Exec("ALTER DATABASE " + db_ + " SET standard_conforming_strings = off");
  ProcResult apply = Run(Cmd("apply", {"--deploy-cmd", DeployCmd()}));
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  EXPECT_EQ(Scalar("SELECT v || '|' || octet_length(s) FROM sinks.v"), "green|3");
}

// ---- passwords: redacted from the parsed connection -----------------------------------------

// A raw space in a URL password (libpq accepts it) once escaped the pattern that redacted URLs:
// -v, --format json and the plan file printed it.
TEST_F(RuntimeCli, APasswordWithARawSpaceIsNeverPrinted) {
  const std::string secret = "ab cd";
  std::string url = "postgresql://postgres:" + secret + "@127.0.0.1:" +
                    std::to_string(pg_->port()) + "/" + db_;
  std::string plan_file = dir_ + "/plan.json";
  std::vector<ProcResult> results;
  results.push_back(Run({"-v", "plan", file_, "--url", url, "-o", plan_file}));
  results.push_back(Run({"--format", "json", "-v", "plan", file_, "--url", url}));
  results.push_back(Run({"-v", "status", file_}, {"BGPLAN_URL=" + url}));
  results.push_back(Run({"--format", "json", "-v", "init", file_, "--url",
                         "postgresql://postgres:" + secret + "@127.0.0.1:1/" + db_}));
  for (size_t i = 0; i < results.size(); ++i) {
    const ProcResult& r = results[i];
    EXPECT_EQ(r.exit_code, i == 3 ? 7 : 0) << i << "\n" << r.err;
    EXPECT_EQ(r.out.find(secret), std::string::npos) << i << "\n" << r.out;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << i << "\n" << r.err;
    EXPECT_EQ(r.out.find("ab%20cd"), std::string::npos) << i << "\n" << r.out;
  }
  // The connection is still shown, without the secret.
  EXPECT_NE(results[0].err.find("postgres:***@127.0.0.1"), std::string::npos) << results[0].err;
  EXPECT_NE(results[1].out.find("postgres:***@127.0.0.1"), std::string::npos) << results[1].out;
  std::string file = Slurp(plan_file);
  EXPECT_EQ(file.find(secret), std::string::npos) << file;
  EXPECT_NE(file.find("postgres:***@127.0.0.1"), std::string::npos) << file;
}

// ---- plan files: every phase they run is fingerprinted, their content is checked ------------

class PlanFiles : public RuntimeCli {
 protected:
  std::string PlanFile(const std::string& name = "plan.json") { return dir_ + "/" + name; }
  // Rewrites `path` through the plan-file API, so its checksum is right for the edited content
  // (what someone who knows the format could do).
  void Edit(const std::string& path, const std::function<void(plans::PlanFile&)>& edit) {
    Result<plans::PlanFile> file = plans::ReadPlanFile(path);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    edit(*file);
    std::ofstream(path, std::ios::trunc) << plans::PlanFileToJson(*file);
  }
  // Promote from `path` is refused with exit 1 and `what` in its output; nothing was swapped.
  void PromoteRefused(const std::string& path, const std::string& what) {
    std::string blue = Oid("marts");
    ProcResult r = Run({"promote", path, "--url", url_});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_EQ(Oid("marts"), blue);
  }
  // Production initialized and green deployed, ready to promote.
  void ReadyToPromote() {
    ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
    Exec("CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text)");
  }
};

// `plan -o` without --phase plans the phase apply would run next (init here): the file carries
// only that phase, and promote refuses it instead of running unchecked.
TEST_F(PlanFiles, APhaseTheFileWasNotPlannedForIsRefused) {
  ASSERT_EQ(Run(Cmd("plan", {"-o", PlanFile()})).exit_code, 0);
  ReadyToPromote();
  PromoteRefused(PlanFile(), "[plan-file-phase]");
  PromoteRefused(PlanFile(), "made for phase(s) init and has no fingerprint for promote");
  // apply cannot run from a plan file at all.
  ProcResult apply = Run({"apply", PlanFile(), "--url", url_});
  EXPECT_EQ(apply.exit_code, 1) << apply.err;
  EXPECT_NE(apply.err.find("[plan-file-phase]"), std::string::npos) << apply.err;
  // A file planned for promote runs it.
  ASSERT_EQ(Run(Cmd("plan", {"--phase", "promote", "-o", PlanFile("promote.json")})).exit_code, 0);
  ProcResult promote = Run({"promote", PlanFile("promote.json"), "--url", url_});
  EXPECT_EQ(promote.exit_code, 0) << promote.err;
}

TEST_F(PlanFiles, DeletingThePhasesIsRefused) {
  ReadyToPromote();
  ASSERT_EQ(Run(Cmd("plan", {"--phase", "promote", "-o", PlanFile()})).exit_code, 0);
  // By hand: the checksum no longer matches.
  std::string text = Slurp(PlanFile());
  size_t at = text.find("\"phases\": [");
  size_t end = text.find("\n  ],", at);
  ASSERT_NE(end, std::string::npos);
  std::ofstream(PlanFile("hand.json")) << text.substr(0, at) << "\"phases\": []"
                                       << text.substr(end + 4);
  PromoteRefused(PlanFile("hand.json"), "checksum does not match its content");
  // With the checksum made right: no fingerprint for promote.
  Edit(PlanFile(), [](plans::PlanFile& f) { f.fingerprints.clear(); });
  PromoteRefused(PlanFile(), "[plan-file-phase]");
}

// The plan inside the file passes the same static rules as a .bgplan: a wait-forever
// lock_timeout, negative retries or a green name that is not blue + suffix never run.
TEST_F(PlanFiles, AnEditedPlanIsRefusedEvenWithARightChecksum) {
  ReadyToPromote();
  ASSERT_EQ(Run(Cmd("plan", {"--phase", "promote", "-o", PlanFile()})).exit_code, 0);
  const std::string original = Slurp(PlanFile());
  const std::vector<std::function<void(plans::PlanFile&)>> edits = {
      [](plans::PlanFile& f) { f.plan.deployments[0].promote.lock_timeout_ms = 0; },
      [](plans::PlanFile& f) { f.plan.deployments[0].promote.max_retries = -1; },
      [](plans::PlanFile& f) { f.plan.deployments[0].promote.retry_backoff_ms = -5; },
      [](plans::PlanFile& f) { f.plan.deployments[0].schemas[0].green = "sinks"; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    SCOPED_TRACE(i);
    std::ofstream(PlanFile(), std::ios::trunc) << original;
    Edit(PlanFile(), edits[i]);
    PromoteRefused(PlanFile(), "differs from the plan its .bgplan");
  }
  // Edit the carried source too, consistently: the static rules refuse it.
  std::ofstream(PlanFile(), std::ios::trunc) << original;
  Edit(PlanFile(), [](plans::PlanFile& f) {
    size_t at = f.source_text.find("lock_timeout 20s");
    ASSERT_NE(at, std::string::npos);
    f.source_text.replace(at, 16, "lock_timeout 0s");
    f.plan.deployments[0].promote.lock_timeout_ms = 0;
  });
  PromoteRefused(PlanFile(), "[invalid-setting-value]");
}

TEST_F(PlanFiles, HostileJsonIsRefusedWithoutACrash) {
  // 80,000 levels of nesting once overflowed the stack of the JSON serializer (SIGSEGV).
  std::string deep = "{\"format\": \"bgplan-plan-file/2\", \"plan\": " +
                     std::string(80000, '[') + std::string(80000, ']') + "}";
  std::ofstream(PlanFile("deep.json")) << deep;
  for (const char* command : {"promote", "status", "plan"}) {
    ProcResult r = Run({command, PlanFile("deep.json"), "--url", url_});
    EXPECT_EQ(r.signal, 0) << command;
    EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("nested deeper than 32 levels"), std::string::npos) << r.err;
  }
  // An endless or huge file is read up to the bound, not until memory runs out.
  std::string huge = PlanFile("huge.json");
  ASSERT_EQ(truncate(huge.c_str(), 0), -1);  // does not exist yet
  std::ofstream(huge).close();
  ASSERT_EQ(truncate(huge.c_str(), (off_t{257} << 20)), 0);
  ProcResult r = Run({"promote", huge, "--url", url_});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("larger than 256 MiB"), std::string::npos) << r.err;
}

// ---- names the swap needs, and bgplan's own schemas ------------------------------------------

// A schema under the swap's temporary name (blue + "_bgplan_swap") made promote fail late with
// a raw error; it is now a live rule, warned about by init and plan.
TEST_F(RuntimeCli, ASchemaUnderTheSwapNameIsALiveRule) {
  Exec("CREATE SCHEMA marts_bgplan_swap; CREATE TABLE marts_bgplan_swap.keep (x int); "
       "INSERT INTO marts_bgplan_swap.keep VALUES (42);");
  const std::string taken = Oid("marts_bgplan_swap");
  ProcResult init = Run(Cmd("init"));
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.err.find("warning: schema 'marts_bgplan_swap' exists; promote will refuse "
                          "(swap-name-taken)"),
            std::string::npos)
      << init.err;
  Exec("CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text)");
  const std::string blue = Oid("marts");
  for (const char* command : {"plan", "promote"}) {
    ProcResult r = Run(Cmd(command, {"--phase", "promote"}));
    if (std::string(command) == "promote") {
      r = Run(Cmd("promote"));
    }
    EXPECT_EQ(r.exit_code, 3) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("[swap-name-taken]"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Oid("marts"), blue);
  EXPECT_EQ(Oid("marts_bgplan_swap"), taken);
  EXPECT_EQ(Scalar("SELECT x FROM marts_bgplan_swap.keep"), "42");
  Exec("DROP SCHEMA marts_bgplan_swap CASCADE");
  EXPECT_EQ(Run(Cmd("promote")).exit_code, 0);
}

// `schemas bgplan;` passed check and failed late: the journal schema (whatever --journal-schema
// names) is bgplan's own, refused before anything is written.
TEST_F(RuntimeCli, TheJournalSchemaIsNotADeploymentSchema) {
  Exec("CREATE SCHEMA bgplan; CREATE SCHEMA ops;");
  for (const auto& [schemas, journal] : std::vector<std::pair<std::string, std::string>>{
           {"bgplan", "bgplan"}, {"ops", "ops"}, {"marts", "sinks"}}) {
    SCOPED_TRACE(schemas + " / " + journal);
    file_ = dir_ + "/reserved.bgplan";
    std::ofstream(file_, std::ios::trunc)
        << "target postgres;\ndeployment shop {\n    schemas " << schemas
        << ";\n    sinks { schemas \"sinks\"; }\n}\n";
    ProcResult r = Run(Cmd("init", {"--journal-schema", journal}));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("[reserved-schema-name]"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is bgplan's journal schema (--journal-schema " + journal + ")"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(Oid(schemas + "_dbt_deploy"), "");
  }
}

// ---- the deploy command's environment is never ambiguous ------------------------------------

// "a-b" and a_b were both $BGPLAN_GREEN_A_B (the last one won): a deploy script could write new
// code into the other schema. check warns; apply --deploy-cmd refuses before anything runs.
TEST_F(RuntimeCli, AmbiguousDeployEnvironmentIsRefusedBeforeAnyWrite) {
  Exec("CREATE SCHEMA \"a-b\"; CREATE SCHEMA a_b;");
  file_ = dir_ + "/env.bgplan";
  std::ofstream(file_) << "target postgres;\ndeployment shop {\n    schemas \"a-b\", a_b;\n}\n";
  ProcResult check = Run({"check", file_});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.err.find("warning:"), std::string::npos) << check.err;
  EXPECT_NE(check.err.find("$BGPLAN_GREEN_A_B (with green names"), std::string::npos)
      << check.err;
  const std::string ran = dir_ + "/ran";
  ProcResult apply = Run(Cmd("apply", {"--deploy-cmd", "touch " + ran}));
  EXPECT_EQ(apply.exit_code, 1) << apply.err;
  EXPECT_NE(apply.err.find("error:"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("[deploy-env-ambiguous]"), std::string::npos) << apply.err;
  EXPECT_FALSE(std::filesystem::exists(ran));
  EXPECT_EQ(Oid("a-b_dbt_deploy"), "");
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'bgplan'"), "0");
  // Without a deploy command the plan is fine.
  ProcResult init = Run(Cmd("init"));
  EXPECT_EQ(init.exit_code, 0) << init.err;
}

// $BGPLAN_GREEN_JSON names every object exactly, whatever its name holds.
TEST_F(RuntimeCli, DeployEnvironmentCarriesEveryNameExactlyAsJson) {
  Exec("CREATE SCHEMA \"Märts x\"; CREATE SCHEMA \"we'ird\";");
  file_ = dir_ + "/json.bgplan";
  std::ofstream(file_) << "target postgres;\ndeployment shop {\n    schemas \"Märts x\", "
                          "\"we'ird\";\n}\n";
  const std::string out = dir_ + "/green.json";
  ProcResult apply = Run(Cmd(
      "apply", {"--deploy-cmd", "printf %s \"$BGPLAN_GREEN_JSON\" > " + out +
                                    " && test \"$BGPLAN_GREEN_M__RTS_X\" = 'Märts x_dbt_deploy'"}));
  ASSERT_EQ(apply.exit_code, 0) << apply.err;
  nlohmann::json green = nlohmann::json::parse(Slurp(out));
  EXPECT_EQ(green["deployments"], nlohmann::json::array({"shop"}));
  ASSERT_EQ(green["schemas"].size(), 2u);
  EXPECT_EQ(green["schemas"][0]["blue"], "Märts x");
  EXPECT_EQ(green["schemas"][0]["green"], "Märts x_dbt_deploy");
  EXPECT_EQ(green["schemas"][1]["green"], "we'ird_dbt_deploy");
  EXPECT_EQ(green["clusters"], nlohmann::json::array());
}

// ---- what the database says is escaped too ---------------------------------------------------

// A comment read from the catalog reaches a diagnostic (green-not-ours quotes green's comment):
// no escape sequence, bell or forged line gets through.
TEST_F(RuntimeCli, CommentsFromTheDatabaseAreEscaped) {
  ASSERT_EQ(Run(Cmd("init")).exit_code, 0);
  Exec("COMMENT ON SCHEMA marts_dbt_deploy IS E'x\\x1b[2J\\x07\\nfake.bgplan:1:1: error: forged'");
  for (const std::vector<std::string>& args :
       {Cmd("promote"), Cmd("promote", {"-v"}), Cmd("plan", {"--phase", "promote"})}) {
    ProcResult r = Run(args);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("[green-not-ours]"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("x\\x1b[2J\\x07\\nfake.bgplan:1:1"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\nfake.bgplan"), std::string::npos) << r.err;
  }
}

// ---- a terminated session says so -----------------------------------------------------------

TEST_F(RuntimeCli, ATerminatedSessionSaysTheConnectionWasLost) {
  auto session = Connect();
  ASSERT_TRUE(session->Exec("SELECT 1").ok());
  Exec("SELECT pg_terminate_backend(" + std::to_string(session->BackendPid()) + ")");
  for (int attempt = 0; attempt < 2; ++attempt) {
    Status st = session->Exec("SELECT 1");
    EXPECT_EQ(st.code(), StatusCode::kConnectionError) << st.ToString();
    EXPECT_NE(st.message().find("lost the connection to the server"), std::string::npos)
        << st.message();
    EXPECT_EQ(st.message().find("client encoding"), std::string::npos) << st.message();
  }
}

// ---- sinks views keep their options, owner, grants and comment ----------------------------

class ViewOptions : public PgTest {
 protected:
  Status Run(const plans::Plan& plan, PhaseKind phase, RecordingSink* sink = nullptr) {
    RecordingSink local;
    auto session = Connect();
    plans::Plan compiled = Compiled(plan);
    Executor ex(*session, compiled, {}, RunOptions{}, sink != nullptr ? *sink : local);
    BGPLAN_RETURN_IF_ERROR(ex.Lock());
    return ex.RunPhase(phase);
  }
  // Everything a view carries besides its query, per view of schema sinks.
  std::string ViewMeta() {
    std::string s;
    for (const auto& row : pg_->Query(
             db_,
             "SELECT c.relname, coalesce(c.reloptions::text, '-'), pg_get_userbyid(c.relowner), "
             "coalesce(c.relacl::text, '-'), coalesce(obj_description(c.oid, 'pg_class'), '-') "
             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
             "'sinks' ORDER BY 1")) {
      for (const auto& c : row) s += c + "|";
      s += "\n";
    }
    return s;
  }
};

TEST_F(ViewOptions, PromoteAndRollbackKeepEveryOptionOwnerGrantAndComment) {
  Exec(
      "DO $$ BEGIN CREATE ROLE view_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
      "DO $$ BEGIN CREATE ROLE reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
      "CREATE SCHEMA marts; CREATE TABLE marts.t (id int, v text); "
      "INSERT INTO marts.t VALUES (1, 'blue'); "
      "CREATE SCHEMA sinks; GRANT USAGE ON SCHEMA sinks, marts TO reader, view_owner; "
      "GRANT SELECT ON marts.t TO view_owner; "
      "CREATE VIEW sinks.v_invoker WITH (security_invoker = true) AS SELECT id, v FROM marts.t; "
      "CREATE VIEW sinks.v_barrier WITH (security_barrier) AS SELECT id, v FROM marts.t; "
      "CREATE VIEW sinks.v_local AS SELECT id, v FROM marts.t WHERE id > 0 WITH LOCAL CHECK "
      "OPTION; "
      "CREATE VIEW sinks.v_cascaded AS SELECT id, v FROM marts.t WHERE id > 0 WITH CASCADED "
      "CHECK OPTION; "
      "ALTER VIEW sinks.v_invoker OWNER TO view_owner; "
      "ALTER VIEW sinks.v_barrier OWNER TO view_owner; "
      "GRANT SELECT ON sinks.v_invoker, sinks.v_barrier TO reader; "
      "COMMENT ON VIEW sinks.v_local IS 'local check, with a '' quote and a \\ backslash';");
  const std::string before = ViewMeta();
  ASSERT_NE(before.find("security_invoker=true"), std::string::npos) << before;
  ASSERT_NE(before.find("check_option=local"), std::string::npos) << before;
  ASSERT_NE(before.find("check_option=cascaded"), std::string::npos) << before;
  ASSERT_NE(before.find("security_barrier=true"), std::string::npos) << before;

  plans::Plan plan = PgPlan("shop", {"marts"}, {"sinks"});
  ASSERT_TRUE(Run(plan, PhaseKind::kInit).ok());
  Exec(
      "CREATE TABLE marts_dbt_deploy.t (id int, v text); "
      "INSERT INTO marts_dbt_deploy.t VALUES (1, 'green'); "
      "GRANT SELECT ON marts_dbt_deploy.t TO view_owner;");
  Status promoted = Run(plan, PhaseKind::kPromote);
  ASSERT_TRUE(promoted.ok()) << promoted.ToString();
  EXPECT_EQ(ViewMeta(), before);
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v_invoker"), "green");
  // security_invoker still holds: the reader has no right on the table the view reads, so the
  // view refuses it (with the owner's rights it would answer).
  std::string error;
  pg_->Query(db_, "SET ROLE reader; SELECT * FROM sinks.v_invoker", &error);
  EXPECT_NE(error.find("permission denied for table t"), std::string::npos) << error;
  EXPECT_EQ(Scalar("SET ROLE reader; SELECT v FROM sinks.v_barrier"), "green");
  // The check options still refuse rows outside the view.
  EXPECT_NE(pg_->Exec(db_, "INSERT INTO sinks.v_local VALUES (0, 'x')")
                .find("violates check option"),
            std::string::npos);
  EXPECT_NE(pg_->Exec(db_, "INSERT INTO sinks.v_cascaded VALUES (0, 'x')")
                .find("violates check option"),
            std::string::npos);

  ASSERT_TRUE(Run(plan, PhaseKind::kRollback).ok());
  EXPECT_EQ(ViewMeta(), before);
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v_invoker"), "blue");
}

// ---- every statement is bounded by lock_timeout --------------------------------------------

class LockBound : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    Exec(
        "CREATE SCHEMA marts; CREATE TABLE marts.t (id int, v text); "
        "INSERT INTO marts.t VALUES (1, 'blue'); CREATE SCHEMA sinks; "
        "CREATE VIEW sinks.v AS SELECT id, v FROM marts.t;");
    plan_ = PgPlan("shop", {"marts"}, {"sinks"});
    plan_.deployments[0].promote.lock_timeout_ms = 1000;
    plan_.deployments[0].promote.max_retries = 2;
    plan_.deployments[0].promote.retry_backoff_ms = 50;
    plan_ = Compiled(plan_);
    auto session = Connect();
    RecordingSink sink;
    Executor init(*session, plan_, {}, RunOptions{}, sink);
    ASSERT_TRUE(init.Lock().ok());
    ASSERT_TRUE(init.RunPhase(PhaseKind::kInit).ok());
    Exec("CREATE TABLE marts_dbt_deploy.t (id int, v text)");
  }

  // Promote while another session holds an ACCESS EXCLUSIVE lock on `relation` (until the
  // promote is over): promote must give up after its 3 attempts of 1 s, name the holder, and keep nothing.
  void PromoteBehindLockOn(const std::string& relation) {
    auto holder = Connect();
    ASSERT_TRUE(holder->Exec("BEGIN; LOCK TABLE " + relation + " IN ACCESS EXCLUSIVE MODE").ok());
    const std::string holder_pid = std::to_string(holder->BackendPid());
    const std::string blue = Oid("marts");
    RecordingSink sink;
    auto start = std::chrono::steady_clock::now();
    Status st;
    {
      auto session = Connect();
      Executor ex(*session, plan_, {}, RunOptions{}, sink);
      ASSERT_TRUE(ex.Lock().ok());
      st = ex.RunPhase(PhaseKind::kPromote);
      ex.Unlock();
    }
    long elapsed = MsSince(start);
    (void)holder->Exec("ROLLBACK");
    holder->Close();
    // 3 attempts of at most 1 s each and 2 backoffs of 50 ms, plus slack for a loaded machine;
    // unbounded, it waited as long as the lock was held (20 s).
    EXPECT_LT(elapsed, 3 * 1000 + 2 * 50 + 3000) << st.ToString();
    EXPECT_GE(elapsed, 3 * 1000 - 100);
    EXPECT_EQ(st.sqlstate(), "55P03") << st.ToString();
    EXPECT_NE(st.message().find("gave up after 3 attempt(s)"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("pid " + holder_pid), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("AccessExclusiveLock on " + relation), std::string::npos)
        << st.message();
    int retries = 0;
    for (const auto& e : sink.events) {
      retries += e.type == "retry";
      if (e.type == "retry") {
        EXPECT_NE(e.message.find("pid " + holder_pid), std::string::npos) << e.message;
      }
    }
    EXPECT_EQ(retries, 2);
    EXPECT_EQ(Oid("marts"), blue);
    // The deployment lock is free again.
    EXPECT_EQ(Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "0");
  }

  plans::Plan plan_;
};

TEST_F(LockBound, ALockOnTheSinksViewBoundsPromote) { PromoteBehindLockOn("sinks.v"); }

TEST_F(LockBound, ALockOnABlueTableTheViewReadsBoundsPromote) { PromoteBehindLockOn("marts.t"); }

}  // namespace
}  // namespace bgplan::testing
