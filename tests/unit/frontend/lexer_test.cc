// The hand-written lexer (compiler/frontend/lexer.h) against the lexer ANTLR generates from
// grammar/BgPlan.g4: identical token streams on hand-picked edge cases, every .bgplan file in the
// repository, and many pseudo-random inputs over the characters that matter to the rules.
#include "compiler/frontend/lexer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "compiler/frontend/utf8.h"
#include "support/diagnostic.h"
#include "support/source.h"

namespace bgplan::frontend {
namespace {

TEST(LexerTest, EdgeCasesMatchTheGeneratedLexer) {
  const std::vector<std::u32string> cases = {
      U"",
      U" \t\r\n ",
      U"target materialize;",
      U"targets target_ Target true false truex _ _1$ a$b",
      U"deployment d { schemas a.b, \"c\"\"d\"; clusters c; }",
      U"5 5s 5s5 1h30m 1h30 12_ 12$ 5sx9y 007 9ms",
      U"\"unterminated",
      U"\"a\"\"",
      U"\"a\"\"\"",
      U"\"\"",
      U"\"\"\"",
      U"'x''y' 'z",
      U"'",
      U"\"",
      U"\"multi\nline\" after",
      U"# comment\n# another\r\nx # trailing",
      U"#",
      U"@ $ % \u00e9 \U0001F600 - + = ! ~ ` ^ & * ( ) [ ] < > ? / \\ |",
      U"a\rb\n\nc\t\td",
      U"{};,.",
      U"deployment\u00e9",
      U"validate validates Validate _validate validate{assert a 'SELECT {{x}';}",
  };
  for (const auto& text : cases) {
    EXPECT_EQ(CompareWithGeneratedLexer(text), "") << std::string(text.begin(), text.end());
  }
}

TEST(LexerTest, RepositoryFilesMatchTheGeneratedLexer) {
  int files = 0;
  for (const char* dir : {"examples", "tests/golden", "tests/fuzz/corpus"}) {
    std::filesystem::path root = std::filesystem::path(BGPLAN_SOURCE_DIR) / dir;
    if (!std::filesystem::exists(root)) {
      continue;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".bgplan") {
        continue;
      }
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // As ParseFile does: text that is not valid UTF-8 never reaches a lexer.
      DiagnosticEngine diags;
      std::u32string code_points;
      if (DecodeUtf8Source(SourceFile(entry.path().string(), bytes), diags, code_points) > 0) {
        continue;
      }
      ++files;
      EXPECT_EQ(CompareWithGeneratedLexer(code_points), "") << entry.path();
    }
  }
  EXPECT_GT(files, 10);
}

TEST(LexerTest, RandomInputsMatchTheGeneratedLexer) {
  const std::u32string alphabet =
      U"aAzZ_$09sm h\"\"''#{};,.\n\r\t @\u00e9\U0001F600tdeploymentrueschemas";
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 20000; ++round) {
    std::u32string text;
    size_t length = next() % 60;
    for (size_t i = 0; i < length; ++i) {
      text.push_back(alphabet[next() % alphabet.size()]);
    }
    ASSERT_EQ(CompareWithGeneratedLexer(text), "") << "round " << round;
  }
}

}  // namespace
}  // namespace bgplan::frontend
