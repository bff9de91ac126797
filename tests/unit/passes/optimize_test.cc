// Unit tests of the optimization passes. Each pass: lower a snippet, build the phases, run only
// that pass, compare the dump. Each also has an equivalence test (DuckDB style): two plans that
// must end up equal, or the same steps in a different order.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/unit/passes/pass_test_util.h"

namespace bgplan::passes {
namespace {

using plans::PhaseKind;
using testing_util::LowerText;
using testing_util::PhaseDump;
using testing_util::PhasesOnly;
using testing_util::RunPasses;
using testing_util::RunPipelineForTest;

// Lowers `text`, builds the phases and runs `pass` (when given).
std::unique_ptr<testing_util::Lowered> BuildAndRun(const std::string& text,
                                                   std::unique_ptr<Pass> pass) {
  auto lowered = LowerText(text);
  EXPECT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeBuildPhasesPass());
  if (pass != nullptr) {
    passes.push_back(std::move(pass));
  }
  RunPasses(*lowered, std::move(passes));
  return lowered;
}

// Every step of the plan as one dump line per step (kind, rule, objects), sorted: the plan's
// steps as a multiset, whatever their order and batching.
std::vector<std::string> StepMultiset(const plans::Plan& plan) {
  std::vector<std::string> steps;
  for (const auto& phase : plan.phases) {
    for (const auto& batch : phase.batches) {
      for (const auto& step : batch.steps) {
        std::string line = std::string(plans::PhaseName(phase.kind)) + " " +
                           std::string(plans::StepKindName(step.kind)) + " " + step.rule;
        for (const auto& o : step.objects) {
          line += " " + o.deployment + ":" + o.blue;
        }
        steps.push_back(line);
      }
    }
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

constexpr const char* kTwoDeployments =
    "deployment a {\n"
    "    schemas s1, s2;\n"
    "    clusters c1;\n"
    "}\n"
    "deployment b {\n"
    "    schemas t;\n"
    "    clusters c2, c3;\n"
    "}\n";

TEST(DedupeTest, RepeatedObjectsEndUpEqualToSingleOnes) {
  auto repeated = BuildAndRun("deployment a {\n    schemas x, x, y;\n    clusters c, c;\n}\n",
                              MakeDedupePass());
  auto single = BuildAndRun("deployment a {\n    schemas x,    y;\n    clusters c;\n}\n", nullptr);
  EXPECT_EQ(plans::DumpPlan(repeated->plan), plans::DumpPlan(single->plan));
}

TEST(DedupeTest, LongObjectListsToo) {
  std::string names;
  for (int i = 0; i < 20; ++i) {
    names += (i == 0 ? "s" : ", s") + std::to_string(i);
  }
  auto repeated =
      BuildAndRun("deployment a { schemas " + names + ", " + names + "; }\n", MakeDedupePass());
  auto single = BuildAndRun("deployment a { schemas " + names + "; }\n", nullptr);
  EXPECT_EQ(plans::DumpPlan(repeated->plan), plans::DumpPlan(single->plan));
}

TEST(DedupeTest, PipelineEquivalence) {
  auto repeated = LowerText("deployment a { schemas a, a; }\n");
  auto single = LowerText("deployment a { schemas a; }\n");
  EXPECT_TRUE(RunPipelineForTest(*repeated));
  EXPECT_TRUE(RunPipelineForTest(*single));
  EXPECT_EQ(repeated->diags.warning_count(), 1);
  EXPECT_EQ(plans::DumpPlan(repeated->plan), plans::DumpPlan(single->plan));
}

TEST(DedupeTest, DropsIdenticalSteps) {
  auto lowered = BuildAndRun("deployment a { schemas x; }\n", nullptr);
  // Repeat every step of every phase: dedupe must restore the original.
  std::string original = plans::DumpPlan(lowered->plan);
  for (auto& phase : lowered->plan.phases) {
    for (auto& batch : phase.batches) {
      std::vector<plans::Step> twice = batch.steps;
      twice.insert(twice.end(), batch.steps.begin(), batch.steps.end());
      batch.steps = twice;
    }
  }
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeDedupePass());
  RunPasses(*lowered, std::move(passes));
  EXPECT_EQ(plans::DumpPlan(lowered->plan), original);
}

TEST(OrderDropsTest, SchemasFirstReverseDeclarationOrder) {
  auto lowered = BuildAndRun(kTwoDeployments, MakeOrderDropsPass());
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kCleanup), R"(phase cleanup
  batch each
    check not-promoted
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-id-mismatch
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-drops
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cutover-unfinished
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check cleanup-drops-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check keep-blue-not-elapsed
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    drop-green
      schema t -> t_dbt_deploy (b)
    drop-green
      schema s2 -> s2_dbt_deploy (a)
    drop-green
      schema s1 -> s1_dbt_deploy (a)
    drop-green
      cluster c3 -> c3_dbt_deploy (b)
    drop-green
      cluster c2 -> c2_dbt_deploy (b)
    drop-green
      cluster c1 -> c1_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-promoted
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check cleanup-id-mismatch
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check cleanup-drops
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check cutover-unfinished
      schema t -> t_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check cleanup-drops-dependents
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check keep-blue-not-elapsed
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
)");
  auto naive = BuildAndRun(kTwoDeployments, nullptr);
  EXPECT_EQ(StepMultiset(lowered->plan), StepMultiset(naive->plan));
}

