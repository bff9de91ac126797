// Internal to the DDL interpreter (ddl.cc, ddl_cluster.cc, ddl_privileges.cc): the statement
// cursor, object references and the Impl class whose methods those files define. Errors are
// thrown as DdlError and turned into an Outcome by DdlInterpreter::Apply.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/mzemu/backend.h"
#include "tests/mzemu/interpreter.h"
#include "tests/mzemu/sql_lexer.h"

namespace mzemu::ddl_internal {

// The parsing/applying code reads as straight-line code by throwing this.
struct DdlError {
  SqlError error;
};

[[noreturn]] inline void Fail(std::string code, std::string message, std::string hint = "") {
  throw DdlError{SqlError{std::move(code), std::move(message), "", std::move(hint)}};
}

// "X already exists" (schemas, clusters, replicas, roles, catalog items, also on RENAME) is a
// catalog error raised by catalog_transact (CatalogError::SchemaAlreadyExists,
// ClusterAlreadyExists, ItemAlreadyExists, ...), and MaterializeInc/materialize
// src/adapter/src/error.rs `AdapterError::code` maps `AdapterError::Catalog(_)` (other than
// VarError) to SqlState::INTERNAL_ERROR, i.e. XX000 — never 42P06/42710. (PlanError(_) not in
// its short list of specific codes is XX000 as well.) 42P06 is only the code of the NOTICE that
// IF NOT EXISTS emits.
inline constexpr const char* kAlreadyExists = "XX000";

// Names reserved for system schemas, clusters, replicas and roles (src/adapter/src/catalog.rs
// is_reserved_name: BUILTIN_PREFIXES "mz_" and "pg_"), refused by catalog_transact (XX000).
inline bool IsReservedName(const std::string& name) {
  return name.rfind("mz_", 0) == 0 || name.rfind("pg_", 0) == 0;
}

inline std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  return s;
}

inline std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

class Cursor {
 public:
  explicit Cursor(const Statement& s) : s_(s), t_(s.tokens) {}

  bool AtEnd() const { return i_ >= t_.size(); }
  const Token* Peek(size_t k = 0) const { return i_ + k < t_.size() ? &t_[i_ + k] : nullptr; }
  size_t pos() const { return i_; }
  void set_pos(size_t p) { i_ = p; }
  const Statement& stmt() const { return s_; }

  bool PeekWord(std::string_view w, size_t k = 0) const {
    const Token* t = Peek(k);
    return t != nullptr && t->IsWord(w);
  }
  bool Word(std::string_view w) {
    if (!PeekWord(w)) return false;
    ++i_;
    return true;
  }
  bool Words(std::initializer_list<std::string_view> ws) {
    size_t k = 0;
    for (auto w : ws) {
      if (!PeekWord(w, k)) return false;
      ++k;
    }
    i_ += k;
    return true;
  }
  void Expect(std::string_view w) {
    if (!Word(w)) Unexpected("expected " + Upper(std::string(w)));
  }
  bool Op(std::string_view o) {
    const Token* t = Peek();
    if (t == nullptr || !t->IsOp(o)) return false;
    ++i_;
    return true;
  }
  void ExpectOp(std::string_view o) {
    if (!Op(o)) Unexpected("expected '" + std::string(o) + "'");
  }
  std::string Name() {
    const Token* t = Peek();
    if (t == nullptr || !t->IsName()) Unexpected("expected identifier");
    ++i_;
    return t->text;
  }
  std::vector<std::string> QualifiedName() {
    std::vector<std::string> parts{Name()};
    while (Op(".")) parts.push_back(Name());
    return parts;
  }
  std::vector<std::vector<std::string>> NameList() {
    std::vector<std::vector<std::string>> out{QualifiedName()};
    while (Op(",")) out.push_back(QualifiedName());
    return out;
  }
  std::string String() {
    const Token* t = Peek();
    if (t == nullptr || t->kind != TokenKind::kString) Unexpected("expected string literal");
    ++i_;
    return t->text;
  }
  // A string, number or bare word value.
  std::string Value() {
    const Token* t = Peek();
    if (t == nullptr || t->kind == TokenKind::kOp) Unexpected("expected value");
    ++i_;
    return t->text;
  }
  void SkipParens() {
    int depth = 0;
    do {
      if (AtEnd()) Unexpected("unbalanced parentheses");
      if (Peek()->IsOp("(")) ++depth;
      if (Peek()->IsOp(")")) --depth;
      ++i_;
    } while (depth > 0);
  }
  void ExpectEnd() {
    if (!AtEnd()) Unexpected("unexpected trailing input");
  }
  [[noreturn]] void Unexpected(const std::string& what) const {
    std::string near = AtEnd()
                           ? "end of input"
                           : "\"" + s_.text.substr(t_[i_].begin, t_[i_].end - t_[i_].begin) + "\"";
    Fail("42601", "mzemu: " + what + " near " + near + " in: " + s_.text);
  }
  // Source text from token index `from` to the end.
  std::string TextFrom(size_t from) const {
    if (from >= t_.size()) return "";
    return s_.text.substr(t_[from].begin);
  }

