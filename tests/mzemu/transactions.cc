// Materialize's transaction rules for one emulated session, and how the emulator keeps them
// without holding a PostgreSQL lock between statements (so another session's DDL never waits on
// an open block, as in Materialize, where DDL does not wait on transactions).
//
// Sources (MaterializeInc/materialize): src/adapter/src/session.rs (TransactionStatus::add_ops,
// TransactionOps), src/adapter/src/coord/command_handler.rs (handle_execute_inner: which
// statements a block may hold), src/adapter/src/command.rs (ExecuteResponse::try_from: the DDL
// that may be deferred to COMMIT), src/adapter/src/coord/sequencer/inner.rs
// (sequence_end_transaction_inner, validate_set_cluster), src/adapter/src/error.rs (codes).
//
// How it is emulated: reads of a block run each in a savepoint of the block's backing
// transaction that is rolled back once the rows are read (PostgreSQL releases the locks taken
// after a savepoint when rolling back to it); INSERTs are validated the same way and replayed at
// COMMIT; SWAP/RENAMEs are validated by replay in a rolled-back transaction and applied at COMMIT;
// the one other DDL statement a block may hold is not run before COMMIT (Materialize answers its
// tag at once and executes it at COMMIT, where its errors appear).
#include <cctype>

#include "tests/mzemu/ddl.h"
#include "tests/mzemu/interpreter.h"

