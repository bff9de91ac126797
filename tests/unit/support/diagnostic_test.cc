#include "support/diagnostic.h"

#include <gtest/gtest.h>

#include <set>

#include "support/exit_codes.h"
#include "support/status.h"
#include "support/terminal_text.h"

namespace bgplan {
namespace {

SourceRange Range(int line, int begin, int end) { return {{line, begin}, {line, end}}; }

std::string RenderOne(const SourceFile& file, Diagnostic d) {
  DiagnosticPrinter printer;
  printer.AddSource(file);
  return printer.Render(d);
}

Diagnostic Error(const std::string& file, SourceRange range, std::string message,
                 DiagKind kind = DiagKind::kSyntaxError) {
  Diagnostic d;
  d.kind = kind;
  d.file = file;
  d.range = range;
  d.message = std::move(message);
  return d;
}

TEST(DiagnosticPrinter, RendersLocationLineAndCaret) {
  SourceFile file("input.bgplan", "deployment d {\n    suffix '';\n}\n");
  EXPECT_EQ(RenderOne(file, Error("input.bgplan", Range(2, 12, 14), "suffix is empty",
                                  DiagKind::kEmptySuffix)),
            "input.bgplan:2:12: error: suffix is empty [empty-suffix]\n"
            "    suffix '';\n"
            "           ^~\n");
}

TEST(DiagnosticPrinter, TabsPrintAsOneSpaceSoTheCaretLinesUp) {
  SourceFile file("t.bgplan", "\tschemas x y;\n");
  EXPECT_EQ(RenderOne(file, Error("t.bgplan", Range(1, 12, 13), "bad")),
            "t.bgplan:1:12: error: bad [syntax-error]\n"
            " schemas x y;\n"
            "           ^\n");
}

TEST(DiagnosticPrinter, ColumnsCountCodePoints) {
  SourceFile file("u.bgplan", "schemas \"\xc3\xbcn\xc3\xaf\" x;\n");
  // "ünï" occupies columns 10..12; x is at column 15.
  EXPECT_EQ(RenderOne(file, Error("u.bgplan", Range(1, 15, 16), "unexpected 'x'")),
            "u.bgplan:1:15: error: unexpected 'x' [syntax-error]\n"
            "schemas \"\xc3\xbcn\xc3\xaf\" x;\n"
            "              ^\n");
}

TEST(DiagnosticPrinter, MultiLineRangeUnderlinesToEndOfFirstLine) {
  SourceFile file("m.bgplan", "abc def\nghi\n");
  SourceRange range{{1, 5}, {2, 2}};
  EXPECT_EQ(RenderOne(file, Error("m.bgplan", range, "m")),
            "m.bgplan:1:5: error: m [syntax-error]\nabc def\n    ^~~\n");
}

TEST(DiagnosticPrinter, LongLinesAreWindowedAroundTheCaret) {
  std::string line(100000, '{');
  SourceFile file("long.bgplan", line + "\n");
  std::string rendered = RenderOne(file, Error("long.bgplan", Range(1, 50000, 50001), "x"));
  EXPECT_LT(rendered.size(), 500u);
  // The window is marked as cut on both sides and the caret sits under column 50000.
  std::string expected_line = "..." + std::string(160, '{') + "...\n";
  EXPECT_NE(rendered.find(expected_line), std::string::npos) << rendered;
  size_t caret_line = rendered.find('^');
  size_t line_start = rendered.rfind('\n', caret_line) + 1;
  EXPECT_EQ(caret_line - line_start, 3u + 80u);
}

TEST(DiagnosticPrinter, NoFileMeansNoLocation) {
  Diagnostic d = Error("", {}, "too many errors emitted, stopping now", DiagKind::kTooManyErrors);
  DiagnosticPrinter printer;
  EXPECT_EQ(printer.Render(d),
            "bgplan: error: too many errors emitted, stopping now [too-many-errors]\n");
}

TEST(DiagnosticEngine, SortsByLocationAndRemovesDuplicates) {
  DiagnosticEngine engine;
  engine.Report(Error("a", Range(3, 1, 2), "third"));
  engine.Report(Error("a", Range(1, 5, 6), "second"));
  engine.Report(Error("a", Range(1, 2, 3), "first"));
  engine.Report(Error("a", Range(1, 2, 3), "first"));
  auto sorted = engine.Sorted();
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0].message, "first");
  EXPECT_EQ(sorted[1].message, "second");
  EXPECT_EQ(sorted[2].message, "third");
}

