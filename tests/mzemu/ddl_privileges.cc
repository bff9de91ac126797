// The DDL interpreter: roles, ALTER DEFAULT PRIVILEGES, COMMENT ON, GRANT/REVOKE.
#include "tests/mzemu/ddl_impl.h"

namespace mzemu::ddl_internal {

// ---------------------------------------------------------------------------------------------
// Roles

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
  // rbac.rs Plan::CreateRole: CREATEROLE on SYSTEM, or being a superuser for a superuser role.
  if (super && !IsSuperuser()) {
    throw DdlError{SqlError{"42501", "permission denied to create superuser role",
                            "You must be a superuser to create superuser role", ""}};
  }
  if (!super) RequireSystemPriv("CREATEROLE");
  // transact.rs Op::CreateRole: is_reserved_role_name (catalog.rs) is the prefixes mz_ and pg_,
  // the role PUBLIC (any case: PUBLIC_ROLE_NAME is an UncasedStr) and, in current Materialize,
  // the role specifications of GRANT/SET ROLE. A catalog error: XX000 (see kAlreadyExists).
  static const std::set<std::string> kRoleSpecs = {"current_user", "current_role", "session_user",
                                                   "user", "none"};
  if (IsReservedName(name) || Upper(name) == "PUBLIC" || kRoleSpecs.count(name)) {
    throw DdlError{SqlError{"XX000", "role name \"" + name + "\" is reserved",
                            "The role \"public\" and the prefixes \"mz_\" and \"pg_\" are "
                            "reserved for system roles.",
                            ""}};
  }
  if (!Q1("SELECT id FROM mz_catalog.mz_roles WHERE name = $1", {name}).empty()) {
    Fail(kAlreadyExists, "role '" + name + "' already exists");
  }
  Q("INSERT INTO mz_catalog.mz_roles VALUES (mzemu.new_id('role'), mzemu.new_oid(), $1, true, $2, "
    "$3)",
    {name, login ? "true" : "false", super ? "true" : "false"});
  return "CREATE ROLE";
}

void Impl::DropRole(const std::string& name, bool if_exists) {
  std::string id = Q1("SELECT id FROM mz_catalog.mz_roles WHERE name = $1", {name});
  if (id.empty()) {
    if (if_exists) return;
    Fail("42704", "unknown role '" + name + "'");
  }
  RequireSystemPriv("CREATEROLE");
  if (Q1("SELECT mzemu.owned_count($1)", {id}) != "0") {
    Fail("2BP01", "role \"" + name + "\" cannot be dropped because some objects depend on it");
  }
  // Privileges granted to the role go with it.
  for (const char* table : {"mz_catalog.mz_databases", "mz_catalog.mz_schemas",
                            "mz_catalog.mz_clusters", "mzemu.objects"}) {
    Q(std::string("UPDATE ") + table + " SET privileges = mzemu.acl_drop_role(privileges, $1)",
      {id});
  }
  Q("DELETE FROM mz_catalog.mz_system_privileges WHERE "
    "split_part(mzemu.acl_raw(privileges), '=', 1) = $1",
    {id});
  Q("DELETE FROM mz_catalog.mz_default_privileges WHERE role_id = $1 OR grantee = $1", {id});
  Q("DELETE FROM mz_catalog.mz_role_members WHERE role_id = $1 OR member = $1", {id});
  Q("DELETE FROM mz_internal.mz_comments WHERE object_type = 'role' AND id = $1", {id});
  Q("DELETE FROM mz_catalog.mz_roles WHERE id = $1", {id});
}

// ---------------------------------------------------------------------------------------------
// ALTER DEFAULT PRIVILEGES

// `TO role, ...` (GRANT) or `FROM role, ...` (REVOKE) ending the statement: the role ids
// ("p" for PUBLIC when `allow_public`).
std::vector<std::string> Impl::ParseRoleList(bool grant, bool allow_public) {
  c_.Expect(grant ? "to" : "from");
  std::vector<std::string> ids;
  for (const auto& name : c_.NameList()) ids.push_back(GetRoleId(name.back(), allow_public));
  c_.ExpectEnd();
  return ids;
}

