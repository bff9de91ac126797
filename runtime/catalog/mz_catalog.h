// The Materialize catalog reader: the snapshot of the selected deployments (resolve/snapshot.h)
// from mz_catalog and mz_internal and the journal, in a fixed number of queries whatever the
// number of schemas, clusters and objects (one per kind of fact for all deployments). Read-only;
// catalog relations need no cluster, the journal tables are read on the session's cluster.
#pragma once

#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/snapshot.h"
#include "runtime/journal/journal.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

// True if the server behind `session` is Materialize (version() names it).
Result<bool> IsMaterialize(SqlSession& session);

// The snapshot of the deployments of `plan` named in `selected` (all when empty). The journal's
// runs are read only when the session's cluster can read tables (else journal-cluster reports
// it before anything is written).
Result<resolve::Snapshot> ReadMzSnapshot(SqlSession& session, const plans::Plan& plan,
                                         const std::vector<std::string>& selected,
                                         Journal& journal);

// The id of the schema `name` of `database` ("" = the connection's) or of the cluster `name`;
// "" if there is none.
Result<std::string> ReadMzId(SqlSession& session, plans::ObjectKind kind,
                             const std::string& database, const std::string& name);

}  // namespace bgplan::runtime
