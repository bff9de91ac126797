// Every JSON event of every command validates against docs/events.schema.json (issue 15, part 5):
// the offline commands on the examples, the live ones through a whole cycle on a real PostgreSQL
// (the RuntimeCli fixture), each run's standard output checked line by line by
// tests/integration/check_events.py (Python's jsonschema, draft 2020-12).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/integration/cli_fixture.h"

namespace bgplan::testing {
namespace {

namespace fs = std::filesystem;

class JsonEvents : public RuntimeCli {
 protected:
  // Runs `bgplan --format json args...`, keeps its standard output for the schema check and
  // checks what does not need the schema: every line an object, the last one the result.
  // `expected_exit` -1: any exit code.
  ProcResult Json(std::vector<std::string> args, int expected_exit) {
    args.insert(args.begin(), {"--format", "json"});
    std::string shown;
    for (const std::string& a : args) {
      shown += " " + a;
    }
    ProcResult r = Run(args);
    if (expected_exit >= 0) {
      EXPECT_EQ(r.exit_code, expected_exit) << shown << "\n" << r.out << r.err;
    }
    const std::string path = dir_ + "/events" + std::to_string(outputs_.size()) + ".jsonl";
    std::ofstream(path, std::ios::binary) << r.out;
    outputs_.push_back(path);
    std::istringstream lines(r.out);
    nlohmann::json last;
    for (std::string line; std::getline(lines, line);) {
      last = nlohmann::json::parse(line, nullptr, false);
      EXPECT_TRUE(last.is_object()) << shown << ": " << line;
    }
    EXPECT_TRUE(last.is_object() && last.value("type", "") == "result") << shown << "\n" << r.out;
    if (last.is_object()) {
      EXPECT_EQ(last["exit_code"], r.exit_code) << shown;
    }
    return r;
  }
  // The schema check of every output kept so far, expecting each of `types` to appear.
  void CheckAll(const std::string& types) {
    std::string cmd = "python3 '" + std::string(BGPLAN_SOURCE_DIR) +
                      "/tests/integration/check_events.py' '" + BGPLAN_SOURCE_DIR +
                      "/docs/events.schema.json' --expect-types " + types;
    for (const std::string& p : outputs_) {
      cmd += " '" + p + "'";
    }
    cmd += " > '" + dir_ + "/check.txt' 2>&1";
    int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status)) << cmd;
    EXPECT_EQ(WEXITSTATUS(status), 0) << Slurp(dir_ + "/check.txt");
    std::cout << Slurp(dir_ + "/check.txt");
  }

  std::vector<std::string> outputs_;
};

