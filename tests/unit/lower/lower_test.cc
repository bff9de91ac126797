#include "compiler/lower/lower.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plans/plan_dump.h"
#include "tests/unit/lower/lower_test_util.h"

namespace bgplan::lower {
namespace {

using testing_util::LowerText;

std::vector<std::string> Kinds(const DiagnosticEngine& diags) {
  std::vector<std::string> kinds;
  for (const auto& d : diags.Sorted()) {
    kinds.emplace_back(DiagKindName(d.kind));
  }
  return kinds;
}

TEST(LowerTest, FoldsUnquotedNamesAndKeepsQuotedOnes) {
  auto out = LowerText(
      "deployment Analytics {\n"
      "    schemas Marts, \"Marts\", DB.Staging;\n"
      "    clusters Compute, \"Serving\";\n"
      "}\n");
  ASSERT_EQ(out->Rendered(), "");
  EXPECT_EQ(plans::DumpPlan(out->plan),
            "plan target=materialize\n"
            "deployment analytics @1:12\n"
            "  database (connection)\n"
            "  suffix '_dbt_deploy'\n"
            "  schema marts -> marts_dbt_deploy @2:13\n"
            "  schema \"Marts\" -> \"Marts_dbt_deploy\" @2:20\n"
            "  schema db.staging -> staging_dbt_deploy @2:29\n"
            "  cluster compute -> compute_dbt_deploy @3:14\n"
            "  cluster \"Serving\" -> \"Serving_dbt_deploy\" @3:23\n"
            "  await poll_interval=15000ms lag_threshold=1000ms timeout=86400000ms "
            "stable_for=0ms\n"
            "  promote wait=false max_retries=3 retry_backoff=1000ms lock_timeout=5000ms\n"
            "  cleanup keep_blue=0ms\n");
}

TEST(LowerTest, FoldNameIsAsciiOnly) {
  ast::Name name{"MÄRTS_Ö", false, {}};
  EXPECT_EQ(FoldName(name), "mÄrts_Ö");
  ast::Name quoted{"MARTS", true, {}};
  EXPECT_EQ(FoldName(quoted), "MARTS");
}

TEST(LowerTest, CustomSuffixAndDatabase) {
  auto out = LowerText(
      "target postgres;\n"
      "deployment d {\n"
      "    schemas marts, other.staging;\n"
      "    suffix '_Green';\n"
      "    database Analytics;\n"
      "    sinks { schemas sinks_here; }\n"
      "}\n");
  ASSERT_EQ(out->Rendered(), "");
  EXPECT_EQ(plans::DumpPlan(out->plan),
            "plan target=postgres @1:8\n"
            "deployment d @2:12\n"
            "  database analytics\n"
            "  suffix '_Green'\n"
            "  schema analytics.marts -> \"marts_Green\" @3:13\n"
            "  schema other.staging -> \"staging_Green\" @3:20\n"
            "  sink-schema analytics.sinks_here @6:21\n"
            "  await poll_interval=15000ms lag_threshold=1000ms timeout=86400000ms "
            "stable_for=0ms\n"
            "  promote wait=false max_retries=3 retry_backoff=1000ms lock_timeout=5000ms\n"
            "  cleanup keep_blue=0ms\n");
}

TEST(LowerTest, EverySetting) {
  auto out = LowerText(
      "deployment d {\n"
      "    clusters compute, serving;\n"
      "    cluster Compute { size '200cc'; replication_factor 2; }\n"
      "    cluster serving { replication_factor 0; }\n"
      "    sinks { schemas s; clusters sink_cluster; }\n"
      "    await { poll_interval 500ms; lag_threshold 2s; timeout 1h30m; stable_for 1m; }\n"
      "    promote { wait true; max_retries 0; retry_backoff 250ms; lock_timeout 10s; }\n"
      "    cleanup { keep_blue 7d; }\n"
      "}\n");
  ASSERT_EQ(out->Rendered(), "");
  EXPECT_EQ(plans::DumpPlan(out->plan),
            "plan target=materialize\n"
            "deployment d @1:12\n"
            "  database (connection)\n"
            "  suffix '_dbt_deploy'\n"
            "  cluster compute -> compute_dbt_deploy size='200cc' replication_factor=2 @2:14\n"
            "  cluster serving -> serving_dbt_deploy replication_factor=0 @2:23\n"
            "  cluster-settings compute size='200cc' replication_factor=2 @3:13\n"
            "  cluster-settings serving replication_factor=0 @4:13\n"
            "  sink-schema s @5:21\n"
            "  sink-cluster sink_cluster @5:33\n"
            "  await poll_interval=500ms lag_threshold=2000ms timeout=5400000ms "
            "stable_for=60000ms\n"
            "  promote wait=true max_retries=0 retry_backoff=250ms lock_timeout=10000ms\n"
            "  cleanup keep_blue=604800000ms\n");
}

TEST(LowerTest, TargetOverrideWins) {
  LowerOptions options;
  options.target_override = plans::Target::kPostgres;
  auto out = LowerText("target materialize;\ndeployment d { schemas a; }\n", options);
  EXPECT_EQ(out->plan.target, plans::Target::kPostgres);
  EXPECT_FALSE(out->plan.target_origin.valid());
}

TEST(LowerTest, UnknownAndDuplicateTarget) {
  auto out = LowerText("target mysql;\ntarget postgres;\ndeployment d { schemas a; }\n");
  EXPECT_EQ(out->Rendered(),
            "input.bgplan:1:8: error: unknown target 'mysql'; expected 'materialize' or "
            "'postgres' [unknown-target]\n"
            "target mysql;\n"
            "       ^~~~~\n"
            "input.bgplan:2:1: error: duplicate 'target' declaration [duplicate-target]\n"
            "target postgres;\n"
            "^~~~~~~~~~~~~~~~\n"
            "input.bgplan:1:1: note: first 'target' declaration is here\n"
            "target mysql;\n"
            "^~~~~~~~~~~~~\n");
  // The unknown target falls back to the default.
  EXPECT_EQ(out->plan.target, plans::Target::kMaterialize);
}

// Issue 15: a misspelt target names the one it most likely is.
TEST(LowerTest, MisspeltTargetSuggestsTheTarget) {
  for (const auto& [written, meant] :
       {std::pair{"materialze", "materialize"}, std::pair{"Materialise", "materialize"},
        std::pair{"postgress", "postgres"}, std::pair{"postgre", "postgres"}}) {
    auto out = LowerText("target " + std::string(written) + ";\ndeployment d { schemas a; }\n");
    ASSERT_EQ(out->diags.Sorted().size(), 1u) << out->Rendered();
    EXPECT_EQ(out->diags.Sorted()[0].message,
              "unknown target '" + std::string(written) + "'; did you mean '" + meant + "'?");
  }
}

// Issue 15: dbt gives durations in seconds as bare numbers; a duration in quotes is a string.
TEST(LowerTest, DurationWithoutUnitSuggestsOne) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    await { poll_interval 30; timeout '1h30m'; lag_threshold 'soon'; }\n"
      "}\n");
  std::vector<std::string> messages;
  for (const Diagnostic& d : out->diags.Sorted()) {
    messages.push_back(d.message);
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "invalid value '30' for 'poll_interval': durations need a unit: did you mean "
                "'30s'?",
                "invalid value '1h30m' for 'timeout': durations are written without quotes: did "
                "you mean 1h30m?",
                "invalid value 'soon' for 'lag_threshold': expected a duration such as '15s', "
                "found string"}));
}

