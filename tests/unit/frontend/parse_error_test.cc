// Syntax and lexical errors: exact rendered diagnostics (message, location, caret), recovery that
// reports more than the first error, and pathological input that must stay cheap and bounded.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/frontend/parse_test_util.h"

namespace bgplan {
namespace {

using testing::ParseString;

struct ErrorCase {
  const char* name;
  std::string input;
  // Whether an AST is still returned (only for errors in token values, never for syntax errors).
  bool has_ast;
  std::string expected;
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) { return os << c.name; }

class ParseErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrorTest, RendersExactly) {
  const ErrorCase& c = GetParam();
  ::testing::internal::CaptureStderr();
  auto parsed = ParseString(c.input);
  // ANTLR's console listener is gone from both lexer and parser: nothing is printed.
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(parsed->Rendered(), c.expected);
  EXPECT_EQ(parsed->file != nullptr, c.has_ast);
  EXPECT_TRUE(parsed->diags.has_errors());
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseErrorTest,
    ::testing::Values<ErrorCase>(
        ErrorCase{"EmptyFile", "", false,
                  "input.bgplan:1:1: error: expected at least one deployment, found end of file "
                  "[syntax-error]\n"
                  "\n"
                  "^\n"},
        ErrorCase{"OnlyComments", "# nothing here\n\n", false,
                  "input.bgplan:1:15: error: expected at least one deployment, found end of file "
                  "[syntax-error]\n"
                  "# nothing here\n"
                  "              ^\n"},
        ErrorCase{"OnlyTarget", "target materialize;\n", false,
                  "input.bgplan:1:20: error: expected at least one deployment, found end of file "
                  "[syntax-error]\n"
                  "target materialize;\n"
                  "                   ^\n"},
        ErrorCase{"MissingSemicolonAtEndOfLine",
                  "deployment a {\n    schemas a, b\n    clusters c;\n}\n", false,
                  "input.bgplan:2:17: error: expected ';' or ',' after 'b' [syntax-error]\n"
                  "    schemas a, b\n"
                  "                ^\n"},
        ErrorCase{"MissingSemicolonSameLine", "deployment a { schemas a b; }", false,
                  "input.bgplan:1:26: error: expected ';' or ',', found 'b' [syntax-error]\n"
                  "deployment a { schemas a b; }\n"
                  "                         ^\n"},
        ErrorCase{"MissingName", "deployment a {\n    clusters ;\n}\n", false,
                  "input.bgplan:2:14: error: expected a name, found ';' [syntax-error]\n"
                  "    clusters ;\n"
                  "             ^\n"},
        ErrorCase{"MissingValue", "deployment a { await { timeout ; } }", false,
                  "input.bgplan:1:32: error: expected a value, found ';' [syntax-error]\n"
                  "deployment a { await { timeout ; } }\n"
                  "                               ^\n"},
        ErrorCase{"UnknownItem", "deployment a {\n    frobnicate x;\n}\n", false,
                  "input.bgplan:2:5: error: unknown item 'frobnicate' (the items of a deployment "
                  "are schemas, clusters, cluster, sinks, suffix, database, await, promote, "
                  "cleanup and validate) [unknown-item]\n"
                  "    frobnicate x;\n"
                  "    ^~~~~~~~~~\n"},
        ErrorCase{"QuotedSettingKey", "deployment a { await { \"timeout\" 1s; } }", false,
                  "input.bgplan:1:24: error: expected '}' or an identifier, found '\"timeout\"' "
                  "[syntax-error]\n"
                  "deployment a { await { \"timeout\" 1s; } }\n"
                  "                       ^~~~~~~~~\n"},
        ErrorCase{
            "MissingClosingBrace", "deployment a {\n    schemas a;\n\n", false,
            "input.bgplan:2:15: error: expected an item or '}', found end of file [syntax-error]\n"
            "    schemas a;\n"
            "              ^\n"},
        ErrorCase{"TrailingGarbage", "deployment a { schemas a; }\n}\n", false,
                  "input.bgplan:2:1: error: expected 'deployment' or end of file, found '}' "
                  "[syntax-error]\n"
                  "}\n"
                  "^\n"},
        ErrorCase{"KeywordAsName", "deployment a { schemas target; }", false,
                  "input.bgplan:1:24: error: expected a name, found 'target' [syntax-error]\n"
                  "deployment a { schemas target; }\n"
                  "                       ^~~~~~\n"},
        ErrorCase{"TargetNeedsIdentifier", "target 'postgres';\ndeployment a { schemas x; }", false,
                  "input.bgplan:1:8: error: expected an identifier, found string 'postgres' "
                  "[syntax-error]\n"
                  "target 'postgres';\n"
                  "       ^~~~~~~~~~\n"},
        ErrorCase{"TargetAfterDeployment", "deployment a { schemas x; }\ntarget postgres;\n", false,
                  "input.bgplan:2:1: error: expected 'deployment' or end of file, found 'target' "
                  "[syntax-error]\n"
                  "target postgres;\n"
                  "^~~~~~\n"},
        ErrorCase{"QualifiedClusterName", "deployment a { clusters a.b; }", false,
                  "input.bgplan:1:26: error: expected ';' or ',', found '.' [syntax-error]\n"
                  "deployment a { clusters a.b; }\n"
                  "                         ^\n"},
        ErrorCase{"ThreePartName", "deployment a { schemas a.b.c; }", false,
                  "input.bgplan:1:27: error: expected ';' or ',', found '.' [syntax-error]\n"
                  "deployment a { schemas a.b.c; }\n"
                  "                          ^\n"},
        ErrorCase{"SinksOnlyTakeLists", "deployment a { sinks { suffix 'x'; } }", false,
                  "input.bgplan:1:24: error: expected 'schemas', 'clusters' or '}', found 'suffix' "
                  "[syntax-error]\n"
                  "deployment a { sinks { suffix 'x'; } }\n"
                  "                       ^~~~~~\n"},
        ErrorCase{"NegativeInteger", "deployment a { promote { max_retries -1; } }", false,
                  "input.bgplan:1:38: error: unexpected character '-' [syntax-error]\n"
                  "deployment a { promote { max_retries -1; } }\n"
                  "                                     ^\n"},
        ErrorCase{
            "UnterminatedString", "deployment a {\n    suffix 'abc;\n}\n", false,
            "input.bgplan:2:12: error: unterminated string: missing closing ' [syntax-error]\n"
            "    suffix 'abc;\n"
            "           ^~~~~\n"},
        ErrorCase{"UnterminatedQuotedIdent", "deployment a {\n    schemas \"abc;\n}\n", false,
                  "input.bgplan:2:13: error: unterminated quoted identifier: missing closing \" "
                  "[syntax-error]\n"
                  "    schemas \"abc;\n"
                  "            ^~~~~\n"},
        ErrorCase{"UnexpectedCharacter", "deployment a {\n    schemas a@, b;\n}\n", false,
                  "input.bgplan:2:14: error: unexpected character '@' [syntax-error]\n"
                  "    schemas a@, b;\n"
                  "             ^\n"},
        ErrorCase{"MultipleErrors",
                  "deployment a {\n    schemas a b;\n    frob;\n    await { x 5x; }\n}\ndeployment "
                  "b { suffix ; }\n",
                  false,
                  "input.bgplan:2:15: error: expected ';' or ',', found 'b' [syntax-error]\n"
                  "    schemas a b;\n"
                  "              ^\n"
                  "input.bgplan:3:5: error: unknown item 'frob' (the items of a deployment are "
                  "schemas, clusters, cluster, sinks, suffix, database, await, promote, cleanup "
                  "and validate) [unknown-item]\n"
                  "    frob;\n"
                  "    ^~~~\n"
                  "input.bgplan:4:15: error: invalid duration '5x': unknown unit 'x' (units are "
                  "ms, s, m, h, d) [invalid-duration]\n"
                  "    await { x 5x; }\n"
                  "              ^~\n"
                  "input.bgplan:6:23: error: expected a string, found ';' [syntax-error]\n"
                  "deployment b { suffix ; }\n"
                  "                      ^\n"},
        ErrorCase{"InvalidDurations", "deployment a { await { a 5x; b 1h30; c 30m1h; d 1s1s; } }",
                  true,
                  "input.bgplan:1:26: error: invalid duration '5x': unknown unit 'x' (units are "
                  "ms, s, m, h, d) [invalid-duration]\n"
                  "deployment a { await { a 5x; b 1h30; c 30m1h; d 1s1s; } }\n"
                  "                         ^~\n"
                  "input.bgplan:1:32: error: invalid duration '1h30': missing unit after '30' "
                  "(units are ms, s, m, h, d) [invalid-duration]\n"
                  "deployment a { await { a 5x; b 1h30; c 30m1h; d 1s1s; } }\n"
                  "                               ^~~~\n"
                  "input.bgplan:1:40: error: invalid duration '30m1h': units must go from largest "
                  "to smallest ('h' after 'm') [invalid-duration]\n"
                  "deployment a { await { a 5x; b 1h30; c 30m1h; d 1s1s; } }\n"
                  "                                       ^~~~~\n"
                  "input.bgplan:1:49: error: invalid duration '1s1s': unit 's' appears more than "
                  "once [invalid-duration]\n"
                  "deployment a { await { a 5x; b 1h30; c 30m1h; d 1s1s; } }\n"
                  "                                                ^~~~\n"},
        ErrorCase{"EmptyQuotedName", "deployment \"\" { schemas \"\"; }", true,
                  "input.bgplan:1:12: error: a quoted name must not be empty [empty-name]\n"
                  "deployment \"\" { schemas \"\"; }\n"
                  "           ^~\n"
                  "input.bgplan:1:25: error: a quoted name must not be empty [empty-name]\n"
                  "deployment \"\" { schemas \"\"; }\n"
                  "                        ^~\n"}),
    [](const ::testing::TestParamInfo<ErrorCase>& param_info) {
      return std::string(param_info.param.name);
    });

int CountKind(const testing::ParsedString& parsed, DiagKind kind) {
  int count = 0;
  for (const Diagnostic& d : parsed.diags.Sorted()) {
    count += d.kind == kind ? 1 : 0;
  }
  return count;
}

TEST(ParseErrorTest, InvalidUtf8IsLocatedByLineAndCodePointColumn) {
  // Line 3: four spaces, "é" (two bytes, one column), then a lone 0xFF at column 6. Line 4: a
  // truncated three-byte sequence (reported once, one column), " x ", then an overlong encoding
  // of '/' (two errors: 0xC0 is never valid, and 0xAF alone is a stray continuation byte).
  auto parsed = ParseString(
      "deployment a {\n"
      "    schemas a;\n"
      "    \xC3\xA9\xFF;\n"
      "    \xE2\x82 x \xC0\xAF\n"
      "}\n");
  EXPECT_EQ(parsed->file, nullptr);
  EXPECT_EQ(parsed->Rendered(),
            "input.bgplan:3:6: error: invalid UTF-8 byte 0xff [invalid-utf8]\n"
            "    \xC3\xA9\xFF;\n"
            "     ^\n"
            "input.bgplan:4:5: error: invalid UTF-8 byte 0xe2 [invalid-utf8]\n"
            "    \xE2\x82 x \xC0\xAF\n"
            "    ^\n"
            "input.bgplan:4:9: error: invalid UTF-8 byte 0xc0 [invalid-utf8]\n"
            "    \xE2\x82 x \xC0\xAF\n"
            "        ^\n"
            "input.bgplan:4:10: error: invalid UTF-8 byte 0xaf [invalid-utf8]\n"
            "    \xE2\x82 x \xC0\xAF\n"
            "         ^\n");
}

TEST(ParseErrorTest, SurrogatesAndOutOfRangeCodePointsAreInvalid) {
  // ED A0 80 (a surrogate) is ill-formed at its second byte: ED, A0 and 80 are three errors;
  // F4 90 80 80 (above U+10FFFF) likewise four.
  auto parsed = ParseString("deployment a { schemas \"\xED\xA0\x80\", \"\xF4\x90\x80\x80\"; }");
  EXPECT_EQ(parsed->file, nullptr);
  EXPECT_EQ(CountKind(*parsed, DiagKind::kInvalidUtf8), 7);
  EXPECT_EQ(CountKind(*parsed, DiagKind::kSyntaxError), 0);
}

TEST(ParseErrorTest, BomThenInvalidByteColumnIgnoresBom) {
  auto parsed = ParseString("\xEF\xBB\xBF\xFF");
  EXPECT_EQ(parsed->Rendered().substr(0, 60),
            "input.bgplan:1:1: error: invalid UTF-8 byte 0xff [invalid-ut");
}

TEST(ParseErrorTest, NulBytesAreLocatedErrors) {
  auto parsed = ParseString(std::string("deployment a { schemas \"a\0b\"; }\n\0", 33));
  EXPECT_EQ(parsed->file, nullptr);
  std::vector<Diagnostic> diags = parsed->diags.Sorted();
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].message, "NUL byte is not allowed in a .bgplan file");
  EXPECT_EQ(diags[0].range.begin, (SourceLocation{1, 26}));
  EXPECT_EQ(diags[1].range.begin, (SourceLocation{2, 1}));
}

