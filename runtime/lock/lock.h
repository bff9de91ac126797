// The deployment lock, held for the whole run of a command that writes (semantics.md section 2):
// on PostgreSQL a session advisory lock (runtime/lock/pg_lock.h), released by the server when the
// session ends; on Materialize, which has no advisory locks, a lock schema carrying its holder
// and expiry, refreshed while the run goes on (runtime/lock/mz_lock.h). A held lock is reported
// with its holder (exit 6).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "resolve/resolved.h"
#include "runtime/events.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

class DeploymentLock {
 public:
  virtual ~DeploymentLock() = default;
  // Takes the lock of every deployment, in name order so that two runs never deadlock; kLocked
  // naming the holder when another run holds one (what was taken is released).
  virtual Status Take(SqlSession& session, const std::string& database,
                      const std::vector<std::string>& deployments, EventSink& sink) = 0;
  // Between statements and polls: keeps a lock that expires alive (after checking it is still
  // ours). No-op for a lock the server keeps.
  virtual Status Refresh(SqlSession& session) = 0;
  // Right before `before` (the swap): the lock is still ours, else kLocked.
  virtual Status Verify(SqlSession& session, const std::string& before) = 0;
  // Releases what Take took (never a lock another run took over).
  virtual void Release(SqlSession& session) = 0;
  // After a transaction batch failed on a lock timeout: who holds the locks it waited for
  // (" (waiting for locks held by ...)"), or "".
  virtual std::string DescribeWait(SqlSession& session, const resolve::ResolvedBatch& batch) = 0;
  // `bgplan unlock`: frees the locks of `deployments` whose holder is gone; a live holder is
  // kLocked unless `force`.
  virtual Status Break(SqlSession& session, const std::string& database,
                       const std::vector<std::string>& deployments, bool force,
                       EventSink& sink) = 0;
};

std::unique_ptr<DeploymentLock> MakePostgresLock();
// `command` names the fault points of taking the lock (BGPLAN_FAULT=<command>:lock-pending).
std::unique_ptr<DeploymentLock> MakeMaterializeLock(std::string command);

}  // namespace bgplan::runtime
