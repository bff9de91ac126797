// The Materialize version bgplan reads from version() / mz_version() (resolve/server_version.h).
#include "resolve/server_version.h"

#include <gtest/gtest.h>

namespace bgplan::resolve {
namespace {

TEST(ServerVersionTest, ParsesEveryTextMaterializeReportsItsVersionIn) {
  // version(), mz_version(), the handshake parameter.
  auto v = ParseMaterializeVersion(
      "PostgreSQL 9.5 on x86_64-pc-linux-gnu (Materialize v26.40.1 (5f3c2a1b))");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->Text(), "v26.40.1");
  EXPECT_EQ(ParseMaterializeVersion("PostgreSQL 9.5 on x86_64-unknown-linux-gnu (Materialize "
                                    "26.38.2)")
                ->Text(),
            "v26.38.2");
  EXPECT_EQ(ParseMaterializeVersion("v26.34.0 (mzemu)")->Text(), "v26.34.0");
  EXPECT_EQ(ParseMaterializeVersion("v0.130.12")->Text(), "v0.130.12");
}

TEST(ServerVersionTest, PostgresAndGarbageHaveNoMaterializeVersion) {
  EXPECT_FALSE(ParseMaterializeVersion("PostgreSQL 15.4 (Debian 15.4-1) on x86_64-pc-linux-gnu"));
  EXPECT_FALSE(ParseMaterializeVersion("Materialize vNext"));
  EXPECT_FALSE(ParseMaterializeVersion("v26.40"));
  EXPECT_FALSE(ParseMaterializeVersion("26.40.0"));  // a bare release only after "Materialize "
  EXPECT_FALSE(ParseMaterializeVersion(""));
}

TEST(ServerVersionTest, OrdersNumericallyAndGatesFeatures) {
  EXPECT_LT((ServerVersion{26, 9, 0}), (ServerVersion{26, 10, 0}));
  EXPECT_LT((ServerVersion{0, 130, 0}), kOldestCheckedMaterialize);
  EXPECT_TRUE(TooOld(ServerVersion{26, 33, 9}, kAutoScalingStrategy));
  EXPECT_FALSE(TooOld(ServerVersion{26, 34, 0}, kAutoScalingStrategy));
  // Unknown version: not refused, the server decides.
  EXPECT_FALSE(TooOld(std::nullopt, kAutoScalingStrategy));
}

}  // namespace
}  // namespace bgplan::resolve
