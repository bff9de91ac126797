#include "tests/mzemu/ddl.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "tests/mzemu/interpreter.h"

namespace mzemu {

namespace {

// Errors are thrown inside this file only and turned into an Outcome by DdlInterpreter::Apply:
// the parsing/applying code reads as straight-line code that way.
struct DdlError {
  SqlError error;
};

[[noreturn]] void Fail(std::string code, std::string message, std::string hint = "") {
  throw DdlError{SqlError{std::move(code), std::move(message), "", std::move(hint)}};
}

// "X already exists" (schemas, clusters, replicas, roles, catalog items, also on RENAME) is a
// catalog error raised by catalog_transact (CatalogError::SchemaAlreadyExists,
// ClusterAlreadyExists, ItemAlreadyExists, ...), and MaterializeInc/materialize
// src/adapter/src/error.rs `AdapterError::code` maps `AdapterError::Catalog(_)` (other than
// VarError) to SqlState::INTERNAL_ERROR, i.e. XX000 — never 42P06/42710. (PlanError(_) not in
// its short list of specific codes is XX000 as well.) 42P06 is only the code of the NOTICE that
// IF NOT EXISTS emits.
constexpr const char* kAlreadyExists = "XX000";

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  return s;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
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

std::string TypeWord(const std::string& type) {
  if (type == "materialized-view") return "MATERIALIZED VIEW";
  if (type == "cluster-replica") return "CLUSTER REPLICA";
  return Upper(type);
}

// Letters the owner gets and that may be granted, per object type.
std::string AllLetters(const std::string& type) {
  if (type == "table") return "arwd";
  if (type == "view" || type == "materialized-view" || type == "source") return "r";
  if (type == "connection" || type == "secret" || type == "type") return "U";
  if (type == "schema" || type == "cluster" || type == "database") return "UC";
  if (type == "system") return "RBNP";
  return "";
}

std::string PrivLetter(const std::string& word) {
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
  void RequirePriv(const std::string& table, const std::string& id, const std::string& priv,
                   const std::string& what) {
    if (!True("SELECT mzemu.has_priv(privileges, owner_id, $2) FROM " + table + " WHERE id = $1",
              {id, priv})) {
      Fail("42501", "permission denied for " + what,
           "The '" + session_.role() + "' role needs " + priv + " privileges on " + what);
    }
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
    struct Replica {
      std::string name;
      std::optional<std::string> size, availability_zone;
      bool unsized = false;
    };
    std::optional<std::vector<Replica>> replicas;
    std::vector<std::string> reset;
  };
  std::string ParseOptionName();
  void ParseClusterOption(ClusterOptions& o);
  ClusterOptions::Replica ParseReplicaOptions(const std::string& name);
  void ApplyClusterOptions(const ClusterRef& cluster, const ClusterOptions& o, bool create);
  void SyncManagedReplicas(const std::string& cluster_id);
  void AddReplica(const std::string& cluster_id, const std::string& owner,
                  const ClusterOptions::Replica& r);

  Session& session_;
  Backend& backend_;
  Cursor c_;
  std::string db_id_, db_name_;
};

// ---------------------------------------------------------------------------------------------
// Name resolution

std::optional<SchemaRef> Impl::FindSchema(const std::vector<std::string>& parts) {
  std::string name = parts.back();
  if (parts.size() > 2) Fail("42601", "mzemu: schema name has too many parts");
  if (parts.size() == 2 && parts[0] != DbName())
    Fail("3D000", "unknown database '" + parts[0] + "'");
  Outcome o =
      Q("SELECT id, name, owner_id FROM mz_catalog.mz_schemas WHERE name = $1 AND "
        "(database_id = $2 OR database_id IS NULL) ORDER BY database_id NULLS LAST LIMIT 1",
        {name, DbId()});
  if (o.rows.empty()) return std::nullopt;
  return SchemaRef{o.Get(0, 0), o.Get(0, 1), o.Get(0, 2)};
}

SchemaRef Impl::GetSchema(const std::vector<std::string>& parts) {
  auto s = FindSchema(parts);
  if (!s) Fail("3F000", "unknown schema '" + Join(parts, ".") + "'");
  return *s;
}

SchemaRef Impl::DefaultSchema() {
  for (const auto& name : session_.search_path()) {
    auto s = FindSchema({name});
    if (s && s->id[0] == 'u') return *s;
  }
  Fail("3F000", "no valid schema selected");
}

std::optional<ClusterRef> Impl::FindCluster(const std::string& name) {
  Outcome o =
      Q("SELECT id, name, owner_id, managed FROM mz_catalog.mz_clusters WHERE name = $1", {name});
  if (o.rows.empty()) return std::nullopt;
  return ClusterRef{o.Get(0, 0), o.Get(0, 1), o.Get(0, 2), o.Get(0, 3) == "t"};
}

ClusterRef Impl::GetCluster(const std::string& name) {
  auto c = FindCluster(name);
  if (!c) Fail("42704", "unknown cluster '" + name + "'");
  return *c;
}

std::optional<ItemRef> Impl::FindItem(const std::vector<std::string>& parts) {
  std::vector<std::string> schemas;
  if (parts.size() == 1) {
    schemas = session_.search_path();
    schemas.push_back("mz_catalog");
    schemas.push_back("mz_internal");
  } else if (parts.size() <= 3) {
    if (parts.size() == 3 && parts[0] != DbName()) {
      Fail("3D000", "unknown database '" + parts[0] + "'");
    }
    schemas = {parts[parts.size() - 2]};
  } else {
    Fail("42601", "mzemu: too many name parts in " + Join(parts, "."));
  }
  for (const auto& schema : schemas) {
    Outcome o =
        Q("SELECT o.id, o.type, o.schema_id, s.name, o.name, o.owner_id, o.cluster_id, o.pg_kind "
          "FROM mzemu.objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id "
          "WHERE s.name = $1 AND (s.database_id = $2 OR s.database_id IS NULL) AND o.name = $3",
          {schema, DbId(), parts.back()});
    if (!o.rows.empty()) {
      return ItemRef{o.Get(0, 0), o.Get(0, 1), o.Get(0, 2), o.Get(0, 3),
                     o.Get(0, 4), o.Get(0, 5), o.Get(0, 6), o.Get(0, 7)};
    }
  }
  return std::nullopt;
}

ItemRef Impl::GetItem(const std::vector<std::string>& parts, const std::string& expected_type) {
  auto item = FindItem(parts);
  if (!item) Fail("42P01", "unknown catalog item '" + Join(parts, ".") + "'");
  if (!expected_type.empty() && item->type != expected_type) {
    Fail("42809", "\"" + Join(parts, ".") + "\" is a " + TypeWord(item->type) + " not a " +
                      TypeWord(expected_type));
  }
  return *item;
}

std::string Impl::GetRoleId(const std::string& name, bool allow_public) {
  if (allow_public && Upper(name) == "PUBLIC") return "p";
  std::string id = Q1("SELECT id FROM mz_catalog.mz_roles WHERE name = $1", {name});
  if (id.empty()) Fail("42704", "unknown role '" + name + "'");
  return id;
}

std::pair<SchemaRef, std::string> Impl::NewItemName(const std::vector<std::string>& parts) {
  if (parts.size() == 1) return {DefaultSchema(), parts[0]};
  std::vector<std::string> schema_parts(parts.begin(), parts.end() - 1);
  return {GetSchema(schema_parts), parts.back()};
}

std::string Impl::ParseInCluster() {
  if (c_.Words({"in", "cluster"})) return GetCluster(c_.Name()).id;
  std::string name = session_.var("cluster");
  auto cluster = FindCluster(name);
  if (!cluster) Fail("42704", "unknown cluster '" + name + "'");
  return cluster->id;
}

std::string Impl::InsertItem(const std::string& type, const SchemaRef& schema,
                             const std::string& name, const std::string& cluster_id,
                             const std::string& pg_kind, const std::string& create_sql) {
  if (!IsSuperuser()) {
    RequirePriv("mz_catalog.mz_schemas", schema.id, "CREATE", "SCHEMA \"" + schema.name + "\"");
    if (!cluster_id.empty()) {
      RequirePriv("mz_catalog.mz_clusters", cluster_id, "CREATE", "CLUSTER");
    }
  }
  std::string owner = RoleId();
  std::string letters = AllLetters(type);
  std::string id = Q1(
      "INSERT INTO mzemu.objects (id, oid, schema_id, name, type, owner_id, cluster_id, "
      "privileges, pg_kind, create_sql) VALUES (mzemu.new_id('item'), mzemu.new_oid(), $1, $2, $3, $4, "
      "$5, CASE WHEN $6 = '' THEN '{}' ELSE ARRAY[$4 || '=' || $6 || '/' || $4] END::"
      "mz_catalog.mz_aclitem[], $7, $8) RETURNING id",
      {schema.id, name, type, owner,
       cluster_id.empty() ? std::nullopt : std::optional<std::string>(cluster_id), letters,
       pg_kind.empty() ? std::nullopt : std::optional<std::string>(pg_kind), create_sql});
  Q("SELECT mzemu.apply_default_privs($1)", {id});
  return id;
}

void Impl::RecordPgDependencies(const std::string& id, const SchemaRef& schema,
                                const std::string& name) {
  Q("INSERT INTO mz_internal.mz_object_dependencies "
    "SELECT DISTINCT $1, o.id FROM pg_depend d "
    "JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid "
    "JOIN pg_class c ON c.oid = d.refobjid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN mz_catalog.mz_schemas s ON s.name = n.nspname AND s.database_id = $3 "
    "JOIN mzemu.objects o ON o.schema_id = s.id AND o.name = c.relname "
    "WHERE rw.ev_class = $2::regclass AND d.refobjid <> rw.ev_class",
    {id, QualifiedPg(schema.name, name), DbId()});
}

std::vector<std::string> Impl::Closure(const std::vector<std::string>& ids) {
  std::string arr = "{";
  for (size_t i = 0; i < ids.size(); ++i) arr += (i ? "," : "") + QuoteIdent(ids[i]);
  arr += "}";
  Outcome o = Q("SELECT x FROM mzemu.dependents_closure($1::text[]) AS x", {arr});
  std::vector<std::string> out;
  for (size_t r = 0; r < o.rows.size(); ++r) out.push_back(o.Get(r));
  return out;
}

void Impl::DropItemsChecked(const std::vector<std::string>& roots, bool cascade,
                            const std::string& what) {
  std::vector<std::string> all = Closure(roots);
  if (!cascade) {
    std::set<std::string> root_set(roots.begin(), roots.end());
    for (const auto& id : all) {
      if (root_set.count(id)) continue;
      Outcome o = Q("SELECT type, name FROM mzemu.objects WHERE id = $1", {id});
      Fail("2BP01", "cannot drop " + what + ": still depended upon by " + TypeWord(o.Get(0, 0)) +
                        " \"" + o.Get(0, 1) + "\"");
    }
  }
  if (all.empty()) return;
  std::string arr = "{";
  for (size_t i = 0; i < all.size(); ++i) arr += (i ? "," : "") + QuoteIdent(all[i]);
  arr += "}";
  Q("SELECT mzemu.drop_items($1::text[])", {arr});
}

// ---------------------------------------------------------------------------------------------
// Dispatch

std::string Impl::Run() {
  if (c_.Word("create")) {
    if (c_.Word("schema")) return CreateSchema();
    if (c_.PeekWord("cluster") && c_.PeekWord("replica", 1)) {
      c_.Words({"cluster", "replica"});
      return CreateClusterReplica();
    }
    if (c_.Word("cluster")) return CreateCluster();
    if (c_.Word("role") || c_.Word("user")) return CreateRole();
    return CreateItem();
  }
  if (c_.Word("alter")) return Alter();
  if (c_.Word("drop")) return Drop();
  if (c_.Words({"comment", "on"})) return Comment();
  if (c_.Word("grant")) return GrantRevoke(true);
  if (c_.Word("revoke")) return GrantRevoke(false);
  Fail("42601", "mzemu: unsupported statement: " + c_.stmt().text);
}

std::string Impl::ParseKind() {
  if (c_.Words({"materialized", "view"})) return "materialized-view";
  if (c_.Words({"cluster", "replica"})) return "cluster-replica";
  static const char* kKinds[] = {"schema",   "cluster", "table",      "view",   "index",
                                 "source",   "sink",    "connection", "secret", "role",
                                 "database", "type",    "user"};
  for (const char* k : kKinds) {
    if (c_.Word(k)) return std::string(k) == "user" ? "role" : k;
  }
  c_.Unexpected("expected object type");
}

// ---------------------------------------------------------------------------------------------
// CREATE

std::string Impl::CreateSchema() {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  std::vector<std::string> parts = c_.QualifiedName();
  c_.ExpectEnd();
  if (parts.size() > 2) Fail("42601", "mzemu: schema name has too many parts");
  if (parts.size() == 2 && parts[0] != DbName())
    Fail("3D000", "unknown database '" + parts[0] + "'");
  const std::string& name = parts.back();
  if (FindSchema({name})) {
    if (if_not_exists) return "CREATE SCHEMA";
    Fail(kAlreadyExists, "schema '" + name + "' already exists");
  }
  if (!IsSuperuser()) {
    RequirePriv("mz_catalog.mz_databases", DbId(), "CREATE", "DATABASE \"" + DbName() + "\"");
  }
  std::string owner = RoleId();
  Q("INSERT INTO mz_catalog.mz_schemas VALUES (mzemu.new_id('schema'), mzemu.new_oid(), $1, $2, $3, "
    "ARRAY[$3 || '=UC/' || $3]::mz_catalog.mz_aclitem[])",
    {DbId(), name, owner});
  Q("CREATE SCHEMA " + QuoteIdent(name));
  return "CREATE SCHEMA";
}

std::string Impl::ParseOptionName() {
  static const std::vector<std::vector<std::string>> kNames = {{"replication", "factor"},
                                                               {"auto", "scaling", "strategy"},
                                                               {"availability", "zones"},
                                                               {"availability", "zone"},
                                                               {"introspection", "interval"},
                                                               {"introspection", "debugging"},
                                                               {"storagectl", "addresses"},
                                                               {"storage", "addresses"},
                                                               {"computectl", "addresses"},
                                                               {"compute", "addresses"},
                                                               {"workload", "class"},
                                                               {"billed", "as"},
                                                               {"hydration", "time", "estimate"},
                                                               {"hydration", "size"},
                                                               {"linger", "duration"},
                                                               {"size"},
                                                               {"schedule"},
                                                               {"managed"},
                                                               {"replicas"},
                                                               {"disk"},
                                                               {"workers"},
                                                               {"internal"},
                                                               {"schedule"}};
  for (const auto& n : kNames) {
    bool match = true;
    for (size_t k = 0; k < n.size(); ++k) {
      if (!c_.PeekWord(n[k], k)) {
        match = false;
        break;
      }
    }
    if (match) {
      c_.set_pos(c_.pos() + n.size());
      c_.Op("=");
      return Join(n, " ");
    }
  }
  c_.Unexpected("unknown option");
}

Impl::ClusterOptions::Replica Impl::ParseReplicaOptions(const std::string& name) {
  ClusterOptions::Replica r;
  r.name = name;
  c_.ExpectOp("(");
  while (!c_.Op(")")) {
    std::string opt = ParseOptionName();
    if (opt == "size") {
      r.size = c_.Value();
    } else if (opt == "availability zone") {
      r.availability_zone = c_.Value();
    } else if (opt.find("addresses") != std::string::npos) {
      r.unsized = true;
      if (c_.Peek() != nullptr && (c_.Peek()->IsOp("[") || c_.Peek()->IsOp("("))) {
        // [ 'a', 'b' ] — skip the list
        int depth = 0;
        do {
          if (c_.Op("[") || c_.Op("(")) {
            ++depth;
          } else if (c_.Op("]") || c_.Op(")")) {
            --depth;
          } else {
            c_.set_pos(c_.pos() + 1);
          }
        } while (depth > 0);
      } else {
        c_.Value();
      }
    } else {
      c_.Value();
    }
    c_.Op(",");
  }
  return r;
}

void Impl::ParseClusterOption(ClusterOptions& o) {
  std::string opt = ParseOptionName();
  if (opt == "size") {
    o.size = c_.Value();
  } else if (opt == "replication factor") {
    o.replication_factor = std::stoi(c_.Value());
  } else if (opt == "schedule") {
    if (c_.Word("manual")) {
      o.schedule = "manual";
    } else if (c_.Words({"on", "refresh"})) {
      o.schedule = "on-refresh";
      if (c_.Op("(")) {
        while (!c_.Op(")")) {
          std::string sub = ParseOptionName();
          if (sub != "hydration time estimate") c_.Unexpected("unknown ON REFRESH option");
          o.hydration_estimate = c_.String();
          c_.Op(",");
        }
      }
    } else {
      c_.Unexpected("expected MANUAL or ON REFRESH");
    }
  } else if (opt == "auto scaling strategy") {
    o.has_strategy = true;
    c_.ExpectOp("(");
    if (c_.Words({"on", "hydration"})) {
      c_.ExpectOp("(");
      while (!c_.Op(")")) {
        std::string sub = ParseOptionName();
        if (sub == "hydration size") {
          o.hydration_size = c_.String();
        } else if (sub == "linger duration") {
          o.linger = c_.String();
        } else {
          c_.Unexpected("unknown ON HYDRATION option");
        }
        c_.Op(",");
      }
    }
    c_.ExpectOp(")");
  } else if (opt == "managed") {
    o.managed = !(c_.Word("false"));
    if (o.managed.value()) c_.Word("true");
  } else if (opt == "availability zones") {
    std::vector<std::string> zones;
    if (!c_.Op("(")) c_.ExpectOp("[");
    while (!c_.Op(")") && !c_.Op("]")) {
      zones.push_back(c_.String());
      c_.Op(",");
    }
    o.availability_zones = zones;
  } else if (opt == "introspection interval") {
    o.introspection_interval = c_.Value();
  } else if (opt == "introspection debugging") {
    o.introspection_debugging = c_.Value() == "true";
  } else if (opt == "disk") {
    o.disk = c_.Value() == "true";
  } else if (opt == "replicas") {
    std::vector<ClusterOptions::Replica> replicas;
    c_.ExpectOp("(");
    while (!c_.Op(")")) {
      std::string name = c_.Name();
      replicas.push_back(ParseReplicaOptions(name));
      c_.Op(",");
    }
    o.replicas = replicas;
  } else {
    c_.Value();
  }
}

void Impl::AddReplica(const std::string& cluster_id, const std::string& owner,
                      const ClusterOptions::Replica& r) {
  if (!r.size && !r.unsized) Fail("42601", "mzemu: replica " + r.name + " needs SIZE");
  Q("INSERT INTO mz_catalog.mz_cluster_replicas VALUES (mzemu.new_id('replica'), $1, $2, $3, $4, $5, false)",
    {r.name, cluster_id, r.size, r.availability_zone, owner});
}

void Impl::SyncManagedReplicas(const std::string& cluster_id) {
  Outcome c =
      Q("SELECT size, coalesce(replication_factor, 0), owner_id FROM "
        "mz_catalog.mz_clusters WHERE id = $1",
        {cluster_id});
  std::string size = c.Get(0, 0);
  int rf = std::stoi(c.Get(0, 1));
  // Replicas of another size are replaced (new ids), like a managed size change.
  Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND (size IS DISTINCT FROM "
    "$2 OR name !~ '^r[0-9]+$' OR substr(name, 2)::int > $3)",
    {cluster_id, size, std::to_string(rf)});
  for (int i = 1; i <= rf; ++i) {
    std::string name = "r" + std::to_string(i);
    if (Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
           {cluster_id, name})
            .empty()) {
      ClusterOptions::Replica r;
      r.name = name;
      r.size = size;
      AddReplica(cluster_id, c.Get(0, 2), r);
    }
  }
}

void Impl::ApplyClusterOptions(const ClusterRef& cluster, const ClusterOptions& o, bool create) {
  bool managed = create ? !o.replicas.has_value() && o.managed.value_or(true) : cluster.managed;
  if (!create && o.replicas)
    Fail("0A000", "mzemu: ALTER CLUSTER ... SET (REPLICAS) is not supported");
  if (managed) {
    std::string current_schedule =
        create ? "manual"
               : Q1("SELECT type FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1",
                    {cluster.id});
    std::string schedule =
        o.schedule.value_or(current_schedule.empty() ? "manual" : current_schedule);
    if (create && !o.size)
      Fail("42601", "mzemu: CREATE CLUSTER requires SIZE for a managed cluster");
    if (o.replication_factor && schedule != "manual") {
      Fail("22023",
           "REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL");
    }
    if (o.has_strategy && o.hydration_size) {
      if (schedule != "manual") {
        Fail("22023", "AUTO SCALING STRATEGY requires SCHEDULE = MANUAL");
      }
      std::string size = o.size.value_or(
          Q1("SELECT size FROM mz_catalog.mz_clusters WHERE id = $1", {cluster.id}));
      if (*o.hydration_size == size) {
        Fail("22023", "HYDRATION SIZE must differ from the cluster SIZE");
      }
    }
    if (o.size)
      Q("UPDATE mz_catalog.mz_clusters SET size = $2 WHERE id = $1", {cluster.id, *o.size});
    if (o.schedule) {
      Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cluster.id});
      Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, $2, $3::interval)",
        {cluster.id, schedule, o.hydration_estimate});
    }
    if (schedule == "on-refresh") {
      // The scheduler keeps an ON REFRESH cluster off (no replicas) between refreshes.
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = 0 WHERE id = $1", {cluster.id});
    } else if (o.replication_factor) {
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = $2 WHERE id = $1",
        {cluster.id, std::to_string(*o.replication_factor)});
    } else if (o.schedule && !create) {
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = 1 WHERE id = $1", {cluster.id});
    }
    if (o.has_strategy) {
      Q("DELETE FROM mz_internal.mz_cluster_auto_scaling_strategies WHERE cluster_id = $1",
        {cluster.id});
      if (o.hydration_size) {
        Q("INSERT INTO mz_internal.mz_cluster_auto_scaling_strategies VALUES ($1, "
          "jsonb_build_object('on_hydration', jsonb_strip_nulls(jsonb_build_object("
          "'hydration_size', $2::text, 'linger_duration', CASE WHEN $3::text IS NULL THEN NULL "
          "ELSE "
          "jsonb_build_object('secs', floor(extract(epoch FROM $3::interval))::bigint, 'nanos', "
          "((extract(epoch FROM $3::interval) * 1000000000)::numeric % 1000000000)::bigint) "
          "END))))",
          {cluster.id, *o.hydration_size, o.linger});
      }
    }
    SyncManagedReplicas(cluster.id);
  } else {
    if (o.size || o.replication_factor || o.schedule || o.has_strategy) {
      Fail("0A000",
           "mzemu: SIZE/REPLICATION FACTOR/SCHEDULE/AUTO SCALING STRATEGY need a "
           "managed cluster");
    }
    if (o.replicas) {
      for (const auto& r : *o.replicas) AddReplica(cluster.id, cluster.owner_id, r);
    }
  }
  if (o.availability_zones) {
    std::string arr = "{";
    for (size_t i = 0; i < o.availability_zones->size(); ++i) {
      arr += (i ? "," : "") + QuoteIdent((*o.availability_zones)[i]);
    }
    Q("UPDATE mz_catalog.mz_clusters SET availability_zones = $2::text[] WHERE id = $1",
      {cluster.id, arr + "}"});
  }
  if (o.introspection_interval) {
    Q("UPDATE mz_catalog.mz_clusters SET introspection_interval = $2::interval WHERE id = $1",
      {cluster.id, *o.introspection_interval});
  }
  if (o.introspection_debugging) {
    Q("UPDATE mz_catalog.mz_clusters SET introspection_debugging = $2 WHERE id = $1",
      {cluster.id, *o.introspection_debugging ? "true" : "false"});
  }
  if (o.disk) {
    Q("UPDATE mz_catalog.mz_clusters SET disk = $2 WHERE id = $1",
      {cluster.id, *o.disk ? "true" : "false"});
  }
}

