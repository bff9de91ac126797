#include "runtime/catalog/pg_catalog.h"

#include <algorithm>
#include <map>
#include <cstdlib>
#include <set>
#include <string>

#include "plans/names.h"
#include "runtime/catalog/rows.h"
#include "sql/quote.h"
#include "sql/statements.h"

namespace bgplan::runtime {

using resolve::CatalogObject;
using resolve::Dependent;

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

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A dependent with the objects it references inside the queried schemas.
struct PgDependent {
  Dependent dependent;
  std::vector<CatalogObject> reads;  // schema, name of each referenced object
};

// Every object outside `excluded` (and outside `schemas`) that depends on an object inside
// `schemas`, one entry per dependent, sorted by (schema, name, description): pg_depend, with rules
// mapped to the view or materialized view that owns them.
Result<std::vector<PgDependent>> ReadDependents(SqlSession& session,
                                                const std::vector<std::string>& schemas,
                                                const std::vector<std::string>& exclude) {
  std::vector<PgDependent> out;
  if (schemas.empty()) {
    return out;
  }
  std::vector<std::string> excluded = schemas;
  excluded.insert(excluded.end(), exclude.begin(), exclude.end());
  const std::string sql =
      "WITH target AS (SELECT oid FROM pg_namespace WHERE nspname = ANY(" + TextArray(schemas) +
      ")), excluded AS (SELECT oid FROM pg_namespace WHERE nspname = ANY(" + TextArray(excluded) +
      ")), refobj AS ("
      " SELECT 'pg_class'::regclass AS cls, c.oid, n.nspname AS ref_schema, c.relname AS ref_name"
      "   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "   WHERE c.relnamespace IN (SELECT oid FROM target)"
      " UNION ALL SELECT 'pg_type'::regclass, t.oid, n.nspname, t.typname "
      "   FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
      "   WHERE t.typnamespace IN (SELECT oid FROM target)"
      " UNION ALL SELECT 'pg_proc'::regclass, p.oid, n.nspname, p.proname "
      "   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "   WHERE p.pronamespace IN (SELECT oid FROM target)), "
      "dep AS ("
      " SELECT d.classid, d.objid, d.objsubid, r.ref_schema, r.ref_name FROM pg_depend d "
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
      " coalesce(n.nspname, ''), coalesce(c.relname, ''), coalesce(l.relid::text, '0'), "
      " CASE WHEN l.relid IS NOT NULL THEN CASE c.relkind WHEN 'm' THEN 'materialized view ' "
      "   ELSE 'view ' END || quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
      "   ELSE pg_describe_object(l.classid, l.objid, 0) END, "
      " l.ref_schema, l.ref_name, coalesce(pg_get_userbyid(c.relowner), '') "
      "FROM located l "
      "LEFT JOIN pg_namespace n ON n.oid = l.nsp "
      "LEFT JOIN pg_class c ON c.oid = l.relid "
      "WHERE l.nsp IS NULL OR l.nsp NOT IN (SELECT oid FROM excluded) "
      "ORDER BY 2, 3, 5, 6, 7";
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql));
  std::map<std::string, size_t> by_description;
  for (const Row& r : rows) {
    auto [it, inserted] = by_description.try_emplace(r[4], out.size());
    if (inserted) {
      PgDependent d;
      d.dependent.object.kind = r[0];
      d.dependent.object.schema = r[1];
      d.dependent.object.name = r[2];
      d.dependent.object.id = r[3] == "0" ? "" : r[3];
      d.dependent.object.owner = r[7];
      d.dependent.description = r[4];
      out.push_back(std::move(d));
    }
    PgDependent& d = out[it->second];
    const std::string label = r[5] + "." + r[6];
    if (!Contains(d.dependent.references, label)) {
      d.dependent.references.push_back(label);
      CatalogObject read;
      read.schema = r[5];
      read.name = r[6];
      d.reads.push_back(std::move(read));
    }
  }
  std::sort(out.begin(), out.end(), [](const PgDependent& a, const PgDependent& b) {
    return std::tie(a.dependent.object.schema, a.dependent.object.name, a.dependent.description) <
           std::tie(b.dependent.object.schema, b.dependent.object.name, b.dependent.description);
  });
  return out;
}

