// Readiness of the green side, one query per poll for every green object being awaited
// (semantics.md, await), and the wait itself: polls until every object is ready and stays ready
// for stable_for, with progress for people (a live line per object on a terminal, a line per
// change otherwise, one event per poll in JSON), exit 4 at a deployment's timeout, exit 5 as soon
// as a green cluster is failing (unless --tolerate-failing).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "runtime/events.h"
#include "runtime/lock/lock.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

// One green object in one poll.
struct Readiness {
  std::string deployment;
  std::string object;  // the green schema or cluster
  // ready | hydrating | lagging | failing | skipped (a cluster with SCHEDULE = ON REFRESH that
  // is off: not waited for, with a warning)
  std::string state;
  std::string detail;  // "(hydrated 3/4, lag 0.2 s, replicas 1)", "(not populated: a, b)"
};

class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;
  // The readiness of the green objects of `deployments`, in one query.
  virtual Result<std::vector<Readiness>> Poll(
      SqlSession& session, const std::vector<const plans::Deployment*>& deployments) = 0;
  // The query Poll sends for `deployments` ("" when it sends none: nothing to wait for).
  virtual std::string Query(const std::vector<const plans::Deployment*>& deployments) const = 0;
};

// PostgreSQL: a green schema is hydrating while one of its materialized views is not populated
// (pg_matviews.ispopulated). Materialize: the reference's cluster readiness query (with user
// objects only, and a cluster without dataflows ready).
std::unique_ptr<ReadinessProbe> MakePostgresReadiness();
std::unique_ptr<ReadinessProbe> MakeMaterializeReadiness();

// The Materialize readiness query for `clusters`, lagging above `lag_ms`.
std::string MzReadinessSql(const std::vector<std::string>& clusters, int64_t lag_ms);

// Waits until the green side of `deployments` is ready (see the top of this file). Refreshes the
// lock at every poll. kTimeout, kFailing, kInterrupted as they happen.
Status AwaitReady(SqlSession& session, ReadinessProbe& probe, DeploymentLock& lock,
                  const std::vector<const plans::Deployment*>& deployments, bool tolerate_failing,
                  EventSink& sink);

}  // namespace bgplan::runtime
