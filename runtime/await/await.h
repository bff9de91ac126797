// Readiness of the green side, one query per poll for every green object being awaited
// (semantics.md, await), and the wait itself: polls until every object is ready and stays ready
// for stable_for, with progress for people (a live line per object on a terminal, a line per
// change otherwise, one event per poll in JSON), exit 4 at a deployment's timeout, exit 5 as soon
// as a green cluster is failing (unless --tolerate-failing).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "plans/plan.h"
#include "resolve/server_version.h"
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
  // is off: not waited for, with a warning); Materialize also reconfiguring (a resize in
  // progress, v26.35+) and lag-unknown (a lag reading longer than the object has existed)
  std::string state;
  std::string detail;  // "(hydrated 3/4, lag 0.2 s, replicas 1)", "(not populated: a, b)"
};

// One green object's readiness in JSON events (poll, status): {deployment, object, state, detail}.
EventValue ReadinessJson(const Readiness& readiness);

class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;
  // The readiness of the green objects of `deployments`, in one query.
  virtual Result<std::vector<Readiness>> Poll(
      SqlSession& session, const std::vector<const plans::Deployment*>& deployments) = 0;
  // The query Poll sends for `deployments` ("" when it sends none: nothing to wait for).
  virtual std::string Query(const std::vector<const plans::Deployment*>& deployments) const = 0;
  // The server's release, once known (the catalog read): what the query may use.
  virtual void KnowServer(const std::optional<resolve::ServerVersion>& /*version*/) {}
};

// PostgreSQL: a green schema is hydrating while one of its materialized views is not populated
// (pg_matviews.ispopulated). Materialize: the reference's cluster readiness query (with user
// objects only, and a cluster without dataflows ready).
std::unique_ptr<ReadinessProbe> MakePostgresReadiness();
std::unique_ptr<ReadinessProbe> MakeMaterializeReadiness();

// What the Materialize readiness query covers.
struct MzReadinessTarget {
  std::vector<std::string> clusters;  // the green clusters
  int64_t lag_ms = 0;                 // lagging above this
  // `compare_to_blue`: (database, "" = the connection's; green schema; blue schema) of each
  // schema pair whose green objects with a blue namesake (same name and type) must lag at most
  // lag_ms more than it, instead of at most lag_ms.
  std::vector<std::tuple<std::string, std::string, std::string>> compared_schemas;
  // The server has mz_internal.mz_cluster_reconfigurations (v26.35+).
  bool reconfigurations = true;
};

// The Materialize readiness query: one row per green cluster with its state (failing,
// reconfiguring, hydrating, lagging, lag-unknown, ready) and the figures of its detail.
std::string MzReadinessSql(const MzReadinessTarget& target);

// A lag in seconds as the catalog prints it ("30.000000", "0.2") in the notation of every other
// duration bgplan prints: "30s", "200ms"; from 10 s up, whole seconds ("1m30s").
std::string LagText(const std::string& seconds);

// Waits until the green side of `deployments` is ready (see the top of this file). Refreshes the
// lock at every poll. kTimeout, kFailing, kInterrupted as they happen.
Status AwaitReady(SqlSession& session, ReadinessProbe& probe, DeploymentLock& lock,
                  const std::vector<const plans::Deployment*>& deployments, bool tolerate_failing,
                  EventSink& sink);

}  // namespace bgplan::runtime
