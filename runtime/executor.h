// The PostgreSQL executor: reads the facts of the selected deployments from the live catalog
// and the journal, resolves a phase into exact statements and live-rule violations, and runs
// it as one transaction (semantics.md sections 2, 4 and 5). Every phase is idempotent and
// resumable: the state of a deployment is derived from the catalog (a swap happened iff the
// blue name now carries the green oid recorded at init).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/diagnostic.h"
#include "support/status.h"
#include "plans/plan.h"
#include "runtime/catalog.h"
#include "runtime/events.h"
#include "runtime/journal.h"
#include "runtime/session.h"

namespace bgplan::runtime {

struct RunOptions {
  bool dry_run = false;
  bool ignore_existing = false;
  bool force = false;
  bool allow_orphans = false;
  bool tolerate_failing = false;
  std::string journal_schema = "bgplan";
  // Recorded in the journal and the deployment tag ("" = git rev-parse HEAD if available).
  std::string git_commit;
  // Command name for events ("init", "apply", ...).
  std::string command;
  // For --deploy-cmd: the password to hand to psql/dbt as PGPASSWORD ("" = none known).
  std::string password;
  // When executing a plan file: the fingerprint it was planned against for this phase.
  std::optional<std::string> expected_fingerprint;
};

// Where a deployment stands (semantics.md section 2). "deployed" and "ready" are journal
// refinements of kInitialized.
enum class DeployState { kAbsent, kInitialized, kPromoted, kRolledBack };
std::string_view DeployStateName(DeployState state);

struct PairFacts {
  plans::SchemaPair pair;
  SchemaInfo blue;
  SchemaInfo green;
  // A schema exists under the temporary name the swap parks blue under (plans::SwapTempName).
  bool swap_name_taken = false;
};

struct DeploymentFacts {
  const plans::Deployment* deployment = nullptr;
  std::vector<PairFacts> pairs;
  // The active journal run; absent when none or when its objects no longer exist.
  std::optional<RunRecord> run;
  // An active run whose recorded objects vanished (will be abandoned by init).
  std::optional<std::string> stale_run_id;
  DeployState state = DeployState::kAbsent;
  // Views in sinks schemas reading the current blue schemas (re-pointed by promote/rollback).
  std::vector<SinkView> sink_views;
  // Other dependents of the blue schemas (orphaned by a swap).
  std::vector<Dependent> orphans;
  // Objects outside the green schemas that DROP ... CASCADE of green would remove.
  std::vector<Dependent> green_dependents;
  // Names of objects in each green schema (sink-upstream-missing), parallel to pairs.
  std::vector<std::vector<std::string>> green_object_names;
};

struct Facts {
  ServerInfo server;
  bool journal_exists = false;
  std::vector<DeploymentFacts> deployments;
};

// A live-rule failure, with the objects involved in the message.
struct Violation {
  DiagKind kind = DiagKind::kNotOwner;
  std::string deployment;
  SourceRange origin;
  std::string message;
};

struct ResolvedPhase {
  plans::PhaseKind phase = plans::PhaseKind::kInit;
  std::vector<Violation> violations;
  // Human notes ("deployment 'a' is already promoted: nothing to do").
  std::vector<std::string> notes;
  // The statements of the phase's transaction, without BEGIN/COMMIT. Empty: nothing to do.
  std::vector<std::string> statements;
  // SHA-256 of the catalog facts this resolution used.
  std::string fingerprint;
  // Deployments the phase acts on (state allows it and there is work).
  std::vector<std::string> acting;
  // Summary counts for `plan`.
  int schemas_created = 0;
  int grants_copied = 0;
  int default_privileges_copied = 0;
  int sinks_repointed = 0;
  int dependents = 0;
  // The sinks views the transaction re-creates (for naming who holds a lock it waits for).
  std::vector<uint32_t> sink_view_oids;
  // New run ids created by init, per deployment (parallel to acting for init).
  std::vector<std::string> new_runs;
  // The full transaction text sent in one round trip ("BEGIN;\n...COMMIT;\n").
  std::string TransactionText() const;
};

// reserved-schema-name, from the plan and the options alone: a blue, green or sinks schema of
// the selected deployments (all when `selected` is empty) in the connection's database
// `database` that is bgplan's journal schema, or on Materialize a lock schema (bgplan_lock_*).
std::vector<Violation> ReservedSchemaViolations(const plans::Plan& plan,
                                                const std::vector<std::string>& selected,
                                                const std::string& journal_schema,
                                                const std::string& database);

// Reads everything the phases need about the deployments of `plan` selected by `selected`
// (empty = all). Read-only.
Result<Facts> ReadFacts(SqlSession& session, const plans::Plan& plan,
                        const std::vector<std::string>& selected, const RunOptions& options);

// Resolves `phase` against `facts`: exact statements and every live-rule violation. Pure.
ResolvedPhase Resolve(const plans::Plan& plan, const Facts& facts, plans::PhaseKind phase,
                      const RunOptions& options);

// The fingerprint of the facts `phase` depends on (hex SHA-256).
std::string FactsFingerprint(const Facts& facts, plans::PhaseKind phase);

// Runs phases of one plan on one session. Does not own the session or the sink.
class Executor {
 public:
  Executor(SqlSession& session, const plans::Plan& plan, std::vector<std::string> selected,
           RunOptions options, EventSink& sink);

