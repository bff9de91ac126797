#include "plans/verify.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "tests/unit/plans/plan_fixture.h"

namespace bgplan::plans {
namespace {

using testing_fixture::RichPlan;

// Steps share their object lists (ObjectList is immutable): `change` edits a copy of the step's
// first object, which then replaces the step's list.
template <typename Change>
void ChangeFirstObject(Step& step, Change change) {
  std::vector<ObjectRef> objects = step.objects.ToVector();
  change(objects[0]);
  step.objects = std::move(objects);
}

std::string Problem(const Plan& plan) {
  Status s = VerifyPlan(plan);
  return s.ok() ? "" : s.message();
}

TEST(VerifyPlanTest, AcceptsValidPlans) {
  EXPECT_EQ(Problem(RichPlan()), "");
  EXPECT_EQ(Problem(Plan{}), "");
}

TEST(VerifyPlanTest, RejectsBrokenInvariants) {
  Plan plan = RichPlan();
  plan.phases.pop_back();
  EXPECT_EQ(Problem(plan), "expected 0 or 5 phases, found 4");

  plan = RichPlan();
  std::swap(plan.phases[0], plan.phases[1]);
  EXPECT_NE(Problem(plan).find("expected 'init'"), std::string::npos);

  plan = RichPlan();
  plan.phases[0].batches[0].steps[0].rule.clear();
  EXPECT_NE(Problem(plan).find("has no rule"), std::string::npos);

  plan = RichPlan();
  ChangeFirstObject(plan.phases[2].batches[1].steps[0],
                    [](ObjectRef& o) { o.deployment = "nope"; });
  EXPECT_NE(Problem(plan).find("unknown deployment 'nope'"), std::string::npos);

  plan = RichPlan();
  plan.phases[2].batches[0].steps[0].reverse = true;
  EXPECT_NE(Problem(plan).find("is reversed"), std::string::npos);

  plan = RichPlan();
  plan.phases[3].batches[0].steps[0].reverse = false;
  EXPECT_NE(Problem(plan).find("is not reversed"), std::string::npos);

  plan = RichPlan();
  plan.phases[2].batches[0].mode = Batch::Mode::kEach;
  plan.phases[2].batches[1].mode = Batch::Mode::kTransaction;
  EXPECT_NE(Problem(plan).find("Materialize transactions may hold only swap steps"),
            std::string::npos);

  plan = RichPlan();
  plan.phases[4].batches[0].steps[0].kind = StepKind::kSwap;
  EXPECT_NE(Problem(plan).find("does not belong in this phase"), std::string::npos);

  plan = RichPlan();
  ChangeFirstObject(plan.phases[0].batches[0].steps[1], [](ObjectRef& o) { o.green = "marts"; });
  EXPECT_NE(Problem(plan).find("must be set and differ"), std::string::npos);

  plan = RichPlan();
  plan.phases[0].batches[0].steps[1].objects = {};
  EXPECT_NE(Problem(plan).find("acts on no object"), std::string::npos);

  plan = RichPlan();
  plan.phases[1].batches[0].steps.clear();
  EXPECT_NE(Problem(plan).find("is empty"), std::string::npos);

  plan = RichPlan();
  ChangeFirstObject(plan.phases[0].batches[0].steps[2], [](ObjectRef& o) { o.database = "db"; });
  EXPECT_NE(Problem(plan).find("a cluster has no database"), std::string::npos);

  plan = RichPlan();
  ChangeFirstObject(plan.phases[0].batches[0].steps[1],
                    [](ObjectRef& o) { o.kind = ObjectKind::kCluster; });
  EXPECT_NE(Problem(plan).find("wrong object kind"), std::string::npos);

  plan = RichPlan();
  plan.deployments[0].validate.row_count_change_pct = 1001;
  EXPECT_EQ(Problem(plan), "deployment 'analytics': row_count_change 1001 is outside 0..1000");
  plan.deployments[0].validate.row_count_change_pct = -1;
  EXPECT_NE(Problem(plan).find("row_count_change -1 is outside"), std::string::npos);
  plan.deployments[0].validate.row_count_change_pct = 1000;
  EXPECT_EQ(Problem(plan), "");
}

TEST(VerifyPlanTest, PostgresTransactionsMayHoldAnyWrite) {
  Plan plan = RichPlan();
  plan.target = Target::kPostgres;
  plan.phases[2].batches[1].mode = Batch::Mode::kTransaction;
  EXPECT_EQ(Problem(plan), "");
  plan.phases[1].batches[0].mode = Batch::Mode::kTransaction;
  EXPECT_NE(Problem(plan).find("await-ready inside a transaction"), std::string::npos);
}

}  // namespace
}  // namespace bgplan::plans
