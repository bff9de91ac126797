// The `status` event of `bgplan status --format json`: one deployment's standing as structured
// members (docs/events.schema.json, "status"), built from the same facts as the text report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "resolve/snapshot.h"
#include "runtime/await/await.h"
#include "runtime/events.h"
#include "runtime/journal/journal.h"

namespace bgplan::runtime {

struct StatusFacts {
  const resolve::DeploymentFacts* facts = nullptr;
  std::string state;                       // absent, initialized, promoted, rolled_back, finished
  std::string phase;                       // the journal's phase ("" when no run)
  const resolve::RunFacts* run = nullptr;  // the active run, else the latest finished one
  std::string server;                      // ServerLine()
  // One poll of readiness (initialized and rolled back deployments), when it was read.
  std::optional<std::vector<Readiness>> readiness;
  std::vector<JournalEvent> history;  // latest first
};

// state, phase, run, server, objects, readiness, cutover, cutover_pending, sinks, dependents,
// history.
EventFields StatusFields(const StatusFacts& status);

}  // namespace bgplan::runtime
