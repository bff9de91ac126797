#include "tests/mzemu/interpreter.h"

#include <set>
#include <sstream>

#include "tests/mzemu/show_queries.h"

namespace mzemu {

void Shared::Register(std::shared_ptr<SessionStats> stats) {
  std::lock_guard<std::mutex> lock(registry_mu_);
  live_[stats->pid] = std::move(stats);
}

void Shared::Unregister(int32_t pid) {
  std::lock_guard<std::mutex> lock(registry_mu_);
  auto it = live_.find(pid);
  if (it == live_.end()) return;
  closed_catalog_queries_ += it->second->catalog_queries;
  live_.erase(it);
}

std::vector<std::shared_ptr<SessionStats>> Shared::Live() {
  std::lock_guard<std::mutex> lock(registry_mu_);
  std::vector<std::shared_ptr<SessionStats>> out;
  for (auto& [pid, s] : live_) out.push_back(s);
  return out;
}

Session::Session(Shared& shared, Backend& backend, std::shared_ptr<SessionStats> stats)
    : shared_(shared), backend_(backend), stats_(std::move(stats)) {
  vars_["cluster"] = "quickstart";
  vars_["transaction_isolation"] = "strict serializable";
}

void Session::SyncBackendSession() {
  // Materialize searches mz_catalog and pg_catalog before the session's search_path.
  std::string path = "mz_catalog, pg_catalog";
  for (const auto& s : search_path_) path += ", " + QuoteIdent(s);
  path += ", mzemu";
  // mzemu.mz_version: the emulated version, read by mz_version(), mz_version_num() and version()
  // (per session, since a catalog is reused by emulators started with other versions).
  backend_.Exec(
      "SELECT set_config('search_path', $1, false), set_config('mzemu.role', $2, false), "
      "set_config('mzemu.cluster', $3, false), set_config('mzemu.mz_version', $4, false)",
      {path, role_, var("cluster"), mz_version().Text()});
}

Outcome Session::Start(const std::string& user) {
  session_user_ = user;
  role_ = user;
  backend_.Exec("SET TIME ZONE 'UTC'");
  SyncBackendSession();
  {
    std::lock_guard<std::mutex> lock(shared_.ddl_mutex());
    Outcome exists =
        backend_.Exec("SELECT rolsuper FROM mz_catalog.mz_roles WHERE name = $1", {user});
    if (!exists.ok()) return exists;
    if (exists.rows.empty()) {
      Outcome created = backend_.Exec(
          "INSERT INTO mz_catalog.mz_roles VALUES (mzemu.new_id('role'), mzemu.new_oid(), $1, true, "
          "true, false)",
          {user});
      if (!created.ok()) return created;
      backend_.Exec("UPDATE mzemu.state SET catalog_version = catalog_version + 1");
    } else {
      superuser_login_ = exists.Get(0) == "t";
    }
  }
  Outcome db = backend_.Exec("SELECT current_database()");
  vars_["database"] = db.Get(0);
  return Outcome::Tag("");
}

void Session::SetStartupVar(const std::string& name, const std::string& value) {
  vars_[name] = value;
  SyncBackendSession();
}

void Session::BeginImplicit(const Statement& first) {
  if (block_ != Block::kNone || Classify(first) == Kind::kBegin) return;
  implicit_ = true;
  block_ = Block::kUndecided;
}

Outcome Session::EndImplicit() {
  if (!implicit_) return Outcome::Tag("");
  implicit_ = false;
  return EndBlock(/*commit=*/!block_failed_);
}

char Session::TransactionStatus() const {
  if (block_ == Block::kNone) return 'I';
  return block_failed_ ? 'E' : 'T';
}

static bool HasWordPair(const Statement& s, const char* a, const char* b) {
  for (size_t i = 0; i + 1 < s.tokens.size(); ++i) {
    if (s.tokens[i].IsWord(a) && s.tokens[i + 1].IsWord(b)) return true;
  }
  return false;
}

Session::Kind Session::Classify(const Statement& s) const {
  if (s.tokens.empty()) return Kind::kUnknown;
  // Control functions are calls: mzemu_xxx( ... ).
  for (size_t i = 0; i + 1 < s.tokens.size(); ++i) {
    const Token& t = s.tokens[i];
    if (t.kind == TokenKind::kIdent && t.text.rfind("mzemu_", 0) == 0 &&
        s.tokens[i + 1].IsOp("(") && s.tokens[0].IsWord("select")) {
      return Kind::kControl;
    }
  }
  const Token& first = s.tokens[0];
  if (first.kind != TokenKind::kIdent) {
    return first.IsOp("(") ? Kind::kRead : Kind::kUnknown;
  }
  const std::string& w = first.text;
  if (w == "select" || w == "with" || w == "table" || w == "values" || w == "explain") {
    return Kind::kRead;
  }
  if (w == "show") return Kind::kShow;
  if (w == "insert" || w == "update" || w == "delete") return Kind::kWrite;
  if (w == "begin" || w == "start") return Kind::kBegin;
  if (w == "commit" || w == "end") return Kind::kCommit;
  if (w == "rollback" || w == "abort") return Kind::kRollback;
  if (w == "set" || w == "reset" || w == "discard") return Kind::kSet;
  if (w == "alter" && (HasWordPair(s, "swap", "with") || HasWordPair(s, "rename", "to"))) {
    return Kind::kSwapRename;
  }
  if (w == "alter" || w == "create" || w == "drop" || w == "comment" || w == "grant" ||
      w == "revoke") {
    return Kind::kDdl;
  }
  return Kind::kUnknown;
}

bool Session::IsForwarded(const Statement& stmt) const {
  Kind k = Classify(stmt);
  return k == Kind::kRead || k == Kind::kWrite;
}

Outcome Session::Execute(const Statement& stmt,
                         const std::vector<std::optional<std::string>>& params) {
  ++stats_->statements;
  Outcome out = Dispatch(stmt, params);
  if (!out.ok() && block_ != Block::kNone) block_failed_ = true;
  return out;
}

Outcome Session::Dispatch(const Statement& stmt,
                          const std::vector<std::optional<std::string>>& params) {
  Kind kind = Classify(stmt);
  if (block_failed_ && kind != Kind::kCommit && kind != Kind::kRollback) {
    return Outcome::Error("25P02",
                          "current transaction is aborted, commands ignored until end of "
                          "transaction block");
  }
  switch (kind) {
    case Kind::kUnknown:
      return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
    case Kind::kBegin:
      // BEGIN inside an implicit transaction turns it into an explicit one.
      implicit_ = false;
      if (block_ == Block::kNone) block_ = Block::kUndecided;
      return Outcome::Tag("BEGIN");
    case Kind::kCommit:
      implicit_ = false;
      return EndBlock(true);
    case Kind::kRollback:
      implicit_ = false;
      return EndBlock(false);
    case Kind::kSet:
      return HandleSet(stmt);
    case Kind::kShow:
      return HandleShow(stmt);
    case Kind::kControl: {
      bool handled = false;
      Outcome out = HandleControl(stmt, &handled);
      if (handled) return out;
      return Forward(stmt, params, /*count=*/false);
    }
    case Kind::kRead:
    case Kind::kWrite:
      return RunReadWrite(stmt, params, /*write=*/kind == Kind::kWrite);
    case Kind::kSwapRename:
    case Kind::kDdl:
      return RunDdl(stmt, params);
  }
  return Outcome::Error("XX000", "mzemu: unreachable");
}

Outcome Session::HandleDatabaseDdl(const Statement& stmt) {
  if (shared_.databases == nullptr) {
    return Outcome::Error("0A000", "mzemu: CREATE/DROP DATABASE is not available here");
  }
  const auto& t = stmt.tokens;
  bool create = t[0].IsWord("create");
  size_t i = 2;
  bool if_flag = false;
  if (create && i + 2 < t.size() && t[i].IsWord("if") && t[i + 1].IsWord("not") &&
      t[i + 2].IsWord("exists")) {
    if_flag = true, i += 3;
  } else if (!create && i + 1 < t.size() && t[i].IsWord("if") && t[i + 1].IsWord("exists")) {
    if_flag = true, i += 2;
  }
  if (i >= t.size() || !t[i].IsName()) {
    return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  }
  std::string name = t[i++].text;
  bool restrict = false;
  if (!create && i < t.size() && (t[i].IsWord("cascade") || t[i].IsWord("restrict"))) {
    restrict = t[i++].IsWord("restrict");
  }
  if (i != t.size()) {
    return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  }
  Outcome super = backend_.Exec("SELECT mz_catalog.mz_is_superuser()");
  if (!super.ok()) return super;
  bool superuser = super.Get(0) == "t";
  if (create) {
    if (!superuser) {
      Outcome priv = backend_.Exec("SELECT mz_catalog.has_system_privilege('CREATEDB')");
      if (!priv.ok()) return priv;
      if (priv.Get(0) != "t") {
        return Outcome::Error("42501", "permission denied for SYSTEM",
                              "The '" + role_ + "' role needs CREATEDB privileges on SYSTEM");
      }
    }
    return shared_.databases->CreateDatabase(name, if_flag, role_);
  }
  return shared_.databases->DropDatabase(name, if_flag, restrict, role_, superuser,
                                         var("database"));
}

// Text array literal {"a","b"} for a text[] parameter.
static std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

// Materialize computes a SELECT (and the read part of UPDATE/DELETE/INSERT ... SELECT) that
// depends on a user relation on the session's active cluster (variable `cluster`); a query that
// depends only on system objects (or nothing) is routed to mz_catalog_server
// (src/adapter/src/catalog.rs resolve_target_cluster / auto_route_catalog_queries). An
// INSERT ... VALUES of constants is written directly (sequence_insert: constant values go to
// send_diffs without a peek), so its target table does not count. Failures:
// unknown active cluster -> XX000 "unknown cluster 'x'" (a catalog error, AdapterError::code
// maps it to INTERNAL_ERROR); no replicas -> 0A000 (AdapterError::NoClusterReplicasAvailable =>
// FEATURE_NOT_SUPPORTED, src/adapter/src/error.rs); no USAGE on it -> 42501.
Outcome Session::CheckActiveCluster(const Statement& stmt, bool write) {
  const auto& t = stmt.tokens;
  std::vector<std::string> unqualified, qualified;
  size_t skip_until = 0;
  if (write && !t.empty() && t[0].IsWord("insert")) {
    // INSERT INTO [db.][schema.]table: the target is written, not read.
    skip_until = AfterInsertTarget(stmt);
  }
  for (size_t i = skip_until; i < t.size(); ++i) {
    if (!t[i].IsName()) continue;
    if (i > 0 && t[i - 1].IsOp(".")) continue;  // handled with its qualifier
    // Relation positions only (so aliases and columns are not taken for relations).
    if (i == 0 || !(t[i - 1].IsWord("from") || t[i - 1].IsWord("join") ||
                    t[i - 1].IsWord("update") || t[i - 1].IsWord("into") ||
                    t[i - 1].IsWord("using") || t[i - 1].IsWord("table") ||
                    t[i - 1].IsOp(","))) {
      continue;
    }
    std::vector<std::string> parts{t[i].text};
    size_t j = i;
    while (j + 2 < t.size() && t[j + 1].IsOp(".") && t[j + 2].IsName()) {
      parts.push_back(t[j + 2].text);
      j += 2;
    }
    if (j + 1 < t.size() && t[j + 1].IsOp("(")) continue;  // a function call
    if (parts.size() == 1) {
      unqualified.push_back(parts[0]);
    } else {
      qualified.push_back(parts[parts.size() - 2] + "." + parts.back());
    }
  }
  if (unqualified.empty() && qualified.empty()) return Outcome::Tag("");
  Outcome user = backend_.Exec(
      "SELECT EXISTS (SELECT 1 FROM mzemu.objects o JOIN mz_catalog.mz_schemas s "
      "ON s.id = o.schema_id WHERE o.id LIKE 'u%' AND o.type IN ('table', 'view', "
      "'materialized-view', 'source') AND ((o.name = ANY ($1::text[]) AND s.name = ANY "
      "($3::text[])) OR s.name || '.' || o.name = ANY ($2::text[])))",
      {TextArray(unqualified), TextArray(qualified), TextArray(search_path_)});
  if (!user.ok()) return user;
  if (user.Get(0) != "t") return Outcome::Tag("");
  std::string name = var("cluster");
  Outcome c = backend_.Exec(
      "SELECT (SELECT count(*) FROM mz_catalog.mz_cluster_replicas r WHERE r.cluster_id = c.id), "
      "c.managed, mzemu.has_priv(c.privileges, c.owner_id, 'USAGE') "
      "FROM mz_catalog.mz_clusters c WHERE c.name = $1",
      {name});
  if (!c.ok()) return c;
  if (c.rows.empty()) return Outcome::Error("XX000", "unknown cluster '" + name + "'");
  if (c.Get(0, 2) != "t") {
    return Outcome::Error("42501", "permission denied for CLUSTER \"" + name + "\"",
                          "The '" + role_ + "' role needs USAGE privileges on CLUSTER \"" +
                              name + "\"");
  }
  if (c.Get(0, 0) == "0") {
    Outcome out = Outcome::Error(
        "0A000", "CLUSTER \"" + name + "\" has no replicas available to service request",
        c.Get(0, 1) == "t"
            ? "Use ALTER CLUSTER to adjust the replication factor of the cluster. "
              "Example:`ALTER CLUSTER <cluster-name> SET (REPLICATION FACTOR 1)`"
            : "Use CREATE CLUSTER REPLICA to attach cluster replicas to the cluster");
    return out;
  }
  return Outcome::Tag("");
}

Outcome Session::Forward(const Statement& stmt,
                         const std::vector<std::optional<std::string>>& params, bool count) {
  if (count) ++stats_->catalog_queries;
  Statement rewritten;
  Outcome show = RewriteShowSubqueries(stmt, &rewritten);
  if (!show.ok()) return show;
  return backend_.Exec(RewriteForPostgres(rewritten), params);
}

Outcome Session::HandleSet(const Statement& stmt) {
  const auto& t = stmt.tokens;
  size_t i = 1;
  bool reset = t[0].IsWord("reset");
  if (t[0].IsWord("discard")) return Outcome::Tag("DISCARD ALL");
  bool local = i < t.size() && t[i].IsWord("local");
  if (i < t.size() && (t[i].IsWord("session") || local)) ++i;
  if (local && block_ != Block::kNone && !saved_search_path_) {
    // SET LOCAL lasts until the end of the block (restored in EndBlock).
    saved_search_path_ = search_path_;
    saved_vars_ = vars_;
  }
  if (i >= t.size()) return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  // Materialize's validate_set_isolation_level / validate_set_cluster: once the transaction
  // has done anything (even a constant SELECT), the isolation level and the cluster are fixed.
  const char kIsolationFixed[] = "SET TRANSACTION ISOLATION LEVEL must be called before any query";
  if (t[i].IsWord("transaction") || (t[i].IsWord("session") && i + 1 < t.size())) {
    bool isolation = t[i].IsWord("transaction") && i + 1 < t.size() && t[i + 1].IsWord("isolation");
    if (isolation && BlockHasOps()) return Outcome::Error("25001", kIsolationFixed);
    return Outcome::Tag("SET");
  }
  std::string name = t[i].text;
  ++i;
  if (name == "cluster" && BlockHasOps()) {
    return Outcome::Error("25001", "SET cluster cannot be called in an active transaction");
  }
  if (name == "transaction_isolation" && BlockHasOps()) {
    return Outcome::Error("25001", kIsolationFixed);
  }
  if (!reset && name == "role") {
    // SET ROLE name | NONE
    std::string target = i < t.size() ? t[i].text : "none";
    if (target == "none" && t[i].kind == TokenKind::kIdent) target = session_user_;
    Outcome r = backend_.Exec(
        "SELECT r.id, mz_catalog.mz_is_superuser() OR mzemu.is_member(mzemu.role_id(), r.id) "
        "FROM mz_catalog.mz_roles r WHERE r.name = $1",
        {target});
    if (!r.ok()) return r;
    if (r.rows.empty()) return Outcome::Error("42704", "unknown role '" + target + "'");
    if (r.Get(0, 1) != "t" && target != session_user_) {
      return Outcome::Error("42501", "permission denied to set role \"" + target + "\"");
    }
    role_ = target;
    SyncBackendSession();
    return Outcome::Tag("SET");
  }
  if (reset && name == "role") {
    role_ = session_user_;
    SyncBackendSession();
    return Outcome::Tag("RESET");
  }
  if (name == "schema") name = "search_path";
  std::vector<std::string> values;
  if (!reset) {
    if (i < t.size() && (t[i].IsOp("=") || t[i].IsWord("to"))) ++i;
    // `SET x TO DEFAULT` (the unquoted keyword) is RESET x, as in Materialize; a quoted
    // 'default' is a value (a cluster may be named so).
    if (i + 1 == t.size() && t[i].IsWord("default")) reset = true;
  }
  if (!reset) {
    for (; i < t.size(); ++i) {
      if (t[i].IsOp(",")) continue;
      values.push_back(t[i].text);
    }
  }
  if (name == "search_path") {
    if (reset || (values.size() == 1 && values[0] == "default")) values = {"public"};
    std::vector<std::string> path;
    for (auto& v : values) {
      // A quoted list 'a, b' is split like PostgreSQL does.
      std::stringstream ss(v);
      std::string part;
      while (std::getline(ss, part, ',')) {
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) path.push_back(part);
      }
    }
    search_path_ = path;
    SyncBackendSession();
    return Outcome::Tag(t[0].IsWord("reset") ? "RESET" : "SET");
  }
  if (name == "cluster" || name == "database" || name == "transaction_isolation" ||
      name == "cluster_replica" || name == "welcome_message" ||
      name == "statement_logging_sample_rate") {
    if (reset) {
      vars_[name] = name == "cluster"                 ? "quickstart"
                    : name == "transaction_isolation" ? "strict serializable"
                                                      : "";
    } else {
      std::string v;
      for (const auto& s : values) v += (v.empty() ? "" : ", ") + s;
      vars_[name] = v;
    }
    if (name == "cluster") SyncBackendSession();
    return Outcome::Tag(t[0].IsWord("reset") ? "RESET" : "SET");
  }
  return backend_.Exec(stmt.text);
}

