#include "runtime/catalog.h"

#include <algorithm>
#include <map>
#include <string>

#include "sql/quote.h"

namespace bgplan::runtime {
namespace {

using sql::QuoteLiteral;

std::string TextArray(const std::vector<std::string>& names) {
  std::string s = "ARRAY[";
  for (size_t i = 0; i < names.size(); ++i) {
    s += (i ? "," : "") + QuoteLiteral(names[i]);
  }
  return s + "]::text[]";
}

uint32_t ToOid(const std::string& s) {
  return s.empty() ? 0 : static_cast<uint32_t>(std::stoul(s));
}

}  // namespace

Status PreparePgSession(SqlSession& session, int64_t lock_timeout_ms) {
  // Plain SET statements: the values are constants of bgplan's (the timeout a number), and SET
  // needs no literal whose meaning depends on the setting being fixed here.
  return session.Exec(
      "SET standard_conforming_strings = on; SET search_path = ''; SET lock_timeout = " +
      std::to_string(lock_timeout_ms < 1 ? 1 : lock_timeout_ms) +
      "; SELECT set_config('jit', 'off', false) WHERE "
      "current_setting('server_version_num')::int >= 110000; SELECT "
      "set_config('client_connection_check_interval', '1000', false) WHERE "
      "current_setting('server_version_num')::int >= 140000");
}

Result<std::vector<std::string>> LockHolders(SqlSession& session, const std::vector<uint32_t>& oids,
                                             bool exclusive_only) {
  std::vector<std::string> out;
  if (oids.empty()) {
    return out;
  }
  std::string list;
  for (uint32_t oid : oids) {
    list += (list.empty() ? "" : ",") + std::to_string(oid);
  }
  // pg_locks and pg_stat_activity take no relation locks; regclass output neither.
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT DISTINCT l.pid::text, coalesce(a.usename, ''), "
                    "coalesce(a.application_name, ''), l.mode, l.relation::regclass::text, "
                    "coalesce(to_char(a.xact_start AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') FROM pg_locks l LEFT JOIN "
                    "pg_stat_activity a ON a.pid = l.pid WHERE l.granted AND l.locktype = "
                    "'relation' AND l.pid <> pg_backend_pid() AND l.relation IN (" +
                    list + ")" +
                    (exclusive_only ? " AND l.mode = 'AccessExclusiveLock'" : "") +
                    " ORDER BY 1, 5, 4"));
  for (const Row& r : rows) {
    out.push_back("pid " + r[0] + " (user " + r[1] + ", application '" + r[2] + "', " + r[3] +
                  " on " + r[4] + (r[5].empty() ? "" : ", transaction started " + r[5]) + ")");
  }
  return out;
}

Result<ServerInfo> ReadServerInfo(SqlSession& session) {
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT current_user, current_database(), "
                    "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)::text, "
                    "has_database_privilege(current_database(), 'CREATE')::text, version()"));
  ServerInfo info;
  info.current_user = rows[0][0];
  info.database = rows[0][1];
  info.superuser = rows[0][2] == "true";
  info.can_create_in_database = rows[0][3] == "true";
  info.version = rows[0][4];
  info.is_materialize = info.version.find("Materialize") != std::string::npos;
  return info;
}

