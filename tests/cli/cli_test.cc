// Process-level tests of the bgplan binary's offline commands: exit codes (cli.md), output
// streams, --format json, fmt modes, and the bad-input guarantees of issue 2 (every malformed input
// gets exit 1 and a located diagnostic, never a crash or a hang).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <string>

#include "tests/cli/run_process.h"
#include "tests/cli/temp_dir.h"

namespace bgplan::testing {
namespace {

namespace fs = std::filesystem;

const std::string kBgplan = BGPLAN_EXECUTABLE;
const fs::path kSource = BGPLAN_SOURCE_DIR;


std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ProcessResult Bgplan(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), kBgplan);
  return RunProcess(args, stdin_text, {"NO_COLOR=1"});
}

const std::string kValid = "deployment default {\n    schemas public;\n    clusters quickstart;\n}\n";

TEST(Cli, VersionPrintsNameAndVersion) {
  auto r = Bgplan({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^bgplan \d+\.\d+\.\d+)"))) << r.out;
}

TEST(Cli, HelpShowsExamplesAndExitCodes) {
  auto r = Bgplan({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("64 usage error"), std::string::npos);
  for (const char* command : {"check", "fmt", "compile", "graph"}) {
    auto sub = Bgplan({command, "--help"});
    EXPECT_EQ(sub.exit_code, 0) << command;
    EXPECT_NE(sub.out.find("Example"), std::string::npos) << command << ":\n" << sub.out;
  }
}

// `fmt --check` passes on the project's own examples (they are in canonical form).
TEST(Cli, ExamplesAreFormatted) {
  size_t n = 0;
  for (const auto& dir : fs::directory_iterator(kSource / "examples")) {
    if (!dir.is_directory()) {
      continue;
    }
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      if (entry.path().extension() == ".bgplan") {
        ++n;
        auto r = Bgplan({"fmt", "--check", entry.path().string()});
        EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
      }
    }
  }
  EXPECT_GE(n, 5u);
}

// The phase commands' help describes Materialize too, not only PostgreSQL.
TEST(Cli, PhaseHelpNamesBothDatabases) {
  for (const char* command : {"init", "promote", "cleanup"}) {
    auto r = Bgplan({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Materialize"), std::string::npos) << command << ":\n" << r.out;
    EXPECT_NE(r.out.find("cluster"), std::string::npos) << command << ":\n" << r.out;
  }
}

// The top-level options are accepted after any command name, so every command's help lists them.
TEST(Cli, CommandHelpListsGlobalOptions) {
  for (std::vector<std::string> command :
       {std::vector<std::string>{"check"}, {"apply"}, {"status"}, {"import", "dbt"}}) {
    command.push_back("--help");
    auto r = Bgplan(command);
    EXPECT_EQ(r.exit_code, 0) << command[0];
    EXPECT_NE(r.out.find("Global options"), std::string::npos) << command[0] << ":\n" << r.out;
    for (const char* option : {"--format", "--quiet", "--verbose", "--no-color"}) {
      EXPECT_NE(r.out.find(option), std::string::npos) << command[0] << " lacks " << option;
    }
  }
  // The top-level help has them as its own options, not a second time as a group.
  EXPECT_EQ(Bgplan({"--help"}).out.find("Global options"), std::string::npos);
}

TEST(Cli, UsageErrorsExit64) {
  EXPECT_EQ(Bgplan({}).exit_code, 64);
  EXPECT_EQ(Bgplan({"frobnicate"}).exit_code, 64);
  EXPECT_EQ(Bgplan({"check"}).exit_code, 64);
  EXPECT_EQ(Bgplan({"check", "--no-such-flag", "x.bgplan"}).exit_code, 64);
  TempDir dir;
  auto file = dir.Write("ok.bgplan", kValid);
  EXPECT_EQ(Bgplan({"compile", file, "--phase", "deploy"}).exit_code, 64);
  EXPECT_EQ(Bgplan({"compile", file, "--target", "oracle"}).exit_code, 64);
  // `--url $URL` with URL empty: the next option is not taken for a connection string.
  auto url = Bgplan({"init", file, "--url", "--dry-run"});
  EXPECT_EQ(url.exit_code, 64) << url.err;
  EXPECT_NE(url.err.find("'--dry-run' is an option, not a connection string"), std::string::npos)
      << url.err;
}

TEST(Cli, CheckValidFileExitsZeroAndPrintsNothing) {
  TempDir dir;
  auto r = Bgplan({"check", dir.Write("ok.bgplan", kValid)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "");
}

TEST(Cli, CheckReportsLocatedErrorsAndExitsOne) {
  TempDir dir;
  auto file = dir.Write("bad.bgplan", "deployment d {\n    schemas s;\n    suffix '';\n}\n");
  auto r = Bgplan({"check", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(file + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[empty-suffix]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("    suffix '';\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
}

TEST(Cli, CheckUnreadableFileExitsOne) {
  auto r = Bgplan({"check", "/nonexistent/plan.bgplan"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read '/nonexistent/plan.bgplan'"), std::string::npos) << r.err;
  TempDir dir;
  auto d = Bgplan({"check", dir.path().string()});
  EXPECT_EQ(d.exit_code, 1) << d.err;
}

TEST(Cli, CheckReadsStandardInput) {
  auto r = Bgplan({"check", "-"}, "deployment d { }\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("<stdin>:1:"), std::string::npos) << r.err;
}

TEST(Cli, JsonFormatPrintsOneObjectPerLine) {
  TempDir dir;
  auto file = dir.Write("bad.bgplan", "deployment a { schemas s; }\ndeployment a { schemas t; }\n");
  auto r = Bgplan({"check", file, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<nlohmann::json> objects;
  while (std::getline(lines, line)) {
    objects.push_back(nlohmann::json::parse(line));  // throws (fails the test) if not JSON
  }
  ASSERT_GE(objects.size(), 2u);
  EXPECT_EQ(objects.front()["type"], "diagnostic");
  EXPECT_EQ(objects.front()["kind"], "duplicate-deployment");
  EXPECT_EQ(objects.front()["line"], 2);
  // One vocabulary with the live commands: a schema_version and a UTC `timestamp` on every
  // event, numbers as numbers, booleans as booleans (`jq -e .ok` fails on a failed run).
  for (const nlohmann::json& j : objects) {
    EXPECT_EQ(j["schema_version"], 1) << j;
    ASSERT_TRUE(j["timestamp"].is_string()) << j;
    EXPECT_EQ(j["timestamp"].get<std::string>().back(), 'Z') << j;
    EXPECT_FALSE(j.contains("time")) << j;
  }
  EXPECT_EQ(objects.back()["type"], "result");
  EXPECT_EQ(objects.back()["exit_code"], 1);
  EXPECT_EQ(objects.back()["ok"], false);
}

TEST(Cli, UnknownDeploymentIsAUsageErrorNamingTheKnownOnes) {
  TempDir dir;
  auto file = dir.Write("two.bgplan", "deployment a { schemas s; }\ndeployment b { schemas t; }\n");
  auto r = Bgplan({"compile", file, "--deployment", "c"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("no deployment 'c'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a, b"), std::string::npos) << r.err;
}

TEST(Cli, CompileWritesOutputFileIdenticalToStdout) {
  TempDir dir;
  auto file = dir.Write("ok.bgplan", kValid);
  auto to_stdout = Bgplan({"compile", file});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  auto out_path = (dir.path() / "out.sql").string();
  auto to_file = Bgplan({"compile", file, "-o", out_path});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(to_file.out, "");
  EXPECT_EQ(Read(out_path), to_stdout.out);
  EXPECT_NE(to_stdout.out.find("ALTER SCHEMA \"public\" SWAP WITH \"public_dbt_deploy\""),
            std::string::npos)
      << to_stdout.out;
}

TEST(Cli, CompileToDevNullKeepsTheDevice) {
  TempDir dir;
  auto r = Bgplan({"compile", dir.Write("ok.bgplan", kValid), "-o", "/dev/null"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(Cli, CompileSelectsOnePhase) {
  TempDir dir;
  auto file = dir.Write("ok.bgplan", kValid);
  auto cleanup = Bgplan({"compile", file, "--phase", "cleanup"});
  ASSERT_EQ(cleanup.exit_code, 0) << cleanup.err;
  EXPECT_NE(cleanup.out.find("DROP SCHEMA IF EXISTS \"public_dbt_deploy\" CASCADE;"),
            std::string::npos)
      << cleanup.out;
  EXPECT_EQ(cleanup.out.find("SWAP WITH"), std::string::npos) << cleanup.out;
}

TEST(Cli, CompileIsDeterministic) {
  TempDir dir;
  auto file = (kSource / "examples/analytics/analytics.bgplan").string();
  auto a = Bgplan({"compile", file});
  auto b = Bgplan({"compile", file});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST(Cli, FmtCheckAndWrite) {
  TempDir dir;
  auto file = dir.Write("messy.bgplan", "deployment   d{schemas a,b;   clusters c;}");
  auto check = Bgplan({"fmt", "--check", file});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("not formatted"), std::string::npos) << check.err;
  auto printed = Bgplan({"fmt", file});
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  auto write = Bgplan({"fmt", "--write", file});
  EXPECT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(Read(file), printed.out);
  EXPECT_EQ(Read(file), "deployment d {\n    schemas a, b;\n    clusters c;\n}\n");
  EXPECT_EQ(Bgplan({"fmt", "--check", file}).exit_code, 0);
  EXPECT_EQ(Bgplan({"fmt", "--check", "--write", file}).exit_code, 64);
}

TEST(Cli, FmtRefusesFilesWithSyntaxErrorsAndLeavesThemAlone) {
  TempDir dir;
  std::string text = "deployment d { schemas a b; }\n";
  auto file = dir.Write("bad.bgplan", text);
  auto r = Bgplan({"fmt", "--write", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[syntax-error]"), std::string::npos) << r.err;
  EXPECT_EQ(Read(file), text);
}

TEST(Cli, GraphPrintsDot) {
  TempDir dir;
  auto r = Bgplan({"graph", dir.Write("ok.bgplan", kValid)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("digraph", 0), 0u) << r.out;
}

// --- Bad input: exit 1, a located diagnostic, no crash, no hang. ---

struct BadInput {
  std::string name;
  std::string text;
};

std::vector<BadInput> BadInputs() {
  std::vector<BadInput> inputs = {
      {"empty", ""},
      {"whitespace_only", "  \n\t\n"},
      {"comment_only", "# nothing here\n"},
      {"syntax", "deployment d { schemas a b; }"},
      {"unterminated_string", "deployment d { schemas a; suffix 'abc; }"},
      {"unterminated_ident", "deployment d { schemas \"abc; }"},
      {"invalid_utf8", "deployment d {\n  schemas \xc3\x28;\n}\n"},
      {"nul_byte", std::string("deployment d { schemas a\0b; }", 29)},
      {"lone_brace", "}"},
      {"keyword_as_name", "deployment target { schemas schemas; }"},
      {"trailing_garbage", "deployment d { schemas a; } garbage"},
      {"megabytes_of_braces", std::string(10 * 1024 * 1024, '{')},
      {"deep_nesting", "deployment d " + std::string(100000, '{') + std::string(100000, '}')},
      {"many_errors", [] {
         std::string s;
         for (int i = 0; i < 1000; ++i) s += "deployment d { schemas ; }\n";
         return s;
       }()},
  };
  std::mt19937 rng(42);
  for (int i = 0; i < 5; ++i) {
    std::string garbage(4096, '\0');
    for (auto& c : garbage) c = static_cast<char>(rng() & 0xff);
    inputs.push_back({"binary_garbage_" + std::to_string(i), garbage});
  }
  return inputs;
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, ExitsOneWithALocatedDiagnostic) {
  TempDir dir;
  auto file = dir.Write("bad.bgplan", GetParam().text);
  for (const char* command : {"check", "compile", "fmt"}) {
    auto r = Bgplan({command, file});
    EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.err.substr(0, 2000);
    EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(bad\.bgplan:\d+:\d+: error: )")))
        << command << "\n" << r.err.substr(0, 2000);
    EXPECT_EQ(r.out, "") << command;
    // Bounded output: at most 50 errors plus the too-many-errors line, each a few lines long.
    EXPECT_LT(r.err.size(), 200u * 1024) << command;
  }
}

INSTANTIATE_TEST_SUITE_P(Cli, BadInputTest, ::testing::ValuesIn(BadInputs()),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(Cli, ErrorsAreCappedAtFifty) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "deployment d" + std::to_string(i) + " { }\n";
  auto r = Bgplan({"check", dir.Write("many.bgplan", text)});
  EXPECT_EQ(r.exit_code, 1);
  std::regex error_line(R"(many\.bgplan:\d+:\d+: error: )");
  auto count = std::distance(std::sregex_iterator(r.err.begin(), r.err.end(), error_line),
                             std::sregex_iterator());
  // 50 errors, then too-many-errors, located like the rest at the first error not shown.
  EXPECT_EQ(count, 51);
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex(R"(many\.bgplan:\d+:\d+: error: too many errors \(more than 50\); this )"
                        R"(one and the rest are not shown \[too-many-errors\])")))
      << r.err;
}

// Names are printed for people escaped: no escape sequence or bell reaches the terminal, and a
// newline in a name cannot start a line that looks like a diagnostic of bgplan's.
TEST(Cli, ControlCharactersInNamesAreEscapedInDiagnostics) {
  TempDir dir;
  const std::string evil = "e\x1b[2J\x07\nfake.bgplan:1:1: error: forged\xc2\x9b";
  std::string path = dir.Write("evil.bgplan", "target postgres;\ndeployment d {\n  schemas \"" +
                                                   evil + "\", \"" + evil + "\";\n}\n");
  auto r = Bgplan({"check", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // duplicate-object is a warning
  EXPECT_NE(r.err.find("[duplicate-object]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'e\\x1b[2J\\x07\\nfake.bgplan:1:1: error: forged\\u009b'"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("\xc2\x9b"), std::string::npos) << r.err;
  EXPECT_FALSE(std::regex_search(r.err, std::regex("(^|\n)fake\\.bgplan:"))) << r.err;
  // Source lines show control pictures, one column each; a line of the file that starts like a
  // diagnostic (the rest of the name, after its newline) is indented.
  EXPECT_NE(r.err.find("\"e\xe2\x90\x9b[2J\xe2\x90\x87\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\n  fake.bgplan:1:1: error: forged\xef\xbf\xbd\", \"e"), std::string::npos)
      << r.err;
}

// An endless input is read up to the bound, then refused.
TEST(Cli, AnEndlessInputIsRefusedAtTheBound) {
  auto r = Bgplan({"check", "/dev/zero"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("'/dev/zero' is larger than 16 MiB"), std::string::npos) << r.err;
}

// The live commands run in libbgplan_live.so (docs/architecture.md): the offline commands never
// load it, and a missing module is a clear internal error (70), not a dynamic-linker crash.
TEST(Cli, OfflineCommandsDoNotNeedTheLiveModuleAndLiveOnesNameIt) {
  TempDir dir;
  std::string file = dir.Write("ok.bgplan", kValid);
  std::vector<std::string> env = {"NO_COLOR=1", "BGPLAN_LIVE_MODULE=/nonexistent/libbgplan_live.so"};
  ProcessResult check = RunProcess({kBgplan, "check", file}, "", env);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  ProcessResult compile = RunProcess({kBgplan, "compile", file}, "", env);
  EXPECT_EQ(compile.exit_code, 0) << compile.err;
  ProcessResult plan =
      RunProcess({kBgplan, "plan", file, "--url", "postgresql://u@127.0.0.1:1/x"}, "", env);
  EXPECT_EQ(plan.exit_code, 70);
  EXPECT_NE(plan.err.find("/nonexistent/libbgplan_live.so"), std::string::npos) << plan.err;
}

}  // namespace
}  // namespace bgplan::testing