TEST(HoistChecksTest, ChecksComeBeforeTheFirstWrite) {
  auto lowered = BuildAndRun(kTwoDeployments, MakeHoistChecksPass());
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kInit), R"(phase init
  batch each
    check blue-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check blue-contains-sinks
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check missing-privilege
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check unsized-replicas
      cluster c1 -> c1_dbt_deploy (a)
    check green-not-empty
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check state-not-carried
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check blue-missing
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check blue-contains-sinks
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check missing-privilege
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check unsized-replicas
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check green-not-empty
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check state-not-carried
      schema t -> t_dbt_deploy (b)
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
    create-green-cluster
      cluster c1 -> c1_dbt_deploy (a)
    copy-cluster-privileges
      cluster c1 -> c1_dbt_deploy (a)
    mark-green
      cluster c1 -> c1_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    create-green-schema
      schema t -> t_dbt_deploy (b)
    copy-schema-privileges
      schema t -> t_dbt_deploy (b)
    mark-green
      schema t -> t_dbt_deploy (b)
    create-green-cluster
      cluster c2 -> c2_dbt_deploy (b)
    copy-cluster-privileges
      cluster c2 -> c2_dbt_deploy (b)
    mark-green
      cluster c2 -> c2_dbt_deploy (b)
    create-green-cluster
      cluster c3 -> c3_dbt_deploy (b)
    copy-cluster-privileges
      cluster c3 -> c3_dbt_deploy (b)
    mark-green
      cluster c3 -> c3_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
)");
}

TEST(HoistChecksTest, EnabledAndDisabledHaveTheSameStepsChecksFirst) {
  auto with = LowerText(kTwoDeployments);
  auto without = LowerText(kTwoDeployments);
  ASSERT_TRUE(RunPipelineForTest(*with));
  PipelineOptions disabled;
  disabled.disabled_passes = {"hoist-checks"};
  ASSERT_TRUE(RunPipelineForTest(*without, disabled));
  EXPECT_EQ(StepMultiset(with->plan), StepMultiset(without->plan));
  EXPECT_NE(PhasesOnly(with->plan), PhasesOnly(without->plan));
  for (const auto& phase : with->plan.phases) {
    bool wrote = false;
    for (const auto& step : FlattenSteps(phase)) {
      EXPECT_FALSE(wrote && step.kind == plans::StepKind::kCheck)
          << "check after a write in phase " << plans::PhaseName(phase.kind);
      wrote = wrote || step.IsWrite();
    }
  }
}

TEST(MergeSwapsTest, OneSwapSchemasFirstInItsOwnTransaction) {
  auto lowered = BuildAndRun(kTwoDeployments, MakeMergeSwapsPass());
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kPromote), R"(phase promote
  batch each
    check blue-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check green-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check green-not-ours
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check sink-upstream-missing
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check orphaned-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check missing-in-green
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check incompatible-upstream
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check repoint-not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check state-not-carried
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal intent
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check blue-missing
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check green-missing
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check green-not-ours
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check sink-upstream-missing
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check orphaned-dependents
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check missing-in-green
      schema t -> t_dbt_deploy (b)
    check incompatible-upstream
      schema t -> t_dbt_deploy (b)
    check repoint-not-owner
      schema t -> t_dbt_deploy (b)
    check state-not-carried
      schema t -> t_dbt_deploy (b)
    journal intent
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
  batch transaction
    swap
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
      cluster c1 -> c1_dbt_deploy (a)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
  batch each
    journal swapped
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    tag-schemas
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    repoint-sinks
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal swapped
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    tag-schemas
      schema t -> t_dbt_deploy (b)
    repoint-sinks
      schema t -> t_dbt_deploy (b)
)");
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kRollback), R"(phase rollback
  batch each
    check nothing-to-roll-back
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check orphaned-dependents
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    check repoint-not-owner
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    check nothing-to-roll-back
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check not-owner
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check orphaned-dependents
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
    check repoint-not-owner
      schema t -> t_dbt_deploy (b)
  batch transaction
    swap reverse
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      schema t -> t_dbt_deploy (b)
      cluster c1 -> c1_dbt_deploy (a)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
  batch each
    repoint-sinks reverse
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
      cluster c1 -> c1_dbt_deploy (a)
    repoint-sinks reverse
      schema t -> t_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
      cluster c2 -> c2_dbt_deploy (b)
      cluster c3 -> c3_dbt_deploy (b)
)");
}

