// The journal: one row per deployment run and one per event, in schema `bgplan` (configurable)
// of the target database (semantics.md section 2). Journal writes never decide correctness;
// the ids recorded in it (blue and green schema oids at init) and the live catalog do.
// Statements are returned as SQL text so the executor can put them inside a phase's
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/status.h"
#include "runtime/session.h"

namespace bgplan::runtime {

// The recorded ids of one schema pair.
struct RecordedPair {
  std::string blue;
  std::string green;
  uint32_t blue_oid = 0;
  uint32_t green_oid = 0;
};

struct RunRecord {
  std::string id;
  std::string deployment;
  std::string fingerprint;
  std::string actor;
  std::string host;
  std::string git_commit;
  std::vector<RecordedPair> pairs;
  // initialized | deployed | ready | promoted | rolled_back | finished | abandoned
  std::string phase;
  // active | finished
  std::string status;
  std::string started_at;
  std::string updated_at;
  // Milliseconds since the run was last promoted (-1 if never).
  int64_t ms_since_promoted = -1;
};

struct JournalEvent {
  std::string at;
  std::string run_id;
  std::string phase;
  std::string type;
  std::string message;
};

class Journal {
 public:
  explicit Journal(std::string schema) : schema_(std::move(schema)) {}
  const std::string& schema() const { return schema_; }

  // CREATE SCHEMA/TABLE IF NOT EXISTS (own transaction). Idempotent.
  Status Ensure(SqlSession& session) const;
  // True if the journal tables exist.
  Result<bool> Exists(SqlSession& session) const;
  // The active run of `deployment` (status = 'active'), if any. No journal = none.
  Result<std::optional<RunRecord>> ActiveRun(SqlSession& session,
                                             const std::string& deployment) const;
  // The latest run of `deployment` whatever its status.
  Result<std::optional<RunRecord>> LatestRun(SqlSession& session,
                                             const std::string& deployment) const;
  // The last `limit` events of `deployment`, oldest first.
  Result<std::vector<JournalEvent>> Events(SqlSession& session, const std::string& deployment,
                                           int limit) const;

  // SQL text, to be executed inside a phase's transaction:
  // The run row; the oids of each pair are read by name when the statement runs (run.pairs'
  // oid fields are ignored).
  std::string InsertRunSql(const RunRecord& run) const;
  // Sets phase (and status when not empty); "promoted" also stamps promoted_at.
  std::string UpdatePhaseSql(const std::string& run_id, const std::string& phase,
                             const std::string& status = "") const;
  std::string EventSql(const std::string& run_id, const std::string& deployment,
                       const std::string& phase, const std::string& type,
                       const std::string& message) const;

 private:
  // The most recent run of `deployment` whose row also matches `condition` (SQL starting with
  // " AND ...", or ""); none when the journal does not exist yet.
  Result<std::optional<RunRecord>> NewestRun(SqlSession& session, const std::string& deployment,
                                             const std::string& condition) const;
  std::string Table(const char* name) const;
  std::string schema_;
};

// A fresh run id: <deployment>-<UTC yyyymmddThhmmss>-<8 hex>.
std::string NewRunId(const std::string& deployment);

}  // namespace bgplan::runtime