std::string Impl::CreateCluster() {
  std::string name = c_.Name();
  ClusterOptions o;
  if (c_.Op("(")) {
    while (!c_.Op(")")) {
      ParseClusterOption(o);
      c_.Op(",");
    }
  } else {
    while (!c_.AtEnd()) {
      ParseClusterOption(o);
      c_.Op(",");
    }
  }
  c_.ExpectEnd();
  if (FindCluster(name)) Fail(kAlreadyExists, "cluster '" + name + "' already exists");
  if (!True("SELECT mz_catalog.has_system_privilege('CREATECLUSTER')")) {
    Fail("42501", "permission denied for SYSTEM",
         "The '" + session_.role() + "' role needs CREATECLUSTER privileges on SYSTEM");
  }
  std::string owner = RoleId();
  bool managed = !o.replicas.has_value() && o.managed.value_or(true);
  std::string id =
      Q1("INSERT INTO mz_catalog.mz_clusters VALUES (mzemu.new_id('cluster'), $1, $2, "
         "ARRAY[$2 || '=UC/' || $2]::mz_catalog.mz_aclitem[], $3, NULL, $4::bigint, false, '{}', "
         "false, '1 s') RETURNING id",
         {name, owner, managed ? "true" : "false",
          managed ? std::optional<std::string>("1") : std::nullopt});
  if (managed && !o.schedule) {
    Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, 'manual', NULL)", {id});
  }
  ApplyClusterOptions(ClusterRef{id, name, owner, managed}, o, /*create=*/true);
  return "CREATE CLUSTER";
}

