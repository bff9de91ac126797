// Tests of the whole pipeline: order, selection, stopping on errors, disabling passes, IR dumps,
// internal errors, and the final optimized plans of both dialects.
#include "compiler/passes/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/passes/pass_test_util.h"

namespace bgplan::passes {
namespace {

using testing_util::LowerText;
using testing_util::PhasesOnly;
using testing_util::RunPipelineForTest;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(PipelineTest, PassNamesInOrder) {
  EXPECT_EQ(PassNames(),
            (std::vector<std::string>{"validate-deployments", "validate-objects", "validate-sinks",
                                      "validate-clusters", "validate-green-names",
                                      "validate-validation", "validate-deploy-env",
                                      "select-deployments", "build-phases", "dedupe", "order-drops",
                                      "hoist-checks", "merge-swaps", "batch"}));
}

TEST(PipelineTest, MaterializeFinalPlan) {
  auto lowered = LowerText(
      "deployment a {\n"
      "    schemas s1, s2;\n"
      "    clusters c1;\n"
      "}\n"
      "deployment b {\n"
      "    schemas t;\n"
      "}\n");
  ASSERT_TRUE(RunPipelineForTest(*lowered)) << lowered->Rendered();
  EXPECT_EQ(PhasesOnly(lowered->plan, /*origins=*/true), R"(phase init
  batch each
    check blue-missing @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check blue-contains-sinks @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check missing-privilege @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check unsized-replicas @1:12
      cluster c1 -> c1_dbt_deploy (a)
    check green-not-empty @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check state-not-carried @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check blue-missing @5:12
      schema t -> t_dbt_deploy (b)
    check blue-contains-sinks @5:12
      schema t -> t_dbt_deploy (b)
    check not-owner @5:12
      schema t -> t_dbt_deploy (b)
    check missing-privilege @5:12
      schema t -> t_dbt_deploy (b)
    check green-not-empty @5:12
      schema t -> t_dbt_deploy (b)
    check state-not-carried @5:12
      schema t -> t_dbt_deploy (b)
    create-green-schema @2:13
      schema s1 -> s1_dbt_deploy (a)
    copy-schema-privileges @2:13
      schema s1 -> s1_dbt_deploy (a)
    mark-green @2:13
      schema s1 -> s1_dbt_deploy (a)
    create-green-schema @2:17
      schema s2 -> s2_dbt_deploy (a)
    copy-schema-privileges @2:17
      schema s2 -> s2_dbt_deploy (a)
    mark-green @2:17
      schema s2 -> s2_dbt_deploy (a)
    create-green-cluster @3:14
      cluster c1 -> c1_dbt_deploy (a)
    copy-cluster-privileges @3:14
      cluster c1 -> c1_dbt_deploy (a)
    mark-green @3:14
      cluster c1 -> c1_dbt_deploy (a)
    journal phase-done @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    create-green-schema @6:13
      schema t -> t_dbt_deploy (b)
    copy-schema-privileges @6:13
      schema t -> t_dbt_deploy (b)
    mark-green @6:13
      schema t -> t_dbt_deploy (b)
    journal phase-done @5:12
      schema t -> t_dbt_deploy (b)
phase await
  batch each
    await-ready @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    await-ready @5:12
      schema t -> t_dbt_deploy (b)
phase promote
  batch each
    check blue-missing @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check green-missing @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check green-not-ours @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check sink-upstream-missing @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check orphaned-dependents @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check missing-in-green @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check incompatible-upstream @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check repoint-not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check state-not-carried @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check blue-missing @5:12
      schema t -> t_dbt_deploy (b)
    check green-missing @5:12
      schema t -> t_dbt_deploy (b)
    check not-owner @5:12
      schema t -> t_dbt_deploy (b)
    check green-not-ours @5:12
      schema t -> t_dbt_deploy (b)
    check sink-upstream-missing @5:12
      schema t -> t_dbt_deploy (b)
    check orphaned-dependents @5:12
      schema t -> t_dbt_deploy (b)
    check missing-in-green @5:12
      schema t -> t_dbt_deploy (b)
    check incompatible-upstream @5:12
      schema t -> t_dbt_deploy (b)
    check repoint-not-owner @5:12
      schema t -> t_dbt_deploy (b)
    check state-not-carried @5:12
      schema t -> t_dbt_deploy (b)
    journal intent @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    journal intent @5:12
      schema t -> t_dbt_deploy (b)
  batch transaction
    swap @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
      cluster c1 -> c1_dbt_deploy (a)
  batch each
    journal swapped @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    tag-schemas @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    repoint-sinks @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal swapped @5:12
      schema t -> t_dbt_deploy (b)
    tag-schemas @5:12
      schema t -> t_dbt_deploy (b)
    repoint-sinks @5:12
      schema t -> t_dbt_deploy (b)
phase rollback
  batch each
    check nothing-to-roll-back @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check orphaned-dependents @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check repoint-not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check nothing-to-roll-back @5:12
      schema t -> t_dbt_deploy (b)
    check not-owner @5:12
      schema t -> t_dbt_deploy (b)
    check orphaned-dependents @5:12
      schema t -> t_dbt_deploy (b)
    check repoint-not-owner @5:12
      schema t -> t_dbt_deploy (b)
  batch transaction
    swap reverse @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
      cluster c1 -> c1_dbt_deploy (a)
  batch each
    repoint-sinks reverse @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    repoint-sinks reverse @5:12
      schema t -> t_dbt_deploy (b)
    journal phase-done @5:12
      schema t -> t_dbt_deploy (b)
phase cleanup
  batch each
    check not-promoted @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-id-mismatch @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-drops @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cutover-unfinished @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-drops-dependents @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check keep-blue-not-elapsed @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-promoted @5:12
      schema t -> t_dbt_deploy (b)
    check cleanup-id-mismatch @5:12
      schema t -> t_dbt_deploy (b)
    check cleanup-drops @5:12
      schema t -> t_dbt_deploy (b)
    check cutover-unfinished @5:12
      schema t -> t_dbt_deploy (b)
    check not-owner @5:12
      schema t -> t_dbt_deploy (b)
    check cleanup-drops-dependents @5:12
      schema t -> t_dbt_deploy (b)
    check keep-blue-not-elapsed @5:12
      schema t -> t_dbt_deploy (b)
    drop-green @6:13
      schema t -> t_dbt_deploy (b)
    drop-green @2:17
      schema s2 -> s2_dbt_deploy (a)
    drop-green @2:13
      schema s1 -> s1_dbt_deploy (a)
    drop-green @3:14
      cluster c1 -> c1_dbt_deploy (a)
    journal phase-done @1:12
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    journal phase-done @5:12
      schema t -> t_dbt_deploy (b)
)");
}

TEST(PipelineTest, PostgresFinalPlan) {
  auto lowered = LowerText(
      "target postgres;\n"
      "deployment a { schemas s1, s2; }\n"
      "deployment b { schemas t; }\n");
  ASSERT_TRUE(RunPipelineForTest(*lowered)) << lowered->Rendered();
  EXPECT_EQ(PhasesOnly(lowered->plan), R"(phase init
  batch each
    check blue-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check missing-privilege
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check green-not-empty
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check state-not-carried
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check blue-missing
      schema t -> t_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
    check missing-privilege
      schema t -> t_dbt_deploy (b)
    check green-not-empty
      schema t -> t_dbt_deploy (b)
    check state-not-carried
      schema t -> t_dbt_deploy (b)
  batch transaction
    create-green-schema
      schema s1 -> s1_dbt_deploy (a)
    copy-schema-privileges
      schema s1 -> s1_dbt_deploy (a)
    mark-green
      schema s1 -> s1_dbt_deploy (a)
    create-green-schema
      schema s2 -> s2_dbt_deploy (a)
    copy-schema-privileges
      schema s2 -> s2_dbt_deploy (a)
    mark-green
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    create-green-schema
      schema t -> t_dbt_deploy (b)
    copy-schema-privileges
      schema t -> t_dbt_deploy (b)
    mark-green
      schema t -> t_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
phase await
  batch each
    await-ready
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    await-ready
      schema t -> t_dbt_deploy (b)
phase promote
  batch each
    check blue-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check green-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check green-not-ours
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check sink-upstream-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check orphaned-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check missing-in-green
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check incompatible-upstream
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check repoint-not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check missing-privilege
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check state-not-carried
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check swap-name-taken
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check blue-missing
      schema t -> t_dbt_deploy (b)
    check green-missing
      schema t -> t_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
    check green-not-ours
      schema t -> t_dbt_deploy (b)
    check sink-upstream-missing
      schema t -> t_dbt_deploy (b)
    check orphaned-dependents
      schema t -> t_dbt_deploy (b)
    check missing-in-green
      schema t -> t_dbt_deploy (b)
    check incompatible-upstream
      schema t -> t_dbt_deploy (b)
    check repoint-not-owner
      schema t -> t_dbt_deploy (b)
    check missing-privilege
      schema t -> t_dbt_deploy (b)
    check state-not-carried
      schema t -> t_dbt_deploy (b)
    check swap-name-taken
      schema t -> t_dbt_deploy (b)
  batch transaction
    journal intent
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal intent
      schema t -> t_dbt_deploy (b)
    swap
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
    journal swapped
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    tag-schemas
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    repoint-sinks
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal swapped
      schema t -> t_dbt_deploy (b)
    tag-schemas
      schema t -> t_dbt_deploy (b)
    repoint-sinks
      schema t -> t_dbt_deploy (b)
phase rollback
  batch each
    check nothing-to-roll-back
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check orphaned-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check repoint-not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check missing-privilege
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check swap-name-taken
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check nothing-to-roll-back
      schema t -> t_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
    check orphaned-dependents
      schema t -> t_dbt_deploy (b)
    check repoint-not-owner
      schema t -> t_dbt_deploy (b)
    check missing-privilege
      schema t -> t_dbt_deploy (b)
    check swap-name-taken
      schema t -> t_dbt_deploy (b)
  batch transaction
    swap reverse
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
    repoint-sinks reverse
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    repoint-sinks reverse
      schema t -> t_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
phase cleanup
  batch each
    check not-promoted
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check cleanup-id-mismatch
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check cleanup-drops
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check cutover-unfinished
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check cleanup-drops-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check keep-blue-not-elapsed
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-promoted
      schema t -> t_dbt_deploy (b)
    check cleanup-id-mismatch
      schema t -> t_dbt_deploy (b)
    check cleanup-drops
      schema t -> t_dbt_deploy (b)
    check cutover-unfinished
      schema t -> t_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
    check cleanup-drops-dependents
      schema t -> t_dbt_deploy (b)
    check keep-blue-not-elapsed
      schema t -> t_dbt_deploy (b)
  batch transaction
    drop-green
      schema t -> t_dbt_deploy (b)
    drop-green
      schema s2 -> s2_dbt_deploy (a)
    drop-green
      schema s1 -> s1_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done
      schema t -> t_dbt_deploy (b)
)");
}

TEST(PipelineTest, SelectsDeploymentsAndReportsUnknownOnes) {
  auto lowered = LowerText("deployment a { schemas x; }\ndeployment b { schemas y; }\n");
  EXPECT_EQ(UnknownDeployments(lowered->plan, {"b", "zz", "a", "zz", "yy"}),
            (std::vector<std::string>{"zz", "yy"}));
  PipelineOptions options;
  options.deployments = {"b"};
  ASSERT_TRUE(RunPipelineForTest(*lowered, options));
  ASSERT_EQ(lowered->plan.deployments.size(), 1u);
  EXPECT_EQ(lowered->plan.deployments[0].name, "b");
  EXPECT_EQ(PhasesOnly(lowered->plan).find("(a)"), std::string::npos);
}

TEST(PipelineTest, SelectionFoldsLikeTheFile) {
  auto lowered =
      LowerText("deployment Analytics { schemas x; }\ndeployment \"Exact\" { schemas y; }\n");
  EXPECT_EQ(UnknownDeployments(lowered->plan, {"Analytics", "analytics", "Exact", "exact"}),
            (std::vector<std::string>{"exact"}));
  PipelineOptions options;
  options.deployments = {"ANALYTICS"};
  ASSERT_TRUE(RunPipelineForTest(*lowered, options));
  ASSERT_EQ(lowered->plan.deployments.size(), 1u);
  EXPECT_EQ(lowered->plan.deployments[0].name, "analytics");
}

TEST(PipelineTest, StopsAfterValidationErrors) {
  auto lowered = LowerText(
      "deployment a { schemas x; }\ndeployment a { schemas y; }\n"
      "deployment e { suffix '_x'; }\n");
  std::vector<PassTiming> timings;
  PipelineOptions options;
  options.timings = &timings;
  EXPECT_FALSE(RunPipelineForTest(*lowered, options));
  // Every validation pass ran (all errors at once), nothing after them.
  ASSERT_EQ(timings.size(), 7u);
  EXPECT_EQ(timings.back().name, "validate-deploy-env");
  EXPECT_TRUE(lowered->plan.phases.empty());
  EXPECT_EQ(lowered->diags.error_count(), 2);
}

TEST(PipelineTest, StopsOnEarlierErrors) {
  auto lowered = LowerText("deployment a { schemas x; await { nope 1s; } }\n");
  ASSERT_TRUE(lowered->diags.has_errors());
  EXPECT_FALSE(RunPipelineForTest(*lowered));
  EXPECT_TRUE(lowered->plan.phases.empty());
}

TEST(PipelineTest, WarningsDoNotStop) {
  auto lowered = LowerText("deployment a { schemas x, x; }\n");
  EXPECT_TRUE(RunPipelineForTest(*lowered));
  EXPECT_EQ(lowered->diags.warning_count(), 1);
  EXPECT_EQ(lowered->plan.phases.size(), 5u);
}

TEST(PipelineTest, DisabledPassesAndTimings) {
  auto lowered = LowerText("deployment a { schemas x; }\n");
  std::vector<PassTiming> timings;
  PipelineOptions options;
  options.disabled_passes = {"batch", "merge-swaps"};
  options.timings = &timings;
  ASSERT_TRUE(RunPipelineForTest(*lowered, options));
  EXPECT_EQ(timings.size(), 12u);
  for (const auto& t : timings) {
    EXPECT_NE(t.name, "batch");
    EXPECT_NE(t.name, "merge-swaps");
  }
  // Without merge-swaps and batch every phase is still one kEach batch.
  for (const auto& phase : lowered->plan.phases) {
    EXPECT_LE(phase.batches.size(), 1u);
  }
}

TEST(PipelineTest, DumpIrAfter) {
  auto lowered = LowerText("deployment a { schemas x; }\n");
  std::string dump;
  PipelineOptions options;
  options.dump_ir_after = "build-phases";
  options.dump_out = &dump;
  ASSERT_TRUE(RunPipelineForTest(*lowered, options));
  EXPECT_EQ(Count(dump, "# IR after "), 1u);
  EXPECT_EQ(dump.rfind("# IR after build-phases\nplan target=materialize\n", 0), 0u) << dump;
  EXPECT_EQ(Count(dump, "batch each"), 5u);

  auto again = LowerText("deployment a { schemas x; }\n");
  std::string all;
  options.dump_ir_after = "all";
  options.dump_out = &all;
  ASSERT_TRUE(RunPipelineForTest(*again, options));
  EXPECT_EQ(Count(all, "# IR after "), PassNames().size());
  // The last dump is the final plan.
  EXPECT_EQ(all.substr(all.rfind("# IR after batch\n") + 17), plans::DumpPlan(again->plan));
}

TEST(PipelineTest, InternalErrorIsReportedNotHidden) {
  auto lowered = LowerText("deployment a { schemas x; }\n");
  // build-phases refuses a plan that already has phases: an internal error, not a diagnostic.
  for (auto kind : {plans::PhaseKind::kInit, plans::PhaseKind::kAwait, plans::PhaseKind::kPromote,
                    plans::PhaseKind::kRollback, plans::PhaseKind::kCleanup}) {
    lowered->plan.phases.push_back(plans::Phase{kind, {}});
  }
  Status internal;
  PipelineOptions options;
  options.internal_error = &internal;
  EXPECT_FALSE(RunPipeline(lowered->plan, options, lowered->diags));
  EXPECT_EQ(internal.code(), StatusCode::kInternal);
  EXPECT_NE(internal.message().find("pass 'build-phases' failed"), std::string::npos);
  EXPECT_FALSE(lowered->diags.has_errors());
}

TEST(PipelineTest, VerifierRunsAfterEachPass) {
  auto lowered = LowerText("deployment a { schemas x; }\n");
  // Broken before the pipeline starts: the verifier rejects it after the first pass.
  lowered->plan.phases.resize(1);
  Status internal;
  PipelineOptions options;
  options.internal_error = &internal;
  options.verify_ir = true;
  EXPECT_FALSE(RunPipeline(lowered->plan, options, lowered->diags));
  EXPECT_EQ(internal.message(),
            "IR invalid after pass 'validate-deployments': expected 0 or 5 phases, found 1");
}

// Every example and golden input that compiles, on both targets, with every subset of the
// optimization passes disabled: the IR verifier accepts every intermediate plan, and the
// optimizations never change the set of steps (only their order, merging and batching).
TEST(PipelineTest, AnySubsetOfOptimizationsKeepsTheIrValid) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (const char* dir : {"examples", "tests/golden"}) {
    fs::path root = fs::path(BGPLAN_SOURCE_DIR) / dir;
    if (!fs::exists(root)) {
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".bgplan" &&
          entry.path().stem().string().rfind("fail_", 0) != 0) {
        inputs.push_back(entry.path());
      }
    }
  }
  std::sort(inputs.begin(), inputs.end());
  const std::vector<std::string> optimizations = {"dedupe", "order-drops", "hoist-checks",
                                                  "merge-swaps", "batch"};
  int compiled = 0;
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    for (auto target : {plans::Target::kMaterialize, plans::Target::kPostgres}) {
      lower::LowerOptions lower_options;
      lower_options.target_override = target;
      for (int mask = 0; mask < (1 << optimizations.size()); ++mask) {
        auto lowered = LowerText(text.str(), lower_options);
        if (lowered->diags.has_errors()) {
          break;
        }
        PipelineOptions options;
        for (size_t i = 0; i < optimizations.size(); ++i) {
          if ((mask & (1 << i)) != 0) {
            options.disabled_passes.push_back(optimizations[i]);
          }
        }
        if (!RunPipelineForTest(*lowered, options)) {
          // A static rule of this target (clusters on postgres, say): nothing to optimize.
          break;
        }
        ++compiled;
        // Merging swaps changes the number of swap steps; everything else keeps the steps.
        size_t steps = 0;
        for (const auto& phase : lowered->plan.phases) {
          for (const auto& step : FlattenSteps(phase)) {
            steps += step.kind == plans::StepKind::kSwap ? 0 : 1;
          }
        }
        auto baseline = LowerText(text.str(), lower_options);
        PipelineOptions none;
        none.disabled_passes = optimizations;
        none.disabled_passes.erase(none.disabled_passes.begin());  // keep dedupe
        ASSERT_TRUE(RunPipelineForTest(*baseline, none));
        size_t baseline_steps = 0;
        for (const auto& phase : baseline->plan.phases) {
          for (const auto& step : FlattenSteps(phase)) {
            baseline_steps += step.kind == plans::StepKind::kSwap ? 0 : 1;
          }
        }
        if ((mask & 1) == 0) {
          EXPECT_EQ(steps, baseline_steps) << path << " mask " << mask;
        }
      }
    }
  }
  EXPECT_GT(compiled, 0);
}

}  // namespace
}  // namespace bgplan::passes
