// The executor: runs the phases of a compiled plan against a live database, for both dialects.
// A phase is read as a catalog snapshot (runtime/catalog), resolved step by step into actions
// (resolve/resolver.h: every live rule reported at once before anything is written), and its
// batches are run as the plan's passes left them: a transaction batch as one round trip
// (BEGIN ... COMMIT, retried on the dialect's retryable SQLSTATEs after re-reading the
// catalog), an each batch statement by statement with the lock refreshed between them, a wait
// through the dialect's readiness probe, journal writes through the dialect's journal. What
// differs per dialect sits behind runtime/catalog, runtime/journal, runtime/lock and
// runtime/await. Every phase is idempotent and resumable: the catalog decides where a deployment
// stands (semantics.md section 2).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plans/plan.h"
#include "resolve/resolved.h"
#include "resolve/resolver.h"
#include "resolve/snapshot.h"
#include "runtime/events.h"
#include "runtime/execute/markdown_report.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

struct RunOptions {
  bool dry_run = false;
  resolve::Overrides overrides;
  bool tolerate_failing = false;
  std::string journal_schema = "bgplan";
  // Recorded in the journal and the deployment tag ("" = git rev-parse HEAD if available).
  std::string git_commit;
  // Command name for events and fault points ("init", "apply", ...).
  std::string command;
  // cleanup --when-due: clean only the promoted deployments whose keep_blue has passed; say when
  // the others are due; exit 0 either way.
  bool when_due = false;
  // apply --redeploy: run the deploy command again although the journal says it ran.
  bool redeploy = false;
  // --format markdown: plan, validate and status print their report as Markdown
  // (runtime/execute/markdown_report.h) instead of text.
  bool markdown = false;
  // For --deploy-cmd: the password to hand to psql/dbt as PGPASSWORD ("" = none known).
  std::string password;
  // When executing a plan file: the fingerprint it was planned against for this phase.
  std::optional<std::string> expected_fingerprint;
};

// The fault points of a phase run (BGPLAN_FAULT=<phase>:<point>), besides <phase>:after-lock and,
// around a transaction batch, <phase>:before-commit and <phase>:after-commit: before-<step> and
// after-<step> around each step (<step> is its kind, e.g. after-swap, after-mark-green; for a
// journal step also its record, e.g. after-intent), before-last-<step> before the last statement
// of a step sent one at a time (e.g. before-last-repoint-sinks).
struct Backend;

// The violations of `phase` that do not depend on the journal (the role's rights, the blue side):
// all that can be said while the journal is unreadable, when the deployment's state is unknown.
std::vector<resolve::Violation> JournalFree(const std::vector<resolve::Violation>& phase);
// What a phase reports before anything runs: all of `phase` when `journal_access` is empty; else
// `journal_access` (the session rule) and the violations of `phase` that do not depend on the
// journal (the role's rights, the blue side).
// "Materialize v26.40.0" (with a note when older than resolve::kOldestCheckedMaterialize) or
// "PostgreSQL 15.4": the server line of `plan` and `status`.
std::string ServerLine(const resolve::ServerFacts& server);

std::vector<resolve::Violation> WithJournalAccess(std::vector<resolve::Violation> journal_access,
                                                  const std::vector<resolve::Violation>& phase);

class Executor {
 public:
  Executor(SqlSession& session, const plans::Plan& plan, std::vector<std::string> selected,
           RunOptions options, EventSink& sink);
  ~Executor();

  // Takes the deployment locks (kLocked with the holder when another run has one). No-op in
  // dry-run mode. Refuses a server of the other dialect (target-mismatch).
  Status Lock();
  // Releases them.
  void Unlock();
  // `bgplan unlock`: frees the locks of the selected deployments whose holder is gone (with
  // `force`, also a live holder's).
  Status BreakLock(bool force);

