// Unit tests of build-phases and select-deployments: lower a snippet, run only those passes,
// compare the phases' dump.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "resolve/overrides.h"
#include "tests/unit/passes/pass_test_util.h"

namespace bgplan::passes {
namespace {

using testing_util::LowerText;
using testing_util::PhasesOnly;
using testing_util::RunPasses;
using testing_util::RunPipelineForTest;

// The steps of `kind` after select-deployments and build-phases (or the whole pipeline).
std::vector<plans::Step> PhaseSteps(const std::string& text, plans::PhaseKind kind,
                                    bool pipeline = false) {
  auto lowered = LowerText(text);
  EXPECT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  if (pipeline) {
    EXPECT_TRUE(RunPipelineForTest(*lowered)) << lowered->Rendered();
  } else {
    std::vector<std::unique_ptr<Pass>> passes;
    passes.push_back(MakeSelectDeploymentsPass());
    passes.push_back(MakeBuildPhasesPass());
    RunPasses(*lowered, std::move(passes));
  }
  const plans::Phase* phase = lowered->plan.FindPhase(kind);
  return phase == nullptr ? std::vector<plans::Step>{} : FlattenSteps(*phase);
}

// "deployment:blue" of each object of `step`.
std::vector<std::string> Names(const plans::Step& step) {
  std::vector<std::string> names;
  for (const auto& o : step.objects) {
    names.push_back(o.deployment + ":" + o.blue);
  }
  return names;
}

std::string Build(const std::string& text, bool origins = false,
                  std::vector<std::string> deployments = {}) {
  auto lowered = LowerText(text);
  EXPECT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeSelectDeploymentsPass());
  passes.push_back(MakeBuildPhasesPass());
  RunPasses(*lowered, std::move(passes), std::move(deployments));
  return PhasesOnly(lowered->plan, origins);
}

TEST(BuildPhasesTest, StepsShareOneObjectPerDeploymentObject) {
  auto lowered = LowerText(
      "deployment a { schemas s1, s2; clusters c; }\n"
      "deployment b { schemas t; }\n");
  ASSERT_FALSE(lowered->diags.has_errors()) << lowered->Rendered();
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeSelectDeploymentsPass());
  passes.push_back(MakeBuildPhasesPass());
  RunPasses(*lowered, std::move(passes), {});
  // Every step views its deployment's one list (plans::ObjectList): 4 objects in memory, however
  // many steps name them.
  std::set<const plans::ObjectRef*> addresses;
  size_t named = 0;
  for (const auto& phase : lowered->plan.phases) {
    for (const auto& batch : phase.batches) {
      for (const auto& step : batch.steps) {
        for (const auto& object : step.objects) {
          addresses.insert(&object);
          ++named;
        }
      }
    }
  }
  EXPECT_EQ(addresses.size(), 4u);
  EXPECT_GT(named, 50u);
}

TEST(BuildPhasesTest, MaterializeOneDeployment) {
  EXPECT_EQ(Build("deployment a {\n"
                  "    schemas s;\n"
                  "    clusters c;\n"
                  "}\n",
                  /*origins=*/true),
            R"(phase init
  batch each
    check blue-missing @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check blue-contains-sinks @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check not-owner @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check missing-privilege @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check unsized-replicas @1:12
      cluster c -> c_dbt_deploy (a)
    check green-not-empty @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check state-not-carried @1:12
      schema s -> s_dbt_deploy (a)
    create-green-schema @2:13
      schema s -> s_dbt_deploy (a)
    copy-schema-privileges @2:13
      schema s -> s_dbt_deploy (a)
    mark-green @2:13
      schema s -> s_dbt_deploy (a)
    create-green-cluster @3:14
      cluster c -> c_dbt_deploy (a)
    copy-cluster-privileges @3:14
      cluster c -> c_dbt_deploy (a)
    mark-green @3:14
      cluster c -> c_dbt_deploy (a)
    journal phase-done @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
phase await
  batch each
    await-ready @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
phase promote
  batch each
    check blue-missing @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check green-missing @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check not-owner @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check green-not-ours @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check sink-upstream-missing @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check orphaned-dependents @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check missing-in-green @1:12
      schema s -> s_dbt_deploy (a)
    check incompatible-upstream @1:12
      schema s -> s_dbt_deploy (a)
    check repoint-not-owner @1:12
      schema s -> s_dbt_deploy (a)
    check state-not-carried @1:12
      schema s -> s_dbt_deploy (a)
    journal intent @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    swap @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    journal swapped @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    tag-schemas @1:12
      schema s -> s_dbt_deploy (a)
    repoint-sinks @1:12
      schema s -> s_dbt_deploy (a)
phase rollback
  batch each
    check nothing-to-roll-back @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check not-owner @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check orphaned-dependents @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check repoint-not-owner @1:12
      schema s -> s_dbt_deploy (a)
    swap reverse @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    repoint-sinks reverse @1:12
      schema s -> s_dbt_deploy (a)
    journal phase-done @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
phase cleanup
  batch each
    check not-promoted @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check cleanup-id-mismatch @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check cleanup-drops @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check cutover-unfinished @1:12
      schema s -> s_dbt_deploy (a)
    check not-owner @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check cleanup-drops-dependents @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    check keep-blue-not-elapsed @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
    drop-green @2:13
      schema s -> s_dbt_deploy (a)
    drop-green @3:14
      cluster c -> c_dbt_deploy (a)
    journal phase-done @1:12
      schema s -> s_dbt_deploy (a)
      cluster c -> c_dbt_deploy (a)
)");
}

