// The resolver's internals, shared by its files (resolver.cc: the phase and the common steps;
// rules.cc: the checks; pg_steps.cc and mz_steps.cc: what differs per dialect). Not included
// outside resolve/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/resolved.h"
#include "resolve/resolver.h"
#include "resolve/snapshot.h"
#include "resolve/text.h"
#include "sql/dialect.h"

namespace bgplan::resolve {

// What a phase does with one deployment (live; offline every deployment acts).
enum class Disposition {
  kAct,     // every step
  kFinish,  // already swapped (a crash after the swap): only the steps after the swap
  kDone,    // nothing to do (a note says why)
};

// The steps whose shape differs per dialect. Each writes its actions to `out`, offline or live
// (Impl::live()).
class DialectSteps {
 public:
  virtual ~DialectSteps() = default;
  virtual void CopySchemaPrivileges(Resolver::Impl& r, const plans::ObjectRef& o,
                                    ActionSink& out) = 0;
  virtual void CreateGreenCluster(Resolver::Impl& r, const plans::ObjectRef& o,
                                  ActionSink& out) = 0;
  virtual void CopyClusterPrivileges(Resolver::Impl& r, const plans::ObjectRef& o,
                                     ActionSink& out) = 0;
  // The exchange of names of `objects` (those of the step whose deployments swap now).
  virtual void Swap(Resolver::Impl& r, const plans::Step& step,
                    const std::vector<const plans::ObjectRef*>& objects, ActionSink& out) = 0;
  virtual void RepointSinks(Resolver::Impl& r, const plans::Step& step, ActionSink& out) = 0;
  // Offline: how readiness is decided.
  virtual void DescribeAwait(Resolver::Impl& r, const plans::Step& step, ActionSink& out) = 0;
};
std::unique_ptr<DialectSteps> MakePostgresSteps();
std::unique_ptr<DialectSteps> MakeMaterializeSteps();

struct Resolver::Impl {
  Impl(const plans::Plan& p, plans::PhaseKind k, const Snapshot& s, ResolveOptions o);

  // One deployment's standing in this phase (live).
  struct Dep {
    const DeploymentFacts* facts = nullptr;
    Disposition disposition = Disposition::kAct;
    std::string run_id;    // the active run's, or the new run's (init, promote --force)
    bool new_run = false;  // the run is created by this phase
    bool run_started = false;
    bool wrote = false;    // an action that writes was resolved for it
    // promote --allow-missing: the blue objects green lacks (journaled with the intent).
    std::vector<std::string> left_behind;
  };

  bool live() const { return snapshot.live; }
  bool mz() const { return plan.target == plans::Target::kMaterialize; }
  bool transactional() const { return dialect->transactional_ddl(); }

  // Live: the deployment's standing, or null when it is not selected.
  Dep* FindDep(const std::string& name);
  // Live: the deployment if the current step applies to it: kAct, or kFinish for steps after the
  // swap. Offline: never called.
  Dep* Acting(const std::string& name);
  const PairFacts* Pair(const Dep& d, const plans::ObjectRef& o) const;
  const ClusterPairFacts* ClusterPair(const Dep& d, const plans::ObjectRef& o) const;
  // True when the step's objects of `d` are (or, after the swap step of this phase, were)
  // exchanged by this phase: names then hold the other side's objects.
  bool SwapsNow(const Dep& d) const;

  // Output helpers. Sql/JournalWrite mark the deployment as acting.
  void Sql(ActionSink& out, Dep* d, std::string sql, bool changes = true);
  void Journal(ActionSink& out, Dep* d, JournalOp op);
  void Pending(ActionSink& out, std::vector<std::string> lines);
  void Note(ActionSink& out, std::vector<std::string> lines);
  void Violation(DiagKind kind, const plans::Deployment& d, SourceRange origin,
                 std::string message, std::vector<std::string> objects = {});
  // server-too-old: `statement`, which the phase would run for `d`, uses `feature`, which the
  // server's version lacks. False (and a violation) then: the statement is not resolved, so a
  // server that would refuse it half-way never gets it.
  bool RequireServer(const Dep& d, SourceRange origin, const ServerFeature& feature,
                     const std::string& statement);
  void Warning(DiagKind kind, const plans::Deployment& d, SourceRange origin, std::string message,
               std::vector<std::string> objects);
  // Before the first write of a run on a dialect without transactional DDL (Materialize): the
  // run row, so that a crash midway leaves a run to resume.
  void StartRunIfNeeded(ActionSink& out, Dep& d);
  JournalOp StartRun(const Dep& d, const std::string& phase_name) const;
  JournalOp RecordIds(const Dep& d) const;
  JournalOp SetPhase(const Dep& d, const std::string& phase_name,
                     const std::string& status = "") const;
  JournalOp Event(const Dep& d, const std::string& type, const std::string& message) const;

