// The read-only reports of the executor: `bgplan plan` (phases resolved against the live catalog,
// with a summary) and `bgplan status` (where each deployment stands), the same for both
// dialects.
#include <map>

#include "resolve/fingerprint.h"
#include "resolve/projection.h"
#include "resolve/render.h"
#include "resolve/resolver.h"
#include "runtime/execute/backend.h"
#include "runtime/execute/executor.h"
#include "runtime/execute/status_json.h"
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
      std::string size = c.pair->settings.size.value_or(
          c.green.exists || c.blue.reconfiguring_to.empty() ? shape.size : c.blue.reconfiguring_to);
      int64_t rf = c.pair->settings.replication_factor.value_or(
          shape.managed ? shape.replication_factor.value_or(1)
                        : static_cast<int64_t>(shape.replicas.size()));
      items.push_back(c.pair->green + " " + (size.empty() ? "(unmanaged)" : size) + " x " +
                      std::to_string(rf));
    }
  }
  return "green capacity: " + (items.empty() ? std::string("no clusters") : Join(items));
}

}  // namespace

std::string ServerLine(const resolve::ServerFacts& server) {
  if (server.materialize_version.has_value()) {
    std::string line = "Materialize " + server.materialize_version->Text();
    if (*server.materialize_version < resolve::kOldestCheckedMaterialize) {
      line += " (older than " + resolve::kOldestCheckedMaterialize.Text() +
              ", the oldest release bgplan was checked against)";
    }
    return line;
  }
  // "PostgreSQL 15.4 (Debian 15.4-1) on x86_64-pc-linux-gnu, ...": the product and release.
  const std::string& v = server.version;
  const size_t first = v.find(' ');
  const size_t second = first == std::string::npos ? first : v.find(' ', first + 1);
  return second == std::string::npos ? v : v.substr(0, second);
}

Status Executor::PrintPlan(const std::vector<PhaseKind>& phases, bool* has_changes,
                           std::vector<std::pair<std::string, std::string>>* fingerprints,
                           std::vector<std::pair<std::string, std::string>>* sql) {
  std::vector<resolve::Violation> journal_access;
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read(&journal_access));
  *has_changes = false;
  const bool unreadable = !journal_access.empty();
  std::string text =
      "-- bgplan plan, target " + std::string(plans::TargetName(plan_.target)) +
      ": resolved against the live catalog of database " + snap.server.database + " as " +
      snap.server.user + "; nothing has run.\n" + "-- server: " + ServerLine(snap.server) + "\n";
  // The state each phase will find (resolve/projection.h): several phases are each resolved
  // against the state the ones before them leave on the normal path; one phase against now.
  std::map<std::string, std::string> run_ids;
  const resolve::ResolveOptions planning = ResolveOptionsFor("", true);
  for (const resolve::DeploymentFacts& f : snap.deployments) {
    run_ids[f.deployment->name] = planning.new_run_id(f.deployment->name);
  }
  const resolve::Snapshot after_init = resolve::ProjectAfterInit(snap, run_ids);
  const resolve::Snapshot after_promote = resolve::ProjectAfterPromote(after_init);
  auto against = [&](PhaseKind k) -> const resolve::Snapshot& {
    if (phases.size() == 1 || k == PhaseKind::kInit) {
      return snap;
    }
    return k == PhaseKind::kAwait || k == PhaseKind::kPromote ? after_init : after_promote;
  };
  Status result;
  std::vector<markdown::PlanPhase> md;  // --format markdown
  for (PhaseKind phase : phases) {
    const std::string name(plans::PhaseName(phase));
    const plans::Phase* plan_phase = plan_.FindPhase(phase);
    if (plan_phase == nullptr) {
      return Status::Internal("the plan has no phase " + name);
    }
    // The fingerprint is of the live catalog: a plan file's phase is checked against it.
    const std::string fingerprint = resolve::Fingerprint(snap, phase);
    if (fingerprints != nullptr) {
      fingerprints->push_back({name, fingerprint});
    }
    const resolve::Snapshot& state = against(phase);
    resolve::ResolvedPhase r = resolve::Resolver::ResolvePhase(
        plan_, *plan_phase, state, ResolveOptionsFor(fingerprint, true));
    Warn(r.warnings);
    if (unreadable) {
      // Without the journal the state is unknown: the rules that do not depend on it, and
      // journal-access once, with the first phase; nothing is rendered.
      std::vector<resolve::Violation> independent = JournalFree(r.violations);
      independent.insert(independent.begin(), journal_access.begin(), journal_access.end());
      journal_access.clear();
      r.violations = std::move(independent);
      if (r.violations.empty()) {
        continue;
      }
    }
    if (options_.markdown) {
      md.push_back({r, "", &state != &snap && resolve::AnyProjected(state)});
    }
    if (!r.violations.empty()) {
      Status st = Report(r.violations, name);
      if (result.ok()) {
        result = st;
      }
      continue;
    }
    std::string phase_text =
        &state == &snap || !resolve::AnyProjected(state)
            ? ""
            : "-- (" + name + " is resolved against the state the phases before it will leave: " +
                  "ids of objects not created yet show as (new), and what your deploy step " +
                  "builds into green is not known; `bgplan plan --phase " + name +
                  "` prints it exactly once they have run)\n";
    phase_text += Render(r);
    *has_changes = *has_changes || r.HasChanges();
    if (r.HasWrites()) {
      const resolve::Summary& s = r.summary;
      phase_text += "-- summary: " + std::to_string(s.schemas_created) + " schema(s) and " +
                    std::to_string(s.clusters_created) + " cluster(s) created, " +
                    std::to_string(s.grants_copied) + " grant(s) and " +
                    std::to_string(s.default_privileges_copied) +
                    " default privilege(s) copied, " + std::to_string(s.repointed.size()) +
                    " sink(s) re-pointed, " + std::to_string(s.dependents) +
                    " other dependent(s), " + std::to_string(s.dropped) + " dropped; " +
                    Capacity(snap) + "\n";
    }
    text += phase_text;
    if (options_.markdown) {
      md.back().sql = phase_text;
    }
    if (sql != nullptr) {
      sql->push_back({name, phase_text});
    }
  }
  if (!unreadable && phases == std::vector<PhaseKind>{PhaseKind::kInit} &&
      resolve::AnyProjected(after_init)) {
    EarlyWarnings(after_init, after_promote);
  }
  sink_.Product("plan", "",
                options_.markdown
                    ? markdown::PlanReport(plan_, snap.server, ServerLine(snap.server), md,
                                           *has_changes)
                    : text);
  return result;
}

