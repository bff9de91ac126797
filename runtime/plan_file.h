// Plan files (`bgplan plan -o PLAN.json`): the compiled plan (plans/plan_json.h), the resolved
// SQL of each phase and the fingerprint of the catalog facts each phase was resolved against.
// Executing a plan file re-reads the catalog and refuses with stale-plan when the fingerprint of
// the phase changed. Passwords never appear in it (the URL is redacted).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/support/status.h"
#include "plans/plan.h"

namespace bgplan::runtime {

struct PlanFile {
  plans::Plan plan;
  // Deployments selected when planning (empty = all).
  std::vector<std::string> deployments;
  // Connection the plan was made against, password redacted.
  std::string url;
  // Phase name -> fingerprint / resolved SQL.
  std::map<std::string, std::string> fingerprints;
  std::map<std::string, std::string> sql;
};

// True if `path` looks like a plan file (ends in .json).
bool IsPlanFilePath(const std::string& path);

std::string PlanFileToJson(const PlanFile& file);
Result<PlanFile> PlanFileFromJson(const std::string& text);
Result<PlanFile> ReadPlanFile(const std::string& path);

}  // namespace bgplan::runtime