Outcome Session::HandleShow(const Statement& stmt) {
  const auto& t = stmt.tokens;
  if (t.size() < 2) return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  std::string what = t[1].text;
  auto single = [](const std::string& col, const std::string& value) {
    Outcome o;
    o.has_rows = true;
    o.fields.push_back(Field{col, 25, -1, -1});
    o.rows.push_back({value});
    o.tag = "SELECT 1";
    return o;
  };
  if (what == "search_path") {
    std::string v;
    for (const auto& s : search_path_) v += (v.empty() ? "" : ", ") + s;
    return single("search_path", v);
  }
  if (what == "role" || what == "current_role") return single(what, role_);
  if (what == "server_version") return single(what, "9.5.0");
  if (vars_.count(what)) return single(what, vars_[what]);
  if (what == "create" && t.size() > 2 && t[2].IsWord("cluster")) return ShowCreateCluster(stmt);
  std::string sql =
      ShowObjectsSql(stmt, 1, var("database"), std::string::npos, mz_version().AtLeast(26, 35));
  if (!sql.empty()) {
    // SHOW CLUSTERS / SCHEMAS are catalog reads (a peek), subject to the block's rules.
    ++stats_->catalog_queries;
    if (block_ == Block::kNone) return backend_.Exec(sql + " ORDER BY 1");
    Outcome merge = AddOps(Block::kRead);
    if (!merge.ok()) return merge;
    Outcome begin = EnsureBackendTxn();
    if (!begin.ok()) return begin;
    return Isolated([&] { return backend_.Exec(sql + " ORDER BY 1"); });
  }
  ++stats_->catalog_queries;
  return backend_.Exec(stmt.text);
}

