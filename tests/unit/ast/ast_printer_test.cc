// The fmt printer (language.md section 6): canonical form, comments kept with their lines,
// idempotence, and meaning preserved (the output re-parses to the same AST).
#include "compiler/ast/ast_printer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/frontend/language_example.h"
#include "tests/unit/frontend/parse_test_util.h"

namespace bgplan {
namespace {

using testing::DumpAst;
using testing::DumpMode;
using testing::ParseString;

// Formats `text`, which must parse cleanly.
std::string Fmt(std::string_view text) {
  auto parsed = ParseString(text);
  EXPECT_EQ(parsed->Rendered(), "") << text;
  if (parsed->file == nullptr) {
    return "<parse failed>";
  }
  return ast::FormatFile(*parsed->file);
}

const char kMessy[] =
    "# header\n"
    "\n"
    "target   postgres ;   # t\n"
    "deployment   A{schemas x,\"Y\", \"z\" ,db . s;clusters \"c1\";\n"
    "  # about the cluster\n"
    "  cluster \"c1\"{size '1'; # s\n"
    "  replication_factor 2;}\n"
    "\n"
    "\n"
    "  sinks{}\n"
    "  await { } # empty\n"
    "  promote {\n"
    "      # nothing yet\n"
    "  }\n"
    "  cleanup { keep_blue   # inner\n"
    "  24h; }\n"
    "} # end a\n"
    "# between\n"
    "deployment \"B\" { schemas \"Has \"\"quote\"\"\", \"true\", \"a$1\", \"_ok\", \"9x\"; } # "
    "trailing b\n"
    "\n"
    "\n"
    "# tail   \n";

TEST(AstPrinterTest, LanguageExample) {
  EXPECT_EQ(Fmt(testing::kLanguageExample),
            "# analytics.bgplan: the analytics stack, deployed blue/green.\n"
            "target materialize;\n"
            "\n"
            "deployment analytics {\n"
            "    schemas marts, staging;  # production (\"blue\") schemas in the current database\n"
            "    clusters compute, serving;  # production clusters\n"
            "\n"
            "    cluster compute {  # optional: size the green copy differently\n"
            "        size               '200cc';\n"
            "        replication_factor 2;\n"
            "    }\n"
            "\n"
            "    sinks {  # sinks live here; never swapped, cut over after promote\n"
            "        schemas sink_schema;\n"
            "        clusters sink_cluster;\n"
            "    }\n"
            "\n"
            "    suffix '_dbt_deploy';  # the default; green = blue name + suffix\n"
            "\n"
            "    await {\n"
            "        poll_interval 15s;\n"
            "        lag_threshold 1s;\n"
            "        timeout       2h;\n"
            "    }\n"
            "\n"
            "    promote {\n"
            "        wait          false;\n"
            "        max_retries   3;\n"
            "        retry_backoff 1s;\n"
            "    }\n"
            "\n"
            "    cleanup {\n"
            "        keep_blue 24h;  # rollback window before the old objects are dropped\n"
            "    }\n"
            "}\n");
}

TEST(AstPrinterTest, MessyInput) {
  EXPECT_EQ(Fmt(kMessy),
            "# header\n"
            "\n"
            "target postgres;  # t\n"
            "\n"
            "deployment A {\n"
            "    schemas x, \"Y\", z, db.s;\n"
            "    clusters c1;\n"
            "    # about the cluster\n"
            "    cluster c1 {\n"
            "        size               '1';  # s\n"
            "        replication_factor 2;\n"
            "    }\n"
            "\n"
            "    sinks {}\n"
            "    await {}  # empty\n"
            "    promote {\n"
            "        # nothing yet\n"
            "    }\n"
            "    cleanup {\n"
            "        # inner\n"
            "        keep_blue 24h;\n"
            "    }\n"
            "}  # end a\n"
            "\n"
            "# between\n"
            "deployment \"B\" {\n"
            "    schemas \"Has \"\"quote\"\"\", \"true\", a$1, _ok, \"9x\";\n"
            "}  # trailing b\n"
            "\n"
            "# tail\n");
}

TEST(AstPrinterTest, SmallestFileAndSeveralDeployments) {
  EXPECT_EQ(Fmt("deployment default { schemas public; clusters quickstart; }"),
            "deployment default {\n    schemas public;\n    clusters quickstart;\n}\n");
  EXPECT_EQ(Fmt("target postgres; target materialize; deployment a {schemas x;}\n\n\n\n"
                "deployment b {schemas y;} deployment c {}"),
            "target postgres;\n"
            "target materialize;\n"
            "\n"
            "deployment a {\n    schemas x;\n}\n"
            "\n"
            "deployment b {\n    schemas y;\n}\n"
            "\n"
            "deployment c {}\n");
}

TEST(AstPrinterTest, BlankLinesAreKeptOnceButNotAtBlockEdges) {
  EXPECT_EQ(
      Fmt("deployment a {\n\n\n    schemas x;\n\n\n\n    clusters y;\n    database d;\n\n}\n"),
      "deployment a {\n    schemas x;\n\n    clusters y;\n    database d;\n}\n");
}

TEST(AstPrinterTest, SettingsAlignPerBlock) {
  EXPECT_EQ(Fmt("deployment a { await { timeout 1h; poll_interval 15s; x 'y'; }\n"
                "promote { wait true; } }"),
            "deployment a {\n"
            "    await {\n"
            "        timeout       1h;\n"
            "        poll_interval 15s;\n"
            "        x             'y';\n"
            "    }\n"
            "    promote {\n"
            "        wait true;\n"
            "    }\n"
            "}\n");
}

TEST(AstPrinterTest, ValidateBlockAssertsAreNotAlignedAndSqlIsKeptAsWritten) {
  const char kMessyValidate[] =
      "deployment a { schemas marts;\n"
      "  validate {   # checks\n"
      "    assert   \"No Neg\"   'SELECT count(*) = 0 FROM {marts}.o WHERE s <> ''x''';\n"
      "    row_count_change 10;  # percent\n"
      "    assert \"plain\" 'SELECT\n"
      "      true  ';\n"
      "    x 1;\n"
      "  } }\n";
  const std::string once = Fmt(kMessyValidate);
  EXPECT_EQ(once,
            "deployment a {\n"
            "    schemas marts;\n"
            "    validate {  # checks\n"
            "        assert \"No Neg\" 'SELECT count(*) = 0 FROM {marts}.o WHERE s <> ''x''';\n"
            "        row_count_change 10;  # percent\n"
            "        assert plain 'SELECT\n"
            "      true  ';\n"
            "        x                1;\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(Fmt(once), once);
  EXPECT_EQ(Fmt("deployment a { validate {} }"), "deployment a {\n    validate {}\n}\n");
}

TEST(AstPrinterTest, ValuesAndStringsAreKeptAsWritten) {
  EXPECT_EQ(Fmt("deployment a { suffix 'it''s'; await { a 1h30m; b 007; c 'x''y'; "
                "d \"Name\"; e \"false\"; f plain; g \"plain\"; h FALSE; } }"),
            "deployment a {\n"
            "    suffix 'it''s';\n"
            "    await {\n"
            "        a 1h30m;\n"
            "        b 007;\n"
            "        c 'x''y';\n"
            "        d \"Name\";\n"
            "        e \"false\";\n"
            "        f plain;\n"
            "        g plain;\n"
            "        h FALSE;\n"
            "    }\n"
            "}\n");
}

TEST(AstPrinterTest, CommentsInsideAListMoveBeforeIt) {
  EXPECT_EQ(Fmt("deployment a {\n"
                "    schemas a,  # first\n"
                "            b,\n"
                "            # second\n"
                "            c;  # last\n"
                "}\n"),
            "deployment a {\n"
            "    # first\n"
            "    # second\n"
            "    schemas a, b, c;  # last\n"
            "}\n");
}

TEST(AstPrinterTest, CommentsAroundBracesAndHeaders) {
  EXPECT_EQ(Fmt("deployment # kw\n"
                "  a\n"
                "{  # brace on its own line\n"
                "  await { # open\n"
                "  } # close\n"
                "  cleanup {\n"
                "    keep_blue 1h;\n"
                "\n"
                "    # before close\n"
                "  }\n"
                "}"),
            "# kw\n"
            "deployment a {\n"
            "    # brace on its own line\n"
            "    await {  # open\n"
            "    }  # close\n"
            "    cleanup {\n"
            "        keep_blue 1h;\n"
            "\n"
            "        # before close\n"
            "    }\n"
            "}\n");
}

TEST(AstPrinterTest, QuotedNamesAreBareOnlyWhenThatMeansTheSame) {
  auto name = [](std::string text, bool quoted) {
    ast::Name n;
    n.text = std::move(text);
    n.quoted = quoted;
    return ast::FormatName(n);
  };
  EXPECT_EQ(name("marts", true), "marts");
  EXPECT_EQ(name("_a$1", true), "_a$1");
  EXPECT_EQ(name("Marts", true), "\"Marts\"");
  EXPECT_EQ(name("Marts", false), "Marts");
  EXPECT_EQ(name("target", true), "\"target\"");
  EXPECT_EQ(name("true", true), "\"true\"");
  EXPECT_EQ(name("1a", true), "\"1a\"");
  EXPECT_EQ(name("$a", true), "\"$a\"");
  EXPECT_EQ(name("a b", true), "\"a b\"");
  EXPECT_EQ(name("a;b", true), "\"a;b\"");
  EXPECT_EQ(name("a\"b", true), "\"a\"\"b\"");
  EXPECT_EQ(name("\xC3\xA9t\xC3\xA9", true), "\"\xC3\xA9t\xC3\xA9\"");
}

TEST(AstPrinterTest, KeywordListMatchesTheGrammar) {
  for (const char* keyword :
       {"target", "deployment", "schemas", "clusters", "cluster", "sinks", "suffix", "database",
        "await", "promote", "cleanup", "validate", "true", "false"}) {
    EXPECT_TRUE(ast::IsKeyword(keyword)) << keyword;
    EXPECT_EQ(ParseString(std::string("deployment ") + keyword + " {}")->file, nullptr) << keyword;
  }
  for (const char* word :
       {"size", "wait", "timeout", "materialize", "postgres", "Target", "assert", "Validate"}) {
    EXPECT_FALSE(ast::IsKeyword(word)) << word;
    EXPECT_NE(ParseString(std::string("deployment ") + word + " {}")->file, nullptr) << word;
  }
}

TEST(AstPrinterTest, HandBuiltAstWithoutRangesPrints) {
  ast::File file;
  ast::Deployment deployment;
  deployment.name.text = "d";
  ast::Item schemas;
  schemas.kind = ast::ItemKind::kSchemas;
  ast::QualifiedName q;
  q.schema.text = "s";
  schemas.schemas.push_back(q);
  ast::Item await;
  await.kind = ast::ItemKind::kAwait;
  ast::Setting setting;
  setting.key.text = "timeout";
  setting.value.kind = ast::ValueKind::kDuration;
  setting.value.duration_ms = 1500;
  await.settings.push_back(setting);
  ast::Item suffix;
  suffix.kind = ast::ItemKind::kSuffix;
  suffix.suffix = "_g'";
  deployment.items = {schemas, await, suffix};
  file.deployments.push_back(deployment);
  EXPECT_EQ(ast::FormatFile(file),
            "deployment d {\n"
            "    schemas s;\n"
            "    await {\n"
            "        timeout 1500ms;\n"
            "    }\n"
            "    suffix '_g''';\n"
            "}\n");
  EXPECT_EQ(ast::FormatFile(ast::File{}), "");
}

// Inputs for the properties below: every formatting path at least once.
std::vector<std::string> PropertyInputs() {
  return {
      std::string(testing::kLanguageExample),
      kMessy,
      "deployment default { schemas public; clusters quickstart; }",
      "target postgres;deployment a{database \"Db\";schemas \"S\".\"T\", u;suffix '';}",
      "deployment a {\n    schemas a,  # first\n            b,\n            # second\n            "
      "c;\n}",
      "deployment # kw\n a\n{ # b\n await { # open\n } # close\n}\n# end",
      "deployment a { suffix 'multi\nline'; # after\n schemas \"multi\nline name\"; }",
      "\xEF\xBB\xBF# bom\r\ndeployment a {\r\n\tschemas x;\t# tab\r\n}\r\n",
      "deployment a { sinks { schemas s; # s\n clusters k; } cluster c {} cleanup { } }",
  };
}

TEST(AstPrinterTest, Idempotent) {
  for (const std::string& input : PropertyInputs()) {
    std::string once = Fmt(input);
    EXPECT_EQ(Fmt(once), once) << "input:\n" << input;
  }
}

TEST(AstPrinterTest, OutputReparsesToTheSameMeaning) {
  for (const std::string& input : PropertyInputs()) {
    auto original = ParseString(input);
    ASSERT_NE(original->file, nullptr) << input;
    std::string formatted = ast::FormatFile(*original->file);
    auto reparsed = ParseString(formatted);
    ASSERT_EQ(reparsed->Rendered(), "") << formatted;
    ASSERT_NE(reparsed->file, nullptr) << formatted;
    EXPECT_EQ(DumpAst(*reparsed->file, DumpMode::kMeaning),
              DumpAst(*original->file, DumpMode::kMeaning))
        << "formatted:\n"
        << formatted;
  }
}

TEST(AstPrinterTest, OutputHasNoTrailingWhitespaceAndOneFinalNewline) {
  for (const std::string& input : PropertyInputs()) {
    std::string out = Fmt(input);
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_NE(out.substr(out.size() - std::min<size_t>(2, out.size())), "\n\n") << out;
    EXPECT_EQ(out.find(" \n"), std::string::npos) << out;
    EXPECT_EQ(out.find("\t"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace bgplan
