// Process-level tests of `bgplan import dbt` (cli/import_dbt.cc).
//
// Golden cases (tests/golden/import_dbt): for each <case>.yml, or <case>.args when there is one,
// `bgplan import dbt ARGS` runs in that folder, ARGS being the lines of <case>.args, else
// <case>.yml. Its standard output must equal <case>.out and its standard error <case>.stderr (a
// missing file means empty). A `fail_` case must exit 1 and print nothing on standard output; any
// other case must exit 0, and its output must be exactly what `bgplan fmt` prints for it and pass
// `bgplan check`. BGPLAN_UPDATE_GOLDEN=1 rewrites the expectations: review them with `git diff`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/run_process.h"
#include "tests/cli/temp_dir.h"

namespace bgplan::testing {
namespace {

namespace fs = std::filesystem;

const std::string kBgplan = BGPLAN_EXECUTABLE;
const fs::path kCases = fs::path(BGPLAN_SOURCE_DIR) / "tests" / "golden" / "import_dbt";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool UpdateMode() {
  const char* v = std::getenv("BGPLAN_UPDATE_GOLDEN");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// Runs bgplan with `args` in directory `cwd` (the child inherits it).
ProcessResult BgplanIn(const fs::path& cwd, std::vector<std::string> args,
                       const std::string& stdin_text = "") {
  fs::path before = fs::current_path();
  fs::current_path(cwd);
  args.insert(args.begin(), kBgplan);
  ProcessResult r = RunProcess(args, stdin_text, {"NO_COLOR=1"});
  fs::current_path(before);
  return r;
}

ProcessResult Bgplan(std::vector<std::string> args, const std::string& stdin_text = "") {
  return BgplanIn(fs::current_path(), std::move(args), stdin_text);
}

std::vector<std::string> Cases() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".args")) {
      names.insert(entry.path().stem().string());
    }
  }
  return {names.begin(), names.end()};
}

// Compares `actual` with `path` (missing means ""), or rewrites it in update mode.
void Expect(const fs::path& path, const std::string& actual, const std::string& what) {
  if (UpdateMode()) {
    if (actual.empty()) {
      fs::remove(path);
    } else {
      std::ofstream(path, std::ios::binary | std::ios::trunc) << actual;
    }
    return;
  }
  std::string expected = fs::exists(path) ? ReadText(path) : "";
  EXPECT_EQ(expected, actual) << what << " differs from " << path.string()
                              << "\nregenerate with BGPLAN_UPDATE_GOLDEN=1, review with git diff";
}

class ImportDbtGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ImportDbtGolden, Matches) {
  const std::string name = GetParam();
  std::vector<std::string> args = {"import", "dbt"};
  fs::path args_file = kCases / (name + ".args");
  if (fs::exists(args_file)) {
    std::istringstream lines(ReadText(args_file));
    for (std::string line; std::getline(lines, line);) {
      args.push_back(line);
    }
  } else {
    args.push_back(name + ".yml");
  }
  ProcessResult r = BgplanIn(kCases, args);
  const bool must_fail = name.rfind("fail_", 0) == 0;
  EXPECT_EQ(r.exit_code, must_fail ? 1 : 0) << r.err;
  Expect(kCases / (name + ".out"), r.out, "standard output");
  Expect(kCases / (name + ".stderr"), r.err, "standard error");
  if (must_fail) {
    EXPECT_EQ(r.out, "");
    return;
  }
  ASSERT_NE(r.out, "");
  // Formatted: fmt prints it unchanged. Valid: check accepts it, with no diagnostic but the
  // warnings of the rules of check that import already reported (at the YAML entries).
  ProcessResult fmt = Bgplan({"fmt", "-"}, r.out);
  EXPECT_EQ(fmt.exit_code, 0) << fmt.err;
  EXPECT_EQ(fmt.out, r.out) << "import output is not in `bgplan fmt` form";
  ProcessResult check = Bgplan({"check", "-"}, r.out);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  std::istringstream warnings(check.err);
  for (std::string line; std::getline(warnings, line);) {
    if (line.rfind("<stdin>:", 0) != 0) {
      continue;  // source and caret lines
    }
    EXPECT_NE(line.find(": warning: "), std::string::npos) << check.err;
    std::string kind = line.substr(line.rfind(" ["));
    EXPECT_NE(r.err.find(kind), std::string::npos) << "check reports " << line
                                                   << "\nwhich import did not:\n" << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Cli, ImportDbtGolden, ::testing::ValuesIn(Cases()),
                         [](const auto& test_info) { return test_info.param; });

// Every case the issue asks for exists (so deleting one cannot go unnoticed).
TEST(CliImportDbt, GoldenCasesCoverTheRequiredSituations) {
  std::vector<std::string> cases = Cases();
  for (const char* required :
       {"several_targets", "quoted_names", "schemas_only", "select_target", "fail_bad_yaml",
        "fail_no_deployment", "fail_empty_target", "fail_unknown_target", "fail_not_a_list"}) {
    EXPECT_NE(std::find(cases.begin(), cases.end(), required), cases.end()) << required;
  }
}


const std::string kProject =
    "name: analytics\n"
    "vars:\n"
    "  deployment:\n"
    "    prod:\n"
    "      schemas: [marts, Staging]\n"
    "      clusters: [compute]\n";

// The imported file goes through `bgplan check` as it is (a pipe) and compiles to the green names
// the dbt-materialize macros use: <blue>_dbt_deploy, case kept.
TEST(CliImportDbt, OutputPassesCheckAndYieldsTheDbtGreenNames) {
  TempDir dir("import");
  std::string project = dir.Write("dbt_project.yml", kProject);
  ProcessResult imported = Bgplan({"import", "dbt", project});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.err, "");
  ProcessResult check = Bgplan({"check", "-"}, imported.out);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err, "");

  ProcessResult init = Bgplan({"compile", "-", "--phase", "init"}, imported.out);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("\"marts_dbt_deploy\""), std::string::npos) << init.out;
  EXPECT_NE(init.out.find("\"Staging_dbt_deploy\""), std::string::npos) << init.out;
  EXPECT_NE(init.out.find("\"compute_dbt_deploy\""), std::string::npos) << init.out;
  ProcessResult promote = Bgplan({"compile", "-", "--phase", "promote"}, imported.out);
  ASSERT_EQ(promote.exit_code, 0) << promote.err;
  for (const char* swap : {"ALTER SCHEMA \"marts\" SWAP WITH \"marts_dbt_deploy\"",
                           "ALTER SCHEMA \"Staging\" SWAP WITH \"Staging_dbt_deploy\"",
                           "ALTER CLUSTER \"compute\" SWAP WITH \"compute_dbt_deploy\""}) {
    EXPECT_NE(promote.out.find(swap), std::string::npos) << swap << "\n" << promote.out;
  }
  // The deployment is the dbt target, so `--deployment prod` selects it.
  ProcessResult selected = Bgplan({"compile", "-", "--deployment", "prod"}, imported.out);
  EXPECT_EQ(selected.exit_code, 0) << selected.err;
}

