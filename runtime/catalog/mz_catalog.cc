#include "runtime/catalog/mz_catalog.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "runtime/catalog/rows.h"
#include "sql/cluster_options.h"
#include "sql/quote.h"
#include "sql/statements.h"

namespace bgplan::runtime {

using resolve::CatalogObject;
using resolve::Dependent;

namespace {

// For incompatible-upstream: the columns (mz_columns) of every relation in the schemas of the
// deployments that have sinks, both sides. One query, none without sinks.
Status ReadRelationColumns(SqlSession& session, resolve::Snapshot& snap) {
  std::vector<CatalogObject*> relations;
  for (resolve::DeploymentFacts& f : snap.deployments) {
    if (f.sinks.empty()) {
      continue;
    }
    for (resolve::PairFacts& p : f.schemas) {
      for (resolve::SchemaFacts* side : {&p.blue, &p.green}) {
        for (CatalogObject& o : side->objects) {
          if (o.kind == "table" || o.kind == "view" || o.kind == "materialized-view" ||
              o.kind == "source") {
            relations.push_back(&o);
          }
        }
      }
    }
  }
  if (relations.empty()) {
    return Status::Ok();
  }
  std::string ids;
  for (const CatalogObject* o : relations) {
    ids += (ids.empty() ? "" : ", ") + sql::QuoteLiteral(o->id);
  }
  BGPLAN_ASSIGN_OR_RETURN(Rows rows,
                          session.Query("SELECT id, name, type FROM mz_columns WHERE id IN (" +
                                        ids + ") ORDER BY id, position"));
  const RowIndex by_id = IndexRows(rows, [](const Row& r) { return r[0]; });
  for (CatalogObject* o : relations) {
    for (const Row* r : RowsAt(by_id, o->id)) {
      o->columns.push_back({(*r)[1], (*r)[2]});
    }
  }
  return Status::Ok();
}

}  // namespace

Result<bool> IsMaterialize(SqlSession& session) {
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query("SELECT version()"));
  return !rows.empty() && !rows[0].empty() && rows[0][0].find("Materialize") != std::string::npos;
}

namespace {

std::string Lit(std::string_view s) { return sql::QuoteLiteral(s); }

std::string InList(const std::vector<std::string>& names) {
  std::string in;
  for (const std::string& n : names) {
    in += (in.empty() ? "" : ", ") + Lit(n);
  }
  return in.empty() ? "NULL" : in;
}

bool True(const std::string& v) { return v == "true" || v == "t"; }

// "(d.name = 'db' AND s.name IN (...)) OR ..." for `schemas` by database; "false" when none.
std::string SchemaCondition(const std::map<std::string, std::vector<std::string>>& schemas,
                            const std::string& db_column, const std::string& schema_column) {
  std::string cond = "false";
  for (const auto& [db, names] : schemas) {
    cond += " OR (" + db_column + " = " + Lit(db) + " AND " + schema_column + " IN (" +
            InList(names) + "))";
  }
  return "(" + cond + ")";
}

// The rows of `rows` by the value of column `key`.
std::unordered_map<std::string, std::vector<const Row*>> By(const Rows& rows, size_t key) {
  std::unordered_map<std::string, std::vector<const Row*>> out;
  for (const Row& r : rows) {
    out[r[key]].push_back(&r);
  }
  return out;
}

}  // namespace

