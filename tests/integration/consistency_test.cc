// One behaviour for both databases (issue 9): the same scenario, run through the bgplan binary
// on PostgreSQL and on Materialize (the emulator, or the real lane), gives the same exit codes,
// the same JSON event keys and the same `status` layout; a plan for one database refused by the
// other; and --disable-pass changes what runs (two deployments promoted without merge-swaps run
// two swap transactions on Materialize).
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

// The scenario's plan: one deployment of one schema, fast waits, no rollback window.
std::string PlanText(const std::string& target) {
  return "target " + target +
         ";\n\ndeployment shop {\n    schemas shop;\n    await {\n        poll_interval 100ms;\n"
         "        timeout       20s;\n    }\n    cleanup {\n        keep_blue 0s;\n    }\n}\n";
}

// `status` text with what legitimately differs between two runs and two databases replaced:
// ids, run ids, times, fingerprints, the actor and host.
std::string Normalized(std::string text) {
  const std::pair<const char*, const char*> kRules[] = {
      {R"(shop-\d{8}T\d{6}-[0-9a-f]{8})", "<run>"},
      {R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)", "<time>"},
      {R"(by [^ @]+@[^ ]+ since)", "by <who> since"},
      {R"(id [A-Za-z]*\d+)", "id <id>"},
      {R"(fingerprint [0-9a-f]{12})", "fingerprint <fp>"},
      {R"(created by \S+)", "created by <who>"},
      // What is waited for differs by design: green schemas' materialized views on PostgreSQL,
      // green clusters on Materialize.
      {R"(\n  readiness[^\n]*)", "\n  readiness <...>"},
      // The server line names each product and release.
      {R"((^|\n)server: [^\n]*)", "$1server: <server>"},
  };
  for (const auto& [pattern, to] : kRules) {
    text = std::regex_replace(text, std::regex(pattern), to);
  }
  return text;
}

// "type: key1,key2,..." for every JSON event line of `out`, each shape once, in order of first
// appearance (how many checks a phase evaluates differs per dialect: Materialize has rules of
// its own, PostgreSQL swap-name-taken).
std::vector<std::string> EventKeys(const std::string& out) {
  std::vector<std::string> keys;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("type")) {
      continue;
    }
    std::string type = j["type"].get<std::string>();
    if (type == "statement" || type == "await" || type == "connect" || type == "transaction") {
      // The SQL and the polls differ per dialect by design, and so do transactions: Materialize
      // runs init and cleanup statement by statement (promote's swap is one on both; see
      // DisablePassChangesWhatRuns).
      continue;
    }
    std::string k = type + ":";
    for (const auto& [key, value] : j.items()) {
      k += key + ",";
    }
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      keys.push_back(k);
    }
  }
  return keys;
}

