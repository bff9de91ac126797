// Golden tests: text in, text out (style.md 7.8). Discovers at run time every
//   tests/golden/**/<name>.bgplan  with expectations  <name>.stderr  (rendered diagnostics)
//                                                    <name>.mz.sql  (compile --target materialize)
//                                                    <name>.pg.sql  (compile --target postgres)
//                                                    <name>.plan    (the optimized IR dump)
//                                                    <name>.fmt     (bgplan fmt output)
//   examples/<dir>/<name>.bgplan  with  expected.mz.sql / expected.pg.sql
// A `fail_` case must report errors and pin them in .stderr; any other case must report none.
// A case with no expectation file fails. BGPLAN_UPDATE_GOLDEN=1 rewrites the expectations:
// review them with `git diff` before committing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/ast_printer.h"
#include "compiler/driver/compile.h"
#include "resolve/render.h"
#include "plans/plan_dump.h"

namespace bgplan {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = BGPLAN_SOURCE_DIR;
const fs::path kGoldenDir = kSourceDir / "tests" / "golden";

bool UpdateMode() {
  const char* v = std::getenv("BGPLAN_UPDATE_GOLDEN");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void CompareOrUpdate(const fs::path& expected_path, const std::string& actual,
                     const std::string& regenerate_hint) {
  if (UpdateMode()) {
    std::ofstream(expected_path, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  EXPECT_EQ(ReadFile(expected_path), actual)
      << "golden mismatch: " << expected_path.string() << "\nregenerate with: "
      << regenerate_hint << "\nthen review with git diff";
}

driver::CompileOutput Compile(const std::string& display, const fs::path& path,
                              std::optional<plans::Target> target) {
  driver::CompileOptions options;
  options.target = target;
  return driver::CompileText(display, ReadFile(path), options);
}

bool HasErrors(const driver::CompileOutput& out) {
  return std::any_of(out.diagnostics.begin(), out.diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

class GoldenCase : public testing::Test {
 public:
  GoldenCase(fs::path input, std::string display, bool example)
      : input_(std::move(input)), display_(std::move(display)), example_(example) {}

  void TestBody() override {
    const std::string stem = input_.stem().string();
    const fs::path dir = input_.parent_path();
    const bool must_fail = stem.rfind("fail_", 0) == 0;
    const std::string hint = "BGPLAN_UPDATE_GOLDEN=1 " + std::string(BGPLAN_GOLDEN_BINARY) +
                             " --gtest_filter='*" + stem + "*'";

    fs::path stderr_path = dir / (stem + ".stderr");
    fs::path mz_path = dir / (example_ ? "expected.mz.sql" : stem + ".mz.sql");
    fs::path pg_path = dir / (example_ ? "expected.pg.sql" : stem + ".pg.sql");
    fs::path plan_path = dir / (stem + ".plan");
    fs::path fmt_path = dir / (stem + ".fmt");
    bool any = false;

    driver::CompileOutput own = Compile(display_, input_, std::nullopt);
    std::string rendered = driver::RenderDiagnostics(own);
    if (must_fail) {
      EXPECT_TRUE(HasErrors(own)) << display_ << " is a fail_ case but reports no error";
      EXPECT_TRUE(fs::exists(stderr_path) || UpdateMode())
          << "fail_ case needs " << stderr_path.string();
      EXPECT_FALSE(fs::exists(mz_path) || fs::exists(pg_path))
          << "fail_ case must not have SQL expectations";
    } else {
      EXPECT_FALSE(HasErrors(own)) << display_ << " must compile without errors:\n" << rendered;
      if (!rendered.empty()) {
        EXPECT_TRUE(fs::exists(stderr_path))
            << display_ << " reports warnings; pin them in " << stderr_path.string() << ":\n"
            << rendered;
      }
    }
    if (fs::exists(stderr_path) || (must_fail && UpdateMode())) {
      any = true;
      CompareOrUpdate(stderr_path, rendered, hint);
    }
    if (fs::exists(plan_path)) {
      any = true;
      ASSERT_TRUE(own.plan.has_value()) << rendered;
      CompareOrUpdate(plan_path, plans::DumpPlan(*own.plan), hint);
    }
    if (fs::exists(fmt_path)) {
      any = true;
      ASSERT_NE(own.ast, nullptr) << rendered;
      CompareOrUpdate(fmt_path, ast::FormatFile(*own.ast), hint);
    }
    for (auto [path, target] : {std::pair{mz_path, plans::Target::kMaterialize},
                                std::pair{pg_path, plans::Target::kPostgres}}) {
      if (!fs::exists(path)) {
        continue;
      }
      any = true;
      driver::CompileOutput out = Compile(display_, input_, target);
      ASSERT_TRUE(out.plan.has_value()) << driver::RenderDiagnostics(out);
      CompareOrUpdate(path, resolve::RenderCompile(*out.plan, std::nullopt), hint);
    }
    EXPECT_TRUE(any) << display_ << " has no expectation file (.stderr, .mz.sql, .pg.sql, "
                     << ".plan or .fmt), so it would test nothing";
  }

 private:
  fs::path input_;
  std::string display_;
  bool example_;
};

// Every input that compiles: fmt is idempotent and never changes meaning (same plan dump).
class FormatCase : public testing::Test {
 public:
  FormatCase(fs::path input, std::string display)
      : input_(std::move(input)), display_(std::move(display)) {}

  void TestBody() override {
    driver::CompileOutput original = Compile(display_, input_, std::nullopt);
    ASSERT_NE(original.ast, nullptr);
    std::string once = ast::FormatFile(*original.ast);
    driver::CompileOutput reparsed = driver::CompileText(display_, once, {});
    ASSERT_NE(reparsed.ast, nullptr) << "fmt output does not parse:\n"
                                     << once << driver::RenderDiagnostics(reparsed);
    EXPECT_EQ(once, ast::FormatFile(*reparsed.ast)) << "fmt is not idempotent";
    ASSERT_EQ(original.plan.has_value(), reparsed.plan.has_value());
    if (original.plan.has_value()) {
      // Positions move when text is reformatted; the meaning is the plan without them.
      plans::DumpOptions no_origins;
      no_origins.origins = false;
      EXPECT_EQ(plans::DumpPlan(*original.plan, no_origins),
                plans::DumpPlan(*reparsed.plan, no_origins))
          << "fmt changed the meaning of " << display_;
    }
  }

 private:
  fs::path input_;
  std::string display_;
};

// Every static diagnostic kind has at least one golden case pinning it.
TEST(GoldenCoverage, EveryStaticKindHasAFailCase) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(kGoldenDir)) {
    if (entry.path().extension() == ".stderr") {
      all += ReadFile(entry.path());
    }
  }
  for (DiagKind kind : AllDiagKinds()) {
    if (!IsStaticKind(kind)) {
      continue;
    }
    std::string tag = "[" + std::string(DiagKindName(kind)) + "]";
    EXPECT_NE(all.find(tag), std::string::npos)
        << "no golden .stderr under tests/golden pins diagnostic kind " << tag;
  }
}

std::string TestName(const std::string& relative) {
  std::string name;
  for (char c : relative) {
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return name;
}

void RegisterCases() {
  std::vector<std::pair<fs::path, bool>> inputs;
  for (const auto& entry : fs::recursive_directory_iterator(kGoldenDir)) {
    if (entry.path().extension() == ".bgplan") {
      inputs.emplace_back(entry.path(), false);
    }
  }
  for (const auto& entry : fs::recursive_directory_iterator(kSourceDir / "examples")) {
    if (entry.path().extension() == ".bgplan") {
      inputs.emplace_back(entry.path(), true);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& [path, example] : inputs) {
    std::string display = fs::relative(path, example ? kSourceDir : kGoldenDir).string();
    std::string name = TestName(display);
    testing::RegisterTest("Golden", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [path = path, display, example = example]() -> testing::Test* {
                            return new GoldenCase(path, display, example);
                          });
    if (path.stem().string().rfind("fail_", 0) != 0 &&
        path.parent_path().filename() != "diagnostics") {
      testing::RegisterTest("Format", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [path = path, display]() -> testing::Test* {
                              return new FormatCase(path, display);
                            });
    }
  }
}

}  // namespace
}  // namespace bgplan

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  bgplan::RegisterCases();
  return RUN_ALL_TESTS();
}
