// `--format markdown` of the read-only live reports (plan, validate, status): a report for a
// pull-request comment or $GITHUB_STEP_SUMMARY, built from the resolved phases, their violations
// and warnings and the catalog facts the executor already has (docs/ci.md). Per deployment and
// phase: what changes, the SQL in fenced blocks, the rule results (passed, or failed with the
// message), and what cleanup's DROP ... CASCADE removes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/resolved.h"
#include "resolve/snapshot.h"
#include "runtime/await/await.h"
#include "runtime/journal/journal.h"

namespace bgplan::runtime::markdown {

// One phase of `bgplan plan`: resolved (with its violations when it refuses), and the text
// `plan` prints for it (empty when it refuses).
struct PlanPhase {
  resolve::ResolvedPhase resolved;
  std::string sql;
  bool projected = false;  // resolved against the state the phases before it will leave
};

// `bgplan plan --format markdown`. `server` is ServerLine's text.
std::string PlanReport(const plans::Plan& plan, const resolve::ServerFacts& server,
                       const std::string& server_line, const std::vector<PlanPhase>& phases,
                       bool has_changes);

// One user check of a `validate` block, as run.
struct CheckResult {
  std::string deployment;
  std::string name;
  bool passed = false;
  std::string returned;
  std::string why;  // "" when passed
};

// `bgplan validate --format markdown`: promote's rules against green (`failed`: the violations
// that refused it) and the checks that ran.
std::string ValidateReport(const plans::Plan& plan, const std::string& server_line,
                           const resolve::ResolvedPhase& promote,
                           const std::vector<resolve::Violation>& failed,
                           const std::vector<CheckResult>& checks);

// One deployment of `bgplan status`.
struct StatusDeployment {
  const resolve::DeploymentFacts* facts = nullptr;
  std::string state;  // as status prints it ("promoted", "finished", ...)
  std::optional<resolve::RunFacts> run;
  bool polled = false;  // readiness was polled
  std::vector<Readiness> readiness;
  std::vector<JournalEvent> history;  // latest first
};

// `bgplan status --format markdown`.
std::string StatusReport(const std::string& server_line,
                         const std::vector<StatusDeployment>& deployments);

}  // namespace bgplan::runtime::markdown