class BothDatabases : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    pg_db_ = Pg()->CreateDatabase("both");
    ASSERT_FALSE(pg_db_.empty());
    ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE SCHEMA shop; CREATE TABLE shop.t (id int)"), "");
    Exec({"CREATE SCHEMA shop", "CREATE TABLE shop.t (id int)"});
    pg_file_ = WriteFile("pg.bgplan", PlanText("postgres"));
    mz_file_ = WriteFile("mz.bgplan", PlanText("materialize"));
  }
  // `command` on both databases.
  std::pair<ProcResult, ProcResult> Both(const std::string& command,
                                         std::vector<std::string> extra = {}) {
    std::vector<std::string> pg = {command, pg_file_, "--url", Pg()->Url(pg_db_)};
    std::vector<std::string> mz = {command, mz_file_, "--url", Url()};
    pg.insert(pg.end(), extra.begin(), extra.end());
    mz.insert(mz.end(), extra.begin(), extra.end());
    return {Run(pg), Run(mz)};
  }
  // `command` on both: the same exit code (`want`), the same event keys in JSON.
  void Same(const std::string& command, int want, std::vector<std::string> extra = {}) {
    auto [pg, mz] = Both(command, extra);
    EXPECT_EQ(pg.exit_code, want) << command << " on PostgreSQL:\n" << pg.err;
    EXPECT_EQ(mz.exit_code, want) << command << " on Materialize:\n" << mz.err;
  }
  void SameJson(const std::string& command, int want) {
    std::vector<std::string> pg_args = {"--format", "json", command, pg_file_, "--url",
                                        Pg()->Url(pg_db_)};
    std::vector<std::string> mz_args = {"--format", "json", command, mz_file_, "--url", Url()};
    ProcResult p = Run(pg_args), m = Run(mz_args);
    EXPECT_EQ(p.exit_code, want) << command << " on PostgreSQL:\n" << p.out << p.err;
    EXPECT_EQ(m.exit_code, want) << command << " on Materialize:\n" << m.out << m.err;
    EXPECT_EQ(EventKeys(p.out), EventKeys(m.out)) << command << "\nPostgreSQL:\n"
                                                  << p.out << "\nMaterialize:\n"
                                                  << m.out;
    EXPECT_FALSE(EventKeys(p.out).empty()) << command;
  }
  void SameStatus(const std::string& expect) {
    auto [pg, mz] = Both("status");
    ASSERT_EQ(pg.exit_code, 0) << pg.err;
    ASSERT_EQ(mz.exit_code, 0) << mz.err;
    EXPECT_EQ(Normalized(pg.out), Normalized(mz.out));
    EXPECT_NE(pg.out.find(expect), std::string::npos) << pg.out;
    // The server each one runs (issue 13), read in the first query, no extra round trip.
    EXPECT_EQ(pg.out.rfind("server: PostgreSQL ", 0), 0u) << pg.out;
    EXPECT_EQ(mz.out.rfind("server: Materialize v", 0), 0u) << mz.out;
  }

  std::string pg_db_, pg_file_, mz_file_;
};

TEST_F(BothDatabases, TheSameScenarioGivesTheSameCodesEventsAndStatus) {
  // Nothing initialized yet.
  SameStatus("deployment shop: absent");
  Same("await", 3);    // green-missing
  Same("promote", 3);  // green-missing
  Same("cleanup", 0);  // nothing to clean up
  SameJson("init", 0);
  Same("init", 0);  // already initialized: nothing to do
  SameStatus("deployment shop: initialized");
  SameJson("await", 0);
  // A plan file made for init cannot run promote.
  std::string pg_plan = dir_ + "/pg-init.json", mz_plan = dir_ + "/mz-init.json";
  ASSERT_EQ(Run({"plan", pg_file_, "--url", Pg()->Url(pg_db_), "--phase", "init", "-o", pg_plan})
                .exit_code,
            0);
  ASSERT_EQ(Run({"plan", mz_file_, "--url", Url(), "--phase", "init", "-o", mz_plan}).exit_code,
            0);
  ProcResult p = Run({"promote", pg_plan, "--url", Pg()->Url(pg_db_)});
  ProcResult m = Run({"promote", mz_plan, "--url", Url()});
  EXPECT_EQ(p.exit_code, 1) << p.err;
  EXPECT_EQ(m.exit_code, 1) << m.err;
  EXPECT_NE(p.err.find("[plan-file-phase]"), std::string::npos) << p.err;
  EXPECT_NE(m.err.find("[plan-file-phase]"), std::string::npos) << m.err;
  // Both plan files carry the SQL and the (redacted) url.
  for (const std::string& f : {pg_plan, mz_plan}) {
    nlohmann::json j = nlohmann::json::parse(Slurp(f), nullptr, false);
    ASSERT_TRUE(j.is_object()) << f;
    EXPECT_FALSE(j.value("url", "").empty()) << f;
    bool has_sql = false;
    for (const auto& phase : j["phases"]) {
      has_sql = has_sql || phase.value("sql", "").find("-- phase init") != std::string::npos;
    }
    EXPECT_TRUE(has_sql) << f;
  }
  // Green lacks blue's table: promote refuses on both (missing-in-green), naming the table in the
  // message and in the diagnostic's objects, and swaps nothing.
  for (const ProcResult& r :
       {Run({"--format", "json", "promote", pg_file_, "--url", Pg()->Url(pg_db_)}),
        Run({"--format", "json", "promote", mz_file_, "--url", Url()})}) {
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    bool named = false;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
      if (e.is_object() && e.value("kind", "") == "missing-in-green") {
        ASSERT_TRUE(e["objects"].is_array()) << line;
        ASSERT_EQ(e["objects"].size(), 1u) << line;
        const std::string object = e["objects"][0].get<std::string>();
        named = object.rfind("table ", 0) == 0 &&
                object.size() >= 6 && object.compare(object.size() - 6, 6, "shop.t") == 0;
      }
    }
    EXPECT_TRUE(named) << r.out;
  }
  SameStatus("deployment shop: initialized");
  // The deploy step puts the table into green; promote then goes through.
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE TABLE shop_dbt_deploy.t (id int)"), "");
  Exec({"CREATE TABLE shop_dbt_deploy.t (id int)"});
  SameJson("promote", 0);
  SameStatus("deployment shop: promoted");
  SameJson("rollback", 0);
  SameStatus("deployment shop: rolled_back");
  SameJson("cleanup", 0);
  SameStatus("deployment shop: finished");
}