Result<SchemaInfo> ReadSchema(SqlSession& session, const std::string& name) {
  SchemaInfo info;
  info.name = name;
  std::string lit = QuoteLiteral(name);
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query(
          "SELECT n.oid::text, pg_get_userbyid(n.nspowner), "
          "(pg_has_role(current_user, n.nspowner, 'USAGE') OR "
          " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))::text, "
          "coalesce(obj_description(n.oid, 'pg_namespace'), ''), "
          "((SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid) + "
          " (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid) + "
          " (SELECT count(*) FROM pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0 "
          "   AND t.typelem = 0))::text "
          "FROM pg_namespace n WHERE n.nspname = " +
          lit));
  if (rows.empty()) {
    return info;
  }
  info.exists = true;
  info.oid = ToOid(rows[0][0]);
  info.owner = rows[0][1];
  info.owned_by_us = rows[0][2] == "true";
  info.comment = rows[0][3];
  info.object_count = std::stoll(rows[0][4]);
  std::string oid = rows[0][0];

  BGPLAN_ASSIGN_OR_RETURN(
      Rows acl,
      session.Query("SELECT CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee) END, "
                    "a.privilege_type, a.is_grantable::text "
                    "FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.oid = " +
                    oid + " ORDER BY 1, 2"));
  for (const Row& r : acl) {
    info.acl.push_back({r[0], r[1], r[2] == "true"});
  }
  BGPLAN_ASSIGN_OR_RETURN(
      Rows defaults,
      session.Query(
          "SELECT pg_get_userbyid(d.defaclrole), "
          "CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' "
          "  WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' END, "
          "CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee) END, "
          "a.privilege_type, a.is_grantable::text, "
          "(pg_has_role(current_user, d.defaclrole, 'MEMBER') OR "
          " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))::text "
          "FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclnamespace = " +
          oid + " ORDER BY 1, 2, 3, 4"));
  for (const Row& r : defaults) {
    info.default_acl.push_back({r[0], r[1], {r[2], r[3], r[4] == "true"}});
    if (r.size() > 5 && r[5] == "true" &&
        std::find(info.default_acl_roles_ours.begin(), info.default_acl_roles_ours.end(), r[0]) ==
            info.default_acl_roles_ours.end()) {
      info.default_acl_roles_ours.push_back(r[0]);
    }
  }
  BGPLAN_ASSIGN_OR_RETURN(
      Rows matviews, session.Query("SELECT c.relname FROM pg_class c WHERE c.relkind = 'm' AND "
                                   "NOT c.relispopulated AND c.relnamespace = " +
                                   oid + " ORDER BY 1"));
  for (const Row& r : matviews) {
    info.unpopulated_matviews.push_back(r[0]);
  }
  std::sort(info.acl.begin(), info.acl.end());
  std::sort(info.default_acl.begin(), info.default_acl.end());
  return info;
}