TEST(ParseErrorTest, BinaryGarbageIsBoundedAndPrintsNothing) {
  std::string garbage;
  uint32_t state = 12345;
  for (int i = 0; i < 1'000'000; ++i) {
    state = state * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(state >> 24));
  }
  ::testing::internal::CaptureStderr();
  auto parsed = ParseString(garbage);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(parsed->file, nullptr);
  EXPECT_GT(CountKind(*parsed, DiagKind::kInvalidUtf8), 0);
  // The engine's cap (50) plus its too-many-errors line.
  EXPECT_LE(parsed->diags.Sorted().size(), 51u);
  EXPECT_TRUE(parsed->diags.saturated());
}

TEST(ParseErrorTest, ValidUtf8GarbageIsBounded) {
  std::string garbage;
  const std::string alphabet = "ab{};,.\"' \n#@1s\xC3\xA9";
  uint32_t state = 7;
  for (int i = 0; i < 2'000'000; ++i) {
    state = state * 1103515245u + 12345u;
    char c = alphabet[(state >> 16) % (alphabet.size() - 2)];
    garbage.push_back(c);
  }
  auto parsed = ParseString(garbage);
  EXPECT_EQ(parsed->file, nullptr);
  EXPECT_GE(parsed->diags.error_count(), 1);
  EXPECT_LE(parsed->diags.Sorted().size(), 51u);
}