TEST(BuildPhasesTest, PostgresTwoDeploymentsWithWait) {
  EXPECT_EQ(Build("target postgres;\n"
                  "deployment a { schemas s1, s2; }\n"
                  "deployment b { schemas t; promote { wait true; } }\n"),
            R"(phase init
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
    journal intent
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
    await-ready
      schema t -> t_dbt_deploy (b)
    journal intent
      schema t -> t_dbt_deploy (b)
    swap
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    swap
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
    swap reverse
      schema s1 -> s1_dbt_deploy (a)
      schema s2 -> s2_dbt_deploy (a)
    swap reverse
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
    drop-green
      schema s1 -> s1_dbt_deploy (a)
    drop-green
      schema s2 -> s2_dbt_deploy (a)
    journal phase-done
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
    drop-green
      schema t -> t_dbt_deploy (b)
    journal phase-done
      schema t -> t_dbt_deploy (b)
)");
}

TEST(BuildPhasesTest, PromoteChecksMissingInGreenOnSchemasOnlyBeforeTheSwap) {
  // Deployment c has no schema: missing-in-green has nothing to compare, so no check for it
  // (PostgreSQL has no clusters, so there c is left out).
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"materialize",
       "deployment a { schemas s1, s2; clusters c1; }\n"
       "deployment b { schemas t; }\n"
       "deployment c { clusters c2; }\n"},
      {"postgres",
       "target postgres;\n"
       "deployment a { schemas s1, s2; }\n"
       "deployment b { schemas t; }\n"},
  };
  for (const auto& [target, text] : cases) {
    SCOPED_TRACE(target);
    const std::vector<plans::Step> steps = PhaseSteps(text, plans::PhaseKind::kPromote);
    std::vector<std::vector<std::string>> checked;
    size_t first_swap = steps.size();
    size_t last_check = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
      const plans::Step& step = steps[i];
      if (step.kind == plans::StepKind::kSwap && first_swap == steps.size()) {
        first_swap = i;
      }
      if (step.kind != plans::StepKind::kCheck || step.rule != "missing-in-green") {
        continue;
      }
      for (const auto& o : step.objects) {
        EXPECT_EQ(o.kind, plans::ObjectKind::kSchema) << "missing-in-green names " << o.blue;
      }
      checked.push_back(Names(step));
      last_check = i;
    }
    EXPECT_EQ(checked, (std::vector<std::vector<std::string>>{{"a:s1", "a:s2"}, {"b:t"}}));
    ASSERT_LT(first_swap, steps.size()) << "promote has no swap";
    EXPECT_LT(last_check, first_swap) << "missing-in-green must be checked before the swap";
  }
}

TEST(BuildPhasesTest, CleanupIdMismatchPrecedesEveryDropAndHasNoOverride) {
  constexpr const char* kText =
      "deployment a { schemas s1, s2; clusters c1; }\n"
      "deployment b { schemas t; clusters c2, c3; }\n";
  // As built, and after the optimizations (order-drops gathers the drops, hoist-checks moves
  // the checks): every dropped object was checked by cleanup-id-mismatch first.
  for (bool pipeline : {false, true}) {
    SCOPED_TRACE(pipeline ? "whole pipeline" : "build-phases");
    const std::vector<plans::Step> steps =
        PhaseSteps(kText, plans::PhaseKind::kCleanup, pipeline);
    std::set<std::string> checked;
    size_t drops = 0;
    for (const plans::Step& step : steps) {
      if (step.kind == plans::StepKind::kCheck && step.rule == "cleanup-id-mismatch") {
        for (const std::string& name : Names(step)) {
          checked.insert(name);
        }
      }
      if (step.kind == plans::StepKind::kDropGreen) {
        for (const std::string& name : Names(step)) {
          ++drops;
          EXPECT_TRUE(checked.count(name) == 1)
              << "drop-green of " << name << " before its cleanup-id-mismatch check";
        }
      }
    }
    EXPECT_EQ(drops, 6u);
    EXPECT_EQ(checked, (std::set<std::string>{"a:s1", "a:s2", "a:c1", "b:t", "b:c2", "b:c3"}));
  }
  // No flag lets cleanup-id-mismatch pass (resolve/overrides.h).
  for (const resolve::OverrideSpec& spec : resolve::OverrideSpecs()) {
    EXPECT_NE(spec.rule, "cleanup-id-mismatch") << spec.flag << " overrides cleanup-id-mismatch";
  }
  EXPECT_EQ(resolve::OverrideFlagOf("cleanup-id-mismatch"), "");
}

TEST(BuildPhasesTest, SelectionKeepsFileOrder) {
  auto lowered = LowerText(
      "deployment a { schemas x; }\ndeployment b { schemas y; }\n"
      "deployment c { schemas z; }\n");
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(MakeSelectDeploymentsPass());
  RunPasses(*lowered, std::move(passes), {"c", "a", "nope"});
  ASSERT_EQ(lowered->plan.deployments.size(), 2u);
  EXPECT_EQ(lowered->plan.deployments[0].name, "a");
  EXPECT_EQ(lowered->plan.deployments[1].name, "c");
}

}  // namespace
}  // namespace bgplan::passes