std::string Impl::CreateClusterReplica() {
  std::vector<std::string> parts = c_.QualifiedName();
  if (parts.size() != 2) Fail("42601", "mzemu: CREATE CLUSTER REPLICA needs cluster.replica");
  ClusterRef cluster = GetCluster(parts[0]);
  if (cluster.managed) {
    Fail("0A000", "cannot create more replicas in a managed cluster",
         "Use ALTER CLUSTER to adjust the replication factor of the cluster.");
  }
  RequireOwner(cluster.owner_id, "CLUSTER " + cluster.name);
  ClusterOptions::Replica r;
  if (c_.Peek() != nullptr && c_.Peek()->IsOp("(")) {
    r = ParseReplicaOptions(parts[1]);
  } else {
    r.name = parts[1];
    while (!c_.AtEnd()) {
      std::string opt = ParseOptionName();
      if (opt == "size") {
        r.size = c_.Value();
      } else if (opt == "availability zone") {
        r.availability_zone = c_.Value();
      } else {
        c_.Value();
      }
      c_.Op(",");
    }
  }
  if (!Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
          {cluster.id, r.name})
           .empty()) {
    Fail(kAlreadyExists, "cluster replica '" + parts[0] + "." + r.name + "' already exists");
  }
  AddReplica(cluster.id, cluster.owner_id, r);
  return "CREATE CLUSTER REPLICA";
}

