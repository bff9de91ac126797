// The emitter on plans built by the real front end, lowering and pass pipeline
// (compiler/driver), rather than by hand: the pipeline's batching must satisfy the dialects'
// transaction rules, and names written in a .bgplan file must reach the SQL only quoted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/driver/compile.h"
#include "compiler/emit/graph.h"
#include "resolve/render.h"
#include "resolve/resolver.h"
#include "tests/unit/resolve/sql_lexer.h"

namespace bgplan::resolve {

using namespace ::bgplan::sql;  // NOLINT(google-build-using-namespace)
namespace {

using ::testing::HasSubstr;

plans::Plan CompileOrDie(const std::string& text, plans::Target target) {
  driver::CompileOptions options;
  options.target = target;
  driver::CompileOutput out = driver::CompileText("input.bgplan", text, options);
  EXPECT_TRUE(out.ok()) << driver::RenderDiagnostics(out);
  EXPECT_TRUE(out.plan.has_value());
  return out.plan.has_value() ? *out.plan : plans::Plan{};
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::set<std::string> AllNames(const plans::Plan& plan) {
  auto dialect = MakeDialect(plan.target);
  std::set<std::string> names;
  for (const plans::Deployment& d : plan.deployments) {
    names.insert(d.database);
    for (const plans::SchemaPair& s : d.schemas) {
      names.insert({s.database, s.blue, s.green, SwapTempName(s.blue, *dialect)});
    }
    for (const plans::ClusterPair& c : d.clusters) {
      names.insert({c.blue, c.green});
    }
  }
  return names;
}

// Every check step of every golden and example plan, for both targets, names a rule the resolver
// defines (resolve/rules.cc): a check no rule decides would pass unseen.
TEST(EmitPipelineTest, EveryCheckStepNamesALiveRule) {
  namespace fs = std::filesystem;
  size_t files = 0, checks = 0;
  for (const char* dir : {"/tests/golden/emit", "/examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(std::string(BGPLAN_SOURCE_DIR) + dir)) {
      if (entry.path().extension() != ".bgplan") {
        continue;
      }
      std::stringstream text;
      text << std::ifstream(entry.path()).rdbuf();
      ++files;
      for (plans::Target target : {plans::Target::kMaterialize, plans::Target::kPostgres}) {
        driver::CompileOptions options;
        options.target = target;
        driver::CompileOutput out = driver::CompileText(entry.path().string(), text.str(), options);
        if (!out.plan.has_value() || !out.ok()) {
          continue;  // a plan for the other target only (e.g. database-qualified schemas)
        }
        for (const plans::Phase& phase : out.plan->phases) {
          for (const plans::Batch& batch : phase.batches) {
            for (const plans::Step& step : batch.steps) {
              if (step.kind == plans::StepKind::kCheck) {
                ++checks;
                EXPECT_TRUE(IsLiveRule(step.rule)) << entry.path() << ": " << step.rule;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GE(files, 14u);
  EXPECT_GT(checks, 100u);
  EXPECT_FALSE(IsLiveRule("no-such-rule"));
}

TEST(EmitPipelineTest, OddNamesFromTheSourceStayQuoted) {
  const std::string text =
      "deployment \"d\"\"ep\" {\n"
      "    schemas \"x\"\"; DROP TABLE t; --\", \"multi\nline\", \"it's\", \"SELECT\", Mixed;\n"
      "    suffix '_g''\"';\n"
      "}\n";
  for (plans::Target target : {plans::Target::kMaterialize, plans::Target::kPostgres}) {
    const plans::Plan plan = CompileOrDie(text, target);
    const std::string sql = RenderCompile(plan, std::nullopt);
    testing::ExpectOnlyQuotedNames(sql, AllNames(plan));
    EXPECT_THAT(sql, HasSubstr("CREATE SCHEMA \"x\"\"; DROP TABLE t; --_g'\"\"\";\n"));
    EXPECT_THAT(sql, HasSubstr("CREATE SCHEMA \"multi\nline_g'\"\"\";\n"));
    // Unquoted names fold to lower case; quoted keywords stay as written.
    EXPECT_THAT(sql, HasSubstr("CREATE SCHEMA \"mixed_g'\"\"\";\n"));
    EXPECT_THAT(sql, HasSubstr("CREATE SCHEMA \"SELECT_g'\"\"\";\n"));
  }
}

TEST(EmitPipelineTest, MaterializeHasOneTransactionPerSwapPhase) {
  const plans::Plan plan = CompileOrDie(
      "deployment a { schemas s1; clusters c1; }\n"
      "deployment b { schemas s2; clusters c2; cluster c2 { size '25cc'; replication_factor 1; } "
      "}\n",
      plans::Target::kMaterialize);
  const std::string promote = RenderCompile(plan, plans::PhaseKind::kPromote);
  EXPECT_EQ(1u, Count(promote, "BEGIN;"));
  EXPECT_THAT(promote, HasSubstr("BEGIN;\n"
                                 "ALTER SCHEMA \"s1\" SWAP WITH \"s1_dbt_deploy\";\n"
                                 "ALTER SCHEMA \"s2\" SWAP WITH \"s2_dbt_deploy\";\n"
                                 "ALTER CLUSTER \"c1\" SWAP WITH \"c1_dbt_deploy\";\n"
                                 "ALTER CLUSTER \"c2\" SWAP WITH \"c2_dbt_deploy\";\n"
                                 "COMMIT;\n"));
  EXPECT_EQ(1u, Count(RenderCompile(plan, plans::PhaseKind::kRollback), "BEGIN;"));
  for (plans::PhaseKind k :
       {plans::PhaseKind::kInit, plans::PhaseKind::kAwait, plans::PhaseKind::kCleanup}) {
    EXPECT_EQ(0u, Count(RenderCompile(plan, k), "BEGIN;")) << plans::PhaseName(k);
  }
  const std::string init = RenderCompile(plan, plans::PhaseKind::kInit);
  EXPECT_THAT(init, HasSubstr("--   set by the plan: SIZE = '25cc', REPLICATION FACTOR = 1;\n"));
  EXPECT_EQ(1u, Count(RenderCompile(plan, plans::PhaseKind::kAwait), "poll readiness"));
}

TEST(EmitPipelineTest, PostgresHasOneTransactionPerWritingPhase) {
  const plans::Plan plan = CompileOrDie(
      "target postgres;\n"
      "deployment a { schemas s1; sinks { schemas out; } promote { lock_timeout 2s; } }\n"
      "deployment b { schemas s2; }\n",
      plans::Target::kPostgres);
  for (plans::PhaseKind k : {plans::PhaseKind::kInit, plans::PhaseKind::kPromote,
                             plans::PhaseKind::kRollback, plans::PhaseKind::kCleanup}) {
    const std::string sql = RenderCompile(plan, k);
    EXPECT_EQ(1u, Count(sql, "BEGIN;")) << plans::PhaseName(k) << "\n" << sql;
    EXPECT_EQ(1u, Count(sql, "COMMIT;")) << plans::PhaseName(k);
  }
  EXPECT_EQ(0u, Count(RenderCompile(plan, plans::PhaseKind::kAwait), "BEGIN;"));
  const std::string promote = RenderCompile(plan, plans::PhaseKind::kPromote);
  EXPECT_THAT(promote,
              HasSubstr("BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET LOCAL search_path = '';\n"));
  EXPECT_THAT(promote, HasSubstr("the views in sinks schema \"out\" that depend on"));
}

TEST(EmitPipelineTest, GraphOfACompiledPlan) {
  const plans::Plan plan =
      CompileOrDie("deployment a { schemas s1; clusters c1; }\n", plans::Target::kMaterialize);
  const std::string dot = emit::EmitGraph(plan);
  EXPECT_THAT(dot, HasSubstr("label=\"phase cleanup\""));
  EXPECT_THAT(dot, HasSubstr("label=\"transaction (one round trip)\\lswap\\l\""));
  EXPECT_EQ(dot, emit::EmitGraph(plan));
}

TEST(EmitPipelineTest, StreamedSqlIsTheWholeTextInPieces) {
  // Enough deployments for several 64 KiB pieces.
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += "deployment d" + std::to_string(i) + " { schemas s" + std::to_string(i) + "a, s" +
            std::to_string(i) + "b; clusters c" + std::to_string(i) + "; }\n";
  }
  const plans::Plan plan = CompileOrDie(text, plans::Target::kMaterialize);
  for (const std::optional<plans::PhaseKind> options :
       {std::optional<plans::PhaseKind>(), std::optional<plans::PhaseKind>(plans::PhaseKind::kPromote)}) {
    const std::string whole = RenderCompile(plan, options);
    std::string streamed;
    size_t pieces = 0;
    RenderCompile(plan, options, [&](std::string_view piece) {
      EXPECT_FALSE(piece.empty());
      streamed += piece;
      ++pieces;
    });
    EXPECT_EQ(streamed, whole);
    EXPECT_EQ(pieces, whole.size() / (64 * 1024) + 1);
  }
}

}  // namespace
}  // namespace bgplan::resolve