// Issue 15: a malformed duration is reported once, by the front end; lowering the rest of the
// file says nothing more about it (no type or range error at the same token).
TEST(LowerTest, MalformedDurationIsNotReportedAgain) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    clusters c;\n"
      "    await { timeout 30s2h; }\n"
      "    cluster c { size 200cc; replication_factor 5x; }\n"
      "    validate { assert a 5x; row_count_change 1d1d; }\n"
      "    cleanup { keep_blue 1y; }\n"
      "}\n");
  EXPECT_EQ(Kinds(out->diags), (std::vector<std::string>{
                                   "invalid-duration", "invalid-setting-value", "invalid-duration",
                                   "invalid-duration", "invalid-duration", "invalid-duration"}))
      << out->Rendered();
  // Their settings keep their defaults.
  ASSERT_EQ(out->plan.deployments.size(), 1u);
  EXPECT_EQ(out->plan.deployments[0].await.timeout_ms, plans::AwaitSettings{}.timeout_ms);
  EXPECT_TRUE(out->plan.deployments[0].validate.asserts.empty());
}

TEST(LowerTest, UnknownSettingSuggestsClosestKey) {
  auto out = LowerText("deployment d {\n    schemas a;\n    await { poll_intervall 1s; }\n}\n");
  EXPECT_EQ(out->Rendered(),
            "input.bgplan:3:13: error: unknown setting 'poll_intervall' in 'await' block; did "
            "you mean 'poll_interval'? [unknown-setting]\n"
            "    await { poll_intervall 1s; }\n"
            "            ^~~~~~~~~~~~~~\n");
}

