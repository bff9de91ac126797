#include "compiler/frontend/lexemes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>

namespace bgplan::frontend {
namespace {

struct DurationCase {
  std::string lexeme;
  int64_t milliseconds;
  std::string error;
};

std::ostream& operator<<(std::ostream& os, const DurationCase& c) { return os << c.lexeme; }

class DurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationTest, Parses) {
  const DurationCase& c = GetParam();
  DurationLexeme parsed = ParseDurationLexeme(c.lexeme);
  EXPECT_EQ(parsed.milliseconds, c.milliseconds) << c.lexeme;
  EXPECT_EQ(parsed.error, c.error) << c.lexeme;
}

INSTANTIATE_TEST_SUITE_P(
    Lexemes, DurationTest,
    ::testing::Values(
        DurationCase{"500ms", 500, ""}, DurationCase{"15s", 15'000, ""},
        DurationCase{"2m", 120'000, ""}, DurationCase{"1h30m", 5'400'000, ""},
        DurationCase{"7d", 604'800'000, ""}, DurationCase{"0s", 0, ""},
        DurationCase{"1d2h3m4s5ms", 93'784'005, ""}, DurationCase{"007s", 7'000, ""},
        // Overflow is not an error here: the value is -1 and lowering reports it.
        DurationCase{"9223372036854775807ms", INT64_MAX, ""},
        DurationCase{"9223372036854775808ms", -1, ""},
        DurationCase{"106751991167d", 9'223'372'036'828'800'000, ""},
        DurationCase{"106751991168d", -1, ""}, DurationCase{"99999999999999999999999s", -1, ""},
        DurationCase{"5x", -1, "unknown unit 'x' (units are ms, s, m, h, d)"},
        DurationCase{"15sec", -1, "unknown unit 'sec' (units are ms, s, m, h, d)"},
        DurationCase{"1H", -1, "unknown unit 'H' (units are ms, s, m, h, d)"},
        DurationCase{"1h30", -1, "missing unit after '30' (units are ms, s, m, h, d)"},
        DurationCase{"1h1h", -1, "unit 'h' appears more than once"},
        DurationCase{"30m1h", -1, "units must go from largest to smallest ('h' after 'm')"},
        DurationCase{"1ms1s", -1, "units must go from largest to smallest ('s' after 'ms')"}),
    [](const ::testing::TestParamInfo<DurationCase>& param_info) {
      return "d" + std::to_string(param_info.index) + "_" + param_info.param.lexeme;
    });

TEST(IntegerLexemeTest, ParsesAndFlagsOverflow) {
  EXPECT_EQ(ParseIntegerLexeme("0"), 0);
  EXPECT_EQ(ParseIntegerLexeme("3"), 3);
  EXPECT_EQ(ParseIntegerLexeme("0016"), 16);
  EXPECT_EQ(ParseIntegerLexeme("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseIntegerLexeme("9223372036854775808"), -1);
  EXPECT_EQ(ParseIntegerLexeme("123456789012345678901234567890"), -1);
}

TEST(UnquoteLexemeTest, UndoublesQuotes) {
  EXPECT_EQ(UnquoteLexeme("''", '\''), "");
  EXPECT_EQ(UnquoteLexeme("'it''s'", '\''), "it's");
  EXPECT_EQ(UnquoteLexeme("''''", '\''), "'");
  EXPECT_EQ(UnquoteLexeme("\"a\"\"b\"", '"'), "a\"b");
  EXPECT_EQ(UnquoteLexeme("\"x'y\"", '"'), "x'y");
  EXPECT_EQ(UnquoteLexeme("'a\"b'", '\''), "a\"b");
}

}  // namespace
}  // namespace bgplan::frontend