Result<std::vector<Dependent>> ReadDependents(SqlSession& session,
                                              const std::vector<std::string>& schemas,
                                              const std::vector<std::string>& exclude) {
  std::vector<std::string> excluded = schemas;
  excluded.insert(excluded.end(), exclude.begin(), exclude.end());
  // Referenced objects: relations, types and functions in the schemas. Dependent objects are
  // mapped to their own schema and, for rewrite rules, to the view or materialized view that
  // owns the rule; only those outside every excluded schema are returned.
  std::string sql =
      "WITH target AS (SELECT oid FROM pg_namespace WHERE nspname = ANY(" + TextArray(schemas) +
      ")), "
      "excluded AS (SELECT oid FROM pg_namespace WHERE nspname = ANY(" +
      TextArray(excluded) +
      ")), "
      "refobj AS ("
      " SELECT 'pg_class'::regclass AS cls, c.oid, n.nspname || '.' || c.relname AS label "
      "   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "   WHERE c.relnamespace IN (SELECT oid FROM target)"
      " UNION ALL SELECT 'pg_type'::regclass, t.oid, n.nspname || '.' || t.typname "
      "   FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
      "   WHERE t.typnamespace IN (SELECT oid FROM target)"
      " UNION ALL SELECT 'pg_proc'::regclass, p.oid, n.nspname || '.' || p.proname "
      "   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "   WHERE p.pronamespace IN (SELECT oid FROM target)), "
      "dep AS ("
      " SELECT d.classid, d.objid, d.objsubid, r.label FROM pg_depend d "
      "   JOIN refobj r ON d.refclassid = r.cls AND d.refobjid = r.oid "
      "   WHERE d.deptype IN ('n', 'a')), "
      "located AS ("
      " SELECT dep.*, "
      "  CASE dep.classid "
      "   WHEN 'pg_rewrite'::regclass THEN (SELECT c.relnamespace FROM pg_rewrite w "
      "      JOIN pg_class c ON c.oid = w.ev_class WHERE w.oid = dep.objid) "
      "   WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = dep.objid) "
      "   WHEN 'pg_constraint'::regclass THEN (SELECT connamespace FROM pg_constraint "
      "      WHERE oid = dep.objid) "
      "   WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = dep.objid) "
      "   WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = dep.objid) "
      "   WHEN 'pg_attrdef'::regclass THEN (SELECT c.relnamespace FROM pg_attrdef a "
      "      JOIN pg_class c ON c.oid = a.adrelid WHERE a.oid = dep.objid) "
      "   WHEN 'pg_trigger'::regclass THEN (SELECT c.relnamespace FROM pg_trigger g "
      "      JOIN pg_class c ON c.oid = g.tgrelid WHERE g.oid = dep.objid) "
      "   WHEN 'pg_policy'::regclass THEN (SELECT c.relnamespace FROM pg_policy p "
      "      JOIN pg_class c ON c.oid = p.polrelid WHERE p.oid = dep.objid) "
      "  END AS nsp, "
      "  CASE WHEN dep.classid = 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite "
      "      WHERE oid = dep.objid) END AS relid "
      " FROM dep) "
      "SELECT "
      " CASE WHEN l.relid IS NOT NULL THEN CASE c.relkind WHEN 'v' THEN 'view' "
      "        WHEN 'm' THEN 'materialized view' ELSE 'rule' END "
      "      WHEN l.classid = 'pg_constraint'::regclass THEN "
      "        CASE (SELECT contype FROM pg_constraint WHERE oid = l.objid) WHEN 'f' "
      "          THEN 'foreign key' ELSE 'constraint' END "
      "      WHEN l.classid = 'pg_proc'::regclass THEN 'function' "
      "      WHEN l.classid = 'pg_attrdef'::regclass THEN 'column default' "
      "      WHEN l.classid = 'pg_class'::regclass THEN 'relation' "
      "      WHEN l.classid = 'pg_type'::regclass THEN 'type' "
      "      WHEN l.classid = 'pg_trigger'::regclass THEN 'trigger' "
      "      WHEN l.classid = 'pg_policy'::regclass THEN 'policy' "
      "      ELSE 'object' END, "
      " coalesce(n.nspname, ''), "
      " coalesce(c.relname, ''), "
      " coalesce(l.relid::text, '0'), "
      " CASE WHEN l.relid IS NOT NULL THEN CASE c.relkind WHEN 'm' THEN 'materialized view ' "
      "   ELSE 'view ' END || quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
      "   ELSE pg_describe_object(l.classid, l.objid, 0) END, "
      " l.label "
      "FROM located l "
      "LEFT JOIN pg_namespace n ON n.oid = l.nsp "
      "LEFT JOIN pg_class c ON c.oid = l.relid "
      "WHERE l.nsp IS NULL OR l.nsp NOT IN (SELECT oid FROM excluded) "
      "ORDER BY 2, 3, 5, 6";
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql));
  std::map<std::string, Dependent> by_description;
  std::vector<std::string> order;
  for (const Row& r : rows) {
    auto [it, inserted] = by_description.try_emplace(r[4]);
    Dependent& d = it->second;
    if (inserted) {
      order.push_back(r[4]);
      d.kind = r[0];
      d.schema = r[1];
      d.name = r[2];
      d.oid = ToOid(r[3]);
      d.description = r[4];
    }
    if (std::find(d.references.begin(), d.references.end(), r[5]) == d.references.end()) {
      d.references.push_back(r[5]);
    }
  }
  std::vector<Dependent> out;
  for (const std::string& key : order) {
    out.push_back(std::move(by_description[key]));
  }
  std::sort(out.begin(), out.end(), [](const Dependent& a, const Dependent& b) {
    return std::tie(a.schema, a.name, a.description) < std::tie(b.schema, b.name, b.description);
  });
  return out;
}

