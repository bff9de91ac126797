// The DDL interpreter: dispatch, name resolution, schemas, roles, items, ALTER, DROP.
#include "tests/mzemu/ddl.h"

#include "tests/mzemu/ddl_impl.h"

namespace mzemu {
namespace ddl_internal {

namespace {

// transact.rs Op::CreateSchema / Op::RenameSchema: ErrorKind::ReservedSchemaName
// (src/catalog/src/memory/error.rs), a catalog error (XX000).
void CheckReservedSchemaName(const std::string& name) {
  if (IsReservedName(name)) {
    throw DdlError{SqlError{"XX000", "unacceptable schema name '" + name + "'",
                            "The prefixes \"mz_\" and \"pg_\" are reserved for system schemas.",
                            ""}};
  }
}

}  // namespace

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
    RequirePriv("mz_catalog.mz_schemas", schema.id, "CREATE",
                PrivName("SCHEMA", SchemaName(schema.name)));
    if (!cluster_id.empty()) {
      RequirePriv("mz_catalog.mz_clusters", cluster_id, "CREATE",
                  PrivName("CLUSTER", Q1("SELECT name FROM mz_catalog.mz_clusters WHERE id = $1",
                                         {cluster_id})));
    }
  }
  // The owner's privileges and the default privileges that apply (mzemu.default_acl).
  std::string id =
      Q1("INSERT INTO mzemu.objects (id, oid, schema_id, name, type, owner_id, cluster_id, "
         "privileges, pg_kind, create_sql) VALUES (mzemu.new_id('item'), mzemu.new_oid(), $1, "
         "$2, $3, $4, $5, '{}', $6, $7) RETURNING id",
         {schema.id, name, type, RoleId(),
          cluster_id.empty() ? std::nullopt : std::optional<std::string>(cluster_id),
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
    RequirePriv("mz_catalog.mz_databases", DbId(), "CREATE", PrivName("DATABASE", DbName()));
  }
  CheckReservedSchemaName(name);
  // transact.rs Op::CreateSchema: the owner's privileges and the default privileges ON SCHEMAS
  // that apply (FOR the owner or ALL ROLES, in this database or in all).
  Q("INSERT INTO mz_catalog.mz_schemas VALUES (mzemu.new_id('schema'), mzemu.new_oid(), $1, "
    "$2, $3, mzemu.default_acl($3, $1, NULL, 'schema'))",
    {DbId(), name, RoleId()});
  Q("CREATE SCHEMA " + QuoteIdent(name));
  return "CREATE SCHEMA";
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
    RequireOwner(existing->owner_id, TypeWord(type) + " " + ItemName(*existing));
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
  RequireOwner(on.owner_id, TypeWord(on.type) + " " + ItemName(on));
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
    RequirePriv("mzemu.objects", from.id, "SELECT", PrivName(TypeWord(from.type), ItemName(from)));
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
    RequireOwner(sa->owner_id, "SCHEMA " + SchemaName(sa->name));
    RequireOwner(sb.owner_id, "SCHEMA " + SchemaName(sb.name));
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
    RequireOwner(ca->owner_id, "CLUSTER " + ca->name);
    RequireOwner(cb.owner_id, "CLUSTER " + cb.name);
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
    RequireOwner(s.owner_id, "SCHEMA " + SchemaName(s.name));
    CheckReservedSchemaName(to);  // Op::RenameSchema with check_reserved_names (not SWAP)
    if (FindSchema({to})) Fail(kAlreadyExists, "schema '" + to + "' already exists");
    Q("UPDATE mz_catalog.mz_schemas SET name = $2 WHERE id = $1", {s.id, to});
    Q("ALTER SCHEMA " + QuoteIdent(s.name) + " RENAME TO " + QuoteIdent(to));
    return tag;
  }
  if (kind == "cluster") {
    ClusterRef cl = GetCluster(a.back());
    RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
    if (IsReservedName(to)) {  // transact.rs Op::RenameCluster: ReservedClusterName
      throw DdlError{SqlError{"XX000", "cluster name \"" + to + "\" is reserved",
                              "The prefixes \"mz_\" and \"pg_\" are reserved for system "
                              "clusters.",
                              ""}};
    }
    if (FindCluster(to)) Fail(kAlreadyExists, "cluster '" + to + "' already exists");
    Q("UPDATE mz_catalog.mz_clusters SET name = $2 WHERE id = $1", {cl.id, to});
    return tag;
  }
  if (kind == "cluster-replica") {
    if (a.size() != 2) Fail("42601", "mzemu: expected cluster.replica");
    ClusterRef cl = GetCluster(a[0]);
    CheckReplicaRename(cl, a[1]);
    RequireOwner(cl.owner_id, "CLUSTER REPLICA " + Join(a, "."));
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
  RequireOwner(item.owner_id, TypeWord(kind) + " " + ItemName(item));
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
  std::string table, id, owner, label = a.back();
  if (kind == "schema") {
    SchemaRef s = GetSchema(a);
    table = "mz_catalog.mz_schemas", id = s.id, owner = s.owner_id, label = SchemaName(s.name);
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
    table = "mzemu.objects", id = item.id, owner = item.owner_id, label = ItemName(item);
  }
  RequireOwner(owner, TypeWord(kind) + " " + label);
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
  RequireOwner(sink.owner_id, "SINK " + ItemName(sink));
  if (!IsSuperuser()) {
    RequirePriv("mzemu.objects", from.id, "SELECT", PrivName(TypeWord(from.type), ItemName(from)));
    RequirePriv("mz_catalog.mz_clusters", sink.cluster_id, "CREATE",
                PrivName("CLUSTER", Q1("SELECT name FROM mz_catalog.mz_clusters WHERE id = $1",
                                       {sink.cluster_id})));
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
      RequireOwner(cl->owner_id, "CLUSTER REPLICA " + Join(n, "."));
      CheckReplicaDrop(*cl, n[1]);
      Outcome o =
          Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2 "
            "RETURNING id",
            {cl->id, n[1]});
      if (o.rows.empty() && !if_exists) {
        // Materialize's CatalogError::UnknownClusterReplica wording (managed_cluster.slt).
        Fail("42704", "CLUSTER " + n[0] + " has no CLUSTER REPLICA named \"" + n[1] + "\"");
      }
      if (!o.rows.empty()) {
        Q("DELETE FROM mz_internal.mz_comments WHERE object_type = 'cluster-replica' AND id = $1",
          {o.Get(0)});
        Q("DELETE FROM mzemu.hydration WHERE kind = 'replica' AND target_id = $1", {o.Get(0)});
      }
    } else if (kind == "role") {
      DropRole(n.back(), if_exists);
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
      RequireOwner(item->owner_id, TypeWord(kind) + " " + ItemName(*item));
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
  RequireOwner(s->owner_id, "SCHEMA " + SchemaName(s->name));
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

}  // namespace ddl_internal

using ddl_internal::DdlError;
using ddl_internal::Impl;

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
