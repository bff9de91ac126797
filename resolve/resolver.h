// The resolver: one step of a phase, against a catalog snapshot, into the actions that carry it
// out (resolve/resolved.h). One function per step kind, dialect differences behind
// DialectSteps (resolve/resolver_impl.h). Against a live snapshot the actions are exact statements, journal
// writes and waits, and the phase's checks become violations; against the offline snapshot
// (`compile`) statements the plan fixes are exact and the rest say how apply will decide them.
// What `compile` prints, what `plan` and `--dry-run` print and what the phase commands run all
// come from here.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "plans/plan.h"
#include "resolve/overrides.h"
#include "resolve/resolved.h"
#include "resolve/snapshot.h"
#include "support/status.h"

namespace bgplan::resolve {

struct ResolveOptions {
  // The overrides, each of one rule (resolve/overrides.h).
  Overrides overrides;
  std::string journal_schema = "bgplan";
  // Recorded in the journal and the deployment tag ("" = unknown).
  std::string git_commit;
  std::string host;
  // The time written in deployment tags ("2026-12-06 12:00:00 UTC").
  std::string now;
  // The plan fingerprint recorded with a new run.
  std::string fingerprint;
  // The id of a new run of `deployment` (default: NewRunId).
  std::function<std::string(const std::string& deployment)> new_run_id;
};

// A fresh run id: <deployment>-<UTC yyyymmddThhmmss>-<8 hex>.
std::string NewRunId(const std::string& deployment);

class Resolver {
 public:
  Resolver(const plans::Plan& plan, plans::PhaseKind phase, const Snapshot& snapshot,
           ResolveOptions options);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Resolves `step` (a step of this phase, steps in plan order) into `out`.
  void Step(const plans::Step& step, ActionSink& out);
  // Violations, notes, acting deployments, rules and summary of the steps resolved so far.
  ResolvedPhase Result() const;

  // Every batch of `phase` resolved, with Result()'s fields.
  static ResolvedPhase ResolvePhase(const plans::Plan& plan, const plans::Phase& phase,
                                    const Snapshot& snapshot, const ResolveOptions& options);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// True if `name` is a live rule a check step can name (resolve/rules.cc defines each).
bool IsLiveRule(std::string_view name);

// Rules about the connection rather than the plan's objects, checked before any phase runs:
// journal-cluster (Materialize: the session's cluster must be able to read the journal and
// survive cleanup).
std::vector<Violation> SessionViolations(const plans::Plan& plan, const Snapshot& snapshot);

// reserved-schema-name: no schema of a selected deployment (empty = all) may be bgplan's journal
// schema or, on Materialize, carry the prefix of its lock schemas. Needs no catalog: checked
// before the lock is taken (on Materialize a lock is a schema). `database` is the connection's.
std::vector<Violation> ReservedSchemaViolations(const plans::Plan& plan,
                                                const std::vector<std::string>& selected,
                                                const std::string& journal_schema,
                                                const std::string& database);

// Whether the executor (runtime/execute) can run `plan`'s phases safely: every swap in a transaction batch (one
// atomic round trip), and on a dialect with transactional DDL every batch that writes in one.
// Not OK (kInvalidArgument, naming the phase and the passes to keep) for a plan compiled with
// --disable-pass merge-swaps and batch, or batch on PostgreSQL.
Status CheckRunnable(const plans::Plan& plan);

// The statements that open a transaction batch after BEGIN: on PostgreSQL, a batch holding a
// swap sets lock_timeout (the smallest of the swap's deployments) and an empty search_path for
// the transaction. The renderer prints them and the executor sends them.
std::vector<std::string> TransactionPrologue(const plans::Plan& plan, const plans::Batch& batch);

}  // namespace bgplan::resolve