Result<std::vector<uint32_t>> ViewRelations(SqlSession& session, uint32_t view_oid) {
  std::string oid = std::to_string(view_oid);
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows, session.Query("SELECT DISTINCT d.refobjid::text FROM pg_rewrite w JOIN pg_depend "
                               "d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND "
                               "d.refclassid = 'pg_class'::regclass WHERE w.ev_class = " +
                               oid + " ORDER BY 1"));
  std::vector<uint32_t> out = {view_oid};
  for (const Row& r : rows) {
    if (ToOid(r[0]) != view_oid) {
      out.push_back(ToOid(r[0]));
    }
  }
  return out;
}

Result<ViewDefinition> ReadViewDefinition(SqlSession& session, uint32_t oid,
                                          const std::string& shown_name) {
  std::string id = std::to_string(oid);
  Result<Rows> rows =
      session.Query("SELECT pg_get_viewdef(" + id + "::oid, false), coalesce((SELECT "
                    "string_agg(octet_length(o)::text || ':' || o, '' ORDER BY n) FROM pg_class c, "
                    "unnest(c.reloptions) WITH ORDINALITY u(o, n) WHERE c.oid = " +
                    id + "), '')");
  if (!rows.ok()) {
    Status st = rows.status();
    if (st.sqlstate() != kSqlstateLockTimeout) {
      return st;
    }
    // Say what the read waited for: the sessions holding ACCESS EXCLUSIVE locks on the view or
    // on a relation it reads (found after the timeout; they may have let go meanwhile).
    std::string holders;
    Result<std::vector<uint32_t>> relations = ViewRelations(session, oid);
    if (relations.ok()) {
      Result<std::vector<std::string>> who = LockHolders(session, *relations, true);
      if (who.ok()) {
        for (const std::string& h : *who) {
          holders += (holders.empty() ? "" : "; ") + h;
        }
      }
    }
    return Status(st.code(),
                  "reading the definition of view " + shown_name +
                      " waited lock_timeout for a lock on it or on a relation it reads" +
                      (holders.empty() ? std::string(" (the holder has let go since)")
                                       : ", held by " + holders),
                  st.sqlstate());
  }
  if (rows->empty() || (*rows)[0][0].empty()) {
    return Status::NotFound("view " + shown_name + " vanished");
  }
  ViewDefinition out;
  out.definition = (*rows)[0][0];
  // "<length>:<option>" per option: no option text can be split wrongly.
  const std::string& packed = (*rows)[0][1];
  for (size_t at = 0; at < packed.size();) {
    size_t colon = packed.find(':', at);
    if (colon == std::string::npos) {
      break;
    }
    size_t len = std::stoul(packed.substr(at, colon - at));
    out.options.push_back(packed.substr(colon + 1, len));
    at = colon + 1 + len;
  }
  return out;
}

Result<std::vector<std::string>> ExistingSchemas(SqlSession& session,
                                                 const std::vector<std::string>& names) {
  std::vector<std::string> out;
  if (names.empty()) {
    return out;
  }
  BGPLAN_ASSIGN_OR_RETURN(Rows rows,
                          session.Query("SELECT nspname FROM pg_namespace WHERE nspname = ANY(" +
                                        TextArray(names) + ") ORDER BY 1"));
  for (const Row& r : rows) {
    out.push_back(r[0]);
  }
  return out;
}

Result<std::vector<std::string>> ReadObjectNames(SqlSession& session, const std::string& schema) {
  std::string lit = QuoteLiteral(schema);
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows, session.Query("SELECT DISTINCT name FROM ("
                               "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON "
                               "n.oid = c.relnamespace WHERE n.nspname = " +
                               lit +
                               " UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON "
                               "n.oid = p.pronamespace WHERE n.nspname = " +
                               lit +
                               " UNION ALL SELECT t.typname FROM pg_type t JOIN pg_namespace n ON "
                               "n.oid = t.typnamespace WHERE n.nspname = " +
                               lit + ") o ORDER BY 1"));
  std::vector<std::string> names;
  for (const Row& r : rows) {
    names.push_back(r[0]);
  }
  return names;
}

}  // namespace bgplan::runtime