// The definitions and options of views `oids`, by oid: pg_get_viewdef under the empty
// search_path. It locks each view and every relation it reads (ACCESS SHARE): behind another
// session's ACCESS EXCLUSIVE lock it waits lock_timeout, then fails with 55P03 naming who holds
// the locks.
Status ReadViewDefinitions(SqlSession& session, std::vector<resolve::SinkFacts*> views) {
  if (views.empty()) {
    return Status::Ok();
  }
  std::string oids;
  for (const resolve::SinkFacts* v : views) {
    oids += (oids.empty() ? "" : ",") + v->object.id;
  }
  Result<Rows> rows = session.Query(
      "SELECT c.oid::text, pg_get_viewdef(c.oid, false), coalesce((SELECT string_agg("
      "octet_length(o)::text || ':' || o, '' ORDER BY n) FROM unnest(c.reloptions) WITH "
      "ORDINALITY u(o, n)), '') FROM pg_class c WHERE c.oid IN (" +
      oids + ")");
  if (!rows.ok()) {
    Status st = rows.status();
    if (st.sqlstate() != kSqlstateLockTimeout) {
      return st;
    }
    // Say what the read waited for: the sessions holding ACCESS EXCLUSIVE locks on a view or on
    // a relation it reads (found after the timeout; they may have let go meanwhile).
    std::vector<std::string> holders;
    std::string names;
    for (const resolve::SinkFacts* v : views) {
      names += (names.empty() ? "" : ", ") +
               sql::QuoteRelation({"", v->object.schema, v->object.name});
      Result<std::vector<uint32_t>> relations = ViewRelations(session, ToOid(v->object.id));
      if (relations.ok()) {
        Result<std::vector<std::string>> who = LockHolders(session, *relations, true);
        if (who.ok()) {
          holders.insert(holders.end(), who->begin(), who->end());
        }
      }
    }
    std::sort(holders.begin(), holders.end());
    holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
    std::string held;
    for (const std::string& h : holders) {
      held += (held.empty() ? "" : "; ") + h;
    }
    return Status(st.code(),
                  "reading the definition of view(s) " + names +
                      " waited lock_timeout for a lock on them or on a relation they read" +
                      (held.empty() ? std::string(" (the holder has let go since)")
                                    : ", held by " + held),
                  st.sqlstate());
  }
  for (const Row& r : *rows) {
    for (resolve::SinkFacts* v : views) {
      if (v->object.id != r[0]) {
        continue;
      }
      v->definition = r[1];
      // "<length>:<option>" per option: no option text can be split wrongly.
      const std::string& packed = r[2];
      for (size_t at = 0; at < packed.size();) {
        size_t colon = packed.find(':', at);
        if (colon == std::string::npos) {
          break;
        }
        size_t len = std::stoul(packed.substr(at, colon - at));
        v->options.push_back(packed.substr(colon + 1, len));
        at = colon + 1 + len;
      }
    }
  }
  for (const resolve::SinkFacts* v : views) {
    if (v->definition.empty()) {
      return Status::NotFound("view " + v->object.schema + "." + v->object.name + " vanished");
    }
  }
  return Status::Ok();
}

