#include "sql/quote.h"

#include <gtest/gtest.h>

namespace bgplan::sql {
namespace {

TEST(QuoteIdentTest, WrapsInDoubleQuotes) { EXPECT_EQ("\"marts\"", QuoteIdent("marts")); }

TEST(QuoteIdentTest, DoublesEmbeddedDoubleQuotes) {
  EXPECT_EQ("\"we\"\"ird; DROP TABLE x\"", QuoteIdent("we\"ird; DROP TABLE x"));
  EXPECT_EQ("\"\"\"\"\"\"", QuoteIdent("\"\""));
}

TEST(QuoteIdentTest, KeepsEverythingElseVerbatim) {
  EXPECT_EQ("\"it's\"", QuoteIdent("it's"));
  EXPECT_EQ("\"a b;c\"", QuoteIdent("a b;c"));
  EXPECT_EQ("\"Märts_ü\"", QuoteIdent("Märts_ü"));
  EXPECT_EQ("\"select\"", QuoteIdent("select"));
  EXPECT_EQ("\"a\nb\"", QuoteIdent("a\nb"));
  EXPECT_EQ("\"\"", QuoteIdent(""));
}

TEST(QuoteQualifiedTest, QualifiesOnlyWithADatabase) {
  EXPECT_EQ("\"marts\"", QuoteQualified("", "marts"));
  EXPECT_EQ("\"db\".\"marts\"", QuoteQualified("db", "marts"));
  EXPECT_EQ("\"d\"\"b\".\"m.a\"", QuoteQualified("d\"b", "m.a"));
}

TEST(QuoteLiteralTest, DoublesSingleQuotes) {
  EXPECT_EQ("'200cc'", QuoteLiteral("200cc"));
  EXPECT_EQ("'it''s'", QuoteLiteral("it's"));
  EXPECT_EQ("'\"x\"'", QuoteLiteral("\"x\""));
  EXPECT_EQ("''''''", QuoteLiteral("''"));
}

// A backslash makes the literal an escape string constant, so that it means the same bytes
// whatever standard_conforming_strings is (off: '\'' would end the literal early).
TEST(QuoteLiteralTest, BackslashesGiveAnEscapeStringThatNoSettingCanEndEarly) {
  EXPECT_EQ("E'a\\\\b'", QuoteLiteral("a\\b"));
  EXPECT_EQ("E'x\\\\''; DROP TABLE t; --'", QuoteLiteral("x\\'; DROP TABLE t; --"));
  EXPECT_EQ("E'\\\\'", QuoteLiteral("\\"));
  EXPECT_EQ("'no backslash'", QuoteLiteral("no backslash"));
}

}  // namespace
}  // namespace bgplan::sql