// A plan for the other database: target-mismatch (exit 3) from every live command, status too.
TEST_F(BothDatabases, APlanForTheOtherDatabaseIsRefused) {
  for (const char* command : {"status", "plan", "init"}) {
    ProcResult a = Run({command, pg_file_, "--url", Url()});
    ProcResult b = Run({command, mz_file_, "--url", Pg()->Url(pg_db_)});
    EXPECT_EQ(a.exit_code, 3) << command << "\n" << a.out << a.err;
    EXPECT_EQ(b.exit_code, 3) << command << "\n" << b.out << b.err;
    EXPECT_NE(a.err.find("[target-mismatch]"), std::string::npos) << a.err;
    EXPECT_NE(b.err.find("[target-mismatch]"), std::string::npos) << b.err;
  }
}

// The runtime runs the plan's batches: two deployments promoted with --disable-pass merge-swaps
// run two swap transactions on Materialize instead of one; on PostgreSQL the batch pass keeps
// the whole phase one transaction either way, and a live command refuses to run without it.
TEST_F(BothDatabases, DisablePassChangesWhatRuns) {
  auto text = [](const std::string& target) {
    return "target " + target + ";\ndeployment a {\n    schemas a;\n    cleanup { keep_blue 0s; }\n}\n"
           "deployment b {\n    schemas b;\n    cleanup { keep_blue 0s; }\n}\n";
  };
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE SCHEMA a; CREATE SCHEMA b"), "");
  Exec({"CREATE SCHEMA a", "CREATE SCHEMA b"});
  const std::string pg = WriteFile("two-pg.bgplan", text("postgres"));
  const std::string mz = WriteFile("two-mz.bgplan", text("materialize"));
  auto transactions = [](const ProcResult& r) {
    int n = 0;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      n += j.is_object() && j.value("type", "") == "transaction";
    }
    return n;
  };
  auto cycle = [&](const std::string& file, const std::string& url,
                   const std::vector<std::string>& extra) {
    EXPECT_EQ(Run({"init", file, "--url", url}).exit_code, 0);
    std::vector<std::string> promote = {"--format", "json", "promote", file, "--url", url};
    promote.insert(promote.end(), extra.begin(), extra.end());
    ProcResult r = Run(promote);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Run({"rollback", file, "--url", url}).exit_code, 0);
    EXPECT_EQ(Run({"cleanup", file, "--url", url}).exit_code, 0);
    return transactions(r);
  };
  EXPECT_EQ(cycle(mz, Url(), {}), 1);
  EXPECT_EQ(cycle(mz, Url(), {"--disable-pass", "merge-swaps"}), 2);
  EXPECT_EQ(cycle(pg, Pg()->Url(pg_db_), {}), 1);
  EXPECT_EQ(cycle(pg, Pg()->Url(pg_db_), {"--disable-pass", "merge-swaps"}), 1);
  // The compiled text says the same.
  ProcResult c = Run({"compile", mz, "--phase", "promote", "--disable-pass", "merge-swaps"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  size_t begins = 0;
  for (size_t at = c.out.find("BEGIN;"); at != std::string::npos; at = c.out.find("BEGIN;", at + 1)) {
    ++begins;
  }
  EXPECT_EQ(begins, 2u) << c.out;
  // Without the batch pass a PostgreSQL phase would not be one transaction: refused before
  // anything is read or written.
  ProcResult refused = Run({"promote", pg, "--url", Pg()->Url(pg_db_), "--disable-pass", "batch"});
  EXPECT_EQ(refused.exit_code, 64) << refused.err;
  EXPECT_NE(refused.err.find("outside a transaction"), std::string::npos) << refused.err;
  // A validation pass cannot be disabled on a live command.
  ProcResult validation =
      Run({"promote", pg, "--url", Pg()->Url(pg_db_), "--disable-pass", "validate-objects"});
  EXPECT_EQ(validation.exit_code, 64) << validation.err;
}

// ---- never lose data (issue 10), on both databases ---------------------------------------------

// The objects of the first JSON diagnostic of `kind` in `out` (empty if none).
std::vector<std::string> DiagnosticObjects(const std::string& out, const std::string& kind,
                                           const std::string& severity) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_object() && e.value("type", "") == "diagnostic" && e.value("kind", "") == kind &&
        e.value("severity", "") == severity && e.contains("objects")) {
      return e["objects"].get<std::vector<std::string>>();
    }
  }
  return {};
}

