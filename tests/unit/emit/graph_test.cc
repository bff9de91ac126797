#include "compiler/emit/graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/resolve/plan_fixtures.h"

namespace bgplan::emit {
namespace {

using ::testing::HasSubstr;

TEST(DotEscapeTest, EscapesQuotesBackslashesAndNewlines) {
  EXPECT_EQ("plain", DotEscape("plain"));
  EXPECT_EQ("a\\\"b", DotEscape("a\"b"));
  EXPECT_EQ("a\\\\b", DotEscape("a\\b"));
  EXPECT_EQ("a\\nb", DotEscape("a\nb"));
  EXPECT_EQ("a\\\\x0db", DotEscape("a\rb"));
}

TEST(EmitGraphTest, PhasesInOrderBatchesAndObjectsOnce) {
  plans::Deployment d = resolve::testing::MakeDeployment("analytics", {"marts"}, {"compute"});
  const plans::Plan plan = resolve::testing::MakePlan(plans::Target::kMaterialize, {d});
  const std::string dot = EmitGraph(plan);
  EXPECT_EQ(0u, dot.find("digraph bgplan {\n"));
  EXPECT_EQ("}\n", dot.substr(dot.size() - 2));
  // Each object once, in the deployment's box.
  EXPECT_THAT(dot, HasSubstr("d0 [shape=note, label=\"deployment analytics\\lschema marts -> "
                             "marts_dbt_deploy\\lcluster compute -> compute_dbt_deploy\\l\"];"));
  size_t count = 0;
  for (size_t at = dot.find("marts_dbt_deploy"); at != std::string::npos;
       at = dot.find("marts_dbt_deploy", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << dot;
  // The phases in order, chained top to bottom from the objects.
  const char* phases[] = {"1. init", "2. await", "3. promote", "4. rollback", "5. cleanup"};
  size_t last = 0;
  for (const char* phase : phases) {
    const size_t at = dot.find(std::string("label=\"") + phase + "\"");
    ASSERT_NE(at, std::string::npos) << phase;
    EXPECT_GT(at, last) << phase;
    last = at;
  }
  EXPECT_THAT(dot, HasSubstr("d0 -> p0 [style=bold];"));
  EXPECT_THAT(dot, HasSubstr("p0 -> p0b0;"));
  // Checks on one node; the swap in a transaction batch.
  EXPECT_THAT(dot, HasSubstr("checks: blue-missing, "));
  EXPECT_THAT(dot, HasSubstr("transaction (one round trip)\\lswap\\l"));
  EXPECT_EQ(dot, EmitGraph(plan));
}

TEST(EmitGraphTest, OddNamesStayInsideStrings) {
  plans::Deployment d = resolve::testing::MakeDeployment("x\"y", {"a\"b\\c\nd"}, {});
  const std::string dot = EmitGraph(resolve::testing::MakePlan(plans::Target::kPostgres, {d}));
  EXPECT_THAT(dot, HasSubstr("deployment x\\\"y\\lschema a\\\"b\\\\c\\nd -> a\\\"b\\\\c\\nd_dbt_deploy\\l"));
  // Every line is balanced: an even number of unescaped quotes.
  size_t start = 0;
  while (start < dot.size()) {
    const size_t end = dot.find('\n', start);
    const std::string line = dot.substr(start, end - start);
    int quotes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == '"') {
        ++quotes;
      }
    }
    EXPECT_EQ(0, quotes % 2) << line;
    start = end + 1;
  }
}

}  // namespace
}  // namespace bgplan::emit
