// The read-only reports of the executor: `bgplan plan` (phases resolved against the live catalog,
// with a summary) and `bgplan status` (where each deployment stands), the same for both
// dialects.
#include <map>

#include "resolve/fingerprint.h"
#include "resolve/render.h"
#include "resolve/resolver.h"
#include "runtime/execute/backend.h"
#include "runtime/execute/executor.h"
#include "support/strings.h"

namespace bgplan::runtime {

using plans::PhaseKind;

namespace {

// "green capacity: ..." for `plan`: the clusters green adds, with their size and replicas.
std::string Capacity(const resolve::Snapshot& snap) {
  if (!snap.server.is_materialize) {
    return "green capacity: no clusters on PostgreSQL";
  }
  std::vector<std::string> items;
  for (const resolve::DeploymentFacts& d : snap.deployments) {
    for (const resolve::ClusterPairFacts& c : d.clusters) {
      const resolve::ClusterFacts& shape = c.green.exists ? c.green : c.blue;
      std::string size = c.pair->size.value_or(shape.size);
      int64_t rf = c.pair->replication_factor.value_or(
          shape.managed ? shape.replication_factor.value_or(1)
                        : static_cast<int64_t>(shape.replicas.size()));
      items.push_back(c.pair->green + " " + (size.empty() ? "(unmanaged)" : size) + " x " +
                      std::to_string(rf));
    }
  }
  return "green capacity: " + (items.empty() ? std::string("no clusters") : Join(items));
}

}  // namespace

Status Executor::PrintPlan(const std::vector<PhaseKind>& phases, bool* has_changes,
                           std::vector<std::pair<std::string, std::string>>* fingerprints,
                           std::vector<std::pair<std::string, std::string>>* sql) {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  *has_changes = false;
  std::string text =
      "-- bgplan plan, target " + std::string(plans::TargetName(plan_.target)) +
      ": resolved against the live catalog of database " + snap.server.database + " as " +
      snap.server.user + "; nothing has run.\n";
  Status result;
  for (PhaseKind phase : phases) {
    const std::string name(plans::PhaseName(phase));
    const plans::Phase* plan_phase = plan_.FindPhase(phase);
    if (plan_phase == nullptr) {
      return Status::Internal("the plan has no phase " + name);
    }
    const std::string fingerprint = resolve::Fingerprint(snap, phase);
    if (fingerprints != nullptr) {
      fingerprints->push_back({name, fingerprint});
    }
    resolve::ResolvedPhase r = resolve::Resolver::ResolvePhase(
        plan_, *plan_phase, snap, ResolveOptionsFor(fingerprint, true));
    Warn(r.warnings);
    if (!r.violations.empty()) {
      Status st = Report(r.violations, name);
      if (result.ok()) {
        result = st;
      }
      continue;
    }
    std::string phase_text = Render(r);
    *has_changes = *has_changes || r.HasChanges();
    if (r.HasWrites()) {
      const resolve::Summary& s = r.summary;
      phase_text += "-- summary: " + std::to_string(s.schemas_created) + " schema(s) and " +
                    std::to_string(s.clusters_created) + " cluster(s) created, " +
                    std::to_string(s.grants_copied) + " grant(s) and " +
                    std::to_string(s.default_privileges_copied) +
                    " default privilege(s) copied, " + std::to_string(s.sinks_repointed) +
                    " sink(s) re-pointed, " + std::to_string(s.dependents) +
                    " other dependent(s), " + std::to_string(s.dropped) + " dropped; " +
                    Capacity(snap) + "\n";
    }
    text += phase_text;
    if (sql != nullptr) {
      sql->push_back({name, phase_text});
    }
  }
  sink_.Product("plan", "", text);
  return result;
}

Status Executor::PrintStatus() {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  Journal& journal = *backend_->journal;
  std::string text;
  for (const resolve::DeploymentFacts& f : snap.deployments) {
    const plans::Deployment& d = *f.deployment;
    std::string state(resolve::DeployStateName(f.state));
    std::string phase = f.run ? f.run->phase : "";
    std::optional<resolve::RunFacts> latest;
    if (f.state == resolve::DeployState::kAbsent && snap.journal_exists) {
      BGPLAN_ASSIGN_OR_RETURN(latest, journal.LatestRun(session_, d.name));
      if (latest && latest->status == "finished") {
        state = "finished";
        phase = latest->phase;
      }
    }
    const resolve::RunFacts* run = f.run ? &*f.run : (latest ? &*latest : nullptr);
    text += "deployment " + d.name + ": " + state;
    if (run != nullptr) {
      text += " (run " + run->id + ", journal phase " + run->phase + ", by " + run->actor + "@" +
              run->host + " since " + run->started_at + ")";
    }
    text += "\n";
    std::map<std::string, std::string> fields = {
        {"state", state}, {"phase", phase}, {"run", run != nullptr ? run->id : ""}};
    if (run != nullptr) {
      text += "  plan fingerprint " +
              (run->fingerprint.empty() ? std::string("(not recorded)")
                                        : run->fingerprint.substr(0, 12)) +
              "\n";
    }
    auto side = [&](const char* kind, const resolve::ContainerFacts& blue,
                    const resolve::ContainerFacts& green, size_t green_objects,
                    const resolve::RecordedObject* rec) {
      std::string which;
      if (rec != nullptr && blue.exists) {
        which = blue.id == rec->green_id ? " (new code, from green)" : " (original)";
      }
      text += std::string("  ") + kind + " " + blue.name + ": " +
              (blue.exists ? "id " + blue.id : std::string("absent")) + which + "; green " +
              green.name + ": " +
              (green.exists ? "id " + green.id + ", " + std::to_string(green_objects) + " objects"
                            : std::string("absent")) +
              "\n";
      fields[std::string(kind) + "." + blue.name + ".id"] = blue.id;
      fields[std::string(kind) + "." + green.name + ".id"] = green.id;
    };
    for (const resolve::PairFacts& p : f.schemas) {
      side("schema", p.blue, p.green, p.green.objects.size(),
           f.run ? f.run->Find(plans::ObjectKind::kSchema, p.pair->blue) : nullptr);
    }
    for (const resolve::ClusterPairFacts& c : f.clusters) {
      side("cluster", c.blue, c.green, c.green.objects.size(),
           f.run ? f.run->Find(plans::ObjectKind::kCluster, c.pair->blue) : nullptr);
    }
    if (f.state == resolve::DeployState::kInitialized ||
        f.state == resolve::DeployState::kRolledBack) {
      // One poll of the readiness probe (read-only).
      Result<std::vector<Readiness>> ready = backend_->readiness->Poll(session_, {&d});
      if (ready.ok()) {
        if (ready->empty()) {
          text += "  readiness: no green object to wait for\n";
        }
        bool all = true;
        for (const Readiness& r : *ready) {
          all = all && (r.state == "ready" || r.state == "skipped");
          text += "  readiness " + r.object + ": " + r.state +
                  (r.detail.empty() ? "" : " " + r.detail) + "\n";
        }
        fields["ready"] = all ? "true" : "false";
      }
    }
    for (const resolve::SinkFacts& k : f.sinks) {
      std::vector<std::string> reads;
      for (const resolve::CatalogObject& r : k.reads) {
        reads.push_back((r.database.empty() ? "" : r.database + ".") + r.schema + "." + r.name);
      }
      text += "  " + std::string(k.object.kind == "view" ? "sink view " : "sink ") +
              (k.object.database.empty() ? "" : k.object.database + ".") + k.object.schema + "." +
              k.object.name + " reads " + Join(reads) + "\n";
    }
    for (const resolve::Dependent& o : f.blue_dependents) {
      text += "  dependent (not a sink): " + o.description + "\n";
    }
    BGPLAN_ASSIGN_OR_RETURN(std::vector<JournalEvent> events, journal.Events(session_, d.name, 10));
    if (!events.empty()) {
      text += "  history (latest first):\n";
      for (const JournalEvent& e : events) {
        text += "    " + e.at + "  " + e.phase + ": " + e.type + " - " + e.message + "\n";
      }
    }
    if (sink_.options().json) {
      sink_.Emit({"status", d.name, "", fields});
    }
  }
  if (!sink_.options().json) {
    sink_.Product("status", "", text);
  }
  return Status::Ok();
}

}  // namespace bgplan::runtime