  // Takes the deployment locks (kLocked with the holder when another run has one). No-op in
  // dry-run mode.
  Status Lock();
  // Releases them (also done by the server when the session ends).
  void Unlock();

  // `bgplan unlock`: reports who holds each selected deployment's lock. PostgreSQL frees a
  // session lock when its holder disconnects, so a held lock has a live holder: kLocked naming
  // it, unless `force`, which terminates the holder's session (pg_terminate_backend).
  Status BreakLock(bool force);

  // Runs `phase`: preflight (all violations reported, then kPrecondition), then one
  // transaction (retried on 55P03/40001/40P01 for promote and rollback), or nothing when the
  // phase already happened. kInterrupted after SIGINT/SIGTERM (rolled back).
  Status RunPhase(plans::PhaseKind phase);

  // apply: init -> deploy_cmd -> await -> promote (-> cleanup), resuming from the current state.
  Status Apply(const std::string& deploy_cmd, bool through_cleanup);

  // Prints where each deployment stands (read-only).
  Status PrintStatus();

  // `plan`: resolves `phases` and prints their SQL and a summary. *has_changes is set when any
  // phase has statements. Fills *fingerprints (phase name -> fingerprint) when not null.
  Status PrintPlan(const std::vector<plans::PhaseKind>& phases, bool* has_changes,
                   std::vector<std::pair<std::string, std::string>>* fingerprints,
                   std::vector<std::pair<std::string, std::string>>* sql);

  // The phase `apply` would run next: init if any deployment is absent, else promote if any is
  // initialized or rolled back, else cleanup.
  Result<plans::PhaseKind> NextPhase();

  // Runs `cmd` through /bin/sh -c with the variables of plans/deploy_env.h (BGPLAN_DEPLOYMENT,
  // BGPLAN_GREEN_SCHEMAS, BGPLAN_GREEN_CLUSTERS, BGPLAN_GREEN_<BLUE NAME>, BGPLAN_GREEN_JSON),
  // BGPLAN_URL (no password) and the PG* variables (PGPASSWORD when a password is known) in its
  // environment. A non-zero exit status
  // is kDatabaseError naming it; SIGINT/SIGTERM stop the command (kInterrupted).
  Status RunDeployCmd(const std::string& cmd);

  // Deployment names this executor acts on.
  const std::vector<std::string>& selected() const { return selected_; }
  EventSink& sink() { return sink_; }

 private:
  Status ReportViolations(const ResolvedPhase& resolved);
  Status Execute(ResolvedPhase& resolved);
  std::string WhoBlocks(const ResolvedPhase& resolved);
  Status RunAwait();
  Status EnsureJournal();
  void Note(const std::string& deployment, const std::string& message);

  SqlSession& session_;
  const plans::Plan& plan_;
  std::vector<std::string> selected_;
  RunOptions options_;
  EventSink& sink_;
  bool locked_ = false;
};

}  // namespace bgplan::runtime