TEST_F(JsonEvents, EveryEventOfEveryCommandValidatesAgainstTheSchema) {
  // Offline: the examples, a file with errors, an unreadable file, dbt projects.
  int n = 0;
  for (const auto& entry : fs::directory_iterator(std::string(BGPLAN_SOURCE_DIR) + "/examples")) {
    if (!entry.is_directory()) {
      continue;
    }
    for (const auto& file : fs::directory_iterator(entry.path().string(),
                                                   fs::directory_options::skip_permission_denied)) {
      if (file.path().extension() != ".bgplan") {
        continue;
      }
      const std::string f = file.path().string();
      const std::string out = dir_ + "/out" + std::to_string(++n);
      Json({"check", f}, 0);
      Json({"fmt", "--check", f}, -1);  // whether the examples are formatted is not the point
      Json({"compile", f, "-o", out + ".sql"}, 0);
      Json({"compile", f, "--emit", "json", "-o", out + ".json"}, 0);
      Json({"graph", f, "-o", out + ".dot"}, 0);
    }
  }
  EXPECT_GT(n, 3);
  std::ofstream(dir_ + "/bad.bgplan") << "deployment a { schemas s; }\ndeployment a { schemas t; "
                                         "}\ndeployment b { schemas s; await { poll_interval 30; "
                                         "} }\n";
  Json({"check", dir_ + "/bad.bgplan"}, 1);
  Json({"compile", dir_ + "/bad.bgplan", "-o", dir_ + "/bad.sql"}, 1);
  Json({"check", dir_ + "/no-such-file.bgplan"}, 1);
  std::ofstream(dir_ + "/dbt_project.yml")
      << "vars:\n  deployment:\n    prod:\n      clusters: compute\n";
  Json({"import", "dbt", dir_ + "/dbt_project.yml", "-o", dir_ + "/dbt.bgplan"}, 1);
  std::ofstream(dir_ + "/dbt_ok.yml") << "vars:\n  deployment:\n    prod:\n      schemas: [marts]\n"
                                         "      clusters: [compute]\n";
  Json({"import", "dbt", dir_ + "/dbt_ok.yml", "--target", "prod", "-o", dir_ + "/dbt.bgplan"}, 0);

  // Live: a whole cycle on the fixture's database.
  Json(Cmd("plan", {"--detailed-exitcode"}), 2);
  Json(Cmd("promote"), 3);  // before init: green is missing (a live rule's diagnostic)
  Json(Cmd("init", {"-v"}), 0);
  Json(Cmd("status"), 0);
  Json(Cmd("promote"), 3);  // green lacks the table the sink view reads
  Exec("CREATE TABLE marts_dbt_deploy.t (id int PRIMARY KEY, v text)");
  Json(Cmd("await"), 0);
  Json(Cmd("validate"), 0);
  Json(Cmd("promote", {"--dry-run"}), 0);
  {
    // A reader holding the sink view: the promote's lock wait times out (55P03), is retried
    // once (a retry event), then gives up with nothing changed.
    WritePlan("200ms");
    auto blocker = Connect();
    ASSERT_TRUE(blocker->Exec("BEGIN; SELECT * FROM sinks.v").ok());
    Json(Cmd("promote"), 7);
    ASSERT_TRUE(blocker->Exec("ROLLBACK").ok());
    WritePlan("20s");
  }
  Json(Cmd("promote", {"-v"}), 0);
  Json(Cmd("status"), 0);
  Json(Cmd("rollback"), 0);
  Json(Cmd("status"), 0);
  Json(Cmd("promote"), 0);
  Json(Cmd("cleanup"), 0);
  Json(Cmd("status"), 0);
  Json(Cmd("apply", {"--deploy-cmd", DeployCmd(), "--validate-cmd", "true"}), 0);
  Json(Cmd("apply", {"--dry-run", "--deploy-cmd", "true"}), 0);
  Json(Cmd("cleanup"), 0);
  // A dbt deploy command with another suffix than dbt's: a warning event; the dry run stops
  // after init's preview with a note.
  std::ofstream(dir_ + "/suffix.bgplan") << "target postgres;\n"
                                            "deployment shop {\n"
                                            "    schemas marts;\n"
                                            "    suffix '_next';\n"
                                            "}\n";
  Json({"apply", dir_ + "/suffix.bgplan", "--url", url_, "--dry-run", "--deploy-cmd", "dbt run"},
       0);
  // A validate block: validation events.
  std::ofstream(file_) << "target postgres;\n"
                          "deployment shop {\n"
                          "    schemas marts;\n"
                          "    sinks { schemas \"sinks\"; }\n"
                          "    await { poll_interval 100ms; timeout 10s; }\n"
                          "    validate { assert has_rows 'SELECT count(*) > 0 FROM {marts}.t'; }\n"
                          "}\n";
  Json(Cmd("apply", {"--deploy-cmd", DeployCmd()}), 0);
  Json(Cmd("unlock"), 0);
  Json({"init", file_, "--url", "postgresql://postgres@127.0.0.1:1/" + db_}, 7);  // an error
  Json({"demo"}, 0);
  CheckAll(
      "diagnostic,result,connect,lock,phase,statement,transaction,check,plan,sql,status,poll,"
      "await,state,deploy-cmd,validate-cmd,validation,error,demo,retry,warning,note");
}

}  // namespace
}  // namespace bgplan::testing