std::string Impl::CreateRole() {
  std::string name = c_.Name();
  c_.Word("with");
  bool super = false;
  bool login = false;
  while (!c_.AtEnd()) {
    std::string opt = c_.Value();
    if (opt == "superuser") super = true;
    if (opt == "login") login = true;
    if (opt == "password") c_.Value();
  }
  if (!True("SELECT mz_catalog.has_system_privilege('CREATEROLE')")) {
    Fail("42501", "permission denied for SYSTEM",
         "The '" + session_.role() + "' role needs CREATEROLE privileges on SYSTEM");
  }
  if (super && !IsSuperuser()) Fail("42501", "must be superuser to create superusers");
  if (!Q1("SELECT id FROM mz_catalog.mz_roles WHERE name = $1", {name}).empty()) {
    Fail(kAlreadyExists, "role '" + name + "' already exists");
  }
  Q("INSERT INTO mz_catalog.mz_roles VALUES (mzemu.new_id('role'), mzemu.new_oid(), $1, true, $2, $3)",
    {name, login ? "true" : "false", super ? "true" : "false"});
  return "CREATE ROLE";
}

std::string Impl::CreateItem() {
  bool or_replace = c_.Words({"or", "replace"});
  c_.Word("temporary");
  c_.Word("temp");
  if (c_.Word("table")) return CreateRelation(or_replace, "table");
  if (c_.Word("view")) return CreateRelation(or_replace, "view");
  if (c_.Words({"materialized", "view"})) return CreateRelation(or_replace, "materialized-view");
  if (c_.Word("default")) {
    c_.Expect("index");
    return CreateIndex();
  }
  if (c_.Word("index")) return CreateIndex();
  if (c_.Word("source")) return CreateSource();
  if (c_.Word("sink")) return CreateSink();
  if (c_.Word("connection")) return CreateConnectionOrSecret("connection");
  if (c_.Word("secret")) return CreateConnectionOrSecret("secret");
  Fail("42601", "mzemu: unsupported statement: " + c_.stmt().text);
}

std::string Impl::CreateRelation(bool or_replace, const std::string& type) {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  auto [schema, name] = NewItemName(c_.QualifiedName());
  std::string tag = "CREATE " + TypeWord(type);
  if (auto existing = FindItem({schema.name, name})) {
    if (if_not_exists) return tag;
    if (!or_replace || existing->type != type) {
      Fail(kAlreadyExists, "catalog item '" + name + "' already exists");
    }
    RequireOwner(existing->owner_id, TypeWord(type) + " " + name);
    DropItemsChecked({existing->id}, /*cascade=*/false, TypeWord(type) + " \"" + name + "\"");
  }
  std::string cols;
  if (type != "table" && c_.Peek() != nullptr && c_.Peek()->IsOp("(")) {
    size_t start = c_.pos();
    c_.SkipParens();
    cols = c_.stmt().text.substr(c_.stmt().tokens[start].begin, c_.stmt().tokens[c_.pos() - 1].end -
                                                                    c_.stmt().tokens[start].begin);
  }
  std::string cluster_id;
  if (type == "materialized-view") cluster_id = ParseInCluster();
  std::string pg_sql;
  std::string definition;
  if (type == "table") {
    if (c_.Word("from")) Fail("0A000", "mzemu: CREATE TABLE ... FROM SOURCE is not supported");
    pg_sql = "CREATE TABLE " + QualifiedPg(schema.name, name) + " " + c_.TextFrom(c_.pos());
  } else {
    if (c_.Word("with")) c_.SkipParens();
    c_.Expect("as");
    definition = c_.TextFrom(c_.pos());
    pg_sql = "CREATE VIEW " + QualifiedPg(schema.name, name) + " " + cols + " AS " + definition;
  }
  std::string create_sql = "CREATE " + TypeWord(type) + " " + FullName(schema.name, name) +
                           (cluster_id.empty() ? "" : " IN CLUSTER [" + cluster_id + "]") +
                           (definition.empty() ? " " + c_.TextFrom(c_.pos()) : " AS " + definition);
  std::string id =
      InsertItem(type, schema, name, cluster_id, type == "table" ? "table" : "view", create_sql);
  if (!definition.empty()) {
    Q("UPDATE mzemu.objects SET definition = $2 WHERE id = $1", {id, definition});
  }
  Q(pg_sql);
  Q("GRANT ALL ON " + QualifiedPg(schema.name, name) + " TO PUBLIC");
  if (type != "table") RecordPgDependencies(id, schema, name);
  return tag;
}

std::string Impl::CreateIndex() {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  std::string name;
  if (!c_.PeekWord("in") && !c_.PeekWord("on")) name = c_.Name();
  std::string cluster_id = ParseInCluster();
  c_.Expect("on");
  ItemRef on = GetItem(c_.QualifiedName());
  if (on.type != "table" && on.type != "view" && on.type != "materialized-view" &&
      on.type != "source") {
    Fail("42809", "cannot create index on " + TypeWord(on.type) + " \"" + on.name + "\"");
  }
  std::string rest = c_.TextFrom(c_.pos());
  if (name.empty()) {
    std::string cols;
    for (size_t i = c_.pos(); i < c_.stmt().tokens.size(); ++i) {
      if (c_.stmt().tokens[i].IsName()) cols += "_" + c_.stmt().tokens[i].text;
    }
    if (cols.rfind("_using_arrangement", 0) == 0) cols = cols.substr(18);
    name = on.name + (cols.empty() ? "_primary" : cols) + "_idx";
  }
  SchemaRef schema{on.schema_id, on.schema_name, ""};
  if (FindItem({schema.name, name})) {
    if (if_not_exists) return "CREATE INDEX";
    Fail(kAlreadyExists, "catalog item '" + name + "' already exists");
  }
  RequireOwner(on.owner_id, TypeWord(on.type) + " " + on.name);
  std::string id = InsertItem("index", schema, name, cluster_id, "",
                              "CREATE INDEX " + QuoteIdent(name) + " IN CLUSTER [" + cluster_id +
                                  "] ON " + FullName(on.schema_name, on.name) + " " + rest);
  Q("UPDATE mzemu.objects SET on_id = $2 WHERE id = $1", {id, on.id});
  AddDependency(id, on.id);
  return "CREATE INDEX";
}