std::string Impl::AlterDefaultPrivileges() {
  // doc/user/content/sql/alter-default-privileges.md "Privileges": role membership in
  // role_name; superuser status if the target role is PUBLIC or ALL ROLES is specified; rbac.rs
  // checks the memberships, then USAGE on the database of IN SCHEMA, then superuser status.
  std::vector<std::string> roles;
  bool public_target = false;
  if (c_.Words({"for", "all", "roles"})) {
    public_target = true;
    roles.push_back("p");
  } else if (c_.Word("for")) {
    if (!c_.Word("role")) c_.Expect("user");
    for (const auto& r : c_.NameList()) {
      std::string id = GetRoleId(r.back(), /*allow_public=*/true);
      if (id == "p") {
        public_target = true;
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
    if (!IsSuperuser()) {
      RequirePriv("mz_catalog.mz_databases", DbId(), "USAGE", PrivName("DATABASE", DbName()));
    }
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
  if (public_target && !IsSuperuser()) {
    const std::string action = "ALTER DEFAULT PRIVILEGES FOR ALL ROLES";
    throw DdlError{SqlError{"42501", "permission denied to " + action,
                            "You must be a superuser to " + action, ""}};
  }
  const std::vector<std::string> grantees = ParseRoleList(grant, /*allow_public=*/true);
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
  std::string id, owner, label = Join(name, ".");
  if (kind == "schema") {
    SchemaRef s = GetSchema(name);
    id = s.id, owner = s.owner_id, label = SchemaName(s.name);
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
  } else if (kind == "database") {
    if (name.back() != DbName()) Fail("3D000", "unknown database '" + name.back() + "'");
    id = DbId();
    owner = Q1("SELECT owner_id FROM mz_catalog.mz_databases WHERE id = $1", {id});
  } else {
    ItemRef item = GetItem(name, kind);
    id = item.id, owner = item.owner_id, label = ItemName(item);
  }
  // rbac.rs Plan::Comment: roles have no owner, a comment on one needs CREATEROLE on SYSTEM.
  if (kind == "role") {
    RequireSystemPriv("CREATEROLE");
  } else {
    RequireOwner(owner, TypeWord(kind) + " " + label);
  }
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
    const std::vector<std::string> members = ParseRoleList(grant, /*allow_public=*/false);
    RequireSystemPriv("CREATEROLE");
    for (const auto& r : roles) {
      for (const auto& m : members) {
        Q("DELETE FROM mz_catalog.mz_role_members WHERE role_id = $1 AND member = $2", {r, m});
        if (grant) {
          if (True("SELECT mzemu.is_member($1, $2)", {r, m})) {
            Fail("0LP01", "granting role would create a cycle");
          }
          // acl.rs plan_grant_role: without ADMIN OPTION the grantor is always mz_system.
          Q("INSERT INTO mz_catalog.mz_role_members VALUES ($1, $2, 's1')", {r, m});
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
        targets.push_back(
            {"mz_catalog.mz_schemas", s.id, s.owner_id, kind, "SCHEMA " + SchemaName(s.name)});
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
                           TypeWord(item.type) + " " + ItemName(item)});
      }
    }
  }
  const std::vector<std::string> grantees = ParseRoleList(grant, /*allow_public=*/true);
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
      if (!IsSuperuser()) {  // rbac.rs: superuser_action
        const std::string action = "GRANT/REVOKE SYSTEM PRIVILEGES";
        throw DdlError{SqlError{"42501", "permission denied to " + action,
                                "You must be a superuser to " + action, ""}};
      }
      for (const auto& g : grantees) {
        std::string gname = g == "p" ? "" : g;
        std::string cur =
            Q1("SELECT split_part(split_part(mzemu.acl_raw(privileges), '=', 2), '/', 1) FROM "
               "mz_catalog.mz_system_privileges WHERE "
               "split_part(mzemu.acl_raw(privileges), '=', 1) = $1",
               {gname});
        std::string next =
            grant ? Q1("SELECT mzemu.canon($1)", {cur + letters})
                  : Q1("SELECT coalesce(mzemu.canon(translate($1, $2, '')), '')", {cur, letters});
        Q("DELETE FROM mz_catalog.mz_system_privileges WHERE "
          "split_part(mzemu.acl_raw(privileges), '=', 1) = $1",
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

}  // namespace mzemu::ddl_internal