TEST(ParseErrorTest, TenMegabytesOfOpenBracesStopEarly) {
  auto parsed = ParseString(std::string(10 * 1024 * 1024, '{'));
  EXPECT_EQ(parsed->file, nullptr);
  std::vector<Diagnostic> diags = parsed->diags.Sorted();
  // The first error, then recovery gives up after skipping its budget of tokens.
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].message, "expected 'target' or 'deployment', found '{'");
  EXPECT_EQ(diags[0].range, (SourceRange{{1, 1}, {1, 2}}));
  EXPECT_EQ(diags[1].message,
            "giving up after skipping 10000 tokens to recover from a syntax error");
  // Recovery skips 10000 tokens, starting with the offending '{', then stops at the next one.
  EXPECT_EQ(diags[1].range.begin, (SourceLocation{1, 10001}));
}

TEST(ParseErrorTest, DeepNestingDoesNotRecurse) {
  const int depth = 100'000;
  std::string text = "deployment a " + std::string(depth, '{') + std::string(depth, '}');
  auto parsed = ParseString(text);
  EXPECT_EQ(parsed->file, nullptr);
  EXPECT_LE(parsed->diags.Sorted().size(), 3u);
  EXPECT_EQ(parsed->diags.Sorted()[0].message, "expected an item or '}', found '{'");
  // Nested blocks that are valid one level deep and wrong below it.
  std::string blocks = "deployment a {";
  for (int i = 0; i < depth; ++i) {
    blocks += " await {";
  }
  auto nested = ParseString(blocks);
  EXPECT_EQ(nested->file, nullptr);
  EXPECT_LE(nested->diags.Sorted().size(), 51u);
}

