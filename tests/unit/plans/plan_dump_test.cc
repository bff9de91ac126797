#include "plans/plan_dump.h"

#include <gtest/gtest.h>

#include "tests/unit/plans/plan_fixture.h"

namespace bgplan::plans {
namespace {

TEST(DumpNameTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(DumpName("marts"), "marts");
  EXPECT_EQ(DumpName("m_1$"), "m_1$");
  EXPECT_EQ(DumpName("Marts"), "\"Marts\"");
  EXPECT_EQ(DumpName("1abc"), "\"1abc\"");
  EXPECT_EQ(DumpName("a \"b\""), "\"a \"\"b\"\"\"");
  EXPECT_EQ(DumpName(""), "\"\"");
  EXPECT_EQ(DumpName("a\nb\t"), "\"a\\x0ab\\x09\"");
}

TEST(DumpPlanTest, EveryField) {
  EXPECT_EQ(DumpPlan(testing_fixture::RichPlan()), R"(plan target=materialize @1:8
deployment analytics @2:12
  database (connection)
  suffix '_g'
  schema marts -> marts_g @3:13
  schema db."Odd ""Name"" é" -> "Odd ""Name"" é_g" @3:20
  cluster compute -> compute_g size='200cc' replication_factor=2 introspection_interval=1500ms introspection_debugging=true hydration_size='800cc' linger=600000ms @4:14
  cluster serving -> serving_g @4:23
  cluster-settings compute size='200cc' replication_factor=2 introspection_interval=1500ms introspection_debugging=true hydration_size='800cc' linger=600000ms @5:13
  sink-schema sinks @6:21
  sink-cluster sink_cluster @6:37
  await poll_interval=500ms lag_threshold=1000ms timeout=86400000ms stable_for=0ms compare_to_blue
  promote wait=true max_retries=7 retry_backoff=1000ms lock_timeout=5000ms
  cleanup keep_blue=86400000ms
  validate row_count_change=10% @7:5
    assert no_neg 'SELECT count(*) = 0 FROM {marts}.o WHERE s <> ''x''' @8:16
    assert "Multi ""Line""" 'SELECT\x0a  true' @9:16
phase init
  batch each
    check blue-missing @2:12
      schema marts -> marts_g (analytics)
      cluster compute -> compute_g (analytics)
    create-green-schema @3:13
      schema marts -> marts_g (analytics)
    create-green-cluster @4:14
      cluster compute -> compute_g (analytics)
phase await
  batch each
    await-ready
      schema marts -> marts_g (analytics)
      cluster compute -> compute_g (analytics)
phase promote
  batch transaction
    swap @2:12
      schema marts -> marts_g (analytics)
      cluster compute -> compute_g (analytics)
  batch each
    repoint-sinks @2:12
      schema marts -> marts_g (analytics)
phase rollback
  batch transaction
    swap reverse @2:12
      schema marts -> marts_g (analytics)
      cluster compute -> compute_g (analytics)
phase cleanup
  batch each
    drop-green @3:13
      schema marts -> marts_g (analytics)
    journal phase-done @2:12
      schema marts -> marts_g (analytics)
      cluster compute -> compute_g (analytics)
)");
}

TEST(DumpPlanTest, WithoutOrigins) {
  DumpOptions options;
  options.origins = false;
  std::string dump = DumpPlan(testing_fixture::RichPlan(), options);
  EXPECT_EQ(dump.find('@'), std::string::npos) << dump;
}

TEST(DumpPlanTest, Deterministic) {
  EXPECT_EQ(DumpPlan(testing_fixture::RichPlan()), DumpPlan(testing_fixture::RichPlan()));
}

}  // namespace
}  // namespace bgplan::plans
