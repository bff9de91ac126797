// Unit tests of the validation passes: lower a snippet, run only the pass, compare the rendered
// diagnostics.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/passes/pass_test_util.h"

namespace bgplan::passes {
namespace {

using testing_util::LowerText;
using testing_util::RunPasses;

std::string Validate(const std::string& text, std::unique_ptr<Pass> pass) {
  auto lowered = LowerText(text);
  EXPECT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(std::move(pass));
  std::string before = plans::DumpPlan(lowered->plan);
  RunPasses(*lowered, std::move(passes));
  EXPECT_EQ(before, plans::DumpPlan(lowered->plan)) << "a validation pass changed the plan";
  return lowered->Rendered();
}

TEST(ValidateDeploymentsTest, DuplicateAndEmpty) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    schemas x;\n"
                     "}\n"
                     "deployment a {\n"
                     "    schemas y;\n"
                     "}\n"
                     "deployment b {\n"
                     "    suffix '_g';\n"
                     "    sinks { schemas z; }\n"
                     "}\n",
                     MakeValidateDeploymentsPass()),
            "input.bgplan:4:12: error: duplicate deployment 'a' [duplicate-deployment]\n"
            "deployment a {\n"
            "           ^\n"
            "input.bgplan:1:12: note: deployment 'a' is first defined here\n"
            "deployment a {\n"
            "           ^\n"
            "input.bgplan:7:12: error: deployment 'b' names no schema and no cluster "
            "[empty-deployment]\n"
            "deployment b {\n"
            "           ^\n");
}

TEST(ValidateObjectsTest, DuplicatesTwoDeploymentsAndCrossDatabase) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    schemas marts, Marts, db.x, other.y;\n"
                     "    clusters c, c;\n"
                     "}\n"
                     "deployment b {\n"
                     "    schemas marts;\n"
                     "    clusters c;\n"
                     "}\n",
                     MakeValidateObjectsPass()),
            "input.bgplan:2:20: warning: schema 'marts' is listed twice in deployment 'a'; the "
            "duplicate is dropped [duplicate-object]\n"
            "    schemas marts, Marts, db.x, other.y;\n"
            "                   ^~~~~\n"
            "input.bgplan:2:13: note: first listed here\n"
            "    schemas marts, Marts, db.x, other.y;\n"
            "            ^~~~~\n"
            "input.bgplan:2:33: error: schema 'other.y' is in database 'other' but deployment "
            "'a' also swaps schemas in database 'db'; a swap cannot cross databases "
            "[cross-database-schema]\n"
            "    schemas marts, Marts, db.x, other.y;\n"
            "                                ^~~~~~~\n"
            "input.bgplan:2:27: note: schema 'db.x' is here\n"
            "    schemas marts, Marts, db.x, other.y;\n"
            "                          ^~~~\n"
            "input.bgplan:3:17: warning: cluster 'c' is listed twice in deployment 'a'; the "
            "duplicate is dropped [duplicate-object]\n"
            "    clusters c, c;\n"
            "                ^\n"
            "input.bgplan:3:14: note: first listed here\n"
            "    clusters c, c;\n"
            "             ^\n"
            "input.bgplan:6:13: error: schema 'marts' is already deployed by deployment 'a' "
            "[object-in-two-deployments]\n"
            "    schemas marts;\n"
            "            ^~~~~\n"
            "input.bgplan:2:13: note: listed here\n"
            "    schemas marts, Marts, db.x, other.y;\n"
            "            ^~~~~\n"
            "input.bgplan:7:14: error: cluster 'c' is already deployed by deployment 'a' "
            "[object-in-two-deployments]\n"
            "    clusters c;\n"
            "             ^\n"
            "input.bgplan:3:14: note: listed here\n"
            "    clusters c, c;\n"
            "             ^\n");
}

TEST(ValidateObjectsTest, ConnectionDatabaseIsNotComparedStatically) {
  EXPECT_EQ(Validate("deployment a { schemas marts, db.x; }\n", MakeValidateObjectsPass()), "");
  EXPECT_EQ(Validate("deployment a { schemas db.marts; database db; schemas x; }\n",
                     MakeValidateObjectsPass()),
            "");
}

TEST(ValidateSinksTest, SinkSchemaAndClusterSwapped) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    schemas marts;\n"
                     "    clusters compute;\n"
                     "    sinks { schemas marts; clusters compute; }\n"
                     "}\n",
                     MakeValidateSinksPass()),
            "input.bgplan:4:21: error: sink schema 'marts' is also swapped by deployment 'a'; "
            "sinks must live outside the swapped schemas [sink-schema-swapped]\n"
            "    sinks { schemas marts; clusters compute; }\n"
            "                    ^~~~~\n"
            "input.bgplan:2:13: note: swapped here\n"
            "    schemas marts;\n"
            "            ^~~~~\n"
            "input.bgplan:4:37: error: sink cluster 'compute' is also swapped by deployment 'a'; "
            "sinks must live outside the swapped clusters [sink-cluster-swapped]\n"
            "    sinks { schemas marts; clusters compute; }\n"
            "                                    ^~~~~~~\n"
            "input.bgplan:3:14: note: swapped here\n"
            "    clusters compute;\n"
            "             ^~~~~~~\n");
}