std::string Impl::CreateSource() {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  auto [schema, name] = NewItemName(c_.QualifiedName());
  if (FindItem({schema.name, name})) {
    if (if_not_exists) return "CREATE SOURCE";
    Fail(kAlreadyExists, "catalog item '" + name + "' already exists");
  }
  std::string cluster_id = ParseInCluster();
  c_.Expect("from");
  std::string subtype;
  std::string columns = "(data text)";
  std::string connection_id;
  if (c_.Words({"load", "generator"})) {
    subtype = "load-generator";
    if (c_.Word("counter")) columns = "(counter bigint)";
  } else if (c_.Word("webhook")) {
    subtype = "webhook";
    columns = "(body text)";
  } else {
    subtype = c_.Value();
    if (c_.Word("connection")) connection_id = GetItem(c_.QualifiedName(), "connection").id;
  }
  std::string create_sql = "CREATE SOURCE " + FullName(schema.name, name) + " IN CLUSTER [" +
                           cluster_id + "] " + c_.TextFrom(0);
  std::string id = InsertItem("source", schema, name, cluster_id, "table", create_sql);
  Q("UPDATE mzemu.objects SET subtype = $2, connection_id = $3 WHERE id = $1",
    {id, subtype,
     connection_id.empty() ? std::nullopt : std::optional<std::string>(connection_id)});
  if (!connection_id.empty()) AddDependency(id, connection_id);
  Q("CREATE TABLE " + QualifiedPg(schema.name, name) + " " + columns);
  Q("GRANT ALL ON " + QualifiedPg(schema.name, name) + " TO PUBLIC");
  return "CREATE SOURCE";
}

std::string Impl::CreateSink() {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  auto [schema, name] = NewItemName(c_.QualifiedName());
  if (FindItem({schema.name, name})) {
    if (if_not_exists) return "CREATE SINK";
    Fail(kAlreadyExists, "catalog item '" + name + "' already exists");
  }
  std::string cluster_id = ParseInCluster();
  c_.Expect("from");
  ItemRef from = GetItem(c_.QualifiedName());
  if (from.type != "table" && from.type != "view" && from.type != "materialized-view" &&
      from.type != "source") {
    Fail("42809", "\"" + from.name + "\" is a " + TypeWord(from.type) + ", which cannot be sunk");
  }
  c_.Expect("into");
  std::string subtype = c_.Value();
  c_.Expect("connection");
  ItemRef conn = GetItem(c_.QualifiedName(), "connection");
  std::string rest = c_.TextFrom(c_.pos());
  std::string key_format, value_format, envelope;
  while (!c_.AtEnd()) {
    if (c_.Words({"key", "format"})) {
      key_format = c_.Value();
    } else if (c_.Words({"value", "format"})) {
      value_format = c_.Value();
    } else if (c_.Word("format")) {
      key_format = value_format = c_.Value();
    } else if (c_.Word("envelope")) {
      envelope = c_.Value();
    } else {
      c_.set_pos(c_.pos() + 1);
    }
  }
  if (!IsSuperuser()) {
    RequirePriv("mzemu.objects", from.id, "SELECT", TypeWord(from.type) + " \"" + from.name + "\"");
  }
  std::string create_sql =
      "CREATE SINK " + FullName(schema.name, name) + " IN CLUSTER [" + cluster_id + "] FROM [" +
      from.id + " AS " + FullName(from.schema_name, from.name) + "] INTO " + Upper(subtype) +
      " CONNECTION [" + conn.id + " AS " + FullName(conn.schema_name, conn.name) + "] " + rest;
  std::string id = InsertItem("sink", schema, name, cluster_id, "", create_sql);
  auto opt = [](const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
  };
  Q("UPDATE mzemu.objects SET subtype = $2, connection_id = $3, key_format = $4, "
    "value_format = $5, envelope_type = $6 WHERE id = $1",
    {id, subtype, conn.id, opt(key_format), opt(value_format), opt(envelope)});
  AddDependency(id, from.id);
  AddDependency(id, conn.id);
  return "CREATE SINK";
}

std::string Impl::CreateConnectionOrSecret(const std::string& type) {
  bool if_not_exists = c_.Words({"if", "not", "exists"});
  auto [schema, name] = NewItemName(c_.QualifiedName());
  std::string tag = "CREATE " + Upper(type);
  if (FindItem({schema.name, name})) {
    if (if_not_exists) return tag;
    Fail(kAlreadyExists, "catalog item '" + name + "' already exists");
  }
  std::string subtype;
  if (type == "connection") {
    c_.Expect("to");
    while (!c_.AtEnd() && c_.Peek()->kind == TokenKind::kIdent) {
      subtype += (subtype.empty() ? "" : "-") + c_.Value();
    }
  }
  std::string id = InsertItem(type, schema, name, "", "",
                              "CREATE " + Upper(type) + " " + FullName(schema.name, name));
  if (!subtype.empty()) Q("UPDATE mzemu.objects SET subtype = $2 WHERE id = $1", {id, subtype});
  return tag;
}

// ---------------------------------------------------------------------------------------------
// ALTER

std::string Impl::Alter() {
  if (c_.Words({"default", "privileges"})) return AlterDefaultPrivileges();
  std::string kind = ParseKind();
  bool if_exists = c_.Words({"if", "exists"});
  std::vector<std::string> name = c_.QualifiedName();
  if (c_.Words({"swap", "with"})) return AlterSwap(kind, name, if_exists);
  if (c_.Words({"rename", "to"})) return AlterRename(kind, name);
  if (c_.Words({"owner", "to"})) return AlterOwner(kind, name);
  if (kind == "sink" && c_.Words({"set", "from"})) return AlterSinkSetFrom(name);
  if (kind == "cluster" && c_.Word("set")) return AlterClusterOptions(name, false);
  if (kind == "cluster" && c_.Word("reset")) return AlterClusterOptions(name, true);
  Fail("42601", "mzemu: unsupported statement: " + c_.stmt().text);
}

std::string Impl::AlterSwap(const std::string& kind, const std::vector<std::string>& a,
                            bool if_exists) {
  std::string b = c_.Name();
  c_.ExpectEnd();
  if (kind == "schema") {
    auto sa = FindSchema(a);
    if (!sa) {
      if (if_exists) return "ALTER SCHEMA";
      Fail("3F000", "unknown schema '" + Join(a, ".") + "'");
    }
    SchemaRef sb = GetSchema({b});
    if (sa->id[0] != 'u' || sb.id[0] != 'u') Fail("42832", "cannot swap system schemas");
    RequireOwner(sa->owner_id, "SCHEMA " + QuoteIdent(DbName()) + "." + QuoteIdent(sa->name));
    RequireOwner(sb.owner_id, "SCHEMA " + QuoteIdent(DbName()) + "." + QuoteIdent(sb.name));
    std::string tmp = "mz_schema_swap_" + sa->id;
    Q("UPDATE mz_catalog.mz_schemas SET name = CASE id WHEN $1 THEN $3 ELSE $4 END "
      "WHERE id IN ($1, $2)",
      {sa->id, sb.id, sb.name, sa->name});
    Q("ALTER SCHEMA " + QuoteIdent(sa->name) + " RENAME TO " + QuoteIdent(tmp));
    Q("ALTER SCHEMA " + QuoteIdent(sb.name) + " RENAME TO " + QuoteIdent(sa->name));
    Q("ALTER SCHEMA " + QuoteIdent(tmp) + " RENAME TO " + QuoteIdent(sb.name));
    return "ALTER SCHEMA";
  }
  if (kind == "cluster") {
    if (a.size() != 1) Fail("42601", "mzemu: cluster names have one part");
    auto ca = FindCluster(a[0]);
    if (!ca) {
      if (if_exists) return "ALTER CLUSTER";
      Fail("42704", "unknown cluster '" + a[0] + "'");
    }
    ClusterRef cb = GetCluster(b);
    if (ca->id[0] != 'u' || cb.id[0] != 'u') Fail("42832", "cannot swap system clusters");
    RequireOwner(ca->owner_id, "CLUSTER " + QuoteIdent(ca->name));
    RequireOwner(cb.owner_id, "CLUSTER " + QuoteIdent(cb.name));
    Q("UPDATE mz_catalog.mz_clusters SET name = 'mz_cluster_swap_' || id WHERE id IN ($1, $2)",
      {ca->id, cb.id});
    Q("UPDATE mz_catalog.mz_clusters SET name = CASE id WHEN $1 THEN $3 ELSE $4 END "
      "WHERE id IN ($1, $2)",
      {ca->id, cb.id, cb.name, ca->name});
    return "ALTER CLUSTER";
  }
  Fail("0A000", "mzemu: SWAP is only supported for SCHEMA and CLUSTER");
}