// `plan` before init: promote's and cleanup's rules against the state init (and promote) will
// leave, as warnings, so what would block them after hours of hydration is known now. Only
// their refusals and what green must provide: init's own warnings already said the rest.
void Executor::EarlyWarnings(const resolve::Snapshot& after_init,
                             const resolve::Snapshot& after_promote) {
  for (auto [phase, state] : {std::pair{PhaseKind::kPromote, &after_init},
                              std::pair{PhaseKind::kCleanup, &after_promote}}) {
    const plans::Phase* plan_phase = plan_.FindPhase(phase);
    if (plan_phase == nullptr) {
      continue;
    }
    resolve::ResolvedPhase r =
        resolve::Resolver::ResolvePhase(plan_, *plan_phase, *state, ResolveOptionsFor("", true));
    std::vector<resolve::Violation> early;
    for (resolve::Violation& v : r.violations) {
      v.message = std::string(plans::PhaseName(phase)) + " would refuse: " + v.message;
      early.push_back(std::move(v));
    }
    for (resolve::Violation& w : r.warnings) {
      if (w.kind == DiagKind::kMissingInGreen) {
        early.push_back(std::move(w));
      }
    }
    Warn(early);
  }
}

Status Executor::PrintStatus() {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  Journal& journal = *backend_->journal;
  std::string text = "server: " + ServerLine(snap.server) + "\n";
  std::vector<markdown::StatusDeployment> md;  // --format markdown
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
    markdown::StatusDeployment md_deployment{&f, state, {}, false, {}, {}};
    if (run != nullptr) {
      md_deployment.run = *run;
    }
    text += "deployment " + d.name + ": " + state;
    if (f.state == resolve::DeployState::kPromoted && !resolve::SinksReadingGreen(f).empty()) {
      text += ", cut-over unfinished";
    }
    if (run != nullptr) {
      text += " (run " + run->id + ", journal phase " + run->phase + ", by " + run->actor + "@" +
              run->host + " since " + run->started_at + ")";
    }
    text += "\n";
    StatusFacts status_json{&f, state, phase, run, ServerLine(snap.server), std::nullopt, {}};
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
              (green.exists ? "id " + green.id + ", " + std::to_string(green_objects) +
                                  (green_objects == 1 ? " object" : " objects")
                            : std::string("absent")) +
              "\n";
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
        md_deployment.polled = true;
        md_deployment.readiness = *ready;
        if (ready->empty()) {
          text += "  readiness: no green object to wait for\n";
        }
        for (const Readiness& r : *ready) {
          text += "  readiness " + r.object + ": " + r.state +
                  (r.detail.empty() ? "" : " " + r.detail) + "\n";
        }
        status_json.readiness = *ready;
      }
    }
    for (const resolve::SinkFacts& k : f.sinks) {
      std::vector<std::string> reads;
      for (const resolve::CatalogObject& r : k.reads) {
        reads.push_back(r.QualifiedName());
      }
      text += "  " + std::string(k.object.kind == "view" ? "sink view " : "sink ") +
              k.object.QualifiedName() + " reads " + Join(reads) + "\n";
    }
    if (f.state == resolve::DeployState::kPromoted) {
      // Sinks still reading the old objects (now under the green names): a promote whose
      // cut-over stopped after the swap. `promote` finishes it; cleanup refuses until then.
      std::vector<std::string> unfinished;
      for (const resolve::SinkFacts* k : resolve::SinksReadingGreen(f)) {
        unfinished.push_back(k->object.Describe());
      }
      if (!unfinished.empty()) {
        text += "  cut-over unfinished: " + Join(unfinished) +
                " still read the old objects; run `bgplan promote` to finish it\n";
      }
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
    md_deployment.history = events;
    md.push_back(std::move(md_deployment));
    if (sink_.options().json) {
      status_json.history = events;
      sink_.Emit({"status", d.name, "", StatusFields(status_json)});
    }
  }
  if (!sink_.options().json) {
    sink_.Product("status", "",
                  options_.markdown ? markdown::StatusReport(ServerLine(snap.server), md) : text);
  }
  return Status::Ok();
}

}  // namespace bgplan::runtime
