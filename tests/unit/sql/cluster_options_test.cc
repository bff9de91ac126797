// sql/cluster_options: blue's SHOW CREATE CLUSTER as an option list, and back as green's CREATE.
#include "sql/cluster_options.h"

#include <gtest/gtest.h>

namespace bgplan::sql {
namespace {

// As Materialize v26.40 prints a managed cluster (and the emulator, tests/mzemu).
constexpr const char* kShown =
    "CREATE CLUSTER \"c\" (AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '50cc', "
    "LINGER DURATION = '00:05:00')), AVAILABILITY ZONES = ('use1-az1', 'use1-az2'), "
    "EXPERIMENTAL ARRANGEMENT COMPRESSION = true, INTROSPECTION DEBUGGING = false, "
    "INTROSPECTION INTERVAL = INTERVAL '00:00:01', MANAGED = true, REPLICATION FACTOR = 1, "
    "SIZE = 'scale=1,workers=1', SCHEDULE = MANUAL)";

TEST(ClusterOptionsTest, ParsesEveryOptionInOrderAndReplaysItUnderAnotherName) {
  auto options = ParseCreateClusterOptions(kShown, "c");
  ASSERT_TRUE(options.has_value());
  ASSERT_EQ(options->size(), 9u);
  EXPECT_EQ((*options)[0].key, "AUTO SCALING STRATEGY");
  EXPECT_EQ((*options)[0].value,
            "(ON HYDRATION (HYDRATION SIZE = '50cc', LINGER DURATION = '00:05:00'))");
  EXPECT_EQ((*options)[1].value, "('use1-az1', 'use1-az2')");
  EXPECT_EQ((*options)[7].key, "SIZE");
  EXPECT_EQ((*options)[7].value, "'scale=1,workers=1'");  // a comma inside a string
  std::string expected = std::string(kShown).replace(15, 3, "\"c_dbt_deploy\"") + ";";
  EXPECT_EQ(CreateClusterFromOptions("c_dbt_deploy", *options), expected);
}

TEST(ClusterOptionsTest, NamesNeedingQuotesAndDoubledQuotes) {
  auto options = ParseCreateClusterOptions(
      "CREATE CLUSTER \"a \"\"b\"\"\" (SIZE = 'it''s, odd', MANAGED = true)", "a \"b\"");
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ((*options)[0].value, "'it''s, odd'");
  EXPECT_EQ((*options)[1].key, "MANAGED");
}

TEST(ClusterOptionsTest, AnythingButAWellFormedListIsRefused) {
  for (const char* bad : {
           "",                                                  // nothing
           "CREATE CLUSTER \"other\" (SIZE = '1')",             // another cluster's
           "CREATE CLUSTER \"c\" REPLICAS (r1 (SIZE '1'))",     // not an option list
           "CREATE CLUSTER \"c\" (SIZE = '1'",                  // unbalanced
           "CREATE CLUSTER \"c\" (SIZE = '1)",                  // unterminated string
           "CREATE CLUSTER \"c\" (SIZE = '1'); DROP CLUSTER x; SELECT (1)",  // a second statement
           "CREATE CLUSTER \"c\" (SIZE = '1' -- x\n)",          // a comment
           "CREATE CLUSTER \"c\" (SIZE = '1' /* x */)",         // a comment
           "CREATE CLUSTER \"c\" (size = '1')",                 // not a canonical key
           "CREATE CLUSTER \"c\" (SIZE '1')",                   // no " = "
           "CREATE CLUSTER \"c\" (SIZE = '1', SIZE = '2')",     // twice
           "CREATE CLUSTER \"c\" (SIZE = )",                    // no value
       }) {
    EXPECT_FALSE(ParseCreateClusterOptions(bad, "c").has_value()) << bad;
  }
}

TEST(ClusterOptionsTest, SetReplacesInPlaceOrAppendsAndRemoveDrops) {
  ClusterOptionList options = {{"SIZE", "'1'"}, {"MANAGED", "true"}};
  SetClusterOption(options, "SIZE", "'2'");
  SetClusterOption(options, "AUTO SCALING STRATEGY", "()");
  EXPECT_EQ(CreateClusterFromOptions("g", options),
            "CREATE CLUSTER \"g\" (SIZE = '2', MANAGED = true, AUTO SCALING STRATEGY = ());");
  RemoveClusterOption(options, "MANAGED");
  EXPECT_EQ(FindClusterOption(options, "MANAGED"), nullptr);
  ASSERT_NE(FindClusterOption(options, "SIZE"), nullptr);
  EXPECT_EQ(FindClusterOption(options, "SIZE")->value, "'2'");
}

TEST(ClusterOptionsTest, AutoScalingStrategyStatements) {
  EXPECT_EQ(AlterAutoScalingStrategySql("g", {"100cc", std::string("60s")}),
            "ALTER CLUSTER \"g\" SET (AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = "
            "'100cc', LINGER DURATION = '60s')));");
  EXPECT_EQ(AlterAutoScalingStrategySql("g", {"", std::nullopt}),
            "ALTER CLUSTER \"g\" RESET (AUTO SCALING STRATEGY);");
  EXPECT_EQ(AutoScalingStrategyValue({"x'); DROP", std::nullopt}),
            "(ON HYDRATION (HYDRATION SIZE = 'x''); DROP'))");
}

TEST(ClusterOptionsTest, IntervalText) {
  EXPECT_EQ(IntervalText(0), "0s");
  EXPECT_EQ(IntervalText(90'000), "90s");
  EXPECT_EQ(IntervalText(1'500), "1500ms");
}

}  // namespace
}  // namespace bgplan::sql