namespace mzemu {

namespace {

const char kDdlOnly[] =
    "transactions which modify objects are restricted to just modifying objects";

// AdapterError::OperationProhibitsTransaction(stmt.to_string()): Materialize prints the
// statement; here its text with runs of whitespace collapsed.
Outcome ProhibitsTransaction(const Statement& stmt) {
  std::string text;
  for (char ch : stmt.text) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else {
      text += ch;
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return Outcome::Error("25001", text + " cannot be run inside a transaction block");
}

// AdapterError::DDLTransactionRace (40001) with its hint.
Outcome RaceError() {
  return Outcome::Error("40001",
                        "another session modified the catalog while this DDL transaction was open",
                        "Currently, DDL transactions fail when any other DDL happens concurrently, "
                        "even on unrelated schemas/clusters.");
}

bool IsDatabaseDdl(const Statement& s) {
  return s.tokens.size() > 1 && s.tokens[1].IsWord("database") &&
         (s.tokens[0].IsWord("create") || s.tokens[0].IsWord("drop"));
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// Whether the statement (from token `from` on) reads a relation: a name after FROM/JOIN (or after
// ',' in a FROM list) that is not a function call, a leading TABLE, or a `(SHOW ...)` subquery.
// Materialize's constant queries (no collection read) do not fix a timestamp, so they do not make
// a block a read block (ConstantVisitor, TransactionOps::Peeks without a timestamp).
bool ReadsRelations(const Statement& s, size_t from) {
  const auto& t = s.tokens;
  if (!t.empty() && t[0].IsWord("table")) return true;
  bool in_from = false;
  for (size_t i = from; i < t.size(); ++i) {
    if (t[i].IsOp("(") && i + 1 < t.size() && t[i + 1].IsWord("show")) return true;
    for (const char* end : {"select", "where", "group", "order", "limit", "having", "union",
                            "except", "intersect", "on", "using", "window", "offset"}) {
      if (t[i].IsWord(end)) in_from = false;
    }
    bool before_relation =
        t[i].IsWord("from") || t[i].IsWord("join") || (in_from && t[i].IsOp(","));
    if (!before_relation) continue;
    in_from = true;
    size_t j = i + 1;
    if (j < t.size() && (t[j].IsWord("lateral") || t[j].IsWord("only"))) ++j;
    if (j >= t.size() || !t[j].IsName()) continue;
    while (j + 2 < t.size() && t[j + 1].IsOp(".") && t[j + 2].IsName()) j += 2;
    if (j + 1 < t.size() && t[j + 1].IsOp("(")) continue;  // a (table) function
    return true;
  }
  return false;
}

// An INSERT Materialize writes without reading anything (no relation in its source, no
// RETURNING): the only write a transaction block may hold.
bool IsConstantInsert(const Statement& s) {
  const auto& t = s.tokens;
  if (t.empty() || !t[0].IsWord("insert")) return false;
  for (const auto& tok : t) {
    if (tok.IsWord("returning")) return false;
  }
  return !ReadsRelations(s, AfterInsertTarget(s));
}

// Object type words after CREATE/DROP/ALTER at `i` ("MATERIALIZED VIEW", "CLUSTER REPLICA",
// "SCHEMA", ...); "" if none.
std::string ObjectType(const std::vector<Token>& t, size_t i) {
  if (i >= t.size() || t[i].kind != TokenKind::kIdent) return "";
  const std::string& w = t[i].text;
  if (w == "materialized" && i + 1 < t.size() && t[i + 1].IsWord("view")) {
    return "MATERIALIZED VIEW";
  }
  if (w == "cluster" && i + 1 < t.size() && t[i + 1].IsWord("replica")) return "CLUSTER REPLICA";
  for (const char* kind : {"schema", "database", "role", "cluster", "index", "secret", "sink",
                           "source", "table", "view", "connection", "type", "owned"}) {
    if (w == kind) return Upper(w);
  }
  return "";
}

// The tag Materialize answers for DDL it defers to COMMIT in an explicit block
// (TransactionOps::SingleStatement: statements whose response is known without running them,
// ExecuteResponse::try_from); "" for DDL that cannot run in a block at all (ALTER CLUSTER SET,
// ALTER SINK, ALTER SOURCE, ALTER INDEX, ALTER ... SET CLUSTER, ...).
std::string SingleStatementTag(const Statement& s) {
  const auto& t = s.tokens;
  if (t.empty()) return "";
  auto has = [&](const char* w) {
    for (const auto& tok : t) {
      if (tok.IsWord(w)) return true;
    }
    return false;
  };
  if (t[0].IsWord("create")) {
    size_t i = 1;
    if (i + 1 < t.size() && t[i].IsWord("or") && t[i + 1].IsWord("replace")) i += 2;
    if (i < t.size() &&
        (t[i].IsWord("default") || t[i].IsWord("temporary") || t[i].IsWord("temp"))) {
      ++i;
    }
    std::string type = ObjectType(t, i);
    return type.empty() || type == "OWNED" ? "" : "CREATE " + type;
  }
  if (t[0].IsWord("drop")) {
    std::string type = ObjectType(t, 1);
    return type.empty() ? "" : "DROP " + type;
  }
  if (t[0].IsWord("grant")) return has("on") ? "GRANT" : "GRANT ROLE";
  if (t[0].IsWord("revoke")) return has("on") ? "REVOKE" : "REVOKE ROLE";
  if (t[0].IsWord("comment")) return "COMMENT";
  if (t[0].IsWord("alter") && t.size() > 2) {
    if (t[1].IsWord("default") && t[2].IsWord("privileges")) return "ALTER DEFAULT PRIVILEGES";
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      if (t[i].IsWord("owner") && t[i + 1].IsWord("to")) {
        std::string type = ObjectType(t, 1);
        return type.empty() ? "" : "ALTER " + type;
      }
    }
    if (t[1].IsWord("role")) return "ALTER ROLE";
  }
  return "";
}

}  // namespace

bool Session::BlockHasOps() const { return block_ != Block::kNone && block_ != Block::kUndecided; }

Outcome Session::AddOps(Block op) {
  switch (block_) {
    case Block::kNone:
    case Block::kUndecided:
      block_ = op;
      return Outcome::Tag("");
    case Block::kConstRead:
      // Constant peeks have no timestamp: the block may still read, or switch to writing.
      if (op == Block::kConstRead) return Outcome::Tag("");
      if (op == Block::kRead || op == Block::kWrite) {
        block_ = op;
        return Outcome::Tag("");
      }
      return Outcome::Error("25006", "transaction in read-only mode");
    case Block::kRead:
      if (op == Block::kRead || op == Block::kConstRead) return Outcome::Tag("");
      return Outcome::Error("25006", "transaction in read-only mode");
    case Block::kWrite:
      if (op == Block::kWrite || op == Block::kConstRead) return Outcome::Tag("");
      return Outcome::Error("25000", "transaction in write-only mode");
    case Block::kSingle:
      return Outcome::Error("25000", "this transaction can only execute a single statement");
    case Block::kDdl:
      if (op == Block::kDdl) return Outcome::Tag("");
      return Outcome::Error("25000", kDdlOnly);
  }
  return Outcome::Error("XX000", "mzemu: unreachable");
}

Outcome Session::EnsureBackendTxn() {
  if (backend_txn_) return Outcome::Tag("");
  Outcome begin = backend_.Exec("BEGIN");
  if (begin.ok()) backend_txn_ = true;
  return begin;
}

Outcome Session::Isolated(const std::function<Outcome()>& fn) {
  if (!backend_txn_) return fn();
  Outcome sp = backend_.Exec("SAVEPOINT mzemu_statement");
  if (!sp.ok()) return sp;
  Outcome out = fn();
  backend_.Exec("ROLLBACK TO SAVEPOINT mzemu_statement; RELEASE SAVEPOINT mzemu_statement");
  return out;
}

Outcome Session::RunReadWrite(const Statement& stmt,
                              const std::vector<std::optional<std::string>>& params, bool write) {
  auto run = [&] {
    Outcome cluster = CheckActiveCluster(stmt, write);
    if (!cluster.ok()) return cluster;
    return Forward(stmt, params, /*count=*/!write);
  };
  if (block_ == Block::kNone) return run();
  // In a block only writes that read nothing may be queued (UPDATE, DELETE, INSERT ... SELECT
  // from a relation cannot be run in a transaction block in Materialize).
  bool constant = write ? IsConstantInsert(stmt) : !ReadsRelations(stmt, 0);
  if (write && !constant) return ProhibitsTransaction(stmt);
  Outcome merge = AddOps(write ? Block::kWrite : constant ? Block::kConstRead : Block::kRead);
  if (!merge.ok()) return merge;
  Outcome begin = EnsureBackendTxn();
  if (!begin.ok()) return begin;
  Outcome out = Isolated(run);
  if (out.ok() && write) pending_writes_.push_back(Deferred{stmt, params});
  return out;
}

Outcome Session::RunDdl(const Statement& stmt,
                        const std::vector<std::optional<std::string>>& params) {
  bool swap_rename = Classify(stmt) == Kind::kSwapRename;
  if (block_ == Block::kNone) {
    return IsDatabaseDdl(stmt) ? HandleDatabaseDdl(stmt) : RunDdlAutocommit(stmt);
  }
  if (swap_rename) {
    Outcome merge = AddOps(Block::kDdl);
    if (!merge.ok()) return merge;
    return AddToDdlBlock(stmt);
  }
  // Other DDL: only as the single statement of an explicit block, run at COMMIT.
  std::string tag = implicit_ ? "" : SingleStatementTag(stmt);
  if (tag.empty()) return ProhibitsTransaction(stmt);
  Outcome merge = AddOps(Block::kSingle);
  if (!merge.ok()) return merge;
  single_ = Deferred{stmt, params};
  return Outcome::Tag(tag);
}

Outcome Session::RunDdlAutocommit(const Statement& stmt) {
  std::lock_guard<std::mutex> lock(shared_.ddl_mutex());
  Outcome begin = backend_.Exec("BEGIN");
  if (!begin.ok()) return begin;
  DdlInterpreter ddl(*this, backend_);
  Outcome out = ddl.Apply(stmt);
  if (!out.ok()) {
    backend_.Exec("ROLLBACK");
    return out;
  }
  Outcome bump = backend_.Exec("UPDATE mzemu.state SET catalog_version = catalog_version + 1");
  Outcome commit = backend_.Exec("COMMIT");
  if (!bump.ok()) return bump;
  if (!commit.ok()) return commit;
  return out;
}

Outcome Session::AddToDdlBlock(const Statement& stmt) {
  // Validate by replaying the block so far plus this statement, then roll back: nothing is held
  // between round trips, so concurrent sessions never wait on this block.
  std::lock_guard<std::mutex> lock(shared_.ddl_mutex());
  // The catalog version is recorded at the block's first SWAP/RENAME; every later one checks it
  // when it arrives (Materialize's add_ops of a DDL transaction), under the catalog mutex, so a
  // concurrent DDL fails this statement with 40001 rather than only the COMMIT.
  Outcome begin = backend_.Exec("BEGIN");
  if (!begin.ok()) return begin;
  Outcome version = backend_.Exec("SELECT catalog_version FROM mzemu.state");
  if (!version.ok()) {
    backend_.Exec("ROLLBACK");
    return version;
  }
  if (pending_ddl_.empty()) {
    block_catalog_version_ = std::stoll(version.Get(0));
  } else if (std::stoll(version.Get(0)) != block_catalog_version_) {
    backend_.Exec("ROLLBACK");
    return RaceError();
  }
  DdlInterpreter ddl(*this, backend_);
  Outcome out;
  for (const auto& p : pending_ddl_) {
    out = ddl.Apply(p);
    if (!out.ok()) break;
  }
  if (out.ok()) out = ddl.Apply(stmt);
  backend_.Exec("ROLLBACK");
  if (out.ok()) pending_ddl_.push_back(stmt);
  return out;
}

Outcome Session::CommitDdlBlock() {
  std::lock_guard<std::mutex> lock(shared_.ddl_mutex());
  Outcome begin = backend_.Exec("BEGIN");
  if (!begin.ok()) return begin;
  Outcome version = backend_.Exec("SELECT catalog_version FROM mzemu.state FOR UPDATE");
  if (!version.ok() || std::stoll(version.Get(0)) != block_catalog_version_) {
    backend_.Exec("ROLLBACK");
    return RaceError();
  }
  DdlInterpreter ddl(*this, backend_);
  for (const auto& p : pending_ddl_) {
    Outcome out = ddl.Apply(p);
    if (!out.ok()) {
      backend_.Exec("ROLLBACK");
      return out;
    }
  }
  backend_.Exec("UPDATE mzemu.state SET catalog_version = catalog_version + 1");
  return backend_.Exec("COMMIT");
}

Outcome Session::EndBlock(bool commit) {
  Outcome out = Outcome::Tag(commit ? "COMMIT" : "ROLLBACK");
  if (block_ == Block::kNone) {
    // Like Materialize/PostgreSQL: a warning, not an error.
    return out;
  }
  if (block_failed_) {
    commit = false;
    out = Outcome::Tag("ROLLBACK");
  }
  if (commit && block_ == Block::kWrite) {
    // The block's INSERTs, validated when sent, are written now, in one transaction.
    for (const auto& w : pending_writes_) {
      Outcome written = backend_.Exec(RewriteForPostgres(w.stmt), w.params);
      if (!written.ok()) {
        out = written;
        commit = false;
        break;
      }
    }
  }
  if (backend_txn_) {
    Outcome end = backend_.Exec(commit ? "COMMIT" : "ROLLBACK");
    if (!end.ok()) out = end;
  }
  if (commit && block_ == Block::kDdl) {
    Outcome end = CommitDdlBlock();
    if (!end.ok()) out = end;
  }
  if (commit && block_ == Block::kSingle && single_) {
    // Materialize executes the deferred statement at COMMIT (ExecuteSingleStatementTransaction);
    // its error is the COMMIT's.
    backend_txn_ = false;
    const Statement& stmt = single_->stmt;
    Outcome end = IsDatabaseDdl(stmt) ? HandleDatabaseDdl(stmt) : RunDdlAutocommit(stmt);
    if (!end.ok()) out = end;
  }
  if (saved_search_path_) {
    search_path_ = *saved_search_path_;
    vars_ = saved_vars_;
    saved_search_path_.reset();
    SyncBackendSession();
  }
  block_ = Block::kNone;
  block_failed_ = false;
  backend_txn_ = false;
  pending_ddl_.clear();
  pending_writes_.clear();
  single_.reset();
  block_catalog_version_ = -1;
  return out;
}

}  // namespace mzemu