// For incompatible-upstream: the columns each sinks view references in the relations it reads
// (pg_depend on columns), and the columns, with their types, of those relations and of their
// green counterparts. Two queries, only when a deployment has sinks views.
Status ReadSinkColumns(SqlSession& session, resolve::Snapshot& snap) {
  std::vector<std::string> views, schemas, relations;
  for (resolve::DeploymentFacts& f : snap.deployments) {
    for (resolve::SinkFacts& k : f.sinks) {
      views.push_back(k.object.id);
      for (const CatalogObject& r : k.reads) {
        for (const resolve::PairFacts& p : f.schemas) {
          if (r.schema == p.blue.name) {
            schemas.push_back(p.blue.name);
            relations.push_back(r.name);
            schemas.push_back(p.green.name);
            relations.push_back(r.name);
          }
        }
      }
    }
  }
  if (views.empty()) {
    return Status::Ok();
  }
  std::string oids;
  for (const std::string& v : views) {
    oids += (oids.empty() ? "" : ",") + v;
  }
  BGPLAN_ASSIGN_OR_RETURN(
      Rows read,
      session.Query("SELECT w.ev_class::text, c.relname, a.attname FROM pg_catalog.pg_depend d "
                    "JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid JOIN pg_catalog.pg_class c "
                    "ON c.oid = d.refobjid JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
                    "AND a.attnum = d.refobjsubid WHERE d.classid = "
                    "'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.refclassid = "
                    "'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND "
                    "w.ev_class <> c.oid AND w.ev_class IN (" +
                    oids + ") ORDER BY 1, 2, a.attnum"));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows columns,
      session.Query("SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, "
                    "a.atttypmod) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON "
                    "c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE a.attnum > 0 AND NOT a.attisdropped AND (n.nspname, c.relname) IN "
                    "(SELECT * FROM unnest(" + TextArray(schemas) + ", " + TextArray(relations) +
                    ")) ORDER BY 1, 2, a.attnum"));
  const RowIndex read_by_view = IndexRows(read, [](const Row& r) { return r[0]; });
  const RowIndex columns_by_relation =
      IndexRows(columns, [](const Row& r) { return PairKey(r[0], r[1]); });
  for (resolve::DeploymentFacts& f : snap.deployments) {
    for (resolve::SinkFacts& k : f.sinks) {
      for (const Row* r : RowsAt(read_by_view, k.object.id)) {
        k.columns_read.push_back({(*r)[1], (*r)[2]});
      }
    }
    for (resolve::PairFacts& p : f.schemas) {
      for (resolve::SchemaFacts* side : {&p.blue, &p.green}) {
        for (CatalogObject& o : side->objects) {
          // Relations only (a function or type may share a relation's name).
          if (o.kind != "table" && o.kind != "view" && o.kind != "materialized-view" &&
              o.kind != "foreign-table") {
            continue;
          }
          for (const Row* r : RowsAt(columns_by_relation, PairKey(side->name, o.name))) {
            o.columns.push_back({(*r)[2], (*r)[3]});
          }
        }
      }
    }
  }
  return Status::Ok();
}

// The PostgreSQL kind of a pg_class row, in the snapshot's spelling.
constexpr std::string_view kRelKind =
    "CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' "
    "WHEN 'm' THEN 'materialized-view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign-table' "
    "WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'c' THEN 'type' ELSE 'relation' END";

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
                    list + ")" + (exclusive_only ? " AND l.mode = 'AccessExclusiveLock'" : "") +
                    " ORDER BY 1, 5, 4"));
  for (const Row& r : rows) {
    out.push_back("pid " + r[0] + " (user " + r[1] + ", application '" + r[2] + "', " + r[3] +
                  " on " + r[4] + (r[5].empty() ? "" : ", transaction started " + r[5]) + ")");
  }
  return out;
}

Result<std::vector<uint32_t>> ViewRelations(SqlSession& session, uint32_t view_oid) {
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows, session.Query("SELECT DISTINCT d.refobjid::text FROM pg_rewrite w JOIN pg_depend "
                               "d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND "
                               "d.refclassid = 'pg_class'::regclass WHERE w.ev_class = " +
                               std::to_string(view_oid) + " ORDER BY 1"));
  std::vector<uint32_t> out = {view_oid};
  for (const Row& r : rows) {
    if (ToOid(r[0]) != view_oid) {
      out.push_back(ToOid(r[0]));
    }
  }
  return out;
}

Result<std::string> ReadPgSchemaId(SqlSession& session, const std::string& name) {
  BGPLAN_ASSIGN_OR_RETURN(Rows rows,
                          session.Query("SELECT oid::text FROM pg_catalog.pg_namespace WHERE "
                                        "nspname = " + QuoteLiteral(name)));
  return rows.empty() ? std::string() : rows[0][0];
}

Result<resolve::ServerFacts> ReadPgServer(SqlSession& session) {
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT current_user, current_database(), "
                    "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)::text, "
                    "has_database_privilege(current_database(), 'CREATE')::text, version()"));
  if (rows.empty() || rows[0].size() < 5) {
    return Status::Internal("the server answered no row to a query of its own settings");
  }
  resolve::ServerFacts s;
  s.user = rows[0][0];
  s.database = rows[0][1];
  s.superuser = rows[0][2] == "true";
  s.can_create_in_database = rows[0][3] == "true";
  s.version = rows[0][4];
  s.is_materialize = s.version.find("Materialize") != std::string::npos;
  s.materialize_version = resolve::ParseMaterializeVersion(s.version);
  return s;
}