  // Display names: 'db.schema' on Materialize, 'schema' on PostgreSQL, 'cluster'.
  std::string Shown(const SchemaFacts& s) const;
  std::string ShownSchema(const std::string& database, const std::string& name) const;

  const plans::Plan& plan;
  const plans::PhaseKind phase;
  const Snapshot& snapshot;
  ResolveOptions options;
  std::unique_ptr<sql::Dialect> dialect;
  std::unique_ptr<DialectSteps> steps;
  DeploymentIndex index;
  ObjectPhrases phrases;

  std::map<std::string, Dep> deps;  // live, by name
  // Why a deployment the phase only finishes needs nothing, if it turns out so.
  std::map<std::string, std::string> deps_notes;
  bool after_swap = false;           // the phase's swap step has been resolved
  ResolvedPhase result;              // violations, notes, rules, summary
  std::set<std::string> reported;    // rules already evaluated for a deployment ("rule|dep")
};

// Offline: the await settings of each deployment of `step` (the "deployment "a": schemas ...;
// poll_interval ..." lines), for green objects of `kind`.
void AwaitSettingsLines(Resolver::Impl& r, const plans::Step& step, plans::ObjectKind kind,
                        std::vector<std::string>& lines);

// The id cleanup may drop under the green name of `o` (cleanup-id-mismatch): after promote the
// old blue's recorded id, otherwise green's; nullopt when the journal recorded none.
std::optional<std::string> RecordedGreenId(const Resolver::Impl::Dep& d, const plans::ObjectRef& o);

// The object-level rules (resolve/object_rules.cc), registered in kRules.
void MissingInGreen(Resolver::Impl& r, Resolver::Impl::Dep& d);
void StateNotCarried(Resolver::Impl& r, Resolver::Impl::Dep& d);
void CleanupIdMismatch(Resolver::Impl& r, Resolver::Impl::Dep& d);
void RepointNotOwner(Resolver::Impl& r, Resolver::Impl::Dep& d);
void CleanupDrops(Resolver::Impl& r, Resolver::Impl::Dep& d);
void CutoverUnfinished(Resolver::Impl& r, Resolver::Impl::Dep& d);
void IncompatibleUpstream(Resolver::Impl& r, Resolver::Impl::Dep& d);

// Materialize clusters (resolve/mz_clusters.cc): green as an exact clone of blue changed by the
// plan's `cluster X { }` settings (`pair` null: none), the promote step ending a green-only
// hydration burst, and the live rule refusing settings that blue's shape does not allow.
void CreateGreenMzCluster(Resolver::Impl& r, const plans::ClusterPair* pair,
                          const plans::ObjectRef& o, ActionSink& out);
void EndHydrationBurst(Resolver::Impl& r, const plans::Step& step, ActionSink& out);
void ClusterSettingsUnsupported(Resolver::Impl& r, Resolver::Impl::Dep& d);

// The user's checks of a `validate` block (resolve/validate.cc): offline, what each verifies;
// live, one kValidate action per query, run by the executor before any write of the phase.
void ResolveValidate(Resolver::Impl& r, const plans::Step& step, ActionSink& out);

// The checks (resolve/rules.cc): offline, a kCheck action saying what is verified; live, the
// rule evaluated for each deployment of the step that the phase acts on.
void ResolveCheck(Resolver::Impl& r, const plans::Step& step, ActionSink& out);

}  // namespace bgplan::resolve