TEST(ValidateClustersTest, ClustersNotSupportedOnPostgres) {
  EXPECT_EQ(Validate("target postgres;\n"
                     "deployment a {\n"
                     "    schemas s;\n"
                     "    clusters compute;\n"
                     "    cluster compute { size 'x'; }\n"
                     "    sinks { clusters sc; }\n"
                     "}\n",
                     MakeValidateClustersPass()),
            "input.bgplan:4:14: error: cluster 'compute': clusters are not supported with target "
            "postgres [clusters-not-supported]\n"
            "    clusters compute;\n"
            "             ^~~~~~~\n"
            "input.bgplan:1:8: note: target set to 'postgres' here\n"
            "target postgres;\n"
            "       ^~~~~~~~\n"
            "input.bgplan:5:13: error: 'cluster compute' block: clusters are not supported with "
            "target postgres [clusters-not-supported]\n"
            "    cluster compute { size 'x'; }\n"
            "            ^~~~~~~\n"
            "input.bgplan:1:8: note: target set to 'postgres' here\n"
            "target postgres;\n"
            "       ^~~~~~~~\n"
            "input.bgplan:6:22: error: sink cluster 'sc': clusters are not supported with target "
            "postgres [clusters-not-supported]\n"
            "    sinks { clusters sc; }\n"
            "                     ^~\n"
            "input.bgplan:1:8: note: target set to 'postgres' here\n"
            "target postgres;\n"
            "       ^~~~~~~~\n");
}

TEST(ValidateClustersTest, UnknownClusterOverride) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    clusters compute;\n"
                     "    cluster comptue { size 'x'; }\n"
                     "    cluster other { }\n"
                     "}\n",
                     MakeValidateClustersPass()),
            "input.bgplan:3:13: error: settings for cluster 'comptue', which deployment 'a' does "
            "not list in 'clusters'; did you mean 'compute'? [unknown-cluster-override]\n"
            "    cluster comptue { size 'x'; }\n"
            "            ^~~~~~~\n"
            "input.bgplan:2:14: note: 'compute' is listed here\n"
            "    clusters compute;\n"
            "             ^~~~~~~\n"
            "input.bgplan:4:13: error: settings for cluster 'other', which deployment 'a' does "
            "not list in 'clusters' [unknown-cluster-override]\n"
            "    cluster other { }\n"
            "            ^~~~~\n");
}

TEST(ValidateGreenNamesTest, Collisions) {
  EXPECT_EQ(Validate("deployment a {\n"
                     "    schemas x, m, m_g;\n"
                     "    clusters c;\n"
                     "    suffix '_g';\n"
                     "}\n"
                     "deployment b {\n"
                     "    schemas x_;\n"
                     "    clusters c_g;\n"
                     "    suffix 'g';\n"
                     "}\n",
                     MakeValidateGreenNamesPass()),
            "input.bgplan:2:16: error: green name 'm_g' of schema 'm' is also the name of schema "
            "'m_g' in deployment 'a' [green-name-collision]\n"
            "    schemas x, m, m_g;\n"
            "               ^\n"
            "input.bgplan:2:19: note: schema 'm_g' is listed here\n"
            "    schemas x, m, m_g;\n"
            "                  ^~~\n"
            "input.bgplan:3:14: error: green name 'c_g' of cluster 'c' is also the name of "
            "cluster 'c_g' in deployment 'b' [green-name-collision]\n"
            "    clusters c;\n"
            "             ^\n"
            "input.bgplan:8:14: note: cluster 'c_g' is listed here\n"
            "    clusters c_g;\n"
            "             ^~~\n"
            "input.bgplan:7:13: error: green name 'x_g' of schema 'x_' is also the green name of "
            "schema 'x' in deployment 'a' [green-name-collision]\n"
            "    schemas x_;\n"
            "            ^~\n"
            "input.bgplan:2:13: note: schema 'x' is listed here\n"
            "    schemas x, m, m_g;\n"
            "            ^\n");
}

TEST(ValidateGreenNamesTest, DatabasesAndSinks) {
  // Different databases: no collision.
  EXPECT_EQ(Validate("deployment a { schemas db1.m; suffix '_g'; }\n"
                     "deployment b { schemas db2.m_g; }\n",
                     MakeValidateGreenNamesPass()),
            "");
  // A green name equal to a sink schema would be dropped by cleanup: a collision.
  std::string out = Validate("deployment a { schemas m; sinks { schemas m_dbt_deploy; } }\n",
                             MakeValidateGreenNamesPass());
  EXPECT_NE(out.find("is also the name of sink schema 'm_dbt_deploy' in deployment 'a' "
                     "[green-name-collision]"),
            std::string::npos)
      << out;
}

TEST(ValidateGreenNamesTest, NameTooLong) {
  std::string name(53, 'n');  // + "_dbt_deploy" = 64 bytes
  std::string pg = Validate("target postgres;\ndeployment a { schemas " + name + "; }\n",
                            MakeValidateGreenNamesPass());
  EXPECT_NE(
      pg.find("input.bgplan:2:24: error: green name '" + name + "_dbt_deploy' of schema '" + name +
              "' is 64 bytes long; PostgreSQL identifiers are at most 63 bytes "
              "[name-too-long]"),
      std::string::npos)
      << pg;
  EXPECT_EQ(Validate("deployment a { schemas " + name + "; }\n", MakeValidateGreenNamesPass()), "");
  std::string long_name(250, 'c');
  std::string mz =
      Validate("deployment a { clusters " + long_name + "; }\n", MakeValidateGreenNamesPass());
  EXPECT_NE(mz.find("is 261 bytes long; Materialize identifiers are at most 255 bytes "
                    "[name-too-long]"),
            std::string::npos)
      << mz;
}

}  // namespace
}  // namespace bgplan::passes