TEST(MergeSwapsTest, SameObjectsSwapped) {
  auto merged = BuildAndRun(kTwoDeployments, MakeMergeSwapsPass());
  auto naive = BuildAndRun(kTwoDeployments, nullptr);
  auto swapped = [](const plans::Plan& plan) {
    std::vector<std::string> objects;
    for (const auto& step : FlattenSteps(*plan.FindPhase(PhaseKind::kPromote))) {
      if (step.kind == plans::StepKind::kSwap) {
        for (const auto& o : step.objects) {
          objects.push_back(o.deployment + ":" + o.blue);
        }
      }
    }
    std::sort(objects.begin(), objects.end());
    return objects;
  };
  EXPECT_EQ(swapped(merged->plan), swapped(naive->plan));
}

TEST(BatchTest, MaterializeOneStatementPerRoundTripSwapAlone) {
  auto lowered = BuildAndRun("deployment a { schemas s; clusters c; }\n", MakeBatchPass());
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kPromote), R"(phase promote
  batch each
    check blue-missing
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check green-missing
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check not-owner
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check green-not-ours
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check sink-upstream-missing
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check orphaned-dependents
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check missing-in-green
      schema s -> s_dbt_deploy (a)
    check incompatible-upstream
      schema s -> s_dbt_deploy (a)
    check repoint-not-owner
      schema s -> s_dbt_deploy (a)
    check state-not-carried
      schema s -> s_dbt_deploy (a)
    journal intent
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
  batch transaction
    swap
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
  batch each
    journal swapped
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    tag-schemas
      schema s -> s_dbt_deploy (a)
    repoint-sinks
      schema s -> s_dbt_deploy (a)
)");
}

TEST(BatchTest, PostgresEveryWriteOfAPhaseInOneTransaction) {
  auto lowered = BuildAndRun(
      "target postgres;\ndeployment a { schemas s; promote { wait true; } }\n", MakeBatchPass());
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kPromote), R"(phase promote
  batch each
    check blue-missing
      schema s -> s_dbt_deploy (a)
    check green-missing
      schema s -> s_dbt_deploy (a)
    check not-owner
      schema s -> s_dbt_deploy (a)
    check green-not-ours
      schema s -> s_dbt_deploy (a)
    check sink-upstream-missing
      schema s -> s_dbt_deploy (a)
    check orphaned-dependents
      schema s -> s_dbt_deploy (a)
    check missing-in-green
      schema s -> s_dbt_deploy (a)
    check incompatible-upstream
      schema s -> s_dbt_deploy (a)
    check repoint-not-owner
      schema s -> s_dbt_deploy (a)
    check missing-privilege
      schema s -> s_dbt_deploy (a)
    check state-not-carried
      schema s -> s_dbt_deploy (a)
    check swap-name-taken
      schema s -> s_dbt_deploy (a)
    await-ready
      schema s -> s_dbt_deploy (a)
  batch transaction
    journal intent
      schema s -> s_dbt_deploy (a)
    swap
      schema s -> s_dbt_deploy (a)
    journal swapped
      schema s -> s_dbt_deploy (a)
    tag-schemas
      schema s -> s_dbt_deploy (a)
    repoint-sinks
      schema s -> s_dbt_deploy (a)
)");
  EXPECT_EQ(PhaseDump(lowered->plan, PhaseKind::kAwait),
            "phase await\n"
            "  batch each\n"
            "    await-ready\n"
            "      schema s -> s_dbt_deploy (a)\n");
}

TEST(BatchTest, SameStepsInTheSameOrderOnBothTargets) {
  for (const char* target : {"materialize", "postgres"}) {
    std::string text = std::string("target ") + target +
                       ";\ndeployment a { schemas s1, s2; }\ndeployment b { schemas t; }\n";
    auto batched = BuildAndRun(text, MakeBatchPass());
    auto naive = BuildAndRun(text, nullptr);
    for (size_t p = 0; p < naive->plan.phases.size(); ++p) {
      EXPECT_EQ(FlattenSteps(batched->plan.phases[p]), FlattenSteps(naive->plan.phases[p]))
          << target << " phase " << p;
    }
    EXPECT_NE(PhasesOnly(batched->plan), PhasesOnly(naive->plan)) << target;
  }
}

}  // namespace
}  // namespace bgplan::passes