TEST(LowerTest, SettingOfAnotherBlockSaysWhereItBelongs) {
  auto out = LowerText("deployment d {\n    schemas a;\n    await { keep_blue 1h; }\n}\n");
  EXPECT_EQ(out->Rendered(),
            "input.bgplan:3:13: error: unknown setting 'keep_blue' in 'await' block; 'keep_blue' "
            "belongs in a 'cleanup' block [unknown-setting]\n"
            "    await { keep_blue 1h; }\n"
            "            ^~~~~~~~~\n");
}

TEST(LowerTest, InvalidSettingValues) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    await { poll_interval 50ms; timeout 0s; }\n"
      "    promote { max_retries 'x'; wait 1; retry_backoff 2h; }\n"
      "    cluster c { size ''; replication_factor 17; }\n"
      "    cleanup { keep_blue 400d; }\n"
      "}\n");
  std::vector<std::string> expected(8, "invalid-setting-value");
  EXPECT_EQ(Kinds(out->diags), expected) << out->Rendered();
  std::string rendered = out->Rendered();
  EXPECT_NE(rendered.find("invalid value '50ms' for 'poll_interval': must be between 100ms and "
                          "365d (bgplan's upper bound for durations)"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("invalid value 'x' for 'max_retries': expected an integer, found "
                          "string"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("invalid value '17' for 'replication_factor': must be between 0 and "
                          "16 [invalid-setting-value]"),
            std::string::npos)
      << rendered;
  // Rejected values keep their defaults.
  ASSERT_EQ(out->plan.deployments.size(), 1u);
  EXPECT_EQ(out->plan.deployments[0].await.poll_interval_ms, 15'000);
  EXPECT_EQ(out->plan.deployments[0].promote.max_retries, 3);
}

// Issue 13: the cluster keys beyond size and replication_factor, and compare_to_blue.
TEST(LowerTest, ClusterSettingsAndCompareToBlue) {
  auto out = LowerText(
      "deployment d {\n"
      "    clusters c;\n"
      "    cluster c { introspection_interval 500ms; introspection_debugging true;\n"
      "                hydration_size '800cc'; linger 10m; }\n"
      "    await { compare_to_blue true; }\n"
      "}\n");
  ASSERT_TRUE(Kinds(out->diags).empty()) << out->Rendered();
  const plans::ClusterSettings& c = out->plan.deployments[0].clusters[0].settings;
  EXPECT_EQ(c.introspection_interval_ms, 500);
  EXPECT_EQ(c.introspection_debugging, true);
  EXPECT_EQ(c.hydration_size, "800cc");
  EXPECT_EQ(c.linger_ms, 600'000);
  EXPECT_FALSE(c.size.has_value());
  EXPECT_TRUE(out->plan.deployments[0].await.compare_to_blue);
}

// What Materialize refuses whatever blue looks like is refused statically, at the key.
TEST(LowerTest, ClusterSettingsMaterializeRefuses) {
  auto out = LowerText(
      "deployment d {\n"
      "    clusters a, b, c;\n"
      "    cluster a { linger 5m; }\n"
      "    cluster b { introspection_interval 0s; introspection_debugging true; }\n"
      "    cluster c { size '50cc'; hydration_size '50cc'; introspection_interval 2h; }\n"
      "}\n");
  std::vector<std::string> expected(4, "invalid-setting-value");
  EXPECT_EQ(Kinds(out->diags), expected) << out->Rendered();
  const std::string rendered = out->Rendered();
  for (const char* message :
       {"3:24: error: 'linger' without 'hydration_size'",
        "4:68: error: 'introspection_debugging true' with 'introspection_interval 0s'",
        "5:45: error: 'hydration_size' '50cc' equals 'size'",
        "invalid value '2h' for 'introspection_interval': must be between 0s and 1h"}) {
    EXPECT_NE(rendered.find(message), std::string::npos) << message << "\n" << rendered;
  }
}

TEST(LowerTest, DuplicateSettingAndItems) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    suffix '_x';\n"
      "    suffix '_y';\n"
      "    await { timeout 1h; timeout 2h; }\n"
      "    await { }\n"
      "    cluster c { }\n"
      "    cluster C { }\n"
      "}\n");
  EXPECT_EQ(Kinds(out->diags), (std::vector<std::string>{"duplicate-item", "duplicate-setting",
                                                         "duplicate-item", "duplicate-item"}))
      << out->Rendered();
  EXPECT_EQ(out->plan.deployments[0].suffix, "_x");
  EXPECT_EQ(out->plan.deployments[0].await.timeout_ms, 3'600'000);
}

TEST(LowerTest, ValidateBlockLowersAssertsAndRowCountChange) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas marts;\n"
      "    validate {\n"
      "        ASSERT No_Neg 'SELECT count(*) = 0 FROM {marts}.o WHERE s <> ''x''';\n"
      "        Row_Count_Change 10;\n"
      "        assert \"Exact\" '';\n"
      "        assert no_neg 'SELECT true';\n"
      "    }\n"
      "}\n");
  // Empty SQL and a repeated name are the validate-validation pass's to report.
  ASSERT_EQ(out->Rendered(), "");
  const plans::ValidateSettings& v = out->plan.deployments[0].validate;
  EXPECT_EQ(v.origin, (SourceRange{{3, 5}, {3, 13}}));
  EXPECT_EQ(v.row_count_change_pct, 10);
  ASSERT_EQ(v.asserts.size(), 3u);
  EXPECT_EQ(v.asserts[0].name, "no_neg");
  EXPECT_EQ(v.asserts[0].sql, "SELECT count(*) = 0 FROM {marts}.o WHERE s <> 'x'");
  EXPECT_EQ(v.asserts[0].origin, (SourceRange{{4, 16}, {4, 22}}));
  EXPECT_EQ(v.asserts[0].sql_origin, (SourceRange{{4, 23}, {4, 76}}));
  EXPECT_EQ(v.asserts[1].name, "Exact");
  EXPECT_EQ(v.asserts[1].sql, "");
  EXPECT_EQ(v.asserts[2].name, "no_neg");
  EXPECT_NE(plans::DumpPlan(out->plan).find(
                "  validate row_count_change=10% @3:5\n"
                "    assert no_neg 'SELECT count(*) = 0 FROM {marts}.o WHERE s <> ''x''' @4:16\n"),
            std::string::npos)
      << plans::DumpPlan(out->plan);
}