std::string Impl::AlterRename(const std::string& kind, const std::vector<std::string>& a) {
  std::string to = c_.Name();
  c_.ExpectEnd();
  std::string tag = "ALTER " + TypeWord(kind);
  if (kind == "schema") {
    SchemaRef s = GetSchema(a);
    RequireOwner(s.owner_id, "SCHEMA " + s.name);
    if (FindSchema({to})) Fail(kAlreadyExists, "schema '" + to + "' already exists");
    Q("UPDATE mz_catalog.mz_schemas SET name = $2 WHERE id = $1", {s.id, to});
    Q("ALTER SCHEMA " + QuoteIdent(s.name) + " RENAME TO " + QuoteIdent(to));
    return tag;
  }
  if (kind == "cluster") {
    ClusterRef cl = GetCluster(a.back());
    RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
    if (FindCluster(to)) Fail(kAlreadyExists, "cluster '" + to + "' already exists");
    Q("UPDATE mz_catalog.mz_clusters SET name = $2 WHERE id = $1", {cl.id, to});
    return tag;
  }
  if (kind == "cluster-replica") {
    if (a.size() != 2) Fail("42601", "mzemu: expected cluster.replica");
    ClusterRef cl = GetCluster(a[0]);
    RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
    Outcome o =
        Q("UPDATE mz_catalog.mz_cluster_replicas SET name = $3 WHERE cluster_id = $1 AND "
          "name = $2 RETURNING id",
          {cl.id, a[1], to});
    if (o.rows.empty()) Fail("42704", "unknown cluster replica '" + Join(a, ".") + "'");
    return tag;
  }
  if (kind == "role" || kind == "database" || kind == "type") {
    Fail("0A000", "mzemu: ALTER " + TypeWord(kind) + " ... RENAME is not supported");
  }
  ItemRef item = GetItem(a, kind);
  RequireOwner(item.owner_id, TypeWord(kind) + " " + item.name);
  if (FindItem({item.schema_name, to})) {
    Fail(kAlreadyExists, "catalog item '" + to + "' already exists");
  }
  Q("UPDATE mzemu.objects SET name = $2 WHERE id = $1", {item.id, to});
  if (!item.pg_kind.empty()) {
    Q("ALTER " + Upper(item.pg_kind) + " " + QualifiedPg(item.schema_name, item.name) +
      " RENAME TO " + QuoteIdent(to));
  }
  return tag;
}

std::string Impl::AlterOwner(const std::string& kind, const std::vector<std::string>& a) {
  std::string role = c_.Name();
  c_.ExpectEnd();
  std::string new_owner = GetRoleId(role);
  if (!IsOwner(new_owner)) Fail("42501", "must be a member of " + QuoteIdent(role));
  std::string table, id, owner;
  if (kind == "schema") {
    SchemaRef s = GetSchema(a);
    table = "mz_catalog.mz_schemas", id = s.id, owner = s.owner_id;
  } else if (kind == "cluster") {
    ClusterRef cl = GetCluster(a.back());
    table = "mz_catalog.mz_clusters", id = cl.id, owner = cl.owner_id;
  } else if (kind == "database") {
    if (a.back() != DbName()) Fail("3D000", "unknown database '" + a.back() + "'");
    table = "mz_catalog.mz_databases", id = DbId();
    owner = Q1("SELECT owner_id FROM mz_catalog.mz_databases WHERE id = $1", {id});
  } else if (kind == "cluster-replica") {
    Fail("0A000", "mzemu: ALTER CLUSTER REPLICA ... OWNER TO is not supported");
  } else {
    ItemRef item = GetItem(a, kind);
    table = "mzemu.objects", id = item.id, owner = item.owner_id;
  }
  RequireOwner(owner, TypeWord(kind) + " " + a.back());
  Q("UPDATE " + table +
        " SET owner_id = $2, privileges = mzemu.acl_reown(privileges, $3, $2) "
        "WHERE id = $1",
    {id, new_owner, owner});
  return "ALTER " + TypeWord(kind);
}

std::string Impl::AlterSinkSetFrom(const std::vector<std::string>& a) {
  std::vector<std::string> rel = c_.QualifiedName();
  c_.ExpectEnd();
  ItemRef sink = GetItem(a, "sink");
  ItemRef from = GetItem(rel);
  if (from.type != "table" && from.type != "view" && from.type != "materialized-view" &&
      from.type != "source") {
    Fail("42809", "\"" + from.name + "\" is a " + TypeWord(from.type) + ", which cannot be sunk");
  }
  RequireOwner(sink.owner_id, "SINK " + sink.name);
  if (!IsSuperuser()) {
    RequirePriv("mzemu.objects", from.id, "SELECT", TypeWord(from.type) + " \"" + from.name + "\"");
    RequirePriv("mz_catalog.mz_clusters", sink.cluster_id, "CREATE", "CLUSTER");
  }
  Q("DELETE FROM mz_internal.mz_object_dependencies d USING mzemu.objects o WHERE d.object_id = $1 "
    "AND o.id = d.referenced_object_id AND o.type <> 'connection'",
    {sink.id});
  AddDependency(sink.id, from.id);
  Q("UPDATE mzemu.objects SET create_sql = regexp_replace(create_sql, ' FROM \\[[^]]*\\]', "
    "' FROM [' || $2 || ' AS ' || $3 || ']') WHERE id = $1",
    {sink.id, from.id, FullName(from.schema_name, from.name)});
  return "ALTER SINK";
}

std::string Impl::AlterClusterOptions(const std::vector<std::string>& a, bool reset) {
  ClusterRef cl = GetCluster(a.back());
  RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
  ClusterOptions o;
  c_.ExpectOp("(");
  while (!c_.Op(")")) {
    if (reset) {
      std::string opt = ParseOptionName();
      if (opt == "auto scaling strategy") {
        o.has_strategy = true;
      } else if (opt == "schedule") {
        o.schedule = "manual";
      } else if (opt == "replication factor") {
        o.replication_factor = 1;
      } else {
        Fail("0A000", "mzemu: RESET (" + Upper(opt) + ") is not supported");
      }
    } else {
      ParseClusterOption(o);
    }
    c_.Op(",");
  }
  c_.ExpectEnd();
  ApplyClusterOptions(cl, o, /*create=*/false);
  return "ALTER CLUSTER";
}

std::string Impl::AlterDefaultPrivileges() {
  std::vector<std::string> roles;
  if (c_.Words({"for", "all", "roles"})) {
    if (!IsSuperuser()) Fail("42501", "permission denied: FOR ALL ROLES requires superuser");
    roles.push_back("p");
  } else if (c_.Word("for")) {
    if (!c_.Word("role")) c_.Expect("user");
    // doc/user/content/sql/alter-default-privileges.md "Privileges": role membership in
    // role_name; superuser status if the target role is PUBLIC or ALL ROLES is specified
    // (rbac.rs: AlterDefaultPrivileges → Unauthorized → 42501).
    for (const auto& r : c_.NameList()) {
      std::string id = GetRoleId(r.back(), /*allow_public=*/true);
      if (id == "p") {
        if (!IsSuperuser()) {
          Fail("42501", "permission denied: FOR ROLE PUBLIC requires superuser");
        }
      } else if (!IsOwner(id)) {
        Fail("42501", "must be a member of " + QuoteIdent(r.back()));
      }
      roles.push_back(id);
    }
  } else {
    roles.push_back(RoleId());
  }
  std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>> targets;
  if (c_.Words({"in", "schema"})) {
    for (const auto& s : c_.NameList()) targets.push_back({DbId(), GetSchema(s).id});
  } else if (c_.Words({"in", "database"})) {
    for (const auto& d : c_.NameList()) {
      if (d.back() != DbName()) Fail("3D000", "unknown database '" + d.back() + "'");
      targets.push_back({DbId(), std::nullopt});
    }
  } else {
    targets.push_back({std::nullopt, std::nullopt});
  }
  bool grant = c_.Word("grant");
  if (!grant) c_.Expect("revoke");
  std::string letters;
  bool all = false;
  if (c_.Word("all")) {
    c_.Word("privileges");
    all = true;
  } else {
    do {
      letters += PrivLetter(c_.Value());
    } while (c_.Op(","));
  }
  c_.Expect("on");
  std::string plural = c_.Value();
  std::string object_type = plural.substr(0, plural.size() - 1);
  if (object_type != "table" && object_type != "type" && object_type != "secret" &&
      object_type != "connection" && object_type != "database" && object_type != "schema" &&
      object_type != "cluster") {
    Fail("42601", "mzemu: unknown object type " + Upper(plural));
  }
  if (all) letters = AllLetters(object_type);
  if (grant) {
    c_.Expect("to");
  } else {
    c_.Expect("from");
  }
  std::vector<std::string> grantees;
  for (const auto& g : c_.NameList()) grantees.push_back(GetRoleId(g.back(), true));
  c_.ExpectEnd();
  for (const auto& role : roles) {
    for (const auto& [db, schema] : targets) {
      for (const auto& grantee : grantees) {
        std::string current =
            Q1("SELECT privileges FROM mz_catalog.mz_default_privileges WHERE role_id = $1 AND "
               "database_id IS NOT DISTINCT FROM $2 AND schema_id IS NOT DISTINCT FROM $3 AND "
               "object_type = $4 AND grantee = $5",
               {role, db, schema, object_type, grantee});
        std::string next = current;
        if (grant) {
          next = Q1("SELECT mzemu.canon($1)", {current + letters});
        } else {
          next = Q1("SELECT coalesce(mzemu.canon(translate($1, $2, '')), '')", {current, letters});
        }
        Q("DELETE FROM mz_catalog.mz_default_privileges WHERE role_id = $1 AND "
          "database_id IS NOT DISTINCT FROM $2 AND schema_id IS NOT DISTINCT FROM $3 AND "
          "object_type = $4 AND grantee = $5",
          {role, db, schema, object_type, grantee});
        if (!next.empty()) {
          Q("INSERT INTO mz_catalog.mz_default_privileges VALUES ($1, $2, $3, $4, $5, $6)",
            {role, db, schema, object_type, grantee, next});
        }
      }
    }
  }
  return "ALTER DEFAULT PRIVILEGES";
}