TEST(CliImportDbt, ReadsDbtProjectYmlOfTheCurrentDirectoryByDefault) {
  TempDir dir("import");
  dir.Write("dbt_project.yml", kProject);
  ProcessResult r = BgplanIn(dir.path(), {"import", "dbt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("from dbt_project.yml (dbt project 'analytics')"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("deployment prod {\n    schemas marts, \"Staging\";\n"
                       "    clusters compute;\n"),
            std::string::npos)
      << r.out;
  // The same from standard input.
  ProcessResult stdin_run = Bgplan({"import", "dbt", "-"}, kProject);
  ASSERT_EQ(stdin_run.exit_code, 0) << stdin_run.err;
  EXPECT_NE(stdin_run.out.find("from <stdin>"), std::string::npos) << stdin_run.out;
}

TEST(CliImportDbt, OutputFileHoldsWhatStdoutWouldAndErrorsWriteNothing) {
  TempDir dir("import");
  std::string project = dir.Write("dbt_project.yml", kProject);
  ProcessResult to_stdout = Bgplan({"import", "dbt", project});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  std::string out = (dir.path() / "prod.bgplan").string();
  ProcessResult to_file = Bgplan({"import", "dbt", project, "--target", "prod", "-o", out});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(to_file.out, "");
  EXPECT_EQ(ReadText(out), to_stdout.out);

  std::string missing = (dir.path() / "missing.bgplan").string();
  ProcessResult bad = Bgplan({"import", "dbt", project, "--target", "dev", "-o", missing});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("dbt_project.yml:3:3: error: no dbt target 'dev' under "
                         "vars.deployment (it defines: prod) [dbt-unknown-target]"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(missing));
}

TEST(CliImportDbt, JsonFormatPrintsLocatedDiagnostics) {
  TempDir dir("import");
  std::string project = dir.Write(
      "dbt_project.yml", "vars:\n  deployment:\n    prod:\n      clusters: compute\n");
  ProcessResult r = Bgplan({"import", "dbt", project, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);) {
    objects.push_back(nlohmann::json::parse(line));  // throws (fails the test) if not JSON
  }
  ASSERT_EQ(objects.size(), 2u) << r.out;
  EXPECT_EQ(objects[0]["type"], "diagnostic");
  EXPECT_EQ(objects[0]["kind"], "dbt-invalid-entry");
  EXPECT_EQ(objects[0]["file"], project);
  EXPECT_EQ(objects[0]["line"], 4);
  EXPECT_EQ(objects[0]["column"], 17);
  EXPECT_EQ(objects[0]["end_column"], 24);
  EXPECT_EQ(objects[1]["type"], "result");
  EXPECT_EQ(objects[1]["command"], "import dbt");
  EXPECT_EQ(objects[1]["exit_code"], 1);
}

TEST(CliImportDbt, InvalidUtf8AndUnreadableFilesExitOne) {
  TempDir dir("import");
  std::string project =
      dir.Write("dbt_project.yml", "vars:\n  deployment:\n    prod:\n      schemas: [m\xc3\x28]\n");
  ProcessResult r = Bgplan({"import", "dbt", project});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("dbt_project.yml:4:18: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[invalid-utf8]"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  ProcessResult none = Bgplan({"import", "dbt", (dir.path() / "nothing").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("cannot read"), std::string::npos) << none.err;
  fs::create_directory(dir.path() / "empty");
  ProcessResult empty_dir = Bgplan({"import", "dbt", (dir.path() / "empty").string()});
  EXPECT_EQ(empty_dir.exit_code, 1);
  EXPECT_NE(empty_dir.err.find("empty/dbt_project.yml"), std::string::npos) << empty_dir.err;
}

TEST(CliImportDbt, HelpHasExamplesAndImportNeedsASource) {
  ProcessResult help = Bgplan({"import", "dbt", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--target"), std::string::npos) << help.out;
  EXPECT_EQ(Bgplan({"import"}).exit_code, 64);
  EXPECT_EQ(Bgplan({"import", "dbt", "--no-such-flag"}).exit_code, 64);
}

}  // namespace
}  // namespace bgplan::testing
