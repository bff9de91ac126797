// The PostgreSQL catalog reader: the snapshot of the selected deployments (resolve/snapshot.h)
// from pg_catalog and the journal, in a fixed number of queries whatever the number of schemas
// and objects (one per kind of fact for all deployments), every one bounded by the plan's
// lock_timeout. Read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/snapshot.h"
#include "runtime/journal/journal.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

// Makes every later statement of `session` mean what bgplan wrote and wait at most
// `lock_timeout_ms` for any lock, whatever the server, database, role or connection options set:
// standard_conforming_strings on (a backslash in a plain literal is a character, never an
// escape), an empty search_path (every name bgplan reads or writes is qualified), lock_timeout
// for every statement, catalog reads included (SQLSTATE 55P03 when a lock is held longer), jit
// off, and client_connection_check_interval 1 s (PostgreSQL 14+: a backend waiting for a lock
// notices within a second that bgplan died and frees the deployment lock). Idempotent.
Status PreparePgSession(SqlSession& session, int64_t lock_timeout_ms);

// Who holds locks on the relations `oids` that a statement of this session waits for, as
// "pid 123 (user u, application 'psql', AccessExclusiveLock on "rep"."s" since ...)" items; only
// locks of other sessions, and with `exclusive_only` only ACCESS EXCLUSIVE ones (the only mode
// that blocks a read). Empty when none is held any more. Never waits.
Result<std::vector<std::string>> LockHolders(SqlSession& session, const std::vector<uint32_t>& oids,
                                             bool exclusive_only);

// The relations a view reads (pg_depend of its rewrite rule), and the view itself first.
Result<std::vector<uint32_t>> ViewRelations(SqlSession& session, uint32_t view_oid);

// Server facts only (who we are, what the server is): enough to tell PostgreSQL from
// Materialize before anything else is read.
Result<resolve::ServerFacts> ReadPgServer(SqlSession& session);

// The oid of the schema `name` ("" if there is none).
Result<std::string> ReadPgSchemaId(SqlSession& session, const std::string& name);

// The snapshot of the deployments of `plan` named in `selected` (all when empty). The views of
// the sinks schemas carry their definitions (pg_get_viewdef, under the empty search_path, so
// every name is qualified) and options; reading them takes ACCESS SHARE locks, so behind another
// session's ACCESS EXCLUSIVE lock it fails after lock_timeout with 55P03, naming the holders.
Result<resolve::Snapshot> ReadPgSnapshot(SqlSession& session, const plans::Plan& plan,
                                         const std::vector<std::string>& selected,
                                         Journal& journal, int64_t lock_timeout_ms);

}  // namespace bgplan::runtime