TEST(LowerTest, NoValidateBlockMeansNoValidation) {
  auto out = LowerText("deployment d {\n    schemas a;\n}\n");
  const plans::ValidateSettings& v = out->plan.deployments[0].validate;
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(v.origin.valid());
  EXPECT_EQ(plans::DumpPlan(out->plan).find("validate"), std::string::npos);
  auto empty = LowerText("deployment d {\n    schemas a;\n    validate {}\n}\n");
  EXPECT_TRUE(empty->plan.deployments[0].validate.empty());
  EXPECT_NE(plans::DumpPlan(empty->plan).find("  validate row_count_change=off @3:5\n"),
            std::string::npos);
}

TEST(LowerTest, ValidateBlockUnknownKeysSuggestOrSayWhereTheyBelong) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    validate { asert x 'SELECT 1'; row_count_chang 5; keep_blue 1h; }\n"
      "    await { row_count_change 5; }\n"
      "}\n");
  EXPECT_EQ(out->Rendered(),
            "input.bgplan:3:16: error: unknown setting 'asert' in 'validate' block; did you mean "
            "'assert'? [unknown-setting]\n"
            "    validate { asert x 'SELECT 1'; row_count_chang 5; keep_blue 1h; }\n"
            "               ^~~~~\n"
            "input.bgplan:3:36: error: unknown setting 'row_count_chang' in 'validate' block; did "
            "you mean 'row_count_change'? [unknown-setting]\n"
            "    validate { asert x 'SELECT 1'; row_count_chang 5; keep_blue 1h; }\n"
            "                                   ^~~~~~~~~~~~~~~\n"
            "input.bgplan:3:55: error: unknown setting 'keep_blue' in 'validate' block; "
            "'keep_blue' belongs in a 'cleanup' block [unknown-setting]\n"
            "    validate { asert x 'SELECT 1'; row_count_chang 5; keep_blue 1h; }\n"
            "                                                      ^~~~~~~~~\n"
            "input.bgplan:4:13: error: unknown setting 'row_count_change' in 'await' block; "
            "'row_count_change' belongs in a 'validate' block [unknown-setting]\n"
            "    await { row_count_change 5; }\n"
            "            ^~~~~~~~~~~~~~~~\n");
  EXPECT_TRUE(out->plan.deployments[0].validate.empty());
}