static Outcome IntResult(const std::string& col, int64_t v) {
  Outcome o;
  o.has_rows = true;
  o.fields.push_back(Field{col, 20, 8, -1});
  o.rows.push_back({std::to_string(v)});
  o.tag = "SELECT 1";
  return o;
}

Outcome Session::HandleControl(const Statement& stmt, bool* handled) {
  *handled = true;
  std::set<std::string> names;
  for (const auto& t : stmt.tokens) {
    if (t.kind == TokenKind::kIdent && t.text.rfind("mzemu_", 0) == 0) names.insert(t.text);
  }
  if (names.count("mzemu_query_count")) {
    return IntResult("mzemu_query_count", stats_->catalog_queries);
  }
  if (names.count("mzemu_reset_query_count")) {
    stats_->catalog_queries = 0;
    stats_->round_trips = 0;
    stats_->statements = 0;
    return IntResult("mzemu_reset_query_count", 0);
  }
  if (names.count("mzemu_total_query_count")) {
    int64_t total = shared_.closed_catalog_queries();
    for (const auto& s : shared_.Live()) total += s->catalog_queries;
    return IntResult("mzemu_total_query_count", total);
  }
  if (names.count("mzemu_connections")) {
    Outcome o;
    o.has_rows = true;
    o.fields = {Field{"pid", 23, 4, -1},
                Field{"user_name", 25, -1, -1},
                Field{"application_name", 25, -1, -1},
                Field{"round_trips", 20, 8, -1},
                Field{"statements", 20, 8, -1},
                Field{"catalog_queries", 20, 8, -1}};
    for (const auto& s : shared_.Live()) {
      o.rows.push_back({std::to_string(s->pid), s->user, s->application_name,
                        std::to_string(s->round_trips.load()), std::to_string(s->statements.load()),
                        std::to_string(s->catalog_queries.load())});
    }
    o.tag = "SELECT " + std::to_string(o.rows.size());
    return o;
  }
  *handled = false;
  return Outcome::Tag("");
}

Outcome Session::Describe(const Statement& stmt, std::vector<uint32_t>* param_types) {
  Statement rewritten;
  Outcome show = RewriteShowSubqueries(stmt, &rewritten);
  if (!show.ok()) return show;
  // PQprepare locks the relations it names: in a block, let go of them at once.
  return Isolated([&] { return backend_.Describe(RewriteForPostgres(rewritten), param_types); });
}

}  // namespace mzemu
