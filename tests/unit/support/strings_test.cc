#include "support/strings.h"

#include <gtest/gtest.h>

namespace bgplan {
namespace {

TEST(StringsTest, Join) {
  EXPECT_EQ(Join({}), "");
  EXPECT_EQ(Join({"a"}), "a");
  EXPECT_EQ(Join({"a", "b", "c"}, ","), "a,b,c");
}

// The one duration notation of every message, compile comment and fmt output, on both
// databases: largest unit first, the units the language reads back.
TEST(StringsTest, FormatDuration) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(500), "500ms");
  EXPECT_EQ(FormatDuration(1'500), "1s500ms");
  EXPECT_EQ(FormatDuration(15'000), "15s");
  EXPECT_EQ(FormatDuration(3'600'000), "1h");
  EXPECT_EQ(FormatDuration(5'400'000), "1h30m");
  EXPECT_EQ(FormatDuration(86'400'000), "1d");
  EXPECT_EQ(FormatDuration(90'061'001), "1d1h1m1s1ms");
  EXPECT_EQ(FormatDuration(365LL * 86'400'000), "365d");
  EXPECT_EQ(FormatDuration(-2'000), "-2s");
}

}  // namespace
}  // namespace bgplan
