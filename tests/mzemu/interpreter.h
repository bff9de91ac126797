// Session: the statement interpreter of one emulated Materialize connection. It classifies each
// statement, enforces Materialize's transaction rules (transactions.cc: a block is read-only,
// insert-only, SWAP/RENAME-only or holds one other DDL statement run at COMMIT; no lock of the
// backing PostgreSQL is held between statements), interprets Materialize DDL against the
// catalog tables in the backing PostgreSQL, and forwards reads/writes with Materialize-only syntax
// rewritten. Wire-protocol agnostic: the server feeds it Statements and renders Outcomes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/mzemu/backend.h"
#include "tests/mzemu/mz_version.h"
#include "tests/mzemu/sql_lexer.h"

namespace mzemu {

// Per-connection counters, readable by tests through control statements.
struct SessionStats {
  int32_t pid = 0;
  std::string user;
  std::string application_name;
  std::atomic<int64_t> round_trips{0};  // Query messages and Sync-terminated batches
  std::atomic<int64_t> statements{0};
  std::atomic<int64_t> catalog_queries{0};  // reads forwarded to the catalog (not mzemu_*)
};

// Databases beyond the backing one (CREATE/DROP DATABASE), implemented by the server: each is
// its own backing PostgreSQL database with its own emulated catalog.
class DatabaseOps {
 public:
  virtual ~DatabaseOps() = default;
  // `role` is the emulated role running the statement, `superuser` whether it bypasses checks,
  // `session_db` the database of the session running it.
  virtual Outcome CreateDatabase(const std::string& name, bool if_not_exists,
                                 const std::string& role) = 0;
  virtual Outcome DropDatabase(const std::string& name, bool if_exists, bool restrict,
                               const std::string& role, bool superuser,
                               const std::string& session_db) = 0;
};

// State shared by every session of one server. Thread-safe.
class Shared {
 public:
  DatabaseOps* databases = nullptr;
  MzVersion mz_version;  // the emulated Materialize version (set before sessions start)
  // Serializes catalog mutations (and DDL-block validation) across sessions.
  std::mutex& ddl_mutex() { return ddl_mu_; }
  void Register(std::shared_ptr<SessionStats> stats);
  void Unregister(int32_t pid);
  std::vector<std::shared_ptr<SessionStats>> Live();
  int64_t closed_catalog_queries() const { return closed_catalog_queries_; }

 private:
  std::mutex ddl_mu_;
  std::mutex registry_mu_;
  std::map<int32_t, std::shared_ptr<SessionStats>> live_;
  std::atomic<int64_t> closed_catalog_queries_{0};
};

class Session {
 public:
  // `backend` must be connected and outlive the session. `user` is the startup user.
  Session(Shared& shared, Backend& backend, std::shared_ptr<SessionStats> stats);

  // Prepares the backing session (search_path, role GUC) and creates the login role if it does
  // not exist (like Materialize's auto-provisioned logins). Returns an error outcome on failure.
  Outcome Start(const std::string& user);

  // Executes one statement. `params` are text parameters of the extended protocol ($1...).
  Outcome Execute(const Statement& stmt,
                  const std::vector<std::optional<std::string>>& params = {});

  // A simple Query with several statements runs as one implicit transaction, as in Materialize
  // (so DDL other than SWAP/RENAME is refused there, and a failure undoes the whole string).
  // Call BeginImplicit before its first statement (a no-op inside an explicit block or when
  // that statement is BEGIN) and EndImplicit after the last one executed; EndImplicit commits
  // or rolls back and returns an error outcome if the commit failed (e.g. 40001).
  void BeginImplicit(const Statement& first);
  Outcome EndImplicit();

  // 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block.
  char TransactionStatus() const;
  // Column description of a statement for the extended protocol's Describe (reads only).
  Outcome Describe(const Statement& stmt, std::vector<uint32_t>* param_types);
  // Whether `stmt` would be forwarded to PostgreSQL as a read or write.
  bool IsForwarded(const Statement& stmt) const;

