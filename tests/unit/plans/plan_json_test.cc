#include "plans/plan_json.h"

#include <gtest/gtest.h>

#include "plans/plan_dump.h"
#include "tests/unit/plans/plan_fixture.h"

namespace bgplan::plans {
namespace {

TEST(PlanJsonTest, RoundTripIsIdentity) {
  Plan plan = testing_fixture::RichPlan();
  plan.catalog_fingerprint = "ab12";
  std::string json = PlanToJson(plan);
  Result<Plan> back = PlanFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(DumpPlan(*back), DumpPlan(plan));
  EXPECT_EQ(back->source_file, plan.source_file);
  EXPECT_EQ(back->catalog_fingerprint, "ab12");
  EXPECT_EQ(back->phases, plan.phases);
  // Serializing again gives the same bytes.
  EXPECT_EQ(PlanToJson(*back), json);
}

TEST(PlanJsonTest, EmptyPlanRoundTrips) {
  Plan plan;
  plan.target = Target::kPostgres;
  Result<Plan> back = PlanFromJson(PlanToJson(plan));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(DumpPlan(*back), DumpPlan(plan));
}

TEST(PlanJsonTest, Shape) {
  std::string json = PlanToJson(testing_fixture::RichPlan());
  EXPECT_EQ(json.rfind("{\n  \"catalog_fingerprint\": \"\",\n", 0), 0u) << json;
  EXPECT_NE(json.find("\"kind\": \"create-green-schema\""), std::string::npos);
  EXPECT_NE(json.find("\"mode\": \"transaction\""), std::string::npos);
  EXPECT_NE(json.find("\"size\": null"), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(PlanJsonTest, RejectsMalformedDocuments) {
  auto error = [](std::string_view text) {
    Result<Plan> r = PlanFromJson(text);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(error("not json").find("invalid plan file"), std::string::npos);
  EXPECT_NE(error("[]").find("$: expected an object"), std::string::npos);
  EXPECT_NE(error("{\"format\": 2}").find("unsupported plan format 2"), std::string::npos);
  std::string json = PlanToJson(testing_fixture::RichPlan());
  std::string bad_step = json;
  bad_step.replace(bad_step.find("\"create-green-schema\""), 21, "\"make-coffee\"");
  EXPECT_NE(error(bad_step).find("unknown step kind 'make-coffee'"), std::string::npos);
  std::string missing = json;
  missing.replace(missing.find("\"suffix\""), 8, "\"sufix\"");
  EXPECT_NE(error(missing).find("$.deployments[0].suffix: missing"), std::string::npos);
  Plan broken = testing_fixture::RichPlan();
  broken.phases.pop_back();
  EXPECT_NE(error(PlanToJson(broken)).find("expected 0 or 5 phases"), std::string::npos);
}

}  // namespace
}  // namespace bgplan::plans
