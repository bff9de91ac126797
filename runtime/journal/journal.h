// The journal: one row per deployment run, the ids it recorded per object, and one row per event,
// in the schema --journal-schema (default bgplan) of the target database (semantics.md section
// 2). Journal writes never decide correctness: the live catalog and the ids recorded here do.
// One implementation per dialect (the tables differ: PostgreSQL keeps the ids as jsonb in the
// run row and runs its writes inside the phase's transaction; Materialize keeps them in
// run_objects and writes them one statement at a time).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "resolve/resolved.h"
#include "resolve/snapshot.h"
#include "runtime/session.h"
#include "support/status.h"

namespace bgplan::runtime {

struct JournalEvent {
  std::string at;
  std::string run_id;
  std::string phase;
  std::string type;
  std::string message;
};

class Journal {
 public:
  virtual ~Journal() = default;
  const std::string& schema() const { return schema_; }

  // True if every table of the journal exists.
  virtual Result<bool> Exists(SqlSession& session) = 0;
  // The GRANT statements the current role needs to read and write an existing journal (empty:
  // it may). Read from the catalog by oid, so it works without any right on the journal.
  virtual Result<std::vector<std::string>> MissingGrants(SqlSession& /*session*/) {
    return std::vector<std::string>{};
  }
  // Creates the schema and whatever table is missing. Idempotent.
  virtual Status Ensure(SqlSession& session) = 0;
  // The active run (status 'active') of each of `deployments` that has one, with its recorded
  // ids; one query per table whatever the number of deployments. No journal: none.
  virtual Result<std::map<std::string, resolve::RunFacts>> ActiveRuns(
      SqlSession& session, const std::vector<std::string>& deployments) = 0;
  // The newest run of `deployment`, whatever its status.
  virtual Result<std::optional<resolve::RunFacts>> LatestRun(SqlSession& session,
                                                             const std::string& deployment) = 0;
  // The last `limit` events of `deployment`, newest first.
  virtual Result<std::vector<JournalEvent>> Events(SqlSession& session,
                                                   const std::string& deployment, int limit) = 0;
  // The statements that carry out `op`. PostgreSQL's read the ids they record by name when they
  // run (so they belong inside the phase's transaction); Materialize's are built from ids read
  // now, when the ids cannot be read inside an INSERT.
  virtual Result<std::vector<std::string>> Statements(SqlSession& session,
                                                      const resolve::JournalOp& op) = 0;

 protected:
  explicit Journal(std::string schema) : schema_(std::move(schema)) {}
  std::string Table(const char* name) const;
  std::string schema_;
};

std::unique_ptr<Journal> MakePostgresJournal(std::string schema);
std::unique_ptr<Journal> MakeMaterializeJournal(std::string schema);

}  // namespace bgplan::runtime