  SessionStats& stats() { return *stats_; }
  const std::vector<std::string>& search_path() const { return search_path_; }
  // A Materialize session variable (cluster, database, ...); "" if unset.
  std::string var(const std::string& name) const {
    auto it = vars_.find(name);
    return it == vars_.end() ? "" : it->second;
  }
  const std::string& role() const { return role_; }
  // A session variable set by the connection's startup `options` (e.g. --cluster=x).
  void SetStartupVar(const std::string& name, const std::string& value);
  bool superuser_login() const { return superuser_login_; }
  const MzVersion& mz_version() const { return shared_.mz_version; }

 private:
  enum class Kind {
    kBegin,
    kCommit,
    kRollback,
    kRead,
    kWrite,
    kSwapRename,
    kDdl,
    kSet,
    kShow,
    kControl,
    kUnknown,
  };
  // What a block has done so far (Materialize's TransactionOps): nothing yet (kUndecided),
  // constant reads only (kConstRead: SELECT 1, no relation; writes may still follow), reads of
  // relations (kRead), constant INSERTs (kWrite), SWAP/RENAMEs (kDdl), or one other DDL statement
  // deferred to COMMIT (kSingle).
  enum class Block { kNone, kUndecided, kConstRead, kRead, kWrite, kDdl, kSingle };
  // Deferred work of a block, replayed at COMMIT.
  struct Deferred {
    Statement stmt;
    std::vector<std::optional<std::string>> params;
  };

  Kind Classify(const Statement& stmt) const;
  Outcome Dispatch(const Statement& stmt, const std::vector<std::optional<std::string>>& params);
  Outcome Forward(const Statement& stmt, const std::vector<std::optional<std::string>>& params,
                  bool count);
  // Materialize runs reads of user relations on the active cluster: fails like it when that
  // cluster does not exist, has no replicas or is not usable by the role.
  Outcome CheckActiveCluster(const Statement& stmt, bool write);
  // transactions.cc: Materialize's transaction rules.
  // Merges an operation of kind `op` (kConstRead, kRead, kWrite, kDdl or kSingle) into the block
  // like TransactionStatus::add_ops; an error if they cannot be combined.
  Outcome AddOps(Block op);
  bool BlockHasOps() const;
  Outcome RunReadWrite(const Statement& stmt, const std::vector<std::optional<std::string>>& params,
                       bool write);
  Outcome RunDdl(const Statement& stmt, const std::vector<std::optional<std::string>>& params);
  // Runs `fn` inside a savepoint of the open backing transaction that is rolled back afterwards,
  // so the PostgreSQL locks it took are released (another session's DDL never waits on them).
  Outcome Isolated(const std::function<Outcome()>& fn);
  // Opens the backing transaction of a block if not open yet.
  Outcome EnsureBackendTxn();
  Outcome RunDdlAutocommit(const Statement& stmt);
  Outcome AddToDdlBlock(const Statement& stmt);
  Outcome CommitDdlBlock();
  Outcome EndBlock(bool commit);
  // `(SHOW ...)` subqueries rewritten into their SELECTs (show_queries.cc).
  Outcome RewriteShowSubqueries(const Statement& stmt, Statement* out) const;
  Outcome HandleSet(const Statement& stmt);
  Outcome HandleShow(const Statement& stmt);
  // SHOW CREATE CLUSTER c (show_create_cluster.cc): a catalog read like SHOW CLUSTERS.
  Outcome ShowCreateCluster(const Statement& stmt);
  Outcome HandleControl(const Statement& stmt, bool* handled);
  // CREATE DATABASE / DROP DATABASE (handled by Shared::databases).
  Outcome HandleDatabaseDdl(const Statement& stmt);
  void SyncBackendSession();

  Shared& shared_;
  Backend& backend_;
  std::shared_ptr<SessionStats> stats_;
  std::string session_user_;
  std::string role_;
  bool superuser_login_ = false;
  std::vector<std::string> search_path_{"public"};
  std::map<std::string, std::string> vars_;

  Block block_ = Block::kNone;
  bool block_failed_ = false;
  bool implicit_ = false;
  bool backend_txn_ = false;
  std::vector<Statement> pending_ddl_;
  std::vector<Deferred> pending_writes_;  // INSERTs of a write block, applied at COMMIT
  std::optional<Deferred> single_;        // the one DDL statement of a kSingle block
  // Session state saved by the first SET LOCAL of a block.
  std::optional<std::vector<std::string>> saved_search_path_;
  std::map<std::string, std::string> saved_vars_;
  int64_t block_catalog_version_ = -1;
};

}  // namespace mzemu