Result<resolve::Snapshot> ReadPgSnapshot(SqlSession& session, const plans::Plan& plan,
                                         const std::vector<std::string>& selected,
                                         Journal& journal, int64_t lock_timeout_ms) {
  resolve::Snapshot snap;
  snap.live = true;
  // Every name pg_get_viewdef prints must be qualified, every literal must mean what bgplan
  // wrote, and no read may wait longer than the plan's lock_timeout.
  BGPLAN_RETURN_IF_ERROR(PreparePgSession(session, lock_timeout_ms));
  BGPLAN_ASSIGN_OR_RETURN(snap.server, ReadPgServer(session));
  if (snap.server.is_materialize) {
    return snap;  // the executor reports target-mismatch
  }
  BGPLAN_ASSIGN_OR_RETURN(
      Rows roles, session.Query("SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, "
                                "oid, 'MEMBER') ORDER BY 1"));
  for (const Row& r : roles) {
    snap.server.member_of.insert(r[0]);
  }
  BGPLAN_ASSIGN_OR_RETURN(snap.journal_exists, journal.Exists(session));
  if (snap.journal_exists) {
    BGPLAN_ASSIGN_OR_RETURN(snap.journal_missing_grants, journal.MissingGrants(session));
  }

  // The deployments, and every schema name they use.
  std::vector<std::string> names, blues, greens, all_plan_schemas, chosen;
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::SchemaPair& p : d.schemas) {
      all_plan_schemas.push_back(p.blue);
      all_plan_schemas.push_back(p.green);
    }
    if (!selected.empty() && !Contains(selected, d.name)) {
      continue;
    }
    chosen.push_back(d.name);
    resolve::DeploymentFacts f;
    f.deployment = &d;
    for (const plans::SchemaPair& p : d.schemas) {
      resolve::PairFacts pf;
      pf.pair = &p;
      pf.blue.name = p.blue;
      pf.green.name = p.green;
      f.schemas.push_back(std::move(pf));
      names.push_back(p.blue);
      names.push_back(p.green);
      names.push_back(plans::SwapTempName(p.blue, plans::MaxIdentifierBytes(plan.target)));
      blues.push_back(p.blue);
      greens.push_back(p.green);
    }
    snap.deployments.push_back(std::move(f));
  }
  all_plan_schemas.push_back(journal.schema());
  // The sinks schemas where the role may not re-create a view (CREATE OR REPLACE VIEW needs
  // CREATE on the schema): one query for every deployment.
  std::vector<std::string> all_sinks;
  for (const resolve::DeploymentFacts& f : snap.deployments) {  // the selected ones
    for (const plans::SinkSchema& s : f.deployment->sink_schemas) {
      all_sinks.push_back(s.name);
    }
  }
  std::set<std::string> no_create;
  if (!all_sinks.empty() && !snap.server.superuser) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = "
                                 "ANY(" +
                                 TextArray(all_sinks) +
                                 ") AND NOT has_schema_privilege(oid, 'CREATE') ORDER BY 1"));
    for (const Row& r : rows) {
      no_create.insert(r[0]);
    }
  }
  std::map<std::string, resolve::RunFacts> runs;
  if (snap.journal_missing_grants.empty()) {  // else journal-access refuses the phase
    BGPLAN_ASSIGN_OR_RETURN(runs, journal.ActiveRuns(session, chosen));
  }

  // Schemas, their privileges, default privileges and objects: one query each.
  const std::string in = TextArray(names);
  BGPLAN_ASSIGN_OR_RETURN(
      Rows schemas,
      session.Query("SELECT n.nspname, n.oid::text, pg_get_userbyid(n.nspowner), "
                    "(pg_has_role(current_user, n.nspowner, 'USAGE') OR (SELECT rolsuper FROM "
                    "pg_roles WHERE rolname = current_user))::text, "
                    "coalesce(obj_description(n.oid, 'pg_namespace'), '') FROM pg_namespace n "
                    "WHERE n.nspname = ANY(" +
                    in + ") ORDER BY 1"));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows acl,
      session.Query("SELECT n.nspname, CASE WHEN a.grantee = 0 THEN '' ELSE "
                    "pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable::text FROM "
                    "pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = ANY(" +
                    in + ") AND (a.grantee = 0 OR pg_get_userbyid(a.grantee) <> current_user) "
                    "ORDER BY 1, 2, 3"));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows defaults,
      session.Query("SELECT n.nspname, pg_get_userbyid(d.defaclrole), CASE d.defaclobjtype WHEN "
                    "'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN "
                    "'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' END, CASE WHEN a.grantee = 0 THEN "
                    "'' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, "
                    "a.is_grantable::text FROM pg_default_acl d JOIN pg_namespace n ON n.oid = "
                    "d.defaclnamespace, aclexplode(d.defaclacl) a WHERE n.nspname = ANY(" +
                    in +
                    ") UNION ALL SELECT '', pg_get_userbyid(d.defaclrole), 'SCHEMAS', CASE WHEN "
                    "a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, "
                    "a.is_grantable::text FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE "
                    "d.defaclnamespace = 0 AND d.defaclobjtype = 'n' AND d.defaclrole = (SELECT "
                    "oid FROM pg_roles WHERE rolname = current_user) AND (a.grantee = 0 OR "
                    "pg_get_userbyid(a.grantee) <> current_user) ORDER BY 1, 2, 3, 4, 5"));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows objects,
      session.Query("SELECT n.nspname, c.oid::text, " + std::string(kRelKind) +
                    ", c.relname, pg_get_userbyid(c.relowner), c.relispopulated::text, "
                    "CASE WHEN c.relkind IN ('r', 'p', 'm') THEN c.reltuples::bigint::text ELSE "
                    "'-1' END FROM "
                    "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                    "ANY(" +
                    in +
                    ") UNION ALL SELECT n.nspname, p.oid::text, CASE p.prokind WHEN 'p' THEN "
                    "'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END, p.proname, "
                    "pg_get_userbyid(p.proowner), 'true', '-1' FROM pg_proc p JOIN pg_namespace n ON "
                    "n.oid = p.pronamespace WHERE n.nspname = ANY(" +
                    in +
                    ") UNION ALL SELECT n.nspname, t.oid::text, 'type', t.typname, "
                    "pg_get_userbyid(t.typowner), 'true', '-1' FROM pg_type t JOIN pg_namespace n ON "
                    "n.oid = t.typnamespace WHERE t.typrelid = 0 AND t.typelem = 0 AND "
                    "n.nspname = ANY(" +
                    in + ") ORDER BY 1, 3, 4, 2"));
  std::set<std::string> existing;
  auto schema_of = [](const Row& r) { return r[0]; };
  const RowIndex schema_rows = IndexRows(schemas, schema_of), acl_rows = IndexRows(acl, schema_of),
                 default_rows = IndexRows(defaults, schema_of),
                 object_rows = IndexRows(objects, schema_of);
  auto fill = [&](resolve::SchemaFacts& s) {
    for (const Row* r : RowsAt(schema_rows, s.name)) {
      s.exists = true;
      s.id = (*r)[1];
      s.owner = (*r)[2];
      s.owned = (*r)[3] == "true";
      s.comment = (*r)[4];
    }
    for (const Row* r : RowsAt(acl_rows, s.name)) {
      if (sql::IsSqlKeyword((*r)[2])) {
        s.grants.push_back({(*r)[1], (*r)[2], (*r)[3] == "true"});
      }
    }
    // A schema the current role creates now starts with its default privileges ON SCHEMAS
    // (the rows under ""): a green about to be created has them; the copy revokes what blue
    // lacks.
    if (!s.exists) {
      for (const Row* r : RowsAt(default_rows, "")) {
        if (sql::IsSqlKeyword((*r)[4])) {
          s.grants.push_back({(*r)[3], (*r)[4], (*r)[5] == "true"});
        }
      }
    }
    for (const Row* r : RowsAt(default_rows, s.name)) {
      const Row& d = *r;
      if (!d[2].empty() && sql::IsSqlKeyword(d[2]) && sql::IsSqlKeyword(d[4])) {
        s.default_privileges.push_back({d[1], d[2], d[3], d[4], d[5] == "true"});
      }
    }
    for (const Row* r : RowsAt(object_rows, s.name)) {
      CatalogObject o;
      o.id = (*r)[1];
      o.kind = (*r)[2];
      o.schema = (*r)[0];
      o.name = (*r)[3];
      o.owner = (*r)[4];
      o.populated = (*r)[5] == "true";
      o.row_estimate = std::atoll((*r)[6].c_str());
      s.objects.push_back(std::move(o));
    }
    std::sort(s.grants.begin(), s.grants.end());
    std::sort(s.default_privileges.begin(), s.default_privileges.end());
  };
  for (const Row& r : schemas) {
    existing.insert(r[0]);
  }

  // Dependents of the blue schemas outside every schema of the plan (and the journal), and of
  // the green schemas outside them: one query each for all deployments, each dependent
  // attributed to the deployments whose schemas it reads.
  BGPLAN_ASSIGN_OR_RETURN(std::vector<PgDependent> blue_deps,
                          ReadDependents(session, blues, all_plan_schemas));
  std::vector<std::string> existing_greens;
  for (const std::string& g : greens) {
    if (existing.count(g)) {
      existing_greens.push_back(g);
    }
  }
  BGPLAN_ASSIGN_OR_RETURN(std::vector<PgDependent> green_deps,
                          ReadDependents(session, existing_greens, {}));

  std::vector<resolve::SinkFacts*> views;
  for (resolve::DeploymentFacts& f : snap.deployments) {
    const plans::Deployment& d = *f.deployment;
    for (resolve::PairFacts& p : f.schemas) {
      fill(p.blue);
      fill(p.green);
      p.swap_name_taken = existing.count(plans::SwapTempName(
                              p.pair->blue, plans::MaxIdentifierBytes(plan.target))) > 0;
    }
    auto reads_own = [&](const PgDependent& dep, bool green) {
      for (const CatalogObject& r : dep.reads) {
        for (const plans::SchemaPair& p : d.schemas) {
          if (r.schema == (green ? p.green : p.blue)) {
            return true;
          }
        }
      }
      return false;
    };
    std::vector<std::string> sink_schemas;
    for (const plans::SinkSchema& s : d.sink_schemas) {
      sink_schemas.push_back(s.name);
      if (no_create.count(s.name) > 0) {
        f.sink_schemas_without_create.push_back(s.name);
      }
    }
    for (const PgDependent& dep : blue_deps) {
      if (!reads_own(dep, false)) {
        continue;
      }
      if (dep.dependent.object.kind == "view" && Contains(sink_schemas, dep.dependent.object.schema)) {
        resolve::SinkFacts sink;
        sink.object = dep.dependent.object;
        sink.object.kind = "view";
        sink.reads = dep.reads;
        f.sinks.push_back(std::move(sink));
      } else {
        f.blue_dependents.push_back(dep.dependent);
      }
    }
    for (const PgDependent& dep : green_deps) {
      if (reads_own(dep, true)) {
        f.green_dependents.push_back(dep.dependent);
      }
    }
    // Where the deployment stands: a swap happened iff every blue name carries the green oid
    // the run recorded; the run stands for nothing once its objects are gone.
    if (auto it = runs.find(d.name); it != runs.end()) {
      const resolve::RunFacts& run = it->second;
      bool swapped = true, unswapped = true;
      for (const resolve::PairFacts& p : f.schemas) {
        const resolve::RecordedObject* rec = run.Find(plans::ObjectKind::kSchema, p.pair->blue);
        if (rec == nullptr) {
          swapped = unswapped = false;
          break;
        }
        swapped = swapped && p.blue.exists && p.blue.id == rec->green_id;
        unswapped = unswapped && p.blue.exists && p.blue.id == rec->blue_id && p.green.exists &&
                    p.green.id == rec->green_id;
      }
      if (swapped) {
        f.state = resolve::DeployState::kPromoted;
        f.run = run;
      } else if (unswapped) {
        f.state = run.phase == "rolled_back" ? resolve::DeployState::kRolledBack
                                             : resolve::DeployState::kInitialized;
        f.run = run;
      } else if (run.phase == "initializing") {
        f.state = resolve::DeployState::kInitialized;
        f.run = run;
      } else {
        f.stale_run_id = run.id;
      }
    }
  }
  for (resolve::DeploymentFacts& f : snap.deployments) {
    for (resolve::SinkFacts& s : f.sinks) {
      views.push_back(&s);
    }
  }
  BGPLAN_RETURN_IF_ERROR(ReadViewDefinitions(session, views));
  BGPLAN_RETURN_IF_ERROR(ReadSinkColumns(session, snap));
  return snap;
}

}  // namespace bgplan::runtime
