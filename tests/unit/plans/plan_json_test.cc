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

TEST(PlanJsonTest, ValidateSettingsRoundTrip) {
  Plan plan = testing_fixture::RichPlan();
  Result<Plan> back = PlanFromJson(PlanToJson(plan));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->deployments[0].validate, plan.deployments[0].validate);
  // Unset and absent round-trip too.
  plan.deployments[0].validate = ValidateSettings{};
  back = PlanFromJson(PlanToJson(plan));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->deployments[0].validate, ValidateSettings{});
  EXPECT_FALSE(back->deployments[0].validate.row_count_change_pct.has_value());
}

TEST(PlanJsonTest, ValidateShape) {
  std::string json = PlanToJson(testing_fixture::RichPlan());
  EXPECT_NE(json.find("\"row_count_change_pct\": 10"), std::string::npos) << json;
  EXPECT_NE(json.find("\"sql\": \"SELECT\\n  true\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"sql_origin\": [\n"), std::string::npos) << json;
  Plan plan;
  plan.deployments.emplace_back().name = "d";
  std::string unset = PlanToJson(plan);
  EXPECT_NE(unset.find("\"row_count_change_pct\": null"), std::string::npos) << unset;
  EXPECT_NE(unset.find("\"asserts\": []"), std::string::npos) << unset;
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
  std::string no_sql = json;
  no_sql.replace(no_sql.find("\"sql\""), 5, "\"sq\"");
  EXPECT_NE(error(no_sql).find("$.deployments[0].validate.asserts[0].sql: missing"),
            std::string::npos);
  std::string bad_pct = json;
  bad_pct.replace(bad_pct.find("\"row_count_change_pct\": 10"), 26,
                  "\"row_count_change_pct\": 1e3");
  EXPECT_NE(
      error(bad_pct).find("$.deployments[0].validate.row_count_change_pct: expected an integer"),
      std::string::npos);
  Plan broken = testing_fixture::RichPlan();
  broken.phases.pop_back();
  EXPECT_NE(error(PlanToJson(broken)).find("expected 0 or 5 phases"), std::string::npos);
}

}  // namespace
}  // namespace bgplan::plans
