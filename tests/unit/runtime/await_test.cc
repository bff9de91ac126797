// The text of await's progress lines.
#include "runtime/await/await.h"

#include <gtest/gtest.h>

namespace bgplan::runtime {
namespace {

// Lags print in the notation of every other duration (30s, 1h30m), not as the catalog's
// "30.000000" seconds.
TEST(AwaitTest, LagTextUsesTheDurationNotation) {
  EXPECT_EQ(LagText("0"), "0s");
  EXPECT_EQ(LagText("0.000000"), "0s");
  EXPECT_EQ(LagText("0.2"), "200ms");
  EXPECT_EQ(LagText("1.5"), "1s500ms");
  EXPECT_EQ(LagText("30.000000"), "30s");
  EXPECT_EQ(LagText("90.4"), "1m30s");
  EXPECT_EQ(LagText("5400"), "1h30m");
  // Not a number: shown as given, with its unit.
  EXPECT_EQ(LagText("n/a"), "n/a s");
}

}  // namespace
}  // namespace bgplan::runtime
