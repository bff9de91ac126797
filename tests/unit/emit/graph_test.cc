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

TEST(EmitGraphTest, PhasesStepsObjects) {
  plans::Deployment d = resolve::testing::MakeDeployment("analytics", {"marts"}, {"compute"});
  const plans::Plan plan = resolve::testing::MakePlan(plans::Target::kMaterialize, {d});
  const std::string dot = EmitGraph(plan);
  EXPECT_EQ(0u, dot.find("digraph bgplan {\n"));
  EXPECT_EQ("}\n", dot.substr(dot.size() - 2));
  EXPECT_THAT(dot, HasSubstr("subgraph cluster_p0 {\n    label=\"phase init\";\n"));
  EXPECT_THAT(dot, HasSubstr("subgraph cluster_p2b2 {\n      label=\"transaction\";"));
  EXPECT_THAT(dot, HasSubstr("[label=\"swap\"]"));
  EXPECT_THAT(dot, HasSubstr("[label=\"check\\nblue-missing\", style=dotted]"));
  EXPECT_THAT(dot, HasSubstr("o0 [shape=ellipse, label=\"schema marts\\ngreen marts_dbt_deploy\\n"
                             "deployment analytics\"];"));
  EXPECT_THAT(dot, HasSubstr("p0 -> p0s0;"));
  EXPECT_EQ(dot, EmitGraph(plan));
}

TEST(EmitGraphTest, OddNamesStayInsideStrings) {
  plans::Deployment d = resolve::testing::MakeDeployment("x\"y", {"a\"b\\c\nd"}, {});
  const std::string dot = EmitGraph(resolve::testing::MakePlan(plans::Target::kPostgres, {d}));
  EXPECT_THAT(dot, HasSubstr("schema a\\\"b\\\\c\\nd\\ngreen a\\\"b\\\\c\\nd_dbt_deploy\\n"
                             "deployment x\\\"y"));
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
