// The Materialize executor (semantics.md sections 2, 3 and 5): the lock schema, the journal as
// Materialize tables, and the phases init, await, promote, rollback and cleanup. Materialize only
// allows DDL-only transaction blocks of ALTER ... SWAP/RENAME, so every statement except the swap
// block is sent on its own round trip; the swap block is one round trip, retried on 40001 only.
// Every phase is idempotent and resumable: the live catalog decides (a swap happened iff the blue
// name now carries the green id recorded at init), the journal only records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/status.h"
#include "plans/plan.h"
#include "runtime/events.h"
#include "runtime/executor.h"
#include "runtime/session.h"

namespace bgplan::runtime {

// The fault points of the Materialize path (BGPLAN_FAULT=<phase>:<point>), in the order reached.
const std::vector<std::string>& MzFaultPoints();

// The name of the lock schema of `deployment`.
std::string MzLockSchemaName(const std::string& deployment);

// True if the server behind `session` is Materialize (version() names it; mz_version() exists).
Result<bool> IsMaterialize(SqlSession& session);

class MzExecutor {
 public:
  MzExecutor(SqlSession& session, const plans::Plan& plan, std::vector<std::string> selected,
             RunOptions options, EventSink& sink);

  // Takes the lock schema of every selected deployment (kLocked naming the holder when another
  // live run holds one; an expired lock is taken over). No-op in dry-run mode.
  Status Lock();
  // Drops the lock schemas this executor took.
  void Unlock();
  // `bgplan unlock`: drops the lock schemas of the selected deployments when expired (or with
  // `force`); a live lock is kLocked naming its holder.
  Status BreakLock(bool force);

  Status RunPhase(plans::PhaseKind phase);
  Status Apply(const std::string& deploy_cmd, bool through_cleanup, Executor* pg_helper);
  Status PrintStatus();
  // The phase `apply` would run next: init if any deployment is absent, else promote if any is
  // initialized (or rolled back), else cleanup.
  Result<plans::PhaseKind> NextPhase();
  // `bgplan plan`: `phase` resolved against the live catalog and printed as its --dry-run
  // prints it (live-rule violations reported, kPrecondition). Read-only. Sets *has_changes
  // (when not null) if the phase would change anything (a statement other than a read), the
  // PostgreSQL executor's rule for `plan --detailed-exitcode`; never clears it.
  Status PlanPhase(plans::PhaseKind phase, bool* has_changes = nullptr);
  // SHA-256 (hex) of the catalog and journal facts `phase` reads: a plan file carries it and a
  // phase run from the file refuses with stale-plan when it changed. The init fingerprint is
  // journaled with the run (runs.fingerprint).
  Result<std::string> Fingerprint(plans::PhaseKind phase);

 private:
  struct Impl;
  SqlSession& session_;
  const plans::Plan& plan_;
  std::vector<std::string> selected_;
  RunOptions options_;
  EventSink& sink_;
  std::vector<std::string> locks_;
  int64_t last_refresh_ms_ = 0;
  int changes_ = 0;  // statements shown by PlanPhase that would change something

  friend struct Impl;
};

}  // namespace bgplan::runtime