// ---------------------------------------------------------------------------------------------
// COMMENT, GRANT/REVOKE

std::string Impl::Comment() {
  std::string kind = ParseKind();
  std::vector<std::string> name = c_.QualifiedName();
  c_.Expect("is");
  std::optional<std::string> text;
  if (!c_.Word("null")) text = c_.String();
  c_.ExpectEnd();
  std::string id, owner;
  if (kind == "schema") {
    SchemaRef s = GetSchema(name);
    id = s.id, owner = s.owner_id;
  } else if (kind == "cluster") {
    ClusterRef cl = GetCluster(name.back());
    id = cl.id, owner = cl.owner_id;
  } else if (kind == "cluster-replica") {
    if (name.size() != 2) Fail("42601", "mzemu: expected cluster.replica");
    ClusterRef cl = GetCluster(name[0]);
    id = Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
            {cl.id, name[1]});
    if (id.empty()) Fail("42704", "unknown cluster replica '" + Join(name, ".") + "'");
    owner = cl.owner_id;
  } else if (kind == "role") {
    id = GetRoleId(name.back());
    owner = id;
  } else if (kind == "database") {
    if (name.back() != DbName()) Fail("3D000", "unknown database '" + name.back() + "'");
    id = DbId();
    owner = Q1("SELECT owner_id FROM mz_catalog.mz_databases WHERE id = $1", {id});
  } else {
    ItemRef item = GetItem(name, kind);
    id = item.id, owner = item.owner_id;
  }
  RequireOwner(owner, TypeWord(kind) + " " + Join(name, "."));
  // Ids are per kind (a schema, a cluster and a table can all be u3): a comment is identified
  // by (id, object_type, object_sub_id), as in Materialize's mz_comments.
  Q("DELETE FROM mz_internal.mz_comments WHERE id = $1 AND object_type = $2 AND "
    "object_sub_id IS NULL",
    {id, kind});
  if (text) {
    Q("INSERT INTO mz_internal.mz_comments VALUES ($1, $2, NULL, $3)", {id, kind, *text});
  }
  return "COMMENT";
}

std::string Impl::GrantRevoke(bool grant) {
  // Role membership: GRANT r1, r2 TO m1 — no ON clause.
  bool has_on = false;
  for (const auto& t : c_.stmt().tokens) has_on = has_on || t.IsWord("on");
  if (!has_on) {
    std::vector<std::string> roles;
    for (const auto& r : c_.NameList()) roles.push_back(GetRoleId(r.back()));
    if (grant) {
      c_.Expect("to");
    } else {
      c_.Expect("from");
    }
    std::vector<std::string> members;
    for (const auto& m : c_.NameList()) members.push_back(GetRoleId(m.back()));
    c_.ExpectEnd();
    if (!True("SELECT mz_catalog.has_system_privilege('CREATEROLE')")) {
      Fail("42501", "permission denied for SYSTEM",
           "The '" + session_.role() + "' role needs CREATEROLE privileges on SYSTEM");
    }
    for (const auto& r : roles) {
      for (const auto& m : members) {
        Q("DELETE FROM mz_catalog.mz_role_members WHERE role_id = $1 AND member = $2", {r, m});
        if (grant) {
          if (True("SELECT mzemu.is_member($1, $2)", {r, m})) {
            Fail("0LP01", "granting role would create a cycle");
          }
          Q("INSERT INTO mz_catalog.mz_role_members VALUES ($1, $2, $3)", {r, m, RoleId()});
        }
      }
    }
    return grant ? "GRANT ROLE" : "REVOKE ROLE";
  }
  std::vector<std::string> words;
  bool all = false;
  if (c_.Word("all")) {
    c_.Word("privileges");
    all = true;
  } else {
    do {
      words.push_back(c_.Value());
    } while (c_.Op(","));
  }
  c_.Expect("on");
  struct Target {
    std::string table, id, owner, type, label;
  };
  std::vector<Target> targets;
  if (c_.Word("system")) {
    targets.push_back({"system", "", "s1", "system", "SYSTEM"});
  } else {
    std::string kind = "table";
    if (c_.Word("schema")) {
      kind = "schema";
    } else if (c_.Word("cluster")) {
      kind = "cluster";
    } else if (c_.Word("database")) {
      kind = "database";
    } else if (c_.Word("connection")) {
      kind = "connection";
    } else if (c_.Word("secret")) {
      kind = "secret";
    } else if (c_.Word("type")) {
      kind = "type";
    } else {
      c_.Word("table");
    }
    for (const auto& n : c_.NameList()) {
      if (kind == "schema") {
        SchemaRef s = GetSchema(n);
        targets.push_back({"mz_catalog.mz_schemas", s.id, s.owner_id, kind, "SCHEMA " + s.name});
      } else if (kind == "cluster") {
        ClusterRef cl = GetCluster(n.back());
        targets.push_back(
            {"mz_catalog.mz_clusters", cl.id, cl.owner_id, kind, "CLUSTER " + cl.name});
      } else if (kind == "database") {
        if (n.back() != DbName()) Fail("3D000", "unknown database '" + n.back() + "'");
        targets.push_back(
            {"mz_catalog.mz_databases", DbId(),
             Q1("SELECT owner_id FROM mz_catalog.mz_databases WHERE id = $1", {DbId()}), kind,
             "DATABASE " + n.back()});
      } else {
        ItemRef item = GetItem(n);
        if (kind != "table" && item.type != kind) {
          Fail("42809", "\"" + Join(n, ".") + "\" is a " + TypeWord(item.type));
        }
        targets.push_back({"mzemu.objects", item.id, item.owner_id, item.type,
                           TypeWord(item.type) + " " + item.name});
      }
    }
  }
  if (grant) {
    c_.Expect("to");
  } else {
    c_.Expect("from");
  }
  std::vector<std::string> grantees;
  for (const auto& g : c_.NameList()) grantees.push_back(GetRoleId(g.back(), true));
  c_.ExpectEnd();
  for (const auto& t : targets) {
    std::string allowed = AllLetters(t.type);
    std::string letters;
    if (all) {
      letters = allowed;
    } else {
      for (const auto& w : words) {
        std::string l = PrivLetter(w);
        if (allowed.find(l) == std::string::npos) {
          Fail("0LP01", "invalid privilege types " + Upper(w) + " for " + Upper(t.type));
        }
        letters += l;
      }
    }
    if (t.type == "system") {
      if (!IsSuperuser()) Fail("42501", "permission denied for SYSTEM");
      for (const auto& g : grantees) {
        std::string gname = g == "p" ? "" : g;
        std::string cur =
            Q1("SELECT split_part(split_part(privileges, '=', 2), '/', 1) FROM "
               "mz_catalog.mz_system_privileges WHERE split_part(privileges, '=', 1) = $1",
               {gname});
        std::string next =
            grant ? Q1("SELECT mzemu.canon($1)", {cur + letters})
                  : Q1("SELECT coalesce(mzemu.canon(translate($1, $2, '')), '')", {cur, letters});
        Q("DELETE FROM mz_catalog.mz_system_privileges WHERE split_part(privileges, '=', 1) = $1",
          {gname});
        if (!next.empty()) {
          Q("INSERT INTO mz_catalog.mz_system_privileges VALUES ($1 || '=' || $2 || '/s1')",
            {gname, next});
        }
      }
      continue;
    }
    RequireOwner(t.owner, t.label);
    for (const auto& g : grantees) {
      if (grant) {
        Q("UPDATE " + t.table +
              " SET privileges = mzemu.acl_grant(privileges, $2, $3, $4) "
              "WHERE id = $1",
          {t.id, g, t.owner, letters});
      } else {
        Q("UPDATE " + t.table +
              " SET privileges = mzemu.acl_revoke(privileges, $2, $3) "
              "WHERE id = $1",
          {t.id, g, letters});
      }
    }
  }
  return grant ? "GRANT" : "REVOKE";
}

