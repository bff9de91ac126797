// The placeholders of a validate block's SQL (plans/validation.h).
#include "plans/validation.h"

#include <gtest/gtest.h>

namespace bgplan::plans {
namespace {

std::string Green(std::string_view sql) {
  return SubstituteValidationSql(sql, [](const std::string& s) { return "<" + s + ">"; });
}

TEST(ValidationSql, PlaceholdersAreFoldedOrExactAndReplaced) {
  auto p = ValidationPlaceholders("SELECT count(*) = 0 FROM {Marts}.orders JOIN {\"My \"\"S\"}.x");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].schema, "marts");
  EXPECT_EQ(p[0].begin, 25u);
  EXPECT_EQ(p[0].end, 32u);
  EXPECT_EQ(p[1].schema, "My \"S");
  EXPECT_EQ(Green("SELECT 1 FROM {marts}.o, {\"X\"}.y"), "SELECT 1 FROM <marts>.o, <X>.y");
}

TEST(ValidationSql, OtherBracesAreLiteralAndDoubledBraceEscapes) {
  EXPECT_TRUE(ValidationPlaceholders("SELECT '{1,2}'::int[] = '{\"a\": 1}'").empty());
  EXPECT_EQ(Green("SELECT '{1,2}', '{\"a\": 1}', '{{marts}'"), "SELECT '{1,2}', '{\"a\": 1}', '{marts}'");
  EXPECT_EQ(Green("{marts"), "{marts");
  EXPECT_EQ(Green("{}"), "{}");
  EXPECT_EQ(Green("{\"\"}"), "{\"\"}");  // an empty quoted name is not a placeholder
  EXPECT_EQ(Green("x{a}y{b}z"), "x<a>y<b>z");
}

}  // namespace
}  // namespace bgplan::plans
