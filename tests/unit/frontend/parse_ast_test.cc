// AST shape: what ParseFile builds from correct input (language.md sections 1-3, ast.h).
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/frontend/language_example.h"
#include "tests/unit/frontend/parse_test_util.h"

namespace bgplan {
namespace {

using testing::DumpAst;
using testing::ParseString;

SourceRange R(int line, int column, int end_line, int end_column) {
  return SourceRange{{line, column}, {end_line, end_column}};
}

TEST(ParseAstTest, LanguageExampleDump) {
  auto parsed = ParseString(testing::kLanguageExample);
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(DumpAst(*parsed->file),
            "target U:materialize\n"
            "deployment U:analytics\n"
            "  schemas U:marts U:staging\n"
            "  clusters U:compute U:serving\n"
            "  cluster U:compute\n"
            "    setting U:size = string [200cc]\n"
            "    setting U:replication_factor = integer 2 (2)\n"
            "  sinks\n"
            "    schemas U:sink_schema\n"
            "    clusters U:sink_cluster\n"
            "  suffix [_dbt_deploy]\n"
            "  await\n"
            "    setting U:poll_interval = duration 15s (15000 ms)\n"
            "    setting U:lag_threshold = duration 1s (1000 ms)\n"
            "    setting U:timeout = duration 2h (7200000 ms)\n"
            "  promote\n"
            "    setting U:wait = boolean false\n"
            "    setting U:max_retries = integer 3 (3)\n"
            "    setting U:retry_backoff = duration 1s (1000 ms)\n"
            "  cleanup\n"
            "    setting U:keep_blue = duration 24h (86400000 ms)\n"
            "comment # analytics.bgplan: the analytics stack, deployed blue/green.\n"
            "trailing comment # production (\"blue\") schemas in the current database\n"
            "trailing comment # production clusters\n"
            "trailing comment # optional: size the green copy differently\n"
            "trailing comment # sinks live here; never swapped, cut over after promote\n"
            "trailing comment # the default; green = blue name + suffix\n"
            "trailing comment # rollback window before the old objects are dropped\n");
}

TEST(ParseAstTest, LanguageExampleRanges) {
  auto parsed = ParseString(testing::kLanguageExample);
  ASSERT_NE(parsed->file, nullptr);
  const ast::File& file = *parsed->file;
  ASSERT_EQ(file.targets.size(), 1u);
  EXPECT_EQ(file.targets[0].range, R(2, 1, 2, 20));
  EXPECT_EQ(file.targets[0].name.range, R(2, 8, 2, 19));
  ASSERT_EQ(file.deployments.size(), 1u);
  const ast::Deployment& d = file.deployments[0];
  EXPECT_EQ(d.range, R(4, 1, 35, 2));
  EXPECT_EQ(d.name.range, R(4, 12, 4, 21));
  ASSERT_EQ(d.items.size(), 8u);
  // `    schemas  marts, staging;`
  EXPECT_EQ(d.items[0].kind, ast::ItemKind::kSchemas);
  EXPECT_EQ(d.items[0].range, R(5, 5, 5, 29));
  EXPECT_EQ(d.items[0].keyword_range, R(5, 5, 5, 12));
  EXPECT_EQ(d.items[0].schemas[1].range, R(5, 21, 5, 28));
  EXPECT_EQ(d.items[0].schemas[1].schema.range, R(5, 21, 5, 28));
  // `    cluster compute { ... }` spans lines 8-11.
  EXPECT_EQ(d.items[2].kind, ast::ItemKind::kClusterBlock);
  EXPECT_EQ(d.items[2].range, R(8, 5, 11, 6));
  EXPECT_EQ(d.items[2].name.text, "compute");
  EXPECT_EQ(d.items[2].settings[0].range, R(9, 9, 9, 22));
  EXPECT_EQ(d.items[2].settings[0].value.range, R(9, 14, 9, 21));
  EXPECT_EQ(d.items[2].settings[0].value.source_text, "'200cc'");
  EXPECT_EQ(d.items[3].sink_items[0].range, R(14, 9, 14, 30));
  // `    suffix '_dbt_deploy';`
  EXPECT_EQ(d.items[4].kind, ast::ItemKind::kSuffix);
  EXPECT_EQ(d.items[4].suffix_source, "'_dbt_deploy'");
  EXPECT_EQ(d.items[4].value_range, R(18, 12, 18, 25));
  ASSERT_EQ(file.comments.size(), 7u);
  EXPECT_EQ(file.comments[0].range, R(1, 1, 1, 62));
  EXPECT_FALSE(file.comments[0].trailing);
  EXPECT_EQ(file.comments[1].range.begin, (SourceLocation{5, 39}));
}

TEST(ParseAstTest, SmallestFile) {
  auto parsed =
      ParseString("deployment default {\n    schemas public;\n    clusters quickstart;\n}\n");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_TRUE(parsed->file->targets.empty());
  EXPECT_EQ(DumpAst(*parsed->file),
            "deployment U:default\n  schemas U:public\n  clusters U:quickstart\n");
}

TEST(ParseAstTest, NamesKeepSpellingQuotedNamesAreUnescaped) {
  auto parsed = ParseString(
      "deployment Analytics {\n"
      "    schemas Marts, \"Marts\", prod.\"My \"\"Schema\"\"\", \"db.x\".y, \"target\";\n"
      "    clusters \"a;b\", \"with space\", \"ünïcödé\", \"\xF0\x9F\x9A\x80\", a$1, _x;\n"
      "    database \"Db\";\n"
      "    suffix 'it''s';\n"
      "    promote { wait \"false\"; mode Fast; }\n"
      "}\n");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(DumpAst(*parsed->file),
            "deployment U:Analytics\n"
            "  schemas U:Marts Q:Marts U:prod.Q:My \"Schema\" Q:db.x.U:y Q:target\n"
            "  clusters Q:a;b Q:with space Q:ünïcödé Q:\xF0\x9F\x9A\x80 U:a$1 U:_x\n"
            "  database Q:Db\n"
            "  suffix [it's]\n"
            "  promote\n"
            "    setting U:wait = name Q:false\n"
            "    setting U:mode = name U:Fast\n");
  const ast::Item& schemas = parsed->file->deployments[0].items[0];
  EXPECT_TRUE(schemas.schemas[2].has_database);
  EXPECT_FALSE(schemas.schemas[0].has_database);
  EXPECT_EQ(schemas.schemas[2].range, R(2, 29, 2, 49));
  EXPECT_EQ(parsed->file->deployments[0].items[3].suffix_source, "'it''s'");
}

TEST(ParseAstTest, EveryKeywordIsUsableQuoted) {
  for (const char* keyword :
       {"target", "deployment", "schemas", "clusters", "cluster", "sinks", "suffix", "database",
        "await", "promote", "cleanup", "validate", "true", "false"}) {
    std::string text =
        std::string("deployment \"") + keyword + "\" { schemas \"" + keyword + "\"; }";
    auto parsed = ParseString(text);
    EXPECT_EQ(parsed->Rendered(), "") << keyword;
    ASSERT_NE(parsed->file, nullptr) << keyword;
    EXPECT_EQ(parsed->file->deployments[0].name.text, keyword);
    EXPECT_TRUE(parsed->file->deployments[0].name.quoted);
    // Unquoted, the keyword is a syntax error.
    auto bare = ParseString(std::string("deployment d { schemas ") + keyword + "; }");
    EXPECT_EQ(bare->file, nullptr) << keyword;
  }
}

TEST(ParseAstTest, ValidateBlockKeepsLabelsAndTheSqlString) {
  auto parsed = ParseString(
      "deployment d {\n"
      "    schemas marts;\n"
      "    validate {\n"
      "        assert No_Neg 'SELECT count(*) = 0 FROM {marts}.o WHERE s = ''x''';\n"
      "        assert \"Q\" 'SELECT\n  true';\n"
      "        row_count_change 10;\n"
      "        asert typo 1;\n"
      "    }\n"
      "}\n");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(DumpAst(*parsed->file),
            "deployment U:d\n"
            "  schemas U:marts\n"
            "  validate\n"
            "    setting U:assert U:No_Neg = string [SELECT count(*) = 0 FROM {marts}.o WHERE s = "
            "'x']\n"
            "    setting U:assert Q:Q = string [SELECT\n  true]\n"
            "    setting U:row_count_change = integer 10 (10)\n"
            "    setting U:asert U:typo = integer 1 (1)\n");
  const ast::Item& item = parsed->file->deployments[0].items[1];
  EXPECT_EQ(item.kind, ast::ItemKind::kValidate);
  EXPECT_EQ(item.keyword_range, R(3, 5, 3, 13));
  EXPECT_EQ(item.range, R(3, 5, 9, 6));
  EXPECT_TRUE(item.settings[0].has_label);
  EXPECT_EQ(item.settings[0].label.range, R(4, 16, 4, 22));
  EXPECT_EQ(item.settings[0].value.range, R(4, 23, 4, 75));
  EXPECT_EQ(item.settings[0].range, R(4, 9, 4, 76));
  // A string over two lines ends on the second.
  EXPECT_EQ(item.settings[1].value.range, R(5, 20, 6, 8));
  EXPECT_FALSE(item.settings[2].has_label);
}

TEST(ParseAstTest, LabelsAreOnlyAllowedInValidateBlocks) {
  EXPECT_EQ(ParseString("deployment d { await { assert a 'x'; } }")->file, nullptr);
  EXPECT_EQ(ParseString("deployment d { validate { assert a b 'x'; } }")->file, nullptr);
  EXPECT_NE(ParseString("deployment d { validate { } validate {} }")->file, nullptr);
}

TEST(ParseAstTest, LongQuotedNameParses) {
  std::string long_name(100'000, 'x');
  auto parsed = ParseString("deployment d { schemas \"" + long_name + "\"; }");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments[0].items[0].schemas[0].schema.text, long_name);
}

TEST(ParseAstTest, QuotedNameMaySpanLines) {
  auto parsed = ParseString("deployment d {\n    schemas \"a\nb\", c;\n}");
  ASSERT_NE(parsed->file, nullptr);
  const ast::Item& item = parsed->file->deployments[0].items[0];
  EXPECT_EQ(item.schemas[0].schema.text, "a\nb");
  EXPECT_EQ(item.schemas[0].schema.range, R(2, 13, 3, 3));
  EXPECT_EQ(item.schemas[1].schema.range, R(3, 5, 3, 6));
}

TEST(ParseAstTest, ValuesOfEveryKind) {
  auto parsed = ParseString(
      "deployment d { await { a 1h30m; b 500ms; c 42; d 'x'; e true; f n; g \"N\"; "
      "h 99999999999999999999; i 7d; j 9999999999999999999d; } }");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  const auto& settings = parsed->file->deployments[0].items[0].settings;
  ASSERT_EQ(settings.size(), 10u);
  EXPECT_EQ(settings[0].value.kind, ast::ValueKind::kDuration);
  EXPECT_EQ(settings[0].value.duration_ms, 5'400'000);
  EXPECT_EQ(settings[1].value.duration_ms, 500);
  EXPECT_EQ(settings[2].value.kind, ast::ValueKind::kInteger);
  EXPECT_EQ(settings[2].value.integer, 42);
  EXPECT_EQ(settings[3].value.kind, ast::ValueKind::kString);
  EXPECT_EQ(settings[3].value.string, "x");
  EXPECT_EQ(settings[3].value.source_text, "'x'");
  EXPECT_EQ(settings[4].value.kind, ast::ValueKind::kBoolean);
  EXPECT_TRUE(settings[4].value.boolean);
  EXPECT_EQ(settings[5].value.kind, ast::ValueKind::kName);
  EXPECT_EQ(settings[5].value.name.text, "n");
  EXPECT_TRUE(settings[6].value.name.quoted);
  EXPECT_EQ(settings[6].value.source_text, "\"N\"");
  // Overflow is not a syntax error: -1 marks it for the lowerer.
  EXPECT_EQ(settings[7].value.integer, -1);
  EXPECT_EQ(settings[8].value.duration_ms, 604'800'000);
  EXPECT_EQ(settings[9].value.duration_ms, -1);
}

TEST(ParseAstTest, SeveralTargetsAndDeploymentsInOrder) {
  // A second target line is kept for the compiler's duplicate-target rule.
  auto parsed = ParseString(
      "target postgres;\ntarget materialize;\n"
      "deployment a { schemas x; }\ndeployment b { schemas y; }\n");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  ASSERT_EQ(parsed->file->targets.size(), 2u);
  EXPECT_EQ(parsed->file->targets[1].name.text, "materialize");
  ASSERT_EQ(parsed->file->deployments.size(), 2u);
  EXPECT_EQ(parsed->file->deployments[1].name.text, "b");
  EXPECT_EQ(parsed->file->deployments[1].range, R(4, 1, 4, 28));
}

TEST(ParseAstTest, EmptyBlocksAndEmptyDeploymentParse) {
  // Emptiness is a compiler rule (empty-deployment), not a syntax error.
  auto parsed = ParseString("deployment d { await {} promote { } cleanup{} sinks{} cluster c{} }");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments[0].items.size(), 5u);
  EXPECT_NE(ParseString("deployment d {}")->file, nullptr);
}

TEST(ParseAstTest, CommentsAnywhereWhitespaceMayStand) {
  auto parsed = ParseString(
      "# lead\n"
      "deployment # after keyword\n"
      "  d { schemas a, # in list\n"
      "  b; } # end\n"
      "# tail");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(DumpAst(*parsed->file),
            "deployment U:d\n"
            "  schemas U:a U:b\n"
            "comment # lead\n"
            "trailing comment # after keyword\n"
            "trailing comment # in list\n"
            "trailing comment # end\n"
            "comment # tail\n");
  EXPECT_EQ(parsed->file->comments[4].range, R(5, 1, 5, 7));
}

TEST(ParseAstTest, HashInsideStringsAndQuotedNamesIsNotAComment) {
  auto parsed = ParseString("deployment d { schemas \"a#b\"; suffix '#x'; }");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_TRUE(parsed->file->comments.empty());
  EXPECT_EQ(parsed->file->deployments[0].items[1].suffix, "#x");
}

TEST(ParseAstTest, BomIsSkippedAndColumnsIgnoreIt) {
  auto parsed = ParseString(
      "\xEF\xBB\xBF"
      "deployment d { schemas a; }");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments[0].range.begin, (SourceLocation{1, 1}));
}

TEST(ParseAstTest, CrLfAndTabs) {
  auto parsed = ParseString("deployment d {\r\n\tschemas a;\r\n}\r\n");
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments[0].items[0].range, R(2, 2, 2, 12));
}

TEST(ParseAstTest, ColumnsCountCodePoints) {
  auto parsed = ParseString("deployment d { schemas \"äöü\xF0\x9F\x9A\x80\", x; }");
  ASSERT_NE(parsed->file, nullptr);
  const ast::Item& item = parsed->file->deployments[0].items[0];
  EXPECT_EQ(item.schemas[0].range, R(1, 24, 1, 30));
  EXPECT_EQ(item.schemas[1].range, R(1, 32, 1, 33));
}

TEST(ParseAstTest, LargeValidFileParses) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "deployment d" + std::to_string(i) + " {\n    schemas s" + std::to_string(i) +
            ";  # c\n    await { timeout 1h; }\n}\n";
  }
  auto parsed = ParseString(text);
  ASSERT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments.size(), 2000u);
  EXPECT_EQ(parsed->file->comments.size(), 2000u);
}

}  // namespace
}  // namespace bgplan
