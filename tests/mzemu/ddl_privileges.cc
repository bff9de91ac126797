// The DDL interpreter: ALTER DEFAULT PRIVILEGES, COMMENT ON, GRANT/REVOKE.
#include "tests/mzemu/ddl_impl.h"

namespace mzemu::ddl_internal {

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

}  // namespace mzemu::ddl_internal