// ---------------------------------------------------------------------------------------------
// DROP

std::string Impl::Drop() {
  std::string kind = ParseKind();
  bool if_exists = c_.Words({"if", "exists"});
  std::vector<std::vector<std::string>> names = c_.NameList();
  bool cascade = c_.Word("cascade");
  if (!cascade) c_.Word("restrict");
  c_.ExpectEnd();
  std::string tag = "DROP " + TypeWord(kind);
  for (const auto& n : names) {
    if (kind == "schema") {
      DropSchema(n, if_exists, cascade);
    } else if (kind == "cluster") {
      DropCluster(n.back(), if_exists, cascade);
    } else if (kind == "cluster-replica") {
      if (n.size() != 2) Fail("42601", "mzemu: expected cluster.replica");
      auto cl = FindCluster(n[0]);
      if (!cl) {
        if (if_exists) continue;
        Fail("42704", "unknown cluster '" + n[0] + "'");
      }
      RequireOwner(cl->owner_id, "CLUSTER " + cl->name);
      Outcome o =
          Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2 "
            "RETURNING id",
            {cl->id, n[1]});
      if (o.rows.empty() && !if_exists) {
        Fail("42704", "unknown cluster replica '" + Join(n, ".") + "'");
      }
      if (!o.rows.empty()) {
        Q("DELETE FROM mz_internal.mz_comments WHERE object_type = 'cluster-replica' AND id = $1",
          {o.Get(0)});
        Q("DELETE FROM mzemu.hydration WHERE kind = 'replica' AND target_id = $1", {o.Get(0)});
      }
    } else if (kind == "role") {
      std::string id = Q1("SELECT id FROM mz_catalog.mz_roles WHERE name = $1", {n.back()});
      if (id.empty()) {
        if (if_exists) continue;
        Fail("42704", "unknown role '" + n.back() + "'");
      }
      if (!True("SELECT mz_catalog.has_system_privilege('CREATEROLE')")) {
        Fail("42501", "permission denied for SYSTEM");
      }
      if (Q1("SELECT mzemu.owned_count($1)", {id}) != "0") {
        Fail("2BP01",
             "role \"" + n.back() + "\" cannot be dropped because some objects depend on it");
      }
      // Privileges granted to the role go with it.
      for (const char* table : {"mz_catalog.mz_databases", "mz_catalog.mz_schemas",
                                "mz_catalog.mz_clusters", "mzemu.objects"}) {
        Q(std::string("UPDATE ") + table + " SET privileges = mzemu.acl_drop_role(privileges, $1)",
          {id});
      }
      Q("DELETE FROM mz_catalog.mz_system_privileges WHERE split_part(privileges, '=', 1) = $1",
        {id});
      Q("DELETE FROM mz_catalog.mz_default_privileges WHERE role_id = $1 OR grantee = $1", {id});
      Q("DELETE FROM mz_catalog.mz_role_members WHERE role_id = $1 OR member = $1", {id});
      Q("DELETE FROM mz_internal.mz_comments WHERE object_type = 'role' AND id = $1", {id});
      Q("DELETE FROM mz_catalog.mz_roles WHERE id = $1", {id});
    } else if (kind == "database") {
      Fail("0A000", "mzemu: DROP DATABASE is not supported");
    } else {
      auto item = FindItem(n);
      if (!item) {
        if (if_exists) continue;
        Fail("42P01", "unknown catalog item '" + Join(n, ".") + "'");
      }
      if (item->type != kind) {
        Fail("42809",
             "\"" + Join(n, ".") + "\" is a " + TypeWord(item->type) + " not a " + TypeWord(kind));
      }
      RequireOwner(item->owner_id, TypeWord(kind) + " " + item->name);
      DropItemsChecked({item->id}, cascade, TypeWord(kind) + " \"" + item->name + "\"");
    }
  }
  return tag;
}

std::string Impl::DropSchema(const std::vector<std::string>& parts, bool if_exists, bool cascade) {
  auto s = FindSchema(parts);
  if (!s) {
    if (if_exists) return "DROP SCHEMA";
    Fail("3F000", "unknown schema '" + Join(parts, ".") + "'");
  }
  if (s->id[0] != 'u') Fail("42832", "cannot drop system schema '" + s->name + "'");
  RequireOwner(s->owner_id, "SCHEMA " + QuoteIdent(DbName()) + "." + QuoteIdent(s->name));
  Outcome items = Q("SELECT id FROM mzemu.objects WHERE schema_id = $1", {s->id});
  std::vector<std::string> ids;
  for (size_t r = 0; r < items.rows.size(); ++r) ids.push_back(items.Get(r));
  if (!ids.empty() && !cascade) {
    Fail("2BP01", "schema '" + DbName() + "." + s->name +
                      "' cannot be dropped without CASCADE while it contains objects");
  }
  DropItemsChecked(ids, /*cascade=*/true, "");
  Q("DROP SCHEMA IF EXISTS " + QuoteIdent(s->name) + " CASCADE");
  Q("DELETE FROM mz_internal.mz_comments WHERE id = $1 AND object_type = 'schema'", {s->id});
  Q("DELETE FROM mz_catalog.mz_default_privileges WHERE schema_id = $1", {s->id});
  Q("DELETE FROM mz_catalog.mz_schemas WHERE id = $1", {s->id});
  return "DROP SCHEMA";
}

std::string Impl::DropCluster(const std::string& name, bool if_exists, bool cascade) {
  auto cl = FindCluster(name);
  if (!cl) {
    if (if_exists) return "DROP CLUSTER";
    Fail("42704", "unknown cluster '" + name + "'");
  }
  if (cl->id[0] != 'u') Fail("42832", "cannot drop system cluster '" + name + "'");
  RequireOwner(cl->owner_id, "CLUSTER " + QuoteIdent(cl->name));
  Outcome items = Q("SELECT id FROM mzemu.objects WHERE cluster_id = $1", {cl->id});
  std::vector<std::string> ids;
  for (size_t r = 0; r < items.rows.size(); ++r) ids.push_back(items.Get(r));
  if (!ids.empty() && !cascade) {
    Fail("2BP01", "cannot drop cluster \"" + name + "\" with active objects",
         "Use DROP CLUSTER ... CASCADE to drop the objects too.");
  }
  DropItemsChecked(ids, /*cascade=*/true, "");
  Q("DELETE FROM mz_internal.mz_comments WHERE (object_type = 'cluster' AND id = $1) OR "
    "(object_type = 'cluster-replica' AND id IN (SELECT id FROM "
    "mz_catalog.mz_cluster_replicas WHERE cluster_id = $1))",
    {cl->id});
  Q("DELETE FROM mz_internal.mz_internal_cluster_replicas WHERE id IN (SELECT id FROM "
    "mz_catalog.mz_cluster_replicas WHERE cluster_id = $1)",
    {cl->id});
  Q("DELETE FROM mzemu.hydration WHERE (kind IN ('cluster', 'system') AND target_id = $1) OR "
    "(kind = 'replica' AND target_id IN (SELECT id FROM mz_catalog.mz_cluster_replicas "
    "WHERE cluster_id = $1))",
    {cl->id});
  Q("DELETE FROM mzemu.lag WHERE kind = 'cluster' AND target_id = $1", {cl->id});
  Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_internal.mz_cluster_auto_scaling_strategies WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_catalog.mz_clusters WHERE id = $1", {cl->id});
  return "DROP CLUSTER";
}

}  // namespace

Outcome DdlInterpreter::Apply(const Statement& stmt) {
  Impl impl(session_, backend_, stmt);
  try {
    return Outcome::Tag(impl.Run());
  } catch (const DdlError& e) {
    Outcome out;
    out.error = e.error;
    return out;
  } catch (const std::exception& e) {
    return Outcome::Error(
        "42601", std::string("mzemu: cannot parse statement: ") + e.what() + ": " + stmt.text);
  }
}

}  // namespace mzemu