TEST(DiagnosticEngine, CapsErrorsAtFiftyAndSaysSo) {
  DiagnosticEngine engine;
  for (int i = 1; i <= 80; ++i) {
    engine.Report(Error("a", Range(i, 1, 2), "e" + std::to_string(i)));
  }
  EXPECT_TRUE(engine.saturated());
  EXPECT_EQ(engine.error_count(), 50);
  auto sorted = engine.Sorted();
  ASSERT_EQ(sorted.size(), 51u);
  EXPECT_EQ(sorted.back().kind, DiagKind::kTooManyErrors);
  // Located at the first error it stands for, like every other diagnostic.
  EXPECT_EQ(sorted.back().file, "a");
  EXPECT_EQ(sorted.back().range.begin.line, 51);
}

TEST(TerminalText, EscapesEveryControlCharacter) {
  EXPECT_EQ(EscapeControls("plain 'ü' \\ text"), "plain 'ü' \\ text");
  EXPECT_EQ(EscapeControls("a\x1b[2Jb\x07" "c\nd\re\tf\x7f" "g\xc2\x9b" "h\xc2\xa0" "i"),
            "a\\x1b[2Jb\\x07c\\nd\\re\\tf\\x7fg\\u009bh\xc2\xa0i");
  EXPECT_EQ(EscapeControlsButLines("SELECT 1;\n\tx\x1b"), "SELECT 1;\n\tx\\x1b");
  EXPECT_EQ(ControlPictures("a\x1b\x07\t" "b\x7f\xc2\x9b"),
            "a\xe2\x90\x9b\xe2\x90\x87 " "b\xe2\x90\xa1\xef\xbf\xbd");
}

// A name holding control characters: the message shows them escaped, the source line as
// one-column pictures (so the caret still lines up), and nothing reaches the terminal raw.
TEST(DiagnosticPrinter, ControlCharactersNeverReachTheTerminal) {
  SourceFile file("c.bgplan", "schemas \"a\x1b\x07\" x;\n");
  std::string out = RenderOne(file, Error("c.bgplan", Range(1, 15, 16), "near 'a\x1b\x07'"));
  EXPECT_EQ(out,
            "c.bgplan:1:15: error: near 'a\\x1b\\x07' [syntax-error]\n"
            "schemas \"a\xe2\x90\x9b\xe2\x90\x87\" x;\n"
            "              ^\n");
}

// A source line that starts like a diagnostic is indented, caret included.
TEST(DiagnosticPrinter, ASourceLineThatLooksLikeADiagnosticIsIndented) {
  SourceFile file("f.bgplan", "x.bgplan:1:1: error: forged\n");
  EXPECT_EQ(RenderOne(file, Error("f.bgplan", Range(1, 1, 2), "syntax")),
            "f.bgplan:1:1: error: syntax [syntax-error]\n"
            "  x.bgplan:1:1: error: forged\n"
            "  ^\n");
  SourceFile ok("g.bgplan", "deployment d: x\n");
  EXPECT_EQ(RenderOne(ok, Error("g.bgplan", Range(1, 1, 2), "syntax")),
            "g.bgplan:1:1: error: syntax [syntax-error]\n"
            "deployment d: x\n"
            "^\n");
}

TEST(DiagnosticEngine, WarningsDoNotCountAsErrors) {
  DiagnosticEngine engine;
  engine.Report(DiagKind::kDuplicateObject, "a", Range(1, 1, 2), "dup");
  EXPECT_FALSE(engine.has_errors());
  EXPECT_EQ(engine.warning_count(), 1);
}

TEST(DiagKinds, NamesAreUniqueKebabCase) {
  std::set<std::string_view> seen;
  for (DiagKind kind : AllDiagKinds()) {
    std::string_view name = DiagKindName(kind);
    EXPECT_TRUE(seen.insert(name).second) << name;
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), name.npos) << name;
  }
  EXPECT_EQ(DefaultSeverity(DiagKind::kDuplicateObject), Severity::kWarning);
  EXPECT_FALSE(IsStaticKind(DiagKind::kNotOwner));
}

TEST(ExitCodes, MatchCliTable) {
  EXPECT_EQ(ExitCodeFor(Status()), 0);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kPrecondition, "x")), 3);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kTimeout, "x")), 4);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kFailing, "x")), 5);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kLocked, "x")), 6);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kDatabaseError, "x", "42P01")), 7);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kConnectionError, "x")), 7);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kInterrupted, "x")), 8);
  EXPECT_EQ(ExitCodeFor(Status(StatusCode::kInternal, "x")), 70);
  EXPECT_EQ(Status(StatusCode::kDatabaseError, "boom", "42P01").ToString(),
            "boom (SQLSTATE 42P01)");
}

TEST(ResultTest, CarriesValueOrStatus) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Status::NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "nope");
}

}  // namespace
}  // namespace bgplan