Result<resolve::Snapshot> ReadMzSnapshot(SqlSession& session, const plans::Plan& plan,
                                         const std::vector<std::string>& selected,
                                         Journal& journal) {
  resolve::Snapshot snap;
  snap.live = true;
  resolve::ServerFacts& s = snap.server;
  BGPLAN_ASSIGN_OR_RETURN(
      Rows me, session.Query("SELECT current_user, current_database(), mz_is_superuser()::text, "
                             "(SELECT id FROM mz_roles WHERE name = current_user), "
                             "has_system_privilege('CREATECLUSTER')::text, "
                             "current_setting('cluster'), (SELECT count(*) FROM mz_clusters WHERE "
                             "name = current_setting('cluster'))::text, (SELECT count(*) FROM "
                             "mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id "
                             "WHERE c.name = current_setting('cluster'))::text, version()"));
  s.user = me[0][0];
  s.database = me[0][1];
  s.superuser = True(me[0][2]);
  s.createcluster = s.superuser || True(me[0][4]);
  s.session_cluster = me[0][5];
  s.session_cluster_exists = me[0][6] != "0";
  s.session_cluster_replicas = std::stoll(me[0][7]);
  s.version = me[0][8];
  s.materialize_version = resolve::ParseMaterializeVersion(s.version);
  s.is_materialize = true;
  // The roles the current role acts for: itself and, transitively, every role it is a member of.
  std::set<std::string> my_roles = {me[0][3]};
  BGPLAN_ASSIGN_OR_RETURN(Rows members, session.Query("SELECT role_id, member FROM mz_role_members"));
  for (bool grew = true; grew;) {
    grew = false;
    for (const Row& r : members) {
      if (my_roles.count(r[1]) && !my_roles.count(r[0])) {
        my_roles.insert(r[0]);
        grew = true;
      }
    }
  }
  BGPLAN_ASSIGN_OR_RETURN(Rows roles, session.Query("SELECT id, name FROM mz_roles"));
  std::unordered_map<std::string, std::string> role_name;
  for (const Row& r : roles) {
    role_name[r[0]] = r[1];
    if (my_roles.count(r[0])) {
      s.member_of.insert(r[1]);
    }
  }
  if (s.superuser) {
    s.can_create_in_database = true;
  } else {
    BGPLAN_ASSIGN_OR_RETURN(Rows privs,
                            session.Query("SELECT privilege_type FROM "
                                          "mz_internal.mz_show_my_database_privileges WHERE name = "
                                          "current_database()"));
    bool create = false, usage = false;
    for (const Row& r : privs) {
      create |= r[0] == "CREATE";
      usage |= r[0] == "USAGE";
    }
    s.can_create_in_database = create && usage;
  }
  auto owned = [&](const std::string& owner_id) {
    return s.superuser || my_roles.count(owner_id) > 0;
  };

  // The deployments and every schema and cluster name they use.
  std::map<std::string, std::vector<std::string>> schema_names, blue_schemas, green_schemas;
  std::vector<std::string> cluster_names, blue_clusters, green_clusters, chosen;
  for (const plans::Deployment& d : plan.deployments) {
    if (!selected.empty() && std::find(selected.begin(), selected.end(), d.name) == selected.end()) {
      continue;
    }
    chosen.push_back(d.name);
    resolve::DeploymentFacts f;
    f.deployment = &d;
    for (const plans::SchemaPair& p : d.schemas) {
      resolve::PairFacts pf;
      pf.pair = &p;
      const std::string db = p.database.empty() ? s.database : p.database;
      pf.blue.name = p.blue;
      pf.green.name = p.green;
      pf.blue.database = pf.green.database = db;
      schema_names[db].push_back(p.blue);
      schema_names[db].push_back(p.green);
      blue_schemas[db].push_back(p.blue);
      green_schemas[db].push_back(p.green);
      f.schemas.push_back(std::move(pf));
    }
    for (const plans::ClusterPair& c : d.clusters) {
      resolve::ClusterPairFacts cf;
      cf.pair = &c;
      cf.blue.name = c.blue;
      cf.green.name = c.green;
      cluster_names.push_back(c.blue);
      cluster_names.push_back(c.green);
      blue_clusters.push_back(c.blue);
      green_clusters.push_back(c.green);
      f.clusters.push_back(std::move(cf));
    }
    snap.deployments.push_back(std::move(f));
  }
  BGPLAN_ASSIGN_OR_RETURN(snap.journal_exists, journal.Exists(session));
  if (snap.journal_exists) {
    BGPLAN_ASSIGN_OR_RETURN(snap.journal_missing_grants, journal.MissingGrants(session));
  }
  std::map<std::string, resolve::RunFacts> runs;
  // Else journal-access or journal-cluster refuses the phase.
  if (snap.journal_exists && snap.journal_missing_grants.empty() && s.session_cluster_exists &&
      s.session_cluster_replicas > 0) {
    BGPLAN_ASSIGN_OR_RETURN(runs, journal.ActiveRuns(session, chosen));
  }

  // Schemas, their privileges and default privileges: one query each.
  const std::string in_schemas = SchemaCondition(schema_names, "d.name", "s.name");
  BGPLAN_ASSIGN_OR_RETURN(
      Rows schemas,
      session.Query("SELECT d.name, s.name, s.id, s.owner_id, COALESCE((SELECT c.comment FROM "
                    "mz_internal.mz_comments c WHERE c.id = s.id AND c.object_type = 'schema' AND "
                    "c.object_sub_id IS NULL), '') FROM mz_schemas s JOIN mz_databases d ON "
                    "s.database_id = d.id WHERE " +
                    in_schemas));
  std::vector<std::string> schema_ids;
  for (const Row& r : schemas) {
    schema_ids.push_back(r[2]);
  }
  auto acl = [&](const char* relation, const std::vector<std::string>& ids) -> Result<Rows> {
    if (ids.empty()) {
      return Rows{};
    }
    return session.Query(std::string("SELECT o.id, a.grantee, COALESCE(r.name, ''), "
                                     "a.privilege_type FROM ") +
                         relation +
                         " o, mz_internal.mz_aclexplode(o.privileges) a LEFT JOIN mz_roles r ON "
                         "a.grantee = r.id WHERE o.id IN (" +
                         InList(ids) + ")");
  };
  BGPLAN_ASSIGN_OR_RETURN(Rows schema_acl, acl("mz_schemas", schema_ids));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows defaults,
      session.Query("SELECT database, schema, object_owner, object_type, grantee, privilege_type "
                    "FROM mz_internal.mz_show_default_privileges WHERE (" +
                    SchemaCondition(schema_names, "database", "schema") +
                    " OR (schema IS NULL AND object_type IN ('schema', 'cluster'))) AND "
                    "object_owner <> 'none' AND grantee <> 'none'"));
  // Grants bgplan copies: not those of none, mz_system, mz_support or the current role.
  auto grants_of = [&](const std::vector<const Row*>& rows) {
    std::vector<resolve::Grant> out;
    for (const Row* r : rows) {
      const std::string& name = (*r)[2];
      if ((name.empty() && (*r)[1] != "p") || name == "none" || name == "mz_system" ||
          name == "mz_support" || name == s.user || !sql::IsSqlKeyword((*r)[3])) {
        continue;
      }
      out.push_back({name, (*r)[3], false});
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  const auto schema_acl_by = By(schema_acl, 0);

  // Clusters, their privileges, strategies and replicas.
  BGPLAN_ASSIGN_OR_RETURN(
      Rows clusters,
      session.Query("SELECT c.name, c.id, c.owner_id, COALESCE((SELECT m.comment FROM "
                    "mz_internal.mz_comments m WHERE m.id = c.id AND m.object_type = 'cluster' AND "
                    "m.object_sub_id IS NULL), ''), c.managed::text, COALESCE(c.size, ''), "
                    "COALESCE(c.replication_factor::text, ''), COALESCE(cs.type, ''), "
                    "COALESCE(cs.refresh_hydration_time_estimate::text, ''), "
                    "COALESCE(c.introspection_debugging::text, 'false'), "
                    "COALESCE(c.introspection_interval::text, '') FROM mz_clusters c "
                    "LEFT JOIN mz_internal.mz_cluster_schedules cs ON cs.cluster_id = c.id WHERE "
                    "c.name IN (" +
                    InList(cluster_names) + ")"));
  std::vector<std::string> cluster_ids;
  for (const Row& r : clusters) {
    cluster_ids.push_back(r[1]);
  }
  BGPLAN_ASSIGN_OR_RETURN(Rows cluster_acl, acl("mz_clusters", cluster_ids));
  const auto cluster_acl_by = By(cluster_acl, 0);
  Rows strategies;
  if (!cluster_ids.empty()) {
    // Older servers have no auto scaling strategies: nothing to copy then.
    Result<Rows> as = session.Query(
        "SELECT s.cluster_id, COALESCE(s.strategy->'on_hydration'->>'hydration_size', ''), "
        "COALESCE((s.strategy->'on_hydration'->'linger_duration'->>'secs')::bigint::text, '') "
        "FROM mz_internal.mz_cluster_auto_scaling_strategies s WHERE s.cluster_id IN (" +
        InList(cluster_ids) + ")");
    if (as.ok()) {
      strategies = std::move(*as);
    }
  }
  Rows reconfigurations;
  if (!cluster_ids.empty() && !resolve::TooOld(s.materialize_version,
                                               resolve::kAsyncClusterReconfiguration)) {
    // Older servers resize synchronously: nothing is ever in progress there.
    Result<Rows> rc = session.Query(
        "SELECT cluster_id, COALESCE(target->>'size', '') FROM "
        "mz_internal.mz_cluster_reconfigurations WHERE status = 'in-progress' AND cluster_id IN (" +
        InList(cluster_ids) + ")");
    if (rc.ok()) {
      reconfigurations = std::move(*rc);
    }
  }
  Rows replicas;
  if (!cluster_ids.empty()) {
    BGPLAN_ASSIGN_OR_RETURN(
        replicas, session.Query("SELECT cr.cluster_id, cr.name, COALESCE(cr.size, ''), "
                                "COALESCE(cr.availability_zone, '') FROM mz_cluster_replicas cr "
                                "LEFT JOIN mz_internal.mz_internal_cluster_replicas icr ON icr.id "
                                "= cr.id WHERE cr.cluster_id IN (" +
                                InList(cluster_ids) + ") AND icr.id IS NULL ORDER BY cr.name"));
  }

  // The user objects in the schemas or on the clusters of the deployments.
  BGPLAN_ASSIGN_OR_RETURN(
      Rows objects,
      session.Query("SELECT o.id, o.type, d.name, sc.name, o.name, o.owner_id, COALESCE(c.name, "
                    "'') FROM mz_objects o JOIN mz_schemas sc ON o.schema_id = sc.id JOIN "
                    "mz_databases d ON sc.database_id = d.id LEFT JOIN mz_clusters c ON c.id = "
                    "o.cluster_id WHERE o.id LIKE 'u%' AND (" +
                    SchemaCondition(schema_names, "d.name", "sc.name") + " OR c.name IN (" +
                    InList(cluster_names) + ")) ORDER BY d.name, sc.name, o.type, o.name"));
  // Columns 0-5 (id, type, database, schema, name, owner id) and, for `objects`, 6 the cluster.
  auto object_of = [&](const Row& r, bool with_cluster = true) {
    CatalogObject o;
    o.id = r[0];
    o.kind = r[1];
    o.database = r[2];
    o.schema = r[3];
    o.name = r[4];
    o.owner = role_name.count(r[5]) ? role_name.at(r[5]) : r[5];
    if (with_cluster) {
      o.cluster = r[6];
    }
    return o;
  };

  // Every sink with the relation it reads, and what depends on the deployments' schemas.
  BGPLAN_ASSIGN_OR_RETURN(
      Rows sinks,
      session.Query("SELECT k.id, kd.name, ks.name, k.name, COALESCE(c.name, ''), "
                    "COALESCE(od.name, ''), COALESCE(os.name, ''), COALESCE(o.name, ''), "
                    "COALESCE(o.id, ''), k.owner_id FROM mz_sinks k JOIN mz_schemas ks ON "
                    "k.schema_id = ks.id JOIN mz_databases kd ON ks.database_id = kd.id LEFT JOIN "
                    "mz_clusters c ON c.id = k.cluster_id LEFT JOIN "
                    "(mz_internal.mz_object_dependencies dep JOIN mz_objects o ON o.id = "
                    "dep.referenced_object_id AND o.type IN ('table', 'view', "
                    "'materialized-view', 'source') JOIN mz_schemas os ON o.schema_id = os.id JOIN "
                    "mz_databases od ON os.database_id = od.id) ON dep.object_id = k.id ORDER BY "
                    "kd.name, ks.name, k.name"));
  BGPLAN_ASSIGN_OR_RETURN(
      Rows dependents,
      session.Query("SELECT DISTINCT o.id, o.type, dd.name, ds.name, o.name, o.owner_id, "
                    "rd.name, rs.name, r.name FROM mz_internal.mz_object_dependencies dep JOIN "
                    "mz_objects o ON o.id = dep.object_id JOIN mz_schemas ds ON o.schema_id = "
                    "ds.id JOIN mz_databases dd ON ds.database_id = dd.id JOIN mz_objects r ON "
                    "r.id = dep.referenced_object_id JOIN mz_schemas rs ON r.schema_id = rs.id "
                    "JOIN mz_databases rd ON rs.database_id = rd.id WHERE " +
                    SchemaCondition(schema_names, "rd.name", "rs.name") +
                    " ORDER BY dd.name, ds.name, o.name, rd.name, rs.name, r.name"));

  // Assemble each deployment.
  auto in_set = [](const std::map<std::string, std::vector<std::string>>& set,
                   const std::string& db, const std::string& schema) {
    auto it = set.find(db);
    return it != set.end() &&
           std::find(it->second.begin(), it->second.end(), schema) != it->second.end();
  };
  // What Materialize grants a schema or cluster the current role creates now, beyond its own
  // privileges: the default privileges ON SCHEMAS (of the schema's database or every database)
  // or ON CLUSTERS FOR that role itself or FOR ALL ROLES (catalog `get_applicable_privileges`).
  // A green about to be created starts with them; the copy revokes those blue lacks.
  auto initial_grants = [&](const char* type, const std::string& database) {
    std::vector<const Row*> rows;
    std::vector<Row> converted;
    converted.reserve(defaults.size());
    for (const Row& r : defaults) {
      if (r[1].empty() && r[3] == type && (r[0].empty() || r[0] == database) &&
          (r[2] == s.user || r[2] == "PUBLIC")) {
        // As an aclexplode row of grants_of: (id, grantee id, grantee name, privilege).
        converted.push_back({"", r[4] == "PUBLIC" ? "p" : "", r[4] == "PUBLIC" ? "" : r[4], r[5]});
      }
    }
    for (const Row& r : converted) {
      rows.push_back(&r);
    }
    return grants_of(rows);
  };
  // Each kind of row indexed once: filling N objects is N lookups, not N scans.
  const RowIndex schema_rows = IndexRows(schemas, [](const Row& r) { return PairKey(r[0], r[1]); });
  const RowIndex default_rows =
      IndexRows(defaults, [](const Row& r) { return PairKey(r[0], r[1]); });
  const RowIndex objects_by_schema =
      IndexRows(objects, [](const Row& r) { return PairKey(r[2], r[3]); });
  const RowIndex objects_by_cluster = IndexRows(objects, [](const Row& r) { return r[6]; });
  const RowIndex cluster_rows = IndexRows(clusters, [](const Row& r) { return r[0]; });
  const RowIndex strategy_rows = IndexRows(strategies, [](const Row& r) { return r[0]; });
  const RowIndex replica_rows = IndexRows(replicas, [](const Row& r) { return r[0]; });
  const RowIndex reconfiguration_rows =
      IndexRows(reconfigurations, [](const Row& r) { return r[0]; });
  auto fill_schema = [&](resolve::SchemaFacts& f) {
    const std::string key = PairKey(f.database, f.name);
    for (const Row* row : RowsAt(schema_rows, key)) {
      const Row& r = *row;
      f.exists = true;
      f.id = r[2];
      f.owner = role_name.count(r[3]) ? role_name.at(r[3]) : r[3];
      f.owned = owned(r[3]);
      f.comment = r[4];
    }
    if (f.exists) {
      if (auto it = schema_acl_by.find(f.id); it != schema_acl_by.end()) {
        f.grants = grants_of(it->second);
      }
    } else {
      f.grants = initial_grants("schema", f.database);
    }
    for (const Row* row : RowsAt(default_rows, key)) {
      const Row& r = *row;
      if (sql::IsSqlKeyword(r[5])) {
        std::string type = r[3];
        for (char& c : type) {
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (!sql::IsSqlKeyword(type)) {
          continue;
        }
        f.default_privileges.push_back(
            {r[2] == "PUBLIC" ? "" : r[2], type + "S", r[4] == "PUBLIC" ? "" : r[4], r[5], false});
      }
    }
    std::sort(f.default_privileges.begin(), f.default_privileges.end());
    for (const Row* r : RowsAt(objects_by_schema, key)) {
      f.objects.push_back(object_of(*r));
    }
  };
  auto fill_cluster = [&](resolve::ClusterFacts& f) {
    for (const Row* row : RowsAt(cluster_rows, f.name)) {
      const Row& r = *row;
      f.exists = true;
      f.id = r[1];
      f.owner = role_name.count(r[2]) ? role_name.at(r[2]) : r[2];
      f.owned = owned(r[2]);
      f.comment = r[3];
      f.managed = True(r[4]);
      f.size = r[5];
      if (!r[6].empty()) {
        f.replication_factor = std::stoll(r[6]);
      }
      f.schedule = r[7];
      f.hydration_time_estimate = r[8];
      f.introspection_debugging = True(r[9]);
      f.introspection_interval = r[10];
    }
    if (!f.exists) {
      f.grants = initial_grants("cluster", "");
      return;
    }
    if (auto it = cluster_acl_by.find(f.id); it != cluster_acl_by.end()) {
      f.grants = grants_of(it->second);
    }
    for (const Row* r : RowsAt(reconfiguration_rows, f.id)) {
      f.reconfiguring_to = (*r)[1];
    }
    for (const Row* r : RowsAt(strategy_rows, f.id)) {
      f.auto_scaling_size = (*r)[1];
      f.auto_scaling_linger_secs = (*r)[2];
    }
    for (const Row* row : RowsAt(replica_rows, f.id)) {
      const Row& r = *row;
      if (r[2].empty()) {
        f.unsized.push_back(r[1]);
        continue;
      }
      sql::ReplicaSpec spec{r[1], r[2], std::nullopt};
      if (!r[3].empty()) {
        spec.availability_zone = r[3];
      }
      f.replicas.push_back(spec);
    }
    for (const Row* r : RowsAt(objects_by_cluster, f.name)) {
      f.objects.push_back(object_of(*r));
    }
  };

  for (resolve::DeploymentFacts& f : snap.deployments) {
    const plans::Deployment& d = *f.deployment;
    std::map<std::string, std::vector<std::string>> mine_blue, mine_green, mine;
    for (resolve::PairFacts& p : f.schemas) {
      fill_schema(p.blue);
      fill_schema(p.green);
      mine_blue[p.blue.database].push_back(p.blue.name);
      mine_green[p.green.database].push_back(p.green.name);
      mine[p.blue.database].push_back(p.blue.name);
      mine[p.green.database].push_back(p.green.name);
    }
    std::vector<std::string> my_blue_clusters, my_green_clusters;
    for (resolve::ClusterPairFacts& c : f.clusters) {
      fill_cluster(c.blue);
      fill_cluster(c.green);
      if (c.blue.exists && c.blue.managed && !c.green.exists) {
        // The one read per cluster: Materialize keeps a cluster's CREATE statement in no
        // relation. Only before init (green absent), so at most once per cluster per run.
        Result<Rows> shown = session.Query("SHOW CREATE CLUSTER " + sql::QuoteIdent(c.blue.name));
        if (shown.ok() && shown->size() == 1 && shown->front().size() == 2) {
          c.blue.create_options = sql::ParseCreateClusterOptions(shown->front()[1], c.blue.name)
                                      .value_or(sql::ClusterOptionList{});
        }
      }
      my_blue_clusters.push_back(c.blue.name);
      my_green_clusters.push_back(c.green.name);
    }
    // The sinks bgplan follows: those in the plan's sinks schemas or clusters; with no sinks
    // block, every sink (semantics.md section 3). Others are never altered (section 5).
    auto in_plan = [&](const Row& k) {
      if (d.sink_schemas.empty() && d.sink_clusters.empty()) {
        return true;
      }
      for (const plans::SinkSchema& ss : d.sink_schemas) {
        if ((ss.database.empty() ? s.database : ss.database) == k[1] && ss.name == k[2]) {
          return true;
        }
      }
      for (const plans::SinkCluster& sc : d.sink_clusters) {
        if (sc.name == k[4]) {
          return true;
        }
      }
      return false;
    };
    std::set<std::string> followed;
    for (const Row& k : sinks) {
      CatalogObject sink;
      sink.id = k[0];
      sink.kind = "sink";
      sink.database = k[1];
      sink.schema = k[2];
      sink.name = k[3];
      sink.cluster = k[4];
      sink.owner = role_name.count(k[9]) ? role_name.at(k[9]) : k[9];
      if (in_set(mine_blue, k[1], k[2]) ||
          std::find(my_blue_clusters.begin(), my_blue_clusters.end(), k[4]) !=
              my_blue_clusters.end()) {
        f.sinks_inside.push_back(sink);
      }
      if (!k[7].empty() && in_set(mine, k[5], k[6]) && in_plan(k)) {
        resolve::SinkFacts facts;
        facts.object = sink;
        CatalogObject up;
        up.id = k[8];
        up.database = k[5];
        up.schema = k[6];
        up.name = k[7];
        facts.reads.push_back(std::move(up));
        f.sinks.push_back(std::move(facts));
        followed.insert(sink.id);
      }
    }
    // Dependents: objects outside every schema of the deployment reading blue (orphaned by the
    // swap, unless they are sinks it follows), and objects outside the green schemas reading
    // green (dropped by cleanup's CASCADE).
    std::map<std::string, size_t> blue_at, green_at;
    for (const Row& r : dependents) {
      const std::string label = r[6] + "." + r[7] + "." + r[8];
      const CatalogObject o = object_of(r, false);
      auto add = [&](std::vector<Dependent>& out, std::map<std::string, size_t>& at,
                     const std::string& suffix) {
        auto [it, inserted] = at.try_emplace(o.id, out.size());
        if (inserted) {
          out.push_back({o, o.Describe() + suffix, {}});
        }
        out[it->second].references.push_back(label);
      };
      if (in_set(mine_blue, r[6], r[7]) && !in_set(mine, r[2], r[3]) && !followed.count(o.id)) {
        add(f.blue_dependents, blue_at,
            o.kind == "sink" ? " (outside the plan's sinks schemas and clusters)" : "");
      }
      if (in_set(mine_green, r[6], r[7]) && !in_set(mine_green, r[2], r[3])) {
        add(f.green_dependents, green_at, "");
      }
    }
    // Objects of other schemas on the deployment's clusters: a swap of the clusters moves them
    // along (after promote they run on the cluster renamed to the green name, which cleanup
    // drops with CASCADE). System objects (ids s...) never count.
    for (const Row& r : objects) {
      CatalogObject o = object_of(r);
      if (std::find(my_blue_clusters.begin(), my_blue_clusters.end(), o.cluster) !=
              my_blue_clusters.end() &&
          !in_set(mine_blue, o.database, o.schema) && !blue_at.count(o.id)) {
        f.blue_dependents.push_back({o,
                                     o.Describe() + " (runs on blue cluster " + o.cluster +
                                         ", which the swap renames to the green name)",
                                     {}});
      }
      if (std::find(my_green_clusters.begin(), my_green_clusters.end(), o.cluster) !=
              my_green_clusters.end() &&
          !in_set(mine_green, o.database, o.schema) && !green_at.count(o.id)) {
        f.green_dependents.push_back({o, o.Describe() + " (on a dropped cluster)", {}});
      }
    }
    // Where the deployment stands: a swap happened iff every blue name carries the green id the
    // run recorded.
    if (auto it = runs.find(d.name); it != runs.end()) {
      const resolve::RunFacts& run = it->second;
      bool swapped = !run.objects.empty(), unswapped = !run.objects.empty();
      for (const resolve::PairFacts& p : f.schemas) {
        const resolve::RecordedObject* rec = run.Find(plans::ObjectKind::kSchema, p.pair->blue);
        swapped = swapped && rec != nullptr && p.blue.exists && p.blue.id == rec->green_id;
        unswapped = unswapped && rec != nullptr && p.blue.exists && p.blue.id == rec->blue_id;
      }
      for (const resolve::ClusterPairFacts& c : f.clusters) {
        const resolve::RecordedObject* rec = run.Find(plans::ObjectKind::kCluster, c.pair->blue);
        swapped = swapped && rec != nullptr && c.blue.exists && c.blue.id == rec->green_id;
        unswapped = unswapped && rec != nullptr && c.blue.exists && c.blue.id == rec->blue_id;
      }
      if (swapped) {
        f.state = resolve::DeployState::kPromoted;
        f.run = run;
      } else if (unswapped || run.objects.empty() || run.phase == "initializing") {
        f.state = run.phase == "rolled_back" ? resolve::DeployState::kRolledBack
                                             : resolve::DeployState::kInitialized;
        f.run = run;
      } else {
        f.stale_run_id = run.id;
      }
    }
  }
  BGPLAN_RETURN_IF_ERROR(ReadRelationColumns(session, snap));
  return snap;
}

Result<std::string> ReadMzId(SqlSession& session, plans::ObjectKind kind,
                             const std::string& database, const std::string& name) {
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query(kind == plans::ObjectKind::kCluster
                        ? "SELECT id FROM mz_clusters WHERE name = " + Lit(name)
                        : "SELECT s.id FROM mz_schemas s JOIN mz_databases d ON d.id = "
                          "s.database_id WHERE d.name = " +
                              (database.empty() ? std::string("current_database()")
                                                : Lit(database)) +
                              " AND s.name = " + Lit(name)));
  return rows.empty() ? std::string() : rows[0][0];
}

}  // namespace bgplan::runtime
