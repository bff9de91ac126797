#include "resolve/projection.h"

#include <limits>
#include <utility>

#include "sql/statements.h"

namespace bgplan::resolve {

namespace {

// The id of an object bgplan will create: not known until it exists.
constexpr const char* kNewId = "(new)";

void MakeGreen(ContainerFacts& green, const ContainerFacts& blue, const std::string& user,
               const std::string& marker) {
  if (!green.exists) {
    green.exists = true;
    green.id = kNewId;
    green.owner = user;
    green.owned = true;
  }
  green.projected = true;
  green.comment = marker;
  green.grants = blue.grants;
}

}  // namespace

Snapshot ProjectAfterInit(const Snapshot& now, const std::map<std::string, std::string>& run_ids) {
  Snapshot s = now;
  for (DeploymentFacts& f : s.deployments) {
    const bool acts = f.state == DeployState::kAbsent ||
                      (f.run.has_value() && f.run->phase == "initializing");
    auto id = run_ids.find(f.deployment->name);
    if (!acts || id == run_ids.end()) {
      continue;
    }
    RunFacts run;
    run.id = id->second;
    run.phase = "initialized";
    run.status = "active";
    run.actor = s.server.user;
    const std::string marker = sql::MarkerText(f.deployment->name, run.id);
    for (PairFacts& p : f.schemas) {
      MakeGreen(p.green, p.blue, s.server.user, marker);
      p.green.database = p.blue.database;
      p.green.default_privileges = p.blue.default_privileges;
      p.green.objects.clear();  // what the deploy step builds: not known
      run.objects.push_back({plans::ObjectKind::kSchema, p.pair->database, p.pair->blue,
                             p.pair->green, p.blue.id, p.green.id});
    }
    for (ClusterPairFacts& c : f.clusters) {
      MakeGreen(c.green, c.blue, s.server.user, marker);
      c.green.objects.clear();
      run.objects.push_back(
          {plans::ObjectKind::kCluster, "", c.pair->blue, c.pair->green, c.blue.id, c.green.id});
    }
    f.run = std::move(run);
    f.stale_run_id.reset();
    f.state = DeployState::kInitialized;
    f.green_dependents.clear();
  }
  return s;
}

Snapshot ProjectAfterPromote(const Snapshot& now) {
  Snapshot s = now;
  for (DeploymentFacts& f : s.deployments) {
    if (f.state != DeployState::kInitialized || !f.run.has_value()) {
      continue;
    }
    // The swap exchanges names: each name now holds the other side's object.
    for (PairFacts& p : f.schemas) {
      std::swap(p.blue, p.green);
      std::swap(p.blue.name, p.green.name);
      p.blue.projected = p.green.projected = true;
    }
    for (ClusterPairFacts& c : f.clusters) {
      std::swap(c.blue, c.green);
      std::swap(c.blue.name, c.green.name);
      c.blue.projected = c.green.projected = true;
    }
    // Sinks follow the blue names (their reads keep naming the blue schemas); what read the old
    // blue and was left (--allow-orphans) now reads the green names, which cleanup drops.
    f.green_dependents = std::move(f.blue_dependents);
    f.blue_dependents.clear();
    f.run->phase = "promoted";
    f.run->promoted_at = "(at promote)";
    f.run->ms_since_promoted = std::numeric_limits<int64_t>::max();
    f.state = DeployState::kPromoted;
  }
  return s;
}

bool AnyProjected(const Snapshot& s) {
  for (const DeploymentFacts& f : s.deployments) {
    for (const PairFacts& p : f.schemas) {
      if (p.blue.projected || p.green.projected) {
        return true;
      }
    }
    for (const ClusterPairFacts& c : f.clusters) {
      if (c.blue.projected || c.green.projected) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace bgplan::resolve