// init and promote warn (never fail) about the tables whose rows green does not inherit; the JSON
// diagnostic carries the rule kind and the objects.
TEST_F(BothDatabases, StateThatWillNotCarryOverIsAWarningWithItsObjects) {
  for (const auto& [file, url] : {std::pair{pg_file_, Pg()->Url(pg_db_)}, std::pair{mz_file_, Url()}}) {
    ProcResult init = Run({"--format", "json", "init", file, "--url", url});
    EXPECT_EQ(init.exit_code, 0) << init.out << init.err;
    std::vector<std::string> objects = DiagnosticObjects(init.out, "state-not-carried", "warning");
    ASSERT_EQ(objects.size(), 1u) << init.out;
    EXPECT_EQ(objects[0].rfind("table ", 0), 0u) << objects[0];
    EXPECT_NE(objects[0].find("shop.t"), std::string::npos) << objects[0];
    ProcResult plan = Run({"plan", file, "--url", url, "--phase", "promote"});
    EXPECT_NE(plan.err.find("[state-not-carried]"), std::string::npos) << plan.err;
  }
}

// Scenario 2 of issue 10: after promote, someone replaces the schema under the green name with
// one of their own holding data. cleanup refuses (cleanup-id-mismatch), whatever overrides it is
// given, and drops nothing.
TEST_F(BothDatabases, CleanupDropsOnlyTheObjectTheJournalRecorded) {
  Same("init", 0);
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE TABLE shop_dbt_deploy.t (id int)"), "");
  Exec({"CREATE TABLE shop_dbt_deploy.t (id int)"});
  Same("promote", 0);
  ASSERT_EQ(Pg()->Exec(pg_db_,
                       "DROP SCHEMA shop_dbt_deploy CASCADE; CREATE SCHEMA shop_dbt_deploy; "
                       "CREATE TABLE shop_dbt_deploy.precious (x int); "
                       "INSERT INTO shop_dbt_deploy.precious VALUES (1)"),
            "");
  Exec({"DROP SCHEMA shop_dbt_deploy CASCADE", "CREATE SCHEMA shop_dbt_deploy",
        "CREATE TABLE shop_dbt_deploy.precious (x int)"});
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{},
        std::vector<std::string>{"--before-keep-blue", "--drop-dependents", "--abandon"}}) {
    auto [pg, mz] = Both("cleanup", extra);
    for (const ProcResult* r : {&pg, &mz}) {
      EXPECT_EQ(r->exit_code, 3) << r->err;
      EXPECT_NE(r->err.find("[cleanup-id-mismatch]"), std::string::npos) << r->err;
      EXPECT_NE(r->err.find("shop_dbt_deploy"), std::string::npos) << r->err;
    }
  }
  EXPECT_EQ(Pg()->Scalar(pg_db_, "SELECT count(*) FROM shop_dbt_deploy.precious"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON s.id = t.schema_id "
                   "WHERE s.name = 'shop_dbt_deploy' AND t.name = 'precious'"),
            "1");
  // `plan --phase cleanup` says the same, read-only.
  auto [pg, mz] = Both("plan", {"--phase", "cleanup"});
  EXPECT_EQ(pg.exit_code, 3) << pg.err;
  EXPECT_EQ(mz.exit_code, 3) << mz.err;
}