TEST(ParseErrorTest, ManyErrorsAreCappedAtFifty) {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "deployment d" + std::to_string(i) + " { schemas a b; }\n";
  }
  auto parsed = ParseString(text);
  EXPECT_EQ(parsed->file, nullptr);
  std::vector<Diagnostic> diags = parsed->diags.Sorted();
  ASSERT_EQ(diags.size(), 51u);
  EXPECT_EQ(diags[0].range.begin, (SourceLocation{1, 27}));
  EXPECT_EQ(diags[49].range.begin, (SourceLocation{50, 28}));
  EXPECT_EQ(diags[50].kind, DiagKind::kTooManyErrors);
}

TEST(ParseErrorTest, EveryBadCharacterIsReported) {
  // A run of adjacent ones is one error; each run is reported, and the parser reads the file
  // without them.
  std::unique_ptr<ast::File> recovered;
  testing::ParsedString parsed{
      SourceFile("input.bgplan", "deployment a { schemas a@@; clusters b, ~c; }"),
      DiagnosticEngine(), nullptr};
  parsed.file = frontend::ParseFile(parsed.source, parsed.diags, &recovered);
  std::vector<Diagnostic> diags = parsed.diags.Sorted();
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].message, "unexpected characters '@@'");
  EXPECT_EQ(diags[0].range, (SourceRange{{1, 25}, {1, 27}}));
  EXPECT_EQ(diags[1].message, "unexpected character '~'");
  // Not a faithful AST (fmt would drop the characters), but the file as the parser read it.
  EXPECT_EQ(parsed.file, nullptr);
  ASSERT_NE(recovered, nullptr);
  EXPECT_EQ(testing::DumpAst(*recovered),
            testing::DumpAst(*ParseString("deployment a { schemas a; clusters b, c; }")->file));
}