 private:
  const Statement& s_;
  const std::vector<Token>& t_;
  size_t i_ = 0;
};

struct SchemaRef {
  std::string id, name, owner_id;
};
struct ClusterRef {
  std::string id, name, owner_id;
  bool managed = false;
};
struct ItemRef {
  std::string id, type, schema_id, schema_name, name, owner_id, cluster_id, pg_kind;
};

inline std::string TypeWord(const std::string& type) {
  if (type == "materialized-view") return "MATERIALIZED VIEW";
  if (type == "cluster-replica") return "CLUSTER REPLICA";
  return Upper(type);
}

// Letters the owner gets and that may be granted, per object type.
inline std::string AllLetters(const std::string& type) {
  if (type == "table") return "arwd";
  if (type == "view" || type == "materialized-view" || type == "source") return "r";
  if (type == "connection" || type == "secret" || type == "type") return "U";
  if (type == "schema" || type == "cluster" || type == "database") return "UC";
  if (type == "system") return "RBNP";
  return "";
}

inline std::string PrivLetter(const std::string& word) {
  static const std::map<std::string, std::string> kLetters = {
      {"select", "r"},        {"insert", "a"},
      {"update", "w"},        {"delete", "d"},
      {"usage", "U"},         {"create", "C"},
      {"createrole", "R"},    {"createdb", "B"},
      {"createcluster", "N"}, {"createnetworkpolicy", "P"}};
  auto it = kLetters.find(word);
  if (it == kLetters.end()) Fail("42601", "mzemu: unknown privilege " + Upper(word));
  return it->second;
}

class Impl {
 public:
  Impl(Session& session, Backend& backend, const Statement& stmt)
      : session_(session), backend_(backend), c_(stmt) {}

  std::string Run();

 private:
  // --- backing-database helpers ---
  Outcome Q(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    Outcome out = backend_.Exec(sql, params);
    if (!out.ok()) throw DdlError{*out.error};
    return out;
  }
  std::string Q1(const std::string& sql,
                 const std::vector<std::optional<std::string>>& params = {}) {
    return Q(sql, params).Get(0);
  }
  bool True(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    return Q1(sql, params) == "t";
  }
  const std::string& DbId() {
    if (db_id_.empty()) {
      Outcome o =
          Q("SELECT id, name FROM mz_catalog.mz_databases WHERE id LIKE 'u%' ORDER BY oid LIMIT 1");
      db_id_ = o.Get(0, 0);
      db_name_ = o.Get(0, 1);
    }
    return db_id_;
  }
  const std::string& DbName() {
    DbId();
    return db_name_;
  }
  std::string RoleId() { return Q1("SELECT mzemu.role_id()"); }
  bool IsOwner(const std::string& owner_id) {
    return True("SELECT mzemu.is_owner($1)", {owner_id});
  }
  bool IsSuperuser() { return True("SELECT mz_catalog.mz_is_superuser()"); }
  void RequireOwner(const std::string& owner_id, const std::string& what) {
    if (!IsOwner(owner_id)) Fail("42501", "must be owner of " + what);
  }
  // `what` is e.g. `SCHEMA "materialize.s"` (PrivName). The role's need is the error's DETAIL
  // (rbac.rs UnauthorizedError::detail).
  void RequirePriv(const std::string& table, const std::string& id, const std::string& priv,
                   const std::string& what) {
    if (!True("SELECT mzemu.has_priv(privileges, owner_id, $2) FROM " + table + " WHERE id = $1",
              {id, priv})) {
      throw DdlError{SqlError{
          "42501", "permission denied for " + what,
          "The '" + session_.role() + "' role needs " + priv + " privileges on " + what, ""}};
    }
  }
  // A privilege on SYSTEM (CREATEROLE, CREATECLUSTER, ...), as rbac.rs reports its absence.
  void RequireSystemPriv(const std::string& priv) {
    if (!True("SELECT mz_catalog.has_system_privilege($1)", {priv})) {
      throw DdlError{SqlError{
          "42501", "permission denied for SYSTEM",
          "The '" + session_.role() + "' role needs " + priv + " privileges on SYSTEM", ""}};
    }
  }
  // Object names in RBAC errors (rbac.rs ownership_err, ErrorMessageObjectDescription): schemas
  // and items fully qualified and unquoted after "must be owner of" (`SCHEMA materialize.s`),
  // double-quoted after "permission denied for" (`SCHEMA "materialize.s"`).
  std::string SchemaName(const std::string& schema) { return DbName() + "." + schema; }
  std::string ItemName(const ItemRef& i) { return DbName() + "." + i.schema_name + "." + i.name; }
  static std::string PrivName(const std::string& type_word, const std::string& name) {
    return type_word + " \"" + name + "\"";
  }

