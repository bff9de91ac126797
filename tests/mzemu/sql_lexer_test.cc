#include "tests/mzemu/sql_lexer.h"

#include <gtest/gtest.h>

namespace mzemu {
namespace {

TEST(SqlLexerTest, SplitsAtTopLevelSemicolonsOnly) {
  auto stmts = SplitStatements(
      "BEGIN; ; ALTER SCHEMA \"a;b\" SWAP WITH x; SELECT 'it''s; fine' -- c;\n; COMMIT;");
  ASSERT_EQ(stmts.size(), 4u);
  EXPECT_EQ(stmts[0].text, "BEGIN");
  EXPECT_EQ(stmts[1].text, "ALTER SCHEMA \"a;b\" SWAP WITH x");
  EXPECT_EQ(stmts[1].tokens[2].text, "a;b");
  EXPECT_EQ(stmts[1].tokens[2].kind, TokenKind::kQuotedIdent);
  EXPECT_EQ(stmts[2].tokens[1].text, "it's; fine");
  EXPECT_EQ(stmts[3].text, "COMMIT");
}

TEST(SqlLexerTest, DollarQuotesAndCommentsDoNotSplit) {
  auto stmts = SplitStatements("SELECT $$a;b$$ /* x; /* nested; */ y */ ; SELECT 2");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[0].tokens[1].text, "a;b");
}

TEST(SqlLexerTest, RewritesCurrentUserAndFunctionFieldAccess) {
  auto s = SplitStatements(
      "SELECT mz_internal.mz_aclexplode(privileges).*, current_user(), current_role "
      "FROM t WHERE x.current_user = 1")[0];
  EXPECT_EQ(RewriteForPostgres(s),
            "SELECT (mz_internal.mz_aclexplode(privileges)).*, mz_catalog.\"current_user\"(), "
            "mz_catalog.\"current_role\"() FROM t WHERE x.current_user = 1");
}

TEST(SqlLexerTest, Quoting) {
  EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
}

}  // namespace
}  // namespace mzemu