TEST(ParseErrorTest, InvisibleCharactersAreShownAsCodePoints) {
  auto parsed = ParseString(
      "deployment a {\n    schemas a,\xC2\xA0"
      "b;\n}\n");
  EXPECT_EQ(parsed->Rendered(),
            "input.bgplan:2:15: error: unexpected character U+00A0 [syntax-error]\n"
            "    schemas a,\xC2\xA0"
            "b;\n"
            "              ^\n");
  auto tab_like = ParseString("deployment a {\x0B}");
  EXPECT_EQ(tab_like->diags.Sorted()[0].message, "unexpected character U+000B");
}

TEST(ParseErrorTest, ColumnsCountCodePointsBeforeTheError) {
  auto parsed =
      ParseString("deployment \"\xC3\xA4\xC3\xB6\xE2\x82\xAC\xF0\x9F\x9A\x80\" { schemas a b; }");
  EXPECT_EQ(parsed->Rendered(),
            "input.bgplan:1:31: error: expected ';' or ',', found 'b' [syntax-error]\n"
            "deployment \"\xC3\xA4\xC3\xB6\xE2\x82\xAC\xF0\x9F\x9A\x80\" { schemas a b; }\n"
            "                              ^\n");
}

TEST(ParseErrorTest, LongTokensAreShortenedInMessages) {
  auto parsed = ParseString("deployment a { schemas a " + std::string(100, 'x') + "; }");
  EXPECT_EQ(parsed->diags.Sorted()[0].message,
            "expected ';' or ',', found '" + std::string(32, 'x') + "...'");
}

TEST(ParseErrorTest, EarlierErrorsForOtherFilesDoNotMatter) {
  testing::ParsedString parsed{SourceFile("b.bgplan", "deployment b { schemas x; }"),
                               DiagnosticEngine(), nullptr};
  parsed.diags.Report(DiagKind::kSyntaxError, "a.bgplan", SourceRange{}, "from another file");
  parsed.file = frontend::ParseFile(parsed.source, parsed.diags);
  EXPECT_NE(parsed.file, nullptr);
}

}  // namespace
}  // namespace bgplan