  // --- name resolution ---
  std::optional<SchemaRef> FindSchema(const std::vector<std::string>& parts);
  SchemaRef GetSchema(const std::vector<std::string>& parts);
  SchemaRef DefaultSchema();
  std::optional<ClusterRef> FindCluster(const std::string& name);
  ClusterRef GetCluster(const std::string& name);
  std::optional<ItemRef> FindItem(const std::vector<std::string>& parts);
  ItemRef GetItem(const std::vector<std::string>& parts, const std::string& expected_type = "");
  std::string GetRoleId(const std::string& name, bool allow_public = false);
  std::vector<std::string> ParseRoleList(bool grant, bool allow_public);
  std::string QualifiedPg(const std::string& schema, const std::string& name) {
    return QuoteIdent(schema) + "." + QuoteIdent(name);
  }
  std::string FullName(const std::string& schema, const std::string& name) {
    return QuoteIdent(DbName()) + "." + QuoteIdent(schema) + "." + QuoteIdent(name);
  }
  // Resolves the schema and bare name for a new item.
  std::pair<SchemaRef, std::string> NewItemName(const std::vector<std::string>& parts);
  std::string ParseInCluster();
  std::string InsertItem(const std::string& type, const SchemaRef& schema, const std::string& name,
                         const std::string& cluster_id, const std::string& pg_kind,
                         const std::string& create_sql);
  void AddDependency(const std::string& object_id, const std::string& referenced_id) {
    Q("INSERT INTO mz_internal.mz_object_dependencies VALUES ($1, $2)", {object_id, referenced_id});
  }
  void RecordPgDependencies(const std::string& id, const SchemaRef& schema,
                            const std::string& name);
  std::vector<std::string> Closure(const std::vector<std::string>& ids);
  void DropItemsChecked(const std::vector<std::string>& roots, bool cascade,
                        const std::string& what);

  // --- statements ---
  std::string CreateSchema();
  std::string CreateCluster();
  std::string CreateClusterReplica();
  std::string CreateRole();
  std::string CreateItem();
  std::string CreateRelation(bool or_replace, const std::string& type);
  std::string CreateIndex();
  std::string CreateSource();
  std::string CreateSink();
  std::string CreateConnectionOrSecret(const std::string& type);
  std::string Alter();
  std::string AlterSwap(const std::string& kind, const std::vector<std::string>& a, bool if_exists);
  std::string AlterRename(const std::string& kind, const std::vector<std::string>& a);
  std::string AlterOwner(const std::string& kind, const std::vector<std::string>& a);
  std::string AlterSinkSetFrom(const std::vector<std::string>& a);
  std::string AlterClusterOptions(const std::vector<std::string>& a, bool reset);
  std::string AlterDefaultPrivileges();
  std::string Comment();
  std::string GrantRevoke(bool grant);
  std::string Drop();
  std::string DropSchema(const std::vector<std::string>& parts, bool if_exists, bool cascade);
  std::string DropCluster(const std::string& name, bool if_exists, bool cascade);
  void DropRole(const std::string& name, bool if_exists);

  // Parses an object kind word sequence (SCHEMA, CLUSTER REPLICA, MATERIALIZED VIEW, ...).
  std::string ParseKind();

