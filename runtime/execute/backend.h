// The parts of the executor that differ per dialect, picked once from the plan's target: the
// journal, the lock, the readiness probe, and how the catalog snapshot is read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/resolved.h"
#include "resolve/snapshot.h"
#include "runtime/await/await.h"
#include "runtime/journal/journal.h"
#include "runtime/lock/lock.h"
#include "runtime/session.h"

namespace bgplan::runtime {

struct Backend {
  bool materialize = false;
  std::unique_ptr<Journal> journal;
  std::unique_ptr<DeploymentLock> lock;
  std::unique_ptr<ReadinessProbe> readiness;

  // The snapshot of the selected deployments (runtime/catalog).
  Result<resolve::Snapshot> Read(SqlSession& session, const plans::Plan& plan,
                                 const std::vector<std::string>& selected);
  // The id now under the name of `object` ("" if nothing is): cleanup's identity check just
  // before a drop where DDL is not transactional.
  Result<std::string> CurrentId(SqlSession& session, const resolve::Action::Identity& object);
};

// The backend for `plan`'s target; `command` names the lock's fault points.
std::unique_ptr<Backend> MakeBackend(const plans::Plan& plan, const std::string& journal_schema,
                                     const std::string& command);

// The shortest lock_timeout of the selected deployments (all when `selected` is empty): every
// statement of a PostgreSQL run waits at most that long for a lock.
int64_t LockTimeoutMs(const plans::Plan& plan, const std::vector<std::string>& selected);

}  // namespace bgplan::runtime