  // Runs `phase` (see the top of this file). kPrecondition after reporting every violation;
  // kInterrupted after SIGINT/SIGTERM (nothing half done: a transaction rolled back, or a
  // resumable point of a non-transactional phase).
  Status RunPhase(plans::PhaseKind phase);
  // apply: init -> deploy command -> await -> promote (-> cleanup), resuming from where each
  // deployment stands.
  // With `validate_cmd`, that command runs (like the deploy command) after await; a non-zero
  // exit stops before promote (validation-failed, exit 3).
  Status Apply(const std::string& deploy_cmd, bool through_cleanup,
               const std::string& validate_cmd = "");
  // Cleanup of the promoted deployments whose keep_blue has passed; a note with the due time
  // for the others (not promoted, or inside keep_blue). Used by `cleanup --when-due` and by
  // `apply --through cleanup`, which must not fail a good run because cleanup is not due.
  Status CleanupWhenDue();
  // `bgplan validate`: promote's rules and the `validate` blocks' checks against green, without
  // the swap (read-only). kPrecondition after reporting every failure.
  Status Validate();
  // `bgplan status`: where each deployment stands, its ids, readiness, sinks, dependents and
  // history (read-only).
  Status PrintStatus();
  // `bgplan plan`: `phases` resolved against the live catalog and printed, with a summary.
  // *has_changes is set when a phase would write. Fills the fingerprint and the text of each
  // phase when asked. Read-only.
  Status PrintPlan(const std::vector<plans::PhaseKind>& phases, bool* has_changes,
                   std::vector<std::pair<std::string, std::string>>* fingerprints,
                   std::vector<std::pair<std::string, std::string>>* sql);
  // The phase `apply` would run next: init if any deployment is absent, else promote if any is
  // initialized or rolled back, else cleanup.
  Result<plans::PhaseKind> NextPhase();
  // The fingerprint of the facts `phase` reads now.
  Result<std::string> Fingerprint(plans::PhaseKind phase);
  // `phase` resolved against the catalog as it is now: what RunPhase would run (read-only).
  Result<resolve::ResolvedPhase> Resolve(plans::PhaseKind phase);
  // What RunPhase sends for a transaction batch of `resolved`, between BEGIN and COMMIT: the
  // batch's prologue, then each step's statements and journal writes, in order.
  Result<std::vector<std::string>> TransactionStatements(const resolve::ResolvedBatch& batch);
  // Runs `cmd` through /bin/sh -c with the variables of plans/deploy_env.h, BGPLAN_URL (no
  // password) and the PG* variables (PGPASSWORD when a password is known). A non-zero exit
  // status is kDatabaseError naming it; SIGINT/SIGTERM stop the command (kInterrupted). With
  // `validation` it is the validate command: a non-zero exit is validation-failed (kPrecondition).
  Status RunDeployCmd(const std::string& cmd, bool validation = false);

  const std::vector<std::string>& selected() const { return selected_; }
  EventSink& sink() { return sink_; }

 private:
  Status Prepare();
  // The snapshot of the selected deployments, after the session rules (journal-access,
  // journal-cluster): a failing one is reported (exit 3) unless all are journal-access and
  // `journal_access` is given, which receives them (the phase reports them with its own).
  Result<resolve::Snapshot> Read(std::vector<resolve::Violation>* journal_access = nullptr);
  // The overrides and run metadata of this run; `planning` uses placeholders for the time and
  // the new run ids (`bgplan plan` prints them).
  resolve::ResolveOptions ResolveOptionsFor(const std::string& fingerprint, bool planning) const;
  // Live-rule warnings (state-not-carried), as warning diagnostics; the phase goes on.
  void Warn(const std::vector<resolve::Violation>& warnings);
  void EarlyWarnings(const resolve::Snapshot& after_init, const resolve::Snapshot& after_promote);
  void Diagnose(const std::vector<resolve::Violation>& found, Severity severity);
  Status Report(const std::vector<resolve::Violation>& violations, const std::string& what);
  // Runs every kValidate action of `resolved` (read-only); all failures reported at once.
  Status RunValidations(const resolve::ResolvedPhase& resolved, const std::string& what);
  Status RunBatch(plans::PhaseKind phase, const resolve::ResolvedBatch& batch);
  Status RunTransaction(plans::PhaseKind phase, const resolve::ResolvedBatch& batch);
  Status RunEach(plans::PhaseKind phase, const resolve::ResolvedBatch& batch);
  Status Await(const std::vector<std::string>& deployments);
  std::vector<const plans::Deployment*> Deployments(const std::vector<std::string>& names) const;
  Status WriteJournal(const resolve::JournalOp& op);
  plans::PromoteSettings Retries(const plans::Phase& phase) const;
  void Note(const std::string& deployment, const std::string& message);
  std::string Acting(const resolve::ResolvedPhase& resolved) const;
  // The text of `resolved` as `plan` and --dry-run print it: exactly what the phase sends.
  std::string Render(const resolve::ResolvedPhase& resolved);

  SqlSession& session_;
  const plans::Plan& plan_;
  std::vector<std::string> selected_;
  RunOptions options_;
  EventSink& sink_;
  std::unique_ptr<Backend> backend_;
  bool prepared_ = false;
  bool locked_ = false;
  bool journal_ensured_ = false;
  bool warned_old_server_ = false;  // the older-than-checked warning, once per command
  std::string database_;  // the connection's database
  // The validation checks RunValidations ran (for validate's Markdown report).
  std::vector<markdown::CheckResult> checks_;
};

}  // namespace bgplan::runtime