  struct ClusterOptions {
    std::optional<std::string> size;
    std::optional<int> replication_factor;
    std::optional<std::string> schedule;  // manual | on-refresh
    std::optional<std::string> hydration_estimate;
    bool has_strategy = false;
    std::optional<std::string> hydration_size;
    std::optional<std::string> linger;
    std::optional<bool> managed;
    std::optional<std::vector<std::string>> availability_zones;
    std::optional<std::string> introspection_interval;
    std::optional<bool> introspection_debugging;
    std::optional<bool> disk;
    std::optional<bool> arrangement_compression;  // EXPERIMENTAL ARRANGEMENT COMPRESSION
    struct Replica {
      std::string name;
      std::optional<std::string> size, availability_zone;
      bool unsized = false;
      bool disk = false;
    };
    std::optional<std::vector<Replica>> replicas;
    bool workload_class = false;
    std::set<std::string> seen;   // option names given (SET / CREATE), lower case
    std::set<std::string> reset;  // option names given to ALTER CLUSTER ... RESET
  };
  std::string ParseOptionName();
  void ParseClusterOption(ClusterOptions& o);
  ClusterOptions::Replica ParseReplicaOptions(const std::string& name);
  void ApplyClusterOptions(const ClusterRef& cluster, const ClusterOptions& o, bool create);
  void SyncManagedReplicas(const std::string& cluster_id, bool recreate = false);
  // Materialize's planner checks of CREATE CLUSTER and ALTER CLUSTER ... SET (ddl_cluster.cc).
  void CheckCreateClusterOptions(const ClusterOptions& o, bool managed);
  void CheckAlterClusterOptions(const ClusterRef& cl, const ClusterOptions& o);
  static void RefuseManagedOnlyOptions(const ClusterOptions& o, bool non_manual_schedule);
  void CheckManagedCommon(const ClusterOptions& o, const std::string& size,
                          const std::string& schedule);
  void ConvertToManaged(const ClusterRef& cl, const ClusterOptions& o);
  void ConvertToUnmanaged(const ClusterRef& cl);
  void CheckReplicaLimit(int current, int desired);
  // One-line hooks called from ddl.cc: DROP CLUSTER REPLICA and ALTER CLUSTER REPLICA ... RENAME
  // of a replica of a managed cluster are refused as in Materialize.
  void CheckReplicaDrop(const ClusterRef& cl, const std::string& replica);
  void CheckReplicaRename(const ClusterRef& cl, const std::string& replica);
  void AddReplica(const std::string& cluster_id, const std::string& owner,
                  const ClusterOptions::Replica& r);

  // Features of newer Materialize versions (ddl_cluster_2026.cc).
  // Refuses `feature` below version major.minor like that version's parser: 42601 `message`,
  // with a hint naming the emulated version.
  void RequireMzVersion(int major, int minor, const std::string& feature,
                        const std::string& message);
  // The version gate of a cluster option name (at token `at`): AUTO SCALING STRATEGY from
  // v26.34, EXPERIMENTAL ARRANGEMENT COMPRESSION from v26.35 (= true from v26.38).
  void CheckOptionVersion(const std::string& option, size_t at);
  // `IF NOT EXISTS` of CREATE CLUSTER [REPLICA] (v26.37 and later).
  bool ParseClusterIfNotExists();
  // An interval option value: 'text', a number, or INTERVAL 'text' (SHOW CREATE CLUSTER's form).
  std::string ParseIntervalValue();
  // EXPERIMENTAL ARRANGEMENT COMPRESSION: refused on unmanaged clusters; stored in
  // mzemu.cluster_settings, and a change replaces the replicas (never on CREATE).
  void CheckArrangementCompression(const ClusterOptions& o, bool managed);
  void ApplyArrangementCompression(const std::string& cluster_id, const ClusterOptions& o,
                                   bool managed, bool create);
  // v26.35+: ALTER CLUSTER ... SET (SIZE) of a managed cluster runs in the background. Takes
  // the new size out of `o` (nullopt if the resize stays synchronous or is a no-op) and cancels
  // an in-flight reconfiguration when the size is the realized one.
  std::optional<std::string> DeferResize(const ClusterRef& cl, ClusterOptions& o);
  // Records (or retargets) the in-progress reconfiguration to `size`.
  void RecordReconfiguration(const ClusterRef& cl, const std::string& size);

  Session& session_;
  Backend& backend_;
  Cursor c_;
  std::string db_id_, db_name_;
};

}  // namespace mzemu::ddl_internal