// --allow-missing promotes knowingly, and the journal keeps what was left behind.
TEST_F(BothDatabases, AllowMissingPromotesAndTheJournalRecordsWhatWasLeftBehind) {
  Same("init", 0);
  Same("promote", 3);  // missing-in-green: shop.t
  SameStatus("deployment shop: initialized");
  Same("promote", 0, {"--allow-missing"});
  // (Not SameStatus: the intent and left-behind events share a time on PostgreSQL, one
  // transaction, so their order in the history is not the same on both.)
  for (const ProcResult& r : {Run({"status", pg_file_, "--url", Pg()->Url(pg_db_)}),
                              Run({"status", mz_file_, "--url", Url()})}) {
    EXPECT_NE(r.out.find("deployment shop: promoted"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("left-behind - promoted with --allow-missing"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(Pg()->Scalar(pg_db_, "SELECT message FROM bgplan.events WHERE type = 'left-behind'"),
            "promoted with --allow-missing; green has no counterpart of: table shop.t");
  const std::string mz = Scalar("SELECT message FROM bgplan.events WHERE type = 'left-behind'");
  EXPECT_EQ(mz.rfind("promoted with --allow-missing; green has no counterpart of: table ", 0), 0u)
      << mz;
  EXPECT_NE(mz.find("shop.t"), std::string::npos) << mz;
}

// Cleanup shows its victims: `plan --phase cleanup` and cleanup itself list every object the
// DROP ... CASCADE removes (PostgreSQL tables with the planner's row estimate), as a warning
// diagnostic with the objects.
TEST_F(BothDatabases, CleanupListsWhatItDrops) {
  Same("init", 0);
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE TABLE shop_dbt_deploy.t (id int)"), "");
  Exec({"CREATE TABLE shop_dbt_deploy.t (id int)"});
  Same("promote", 0);
  // The old blue, now under the green name, holds rows written before the swap.
  ASSERT_EQ(Pg()->Exec(pg_db_, "INSERT INTO shop_dbt_deploy.t SELECT generate_series(1, 3); "
                               "ANALYZE shop_dbt_deploy.t"),
            "");
  ProcResult pg = Run({"--format", "json", "plan", pg_file_, "--url", Pg()->Url(pg_db_),
                       "--phase", "cleanup"});
  ProcResult mz = Run({"--format", "json", "plan", mz_file_, "--url", Url(), "--phase", "cleanup"});
  EXPECT_EQ(DiagnosticObjects(pg.out, "cleanup-drops", "warning"),
            std::vector<std::string>{"table shop_dbt_deploy.t (~3 rows)"})
      << pg.out;
  std::vector<std::string> m = DiagnosticObjects(mz.out, "cleanup-drops", "warning");
  ASSERT_EQ(m.size(), 1u) << mz.out;
  EXPECT_EQ(m[0].rfind("table ", 0), 0u) << m[0];
  EXPECT_NE(m[0].find("shop_dbt_deploy.t"), std::string::npos) << m[0];
  auto [pg_cleanup, mz_cleanup] = Both("cleanup");
  for (const ProcResult* r : {&pg_cleanup, &mz_cleanup}) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_NE(r->err.find("cleanup drops schema"), std::string::npos) << r->err;
  }
}

// Point 7 of issue 10: `plan` before init says what would block promote later, and
// `plan --phase all` resolves each phase against the state the ones before it leave (no false
// green-missing or nothing-to-roll-back).
TEST_F(BothDatabases, PlanBeforeInitWarnsEarlyAndProjectsLaterPhases) {
  // Nothing blocks: every phase is planned, against the state it will find.
  auto [pg_all, mz_all] = Both("plan", {"--phase", "all"});
  for (const ProcResult* r : {&pg_all, &mz_all}) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_EQ(r->err.find("green-missing"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("nothing-to-roll-back"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("not-promoted"), std::string::npos) << r->err;
    EXPECT_NE(r->out.find("(promote is resolved against the state the phases before it will "
                          "leave"),
              std::string::npos)
        << r->out;
    EXPECT_NE(r->out.find("SWAP WITH") == std::string::npos ? r->out.find("RENAME TO")
                                                            : r->out.find("SWAP WITH"),
              std::string::npos)
        << r->out;
    // What green must provide, from blue's objects (a warning, not a refusal).
    EXPECT_NE(r->err.find("promote will need a counterpart in green of 1 object(s) of blue: "
                          "table "),
              std::string::npos)
        << r->err;
  }
  // Something outside the deployment reads blue: promote would refuse. `plan` (init next)
  // says so now, as a warning, and init still plans; --phase all refuses promote (exit 3).
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE SCHEMA other; CREATE VIEW other.v AS SELECT id FROM shop.t"),
            "");
  Exec({"CREATE SCHEMA other", "CREATE VIEW other.v AS SELECT id FROM shop.t"});
  auto [pg, mz] = Both("plan");
  for (const ProcResult* r : {&pg, &mz}) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_NE(r->err.find("promote would refuse: "), std::string::npos) << r->err;
    EXPECT_NE(r->err.find("[orphaned-dependents]"), std::string::npos) << r->err;
    EXPECT_NE(r->err.find("other.v"), std::string::npos) << r->err;
  }
  auto [pg_refused, mz_refused] = Both("plan", {"--phase", "all"});
  for (const ProcResult* r : {&pg_refused, &mz_refused}) {
    EXPECT_EQ(r->exit_code, 3) << r->err;
    EXPECT_NE(r->err.find("[orphaned-dependents]"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("green-missing"), std::string::npos) << r->err;
  }
  // Nothing was written by any of it.
  EXPECT_EQ(Pg()->Scalar(pg_db_, "SELECT count(*) FROM pg_namespace WHERE nspname IN "
                                 "('shop_dbt_deploy', 'bgplan')"),
            "0");
  EXPECT_EQ(SchemaId("shop_dbt_deploy"), "");
}

// Issue 11 on both databases, through the binary: a `validate` block's assert, `bgplan validate`
// (read-only), promote refusing before the swap, and apply's --validate-cmd.
TEST_F(BothDatabases, ValidateBlockCommandAndValidateCmd) {
  const std::string validate =
      "    validate {\n        assert has_rows 'SELECT count(*) > 0 FROM {shop}.t';\n    }\n}\n";
  for (std::string* file : {&pg_file_, &mz_file_}) {
    std::string text = Slurp(*file);
    text.replace(text.rfind("}\n"), 2, validate);
    *file = WriteFile(file == &pg_file_ ? "pg_v.bgplan" : "mz_v.bgplan", text);
  }
  Same("init", 0);
  ASSERT_EQ(Pg()->Exec(pg_db_, "CREATE TABLE shop_dbt_deploy.t (id int)"), "");
  Exec({"CREATE TABLE shop_dbt_deploy.t (id int)"});
  auto [pg, mz] = Both("validate");
  for (const ProcResult* r : {&pg, &mz}) {
    EXPECT_EQ(r->exit_code, 3) << r->err;
    EXPECT_NE(r->err.find("check has_rows failed: it did not return true"), std::string::npos)
        << r->err;
    EXPECT_NE(r->err.find("[validation-failed]"), std::string::npos) << r->err;
  }
  Same("promote", 3);
  SameStatus("deployment shop: initialized");
  ASSERT_EQ(Pg()->Exec(pg_db_, "INSERT INTO shop_dbt_deploy.t VALUES (1)"), "");
  Exec({"INSERT INTO shop_dbt_deploy.t VALUES (1)"});
  Same("validate", 0);
  // apply's own command after await: a failure stops before promote (exit 3).
  Same("apply", 3, {"--validate-cmd", "exit 1"});
  SameStatus("deployment shop: initialized");
  Same("apply", 0, {"--validate-cmd", "test -n \"$BGPLAN_URL\""});
  SameStatus("deployment shop: promoted");
}

}  // namespace
}  // namespace bgplan::testing
