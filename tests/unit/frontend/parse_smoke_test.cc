// Version-skew guard (style.md 7.7 rule 10): a plan touching every grammar rule parses with the
// 4.7.2-generated parser on the 4.9 runtime.
#include <gtest/gtest.h>

#include "tests/unit/frontend/parse_test_util.h"

namespace bgplan {
namespace {

TEST(ParseSmokeTest, EveryRuleParses) {
  auto parsed = testing::ParseString(R"(target postgres;
deployment d {
    schemas a, db."B";
    clusters c;
    cluster c { size '1'; replication_factor 2; }
    sinks { schemas s; clusters k; }
    suffix '_x';
    database db;
    await { timeout 1h30m; }
    promote { wait true; max_retries 3; }
    cleanup { keep_blue 0s; mode fast; }
}
)");
  EXPECT_EQ(parsed->Rendered(), "");
  ASSERT_NE(parsed->file, nullptr);
  EXPECT_EQ(parsed->file->deployments.size(), 1u);
}

}  // namespace
}  // namespace bgplan
