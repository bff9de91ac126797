// The validate-validation pass: the asserts of a `validate` block (duplicate names, empty SQL,
// placeholders naming no swapped schema), each reported at the offending token; a placeholder at
// its `{` inside the string, counted through the literal's escapes, multi-byte characters and
// line breaks.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/passes/pass_test_util.h"

namespace bgplan::passes {
namespace {

using testing_util::LowerText;
using testing_util::RunPasses;

std::string Validate(const std::string& text) {
  auto lowered = LowerText(text);
  EXPECT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeValidateValidationPass());
  std::string before = plans::DumpPlan(lowered->plan);
  RunPasses(*lowered, std::move(passes));
  EXPECT_EQ(before, plans::DumpPlan(lowered->plan)) << "a validation pass changed the plan";
  return lowered->Rendered();
}

TEST(ValidateValidationTest, CorrectAssertsPass) {
  EXPECT_EQ(
      Validate("deployment a {\n"
               "    schemas Marts, \"Staging\", db.\"x\"\"y\";\n"
               "    validate {\n"
               "        assert one 'SELECT count(*) = 0 FROM {MARTS}.o JOIN {\"Staging\"}.p';\n"
               "        assert two 'SELECT ''{1,2}''::int[] = ''{{marts}'' FROM {\"x\"\"y\"}.t';\n"
               "        row_count_change 0;\n"
               "    }\n"
               "}\n"),
      "");
}

TEST(ValidateValidationTest, UnknownPlaceholderAtItsBraceThroughEscapes) {
  EXPECT_EQ(Validate("deployment analytics {\n"
                     "    schemas marts, \"Staging\";\n"
                     "    validate {\n"
                     "        assert a 'SELECT 1 FROM {mart}.o';\n"
                     "        assert b 'SELECT ''\xC3\xA9'' FROM {\"staging\"}.x, {\"Staging\"}.y, "
                     "{{marts}';\n"
                     "        assert c 'SELECT 1\n"
                     "  FROM {nope}';\n"
                     "    }\n"
                     "}\n"),
            "input.bgplan:4:33: error: placeholder '{mart}' names no schema of deployment "
            "'analytics'; did you mean '{marts}'? [unknown-placeholder]\n"
            "        assert a 'SELECT 1 FROM {mart}.o';\n"
            "                                ^~~~~~\n"
            "input.bgplan: note: a placeholder names a schema the deployment swaps: {marts}, "
            "{\"Staging\"}; "
            "write '{{' for a literal '{'\n"
            "input.bgplan:5:37: error: placeholder '{\"staging\"}' names no schema of deployment "
            "'analytics'; did you mean '{\"Staging\"}'? [unknown-placeholder]\n"
            "        assert b 'SELECT ''\xC3\xA9'' FROM {\"staging\"}.x, {\"Staging\"}.y, "
            "{{marts}';\n"
            "                                    ^~~~~~~~~~~\n"
            "input.bgplan: note: a placeholder names a schema the deployment swaps: {marts}, "
            "{\"Staging\"}; "
            "write '{{' for a literal '{'\n"
            "input.bgplan:7:8: error: placeholder '{nope}' names no schema of deployment "
            "'analytics' [unknown-placeholder]\n"
            "  FROM {nope}';\n"
            "       ^~~~~~\n"
            "input.bgplan: note: a placeholder names a schema the deployment swaps: {marts}, "
            "{\"Staging\"}; "
            "write '{{' for a literal '{'\n");
}

TEST(ValidateValidationTest, DeploymentWithoutSchemasAllowsNoPlaceholder) {
  std::string out = Validate(
      "deployment c {\n"
      "    clusters compute;\n"
      "    validate { assert x 'SELECT {compute} IS NULL'; }\n"
      "}\n");
  EXPECT_NE(out.find("input.bgplan:3:33: error: placeholder '{compute}' names no schema of "
                     "deployment 'c' [unknown-placeholder]"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("input.bgplan: note: deployment 'c' swaps no schema, so its asserts can use no "
               "placeholder; write '{{' for a literal '{'"),
      std::string::npos)
      << out;
}

TEST(ValidateValidationTest, DuplicateNamesAndEmptySql) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    schemas s;\n"
                     "    validate {\n"
                     "        assert Same 'SELECT true';\n"
                     "        assert same '   ';\n"
                     "        assert other '\n"
                     "\t';\n"
                     "        assert \"Same\" '';\n"
                     "    }\n"
                     "}\n"
                     "deployment b {\n"
                     "    schemas t;\n"
                     "    validate { assert same 'SELECT true'; }\n"
                     "}\n"),
            "input.bgplan:5:16: error: duplicate assert 'same' in deployment 'a' "
            "[duplicate-assert]\n"
            "        assert same '   ';\n"
            "               ^~~~\n"
            "input.bgplan:4:16: note: first assert 'same' is here\n"
            "        assert Same 'SELECT true';\n"
            "               ^~~~\n"
            "input.bgplan:5:21: error: assert 'same' has no SQL: it needs a query returning one "
            "row with one boolean column [empty-assert-sql]\n"
            "        assert same '   ';\n"
            "                    ^~~~~\n"
            "input.bgplan:6:22: error: assert 'other' has no SQL: it needs a query returning one "
            "row with one boolean column [empty-assert-sql]\n"
            "        assert other '\n"
            "                     ^\n"
            "input.bgplan:8:23: error: assert 'Same' has no SQL: it needs a query returning one "
            "row with one boolean column [empty-assert-sql]\n"
            "        assert \"Same\" '';\n"
            "                      ^~\n");
}

TEST(ValidateValidationTest, ListOfAllowedPlaceholdersIsCapped) {
  std::string schemas;
  for (int i = 0; i < 25; ++i) {
    schemas += (i == 0 ? "s" : ", s") + std::to_string(i);
  }
  std::string out = Validate("deployment a {\n    schemas " + schemas +
                             ";\n    validate { assert x 'SELECT {zz}'; }\n}\n");
  EXPECT_NE(out.find("{s18}, {s19} and 5 more; write '{{'"), std::string::npos) << out;
}

}  // namespace
}  // namespace bgplan::passes