TEST(LowerTest, ValidateBlockInvalidValuesAndDuplicates) {
  auto out = LowerText(
      "deployment d {\n"
      "    schemas a;\n"
      "    validate {\n"
      "        row_count_change 1001;\n"
      "        row_count_change 5;\n"
      "        assert 'SELECT 1';\n"
      "        assert x 1;\n"
      "        assert y z;\n"
      "    }\n"
      "    validate { row_count_change 5; }\n"
      "}\n");
  EXPECT_EQ(Kinds(out->diags),
            (std::vector<std::string>{"invalid-setting-value", "duplicate-setting",
                                      "invalid-setting-value", "invalid-setting-value",
                                      "invalid-setting-value", "duplicate-item"}))
      << out->Rendered();
  std::string rendered = out->Rendered();
  for (const char* message :
       {"4:26: error: invalid value '1001' for 'row_count_change': must be between 0 and 1000 (a "
        "percentage of blue's row count)",
        "5:9: error: duplicate setting 'row_count_change' in 'validate' block",
        "6:16: error: 'assert' takes a name and then its SQL: assert NAME 'SELECT ...';",
        "7:18: error: invalid value '1' for 'assert': expected a SQL string such as 'SELECT "
        "true', found integer",
        "8:18: error: invalid value 'z' for 'assert': expected a SQL string",
        "10:5: error: duplicate 'validate' in deployment 'd'; only the first one is used"}) {
    EXPECT_NE(rendered.find(message), std::string::npos) << message << "\n" << rendered;
  }
  const plans::ValidateSettings& v = out->plan.deployments[0].validate;
  EXPECT_TRUE(v.asserts.empty());
  EXPECT_FALSE(v.row_count_change_pct.has_value());
  auto labeled =
      LowerText("deployment d {\n    schemas a;\n    validate { row_count_change x 5; }\n}\n");
  EXPECT_EQ(labeled->Rendered(),
            "input.bgplan:3:33: error: 'row_count_change' takes one value, not a name and a value "
            "[invalid-setting-value]\n"
            "    validate { row_count_change x 5; }\n"
            "                                ^\n");
}

TEST(LowerTest, EmptySuffixKeepsDefault) {
  auto out = LowerText("deployment d {\n    schemas a;\n    suffix '';\n}\n");
  EXPECT_EQ(out->Rendered(),
            "input.bgplan:3:12: error: empty suffix: green names would equal blue names "
            "[empty-suffix]\n"
            "    suffix '';\n"
            "           ^~\n");
  EXPECT_EQ(out->plan.deployments[0].schemas[0].green, "a_dbt_deploy");
}

// Lowering does not depend on the parser: a hand-built AST lowers the same way.
TEST(LowerTest, HandBuiltAst) {
  auto range = [](int line, int column, int length) {
    return SourceRange{{line, column}, {line, column + length}};
  };
  ast::File file;
  ast::Deployment d;
  d.name = {"Shop", false, range(1, 12, 4)};
  ast::Item schemas;
  schemas.kind = ast::ItemKind::kSchemas;
  ast::QualifiedName orders;
  orders.schema = {"Orders", false, range(2, 13, 6)};
  orders.range = orders.schema.range;
  schemas.schemas.push_back(orders);
  d.items.push_back(schemas);
  ast::Item promote;
  promote.kind = ast::ItemKind::kPromote;
  ast::Setting retries;
  retries.key = {"MAX_RETRIES", false, range(3, 15, 11)};
  retries.value.kind = ast::ValueKind::kInteger;
  retries.value.source_text = "5";
  retries.value.integer = 5;
  retries.value.range = range(3, 27, 1);
  promote.settings.push_back(retries);
  d.items.push_back(promote);
  file.deployments.push_back(d);

  SourceFile source("input.bgplan", "");
  DiagnosticEngine diags;
  plans::Plan plan = LowerToPlan(file, source, {}, diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(plan.deployments.size(), 1u);
  EXPECT_EQ(plan.deployments[0].name, "shop");
  ASSERT_EQ(plan.deployments[0].schemas.size(), 1u);
  EXPECT_EQ(plan.deployments[0].schemas[0].blue, "orders");
  EXPECT_EQ(plan.deployments[0].schemas[0].green, "orders_dbt_deploy");
  EXPECT_EQ(plan.deployments[0].schemas[0].origin, range(2, 13, 6));
  EXPECT_EQ(plan.deployments[0].promote.max_retries, 5);
  EXPECT_TRUE(plan.phases.empty());
}

TEST(LowerTest, EditDistance) {
  EXPECT_EQ(EditDistance("poll_intervall", "poll_interval"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

}  // namespace
}  // namespace bgplan::lower
