// The environment of a deploy command (`bgplan apply --deploy-cmd CMD`): what tells the command
// where green is. Computed from the plan alone, so `bgplan check` can warn about names the
// environment cannot carry unambiguously and `apply --deploy-cmd` refuses them before anything
// runs.
//   BGPLAN_DEPLOYMENT          the deployments, comma-separated
//   BGPLAN_GREEN_SCHEMAS       the green schemas, comma-separated
//   BGPLAN_GREEN_CLUSTERS      the green clusters, comma-separated
//   BGPLAN_GREEN_<KEY>         the green name of each blue schema or cluster (DeployEnvKey)
//   BGPLAN_GREEN_JSON          all of it as one JSON object, which no name can make ambiguous:
//     {"deployments": [...], "schemas": [{"deployment", "database", "blue", "green"}, ...],
//      "clusters": [{"deployment", "blue", "green"}, ...]}
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/source.h"
#include "plans/plan.h"

namespace bgplan::plans {

// "BGPLAN_GREEN_" + `blue` with ASCII letters upper-cased, digits kept and every other byte
// (including each byte of a non-ASCII character) as '_'.
std::string DeployEnvKey(std::string_view blue);

// Something the environment cannot say unambiguously for the deployments of `plan`: two
// objects (of the deployments named in `selected`, all when empty) whose keys are equal while
// their green names differ ("a-b" and "a_b", "é" and "ü"), a
// key equal to one of the list variables (a schema named "schemas"), or a name with a comma in
// a comma-separated list. `origin` is the object's (or deployment's) place in the source.
struct DeployEnvProblem {
  std::string deployment;
  SourceRange origin;
  std::string message;
};
std::vector<DeployEnvProblem> DeployEnvProblems(const Plan& plan,
                                                const std::vector<std::string>& selected = {});

// The variables above for the deployments of `plan` named in `selected` (all when empty), in
// a stable order.
std::vector<std::pair<std::string, std::string>> DeployEnvironment(
    const Plan& plan, const std::vector<std::string>& selected);

}  // namespace bgplan::plans
