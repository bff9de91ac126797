// The mistakes people make (issue 15): a misspelt or misplaced item, a stray character, an
// unquoted size. Each is one error at its place with what it most likely means, no cascade, and
// the parser recovers the file (ParseFile's `recovered`) so that the rest of it is still checked.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "compiler/frontend/ast_recovery.h"
#include "compiler/frontend/vocabulary.h"
#include "tests/unit/frontend/parse_test_util.h"

namespace bgplan {
namespace {

using testing::DumpAst;
using testing::ParseString;

// Parses `text` keeping the recovered AST.
struct Recovered {
  std::unique_ptr<testing::ParsedString> parsed;
  std::unique_ptr<ast::File> recovered;
};

Recovered ParseRecovering(const std::string& text) {
  Recovered out;
  out.parsed = std::unique_ptr<testing::ParsedString>(
      new testing::ParsedString{SourceFile("input.bgplan", text), DiagnosticEngine(), nullptr});
  out.parsed->file = frontend::ParseFile(out.parsed->source, out.parsed->diags, &out.recovered);
  return out;
}

// The messages of every diagnostic, in order.
std::vector<std::string> Messages(const testing::ParsedString& parsed) {
  std::vector<std::string> out;
  for (const Diagnostic& d : parsed.diags.Sorted()) {
    out.push_back(std::string(DiagKindName(d.kind)) + ": " + d.message);
  }
  return out;
}

struct UnknownItemCase {
  const char* name;
  std::string item;  // the text of one item inside `deployment a { schemas s; ... }`
  std::string message;
};

std::ostream& operator<<(std::ostream& os, const UnknownItemCase& c) { return os << c.name; }

class UnknownItemTest : public ::testing::TestWithParam<UnknownItemCase> {};

TEST_P(UnknownItemTest, OneErrorAtTheWord) {
  const UnknownItemCase& c = GetParam();
  Recovered r = ParseRecovering("deployment a {\n    schemas s;\n    " + c.item + "\n}\n");
  ASSERT_EQ(Messages(*r.parsed), std::vector<std::string>{"unknown-item: " + c.message})
      << r.parsed->Rendered();
  Diagnostic d = r.parsed->diags.Sorted()[0];
  EXPECT_EQ(d.range.begin, (SourceLocation{3, 5}));
  EXPECT_EQ(r.parsed->file, nullptr);
  EXPECT_NE(r.recovered, nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Table, UnknownItemTest,
    ::testing::Values<UnknownItemCase>(
        UnknownItemCase{"Schema", "schema marts;",
                        "unknown item 'schema'; did you mean 'schemas'?"},
        UnknownItemCase{"Sink", "sink { schemas x; }",
                        "unknown item 'sink'; did you mean 'sinks'?"},
        UnknownItemCase{"Clustr", "clustr c { size 'x'; }",
                        "unknown item 'clustr'; did you mean 'cluster'?"},
        UnknownItemCase{"ClustrList", "clustr c, d;",
                        "unknown item 'clustr'; did you mean 'clusters'?"},
        UnknownItemCase{"Databse", "databse d;",
                        "unknown item 'databse'; did you mean 'database'?"},
        UnknownItemCase{"ClusterList", "cluster c, d;",
                        "'cluster' sets one cluster's settings (cluster NAME { ... }); to list "
                        "clusters, did you mean 'clusters'?"},
        UnknownItemCase{"Awiat", "awiat { timeout 1h; }",
                        "unknown item 'awiat'; did you mean 'await'?"},
        UnknownItemCase{"UpperCase", "Schemas x;",
                        "unknown item 'Schemas'; keywords are lower case: did you mean 'schemas'?"},
        UnknownItemCase{"PollInterval", "poll_interval 15s;",
                        "'poll_interval' is a setting of the 'await' block: await { "
                        "poll_interval 15s; }"},
        UnknownItemCase{"KeyIsFolded", "Keep_Blue 1d;",
                        "'Keep_Blue' is a setting of the 'cleanup' block: cleanup { keep_blue "
                        "1d; }"},
        UnknownItemCase{"ClusterSetting", "size '200cc';",
                        "'size' is a setting of a 'cluster' block: cluster <name> { size "
                        "'200cc'; }"},
        UnknownItemCase{"Assert", "assert rows 'SELECT true';",
                        "'assert' is a setting of the 'validate' block: validate { assert rows "
                        "'SELECT true'; }"},
        UnknownItemCase{"LongExample",
                        "assert rows 'SELECT count(*) > 0 FROM {marts}.orders WHERE day = "
                        "current_date';",
                        "'assert' is a setting of the 'validate' block: validate { assert ...; }"},
        UnknownItemCase{"MisspeltSetting", "lag_treshold 1s;",
                        "unknown item 'lag_treshold'; did you mean 'lag_threshold', a setting of "
                        "the 'await' block? await { lag_threshold 1s; }"},
        UnknownItemCase{"NoIdea", "frobnicate;",
                        "unknown item 'frobnicate' (the items of a deployment are schemas, "
                        "clusters, cluster, sinks, suffix, database, await, promote, cleanup and "
                        "validate)"},
        UnknownItemCase{"OneLetterIsNobodysMisspelling", "x 1s;",
                        "unknown item 'x' (the items of a deployment are schemas, clusters, "
                        "cluster, sinks, suffix, database, await, promote, cleanup and "
                        "validate)"}),
    [](const ::testing::TestParamInfo<UnknownItemCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(ParseRecoveryTest, UnknownSinkItem) {
  Recovered r =
      ParseRecovering("deployment a { schemas s; sinks { schema x; frob y; keep_blue 1d; } }");
  EXPECT_EQ(Messages(*r.parsed),
            (std::vector<std::string>{
                "unknown-item: unknown item 'schema' in 'sinks' block; did you mean 'schemas'?",
                "unknown-item: unknown item 'frob' in 'sinks' block (it holds 'schemas' and "
                "'clusters')",
                "unknown-item: 'keep_blue' is a setting of the 'cleanup' block: cleanup { "
                "keep_blue 1d; }"}));
  ASSERT_NE(r.recovered, nullptr);
  EXPECT_EQ(DumpAst(*r.recovered),
            DumpAst(*ParseString("deployment a { schemas s; sinks { schemas x; } }")->file));
}

// What the recovered AST holds for `item`: the item it misspells when the shape fits, else
// nothing.
struct RecoveryCase {
  const char* name;
  std::string written;
  std::string meant;  // "" when the item is left out
};

std::ostream& operator<<(std::ostream& os, const RecoveryCase& c) { return os << c.name; }

class RecoveredAstTest : public ::testing::TestWithParam<RecoveryCase> {};

TEST_P(RecoveredAstTest, IsTheItemItMisspells) {
  const RecoveryCase& c = GetParam();
  Recovered r = ParseRecovering("deployment a { schemas s; " + c.written + " }");
  ASSERT_NE(r.recovered, nullptr) << r.parsed->Rendered();
  auto meant = ParseString("deployment a { schemas s; " + c.meant + " }");
  ASSERT_NE(meant->file, nullptr) << meant->Rendered();
  EXPECT_EQ(DumpAst(*r.recovered), DumpAst(*meant->file));
}

INSTANTIATE_TEST_SUITE_P(
    Table, RecoveredAstTest,
    ::testing::Values<RecoveryCase>(
        RecoveryCase{"Schemas", "schema x, db.y, \"Z\";", "schemas x, db.y, \"Z\";"},
        RecoveryCase{"Clusters", "cluster c, d;", "clusters c, d;"},
        RecoveryCase{"Database", "databse d;", "database d;"},
        RecoveryCase{"Suffix", "sufix '_g';", "suffix '_g';"},
        RecoveryCase{"Sinks", "sink { schemas x; clusters y; schema z; }",
                     "sinks { schemas x; clusters y; schemas z; }"},
        RecoveryCase{"ClusterBlock", "clustr c { size 'm'; replication_factor 2; }",
                     "cluster c { size 'm'; replication_factor 2; }"},
        RecoveryCase{"Await", "awiat { timeout 1h; poll_interval 5s; }",
                     "await { timeout 1h; poll_interval 5s; }"},
        RecoveryCase{"Validate", "validat { assert rows 'SELECT true'; row_count_change 5; }",
                     "validate { assert rows 'SELECT true'; row_count_change 5; }"},
        // Shapes that fit no item: left out.
        RecoveryCase{"SettingOutsideItsBlock", "poll_interval 15s;", ""},
        RecoveryCase{"SettingOfAName", "poll_interval fast;", ""},
        RecoveryCase{"UnknownWithANumber", "frobnicate 3;", ""},
        RecoveryCase{"ClusterBlockWithoutName", "clustr { size 'm'; }", ""},
        RecoveryCase{"BlockWithList", "awiat { schemas x; }", ""},
        RecoveryCase{"Unknown", "frobnicate { x 1; }", ""}),
    [](const ::testing::TestParamInfo<RecoveryCase>& param_info) {
      return std::string(param_info.param.name);
    });

// An unknown item left out that may have listed schemas or clusters: checking the rest without
// it could report its consequences (an empty deployment, a `cluster X { }` for a cluster not
// listed), so there is no recovered AST; the unknown item is still reported.
TEST(ParseRecoveryTest, NoRecoveredAstWhenAListMayBeLost) {
  for (const char* item : {"schema 'x';", "schema a.b.c;", "clustr a.b;", "databse 'd';",
                           "frob compute;", "frob a, b;"}) {
    Recovered r = ParseRecovering(std::string("deployment a { ") + item + " }");
    EXPECT_EQ(r.recovered, nullptr) << item;
    ASSERT_EQ(r.parsed->diags.Sorted().size(), 1u) << item << "\n" << r.parsed->Rendered();
    EXPECT_EQ(r.parsed->diags.Sorted()[0].kind, DiagKind::kUnknownItem);
  }
}

TEST(ParseRecoveryTest, NoRecoveredAstWithASyntaxError) {
  Recovered r = ParseRecovering("deployment a { schema s; clusters a b; }");
  EXPECT_EQ(r.parsed->file, nullptr);
  EXPECT_EQ(r.recovered, nullptr);
  EXPECT_EQ(Messages(*r.parsed), (std::vector<std::string>{
                                     "unknown-item: unknown item 'schema'; did you mean 'schemas'?",
                                     "syntax-error: expected ';' or ',', found 'b'"}));
}

TEST(ParseRecoveryTest, AFaithfulFileHasNoRecoveredAst) {
  Recovered r = ParseRecovering("deployment a { schemas s; }");
  EXPECT_NE(r.parsed->file, nullptr);
  EXPECT_EQ(r.recovered, nullptr);
}

TEST(ParseRecoveryTest, StrayCharacterIsOneErrorAndNoCascade) {
  // Without ':', `marts staging` is not a list: that syntax error is where parsing resumed after
  // the character, so it is the same mistake and not reported again.
  Recovered r = ParseRecovering("deployment a {\n    schemas marts: staging;\n}\n");
  EXPECT_EQ(r.parsed->Rendered(),
            "input.bgplan:2:18: error: unexpected character ':' [syntax-error]\n"
            "    schemas marts: staging;\n"
            "                 ^\n");
  EXPECT_EQ(r.recovered, nullptr);
  // A character the file reads well without: the rest is recovered.
  Recovered equals = ParseRecovering("deployment a { schemas s; await { timeout = 1h; } }");
  EXPECT_EQ(Messages(*equals.parsed),
            std::vector<std::string>{"syntax-error: unexpected character '='"});
  ASSERT_NE(equals.recovered, nullptr);
  EXPECT_EQ(DumpAst(*equals.recovered),
            DumpAst(*ParseString("deployment a { schemas s; await { timeout 1h; } }")->file));
}

TEST(ParseRecoveryTest, DashDashAndSlashSlashAreTakenForComments) {
  Recovered r = ParseRecovering(
      "deployment a {\n    schemas s; -- the schema, 5x \"unterminated\n    clusters c; // "
      "and\n}\n");
  EXPECT_EQ(r.parsed->Rendered(),
            "input.bgplan:2:16: error: unexpected characters '--'; comments start with '#' "
            "[syntax-error]\n"
            "    schemas s; -- the schema, 5x \"unterminated\n"
            "               ^~\n"
            "input.bgplan:3:17: error: unexpected characters '//'; comments start with '#' "
            "[syntax-error]\n"
            "    clusters c; // and\n"
            "                ^~\n");
  ASSERT_NE(r.recovered, nullptr);
  EXPECT_EQ(DumpAst(*r.recovered),
            DumpAst(*ParseString("deployment a { schemas s; clusters c; }")->file));
}

TEST(ParseRecoveryTest, UnquotedSizeSaysToQuoteIt) {
  auto parsed = ParseString("deployment a { clusters c; cluster c { size 200cc; } }");
  EXPECT_EQ(Messages(*parsed),
            std::vector<std::string>{"invalid-setting-value: invalid value '200cc' for 'size': "
                                     "expected a string; write it in quotes: size '200cc';"});
  // A value error: the AST is faithful.
  EXPECT_NE(parsed->file, nullptr);
  // Elsewhere a malformed duration stays an invalid-duration.
  EXPECT_EQ(Messages(*ParseString("deployment a { await { timeout 2x; } }")),
            std::vector<std::string>{"invalid-duration: invalid duration '2x': unknown unit 'x' "
                                     "(units are ms, s, m, h, d)"});
}

TEST(ParseRecoveryTest, BadStatementInABlockIsSkippedWithoutCascade) {
  // A keyword where a setting belongs: one error, and the block goes on to its own '}'.
  auto parsed = ParseString(
      "deployment a {\n    schemas s;\n    await { cleanup { keep_blue 1d; } timeout ; }\n}\n");
  EXPECT_EQ(Messages(*parsed), (std::vector<std::string>{
                                   "syntax-error: expected '}' or an identifier, found 'cleanup'",
                                   "syntax-error: expected a value, found ';'"}));
}

TEST(ParseRecoveryTest, GuessItem) {
  using frontend::GuessItem;
  EXPECT_EQ(GuessItem("schema", false, false).item, "schemas");
  EXPECT_EQ(GuessItem("schema", false, true).item, "schemas");
  EXPECT_EQ(GuessItem("sink", true, false).item, "sinks");
  EXPECT_EQ(GuessItem("sink", false, false).item, "");
  EXPECT_EQ(GuessItem("poll_interval", false, false).setting->key, "poll_interval");
  EXPECT_EQ(GuessItem("poll_interval", true, false).setting, nullptr);
  EXPECT_EQ(GuessItem("x", false, false).item, "");
  EXPECT_EQ(GuessItem("x", false, false).setting, nullptr);
}

TEST(ParseRecoveryTest, IsLikelyMisspelling) {
  EXPECT_TRUE(frontend::IsLikelyMisspelling("materialze", "materialize"));
  EXPECT_TRUE(frontend::IsLikelyMisspelling("postgress", "postgres"));
  EXPECT_TRUE(frontend::IsLikelyMisspelling("awiat", "await"));
  EXPECT_FALSE(frontend::IsLikelyMisspelling("await", "await"));
  EXPECT_FALSE(frontend::IsLikelyMisspelling("x", "wait"));
  EXPECT_FALSE(frontend::IsLikelyMisspelling("mysql", "postgres"));
}

}  // namespace
}  // namespace bgplan
