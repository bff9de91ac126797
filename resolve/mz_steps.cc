// The steps whose shape is Materialize's own (semantics.md section 3): privileges from
// mz_aclexplode and mz_show_default_privileges, green clusters cloned from blue's options or
// replicas (or sized by the plan), the swap as ALTER ... SWAP WITH, and sinks re-pointed with
// ALTER SINK ... SET FROM one statement at a time, each journaled.
#include <algorithm>
#include <unordered_map>

#include "resolve/resolver_impl.h"
#include "sql/quote.h"
#include "sql/statements.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using plans::ObjectRef;
using plans::Step;
using Dep = Resolver::Impl::Dep;

namespace {

template <typename T>
bool Has(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

const char* kSkipped = "grantees none, mz_system, mz_support and the current role are skipped.";

// Revokes what green has and blue lacks, grants what blue has and green lacks.
void CopyGrants(Resolver::Impl& r, Dep* d, ObjectKind kind, const std::string& database,
                const std::string& green_name, const ContainerFacts& blue,
                const ContainerFacts& green, ActionSink& out) {
  for (const Grant& g : green.grants) {
    if (!Has(blue.grants, g)) {
      r.Sql(out, d, sql::RevokeSql(*r.dialect, kind, database, green_name, g.privilege,
                                   sql::GranteeOf(g.grantee)));
    }
  }
  for (const Grant& g : blue.grants) {
    if (!Has(green.grants, g)) {
      r.Sql(out, d, sql::GrantSql(*r.dialect, kind, database, green_name, g.privilege,
                                  sql::GranteeOf(g.grantee)));
      ++r.result.summary.grants_copied;
    }
  }
}

class MaterializeSteps : public DialectSteps {
 public:
  void CopySchemaPrivileges(Resolver::Impl& r, const ObjectRef& o, ActionSink& out) override {
    if (!r.live()) {
      const std::string green = r.phrases.ObjectName(o, Side::kGreen);
      r.Pending(
          out,
          {"resolved at apply time: copy the privileges of schema " +
               r.phrases.ObjectName(o, Side::kBlue) + " to " + green + ":",
           "default privileges: for each row of mz_internal.mz_show_default_privileges with "
           "database = " +
               (o.database.empty() ? std::string("current_database()") : Lit(o.database)) +
               " and schema = " + Lit(o.blue) + " (object_owner and grantee not 'none'):",
           "ALTER DEFAULT PRIVILEGES FOR ROLE \"<object_owner>\" | FOR ALL ROLES IN SCHEMA " +
               green + " GRANT <privilege_type> ON <object_type>S TO \"<grantee>\" | PUBLIC;",
           "grants: revoke what green has, then grant what blue has, from "
           "mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):",
           "REVOKE <privilege_type> ON SCHEMA " + green + " FROM \"<grantee>\";",
           "GRANT <privilege_type> ON SCHEMA " + green + " TO \"<grantee>\";", kSkipped});
      return;
    }
    Dep* d = r.Acting(o.deployment);
    const PairFacts* p = d != nullptr ? r.Pair(*d, o) : nullptr;
    if (p == nullptr) {
      return;
    }
    for (const DefaultPrivilege& a : p->green.default_privileges) {
      if (!Has(p->blue.default_privileges, a)) {
        std::string grant = DefaultSql(r, o, a);
        size_t at = grant.find(" GRANT ");
        size_t to = grant.rfind(" TO ");
        r.Sql(out, d,
              grant.substr(0, at) + " REVOKE " + grant.substr(at + 7, to - at - 7) + " FROM " +
                  grant.substr(to + 4));
      }
    }
    for (const DefaultPrivilege& a : p->blue.default_privileges) {
      if (!Has(p->green.default_privileges, a)) {
        r.Sql(out, d, DefaultSql(r, o, a));
        ++r.result.summary.default_privileges_copied;
      }
    }
    CopyGrants(r, d, ObjectKind::kSchema, o.database, o.green, p->blue, p->green, out);
  }

  void CreateGreenCluster(Resolver::Impl& r, const ObjectRef& o, ActionSink& out) override {
    const plans::ClusterPair* pair = FindPair(r, o);
    const std::optional<std::string> size = pair != nullptr ? pair->size : std::nullopt;
    const std::optional<int64_t> rf = pair != nullptr ? pair->replication_factor : std::nullopt;
    Dep* d = r.live() ? r.Acting(o.deployment) : nullptr;
    const ClusterPairFacts* c = d != nullptr ? r.ClusterPair(*d, o) : nullptr;
    if (r.live() && (c == nullptr || c->green.exists)) {
      return;
    }
    if (size.has_value() && rf.has_value()) {
      // Sized by the plan: exactly this statement, blue's schedule and strategy not copied.
      r.Note(out, {"green cluster " + Name(o.green) +
                   " sized by the plan; blue's schedule and auto scaling strategy are not copied"});
      sql::ManagedClusterOptions options;
      options.size = *size;
      options.replication_factor = rf;
      r.Sql(out, d, sql::CreateClusterSql(o.green, options));
      r.result.summary.clusters_created += c != nullptr ? 1 : 0;
      return;
    }
    if (!r.live()) {
      DescribeCreateCluster(r, o, size, rf, out);
      return;
    }
    const ClusterFacts& blue = c->blue;
    if (blue.managed) {
      sql::ManagedClusterOptions options;
      options.size = size.value_or(blue.size);
      options.on_refresh = blue.schedule == "on-refresh";
      options.replication_factor = rf.has_value() ? rf : blue.replication_factor;
      if (options.on_refresh && !blue.hydration_time_estimate.empty()) {
        options.hydration_time_estimate = blue.hydration_time_estimate;
      }
      if (!blue.auto_scaling_size.empty() && !options.on_refresh &&
          blue.auto_scaling_size != options.size) {
        sql::AutoScalingStrategy as;
        as.hydration_size = blue.auto_scaling_size;
        if (!blue.auto_scaling_linger_secs.empty()) {
          as.linger_duration = blue.auto_scaling_linger_secs + "s";
        }
        options.auto_scaling = as;
      }
      if (options.auto_scaling.has_value() &&
          !r.RequireServer(*d, c->pair->origin, kAutoScalingStrategy,
                           "creating green cluster " + Name(o.green) + " like blue")) {
        return;
      }
      r.Sql(out, d, sql::CreateClusterSql(o.green, options));
    } else {
      r.Sql(out, d, sql::CreateUnmanagedClusterSql(o.green, blue.replicas));
    }
    ++r.result.summary.clusters_created;
  }

  void CopyClusterPrivileges(Resolver::Impl& r, const ObjectRef& o, ActionSink& out) override {
    if (!r.live()) {
      const std::string green = Name(o.green);
      r.Pending(out,
                {"resolved at apply time: copy the grants of cluster " + Name(o.blue) + " to " +
                     green +
                     ": revoke what green has, then grant what blue has, from "
                     "mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through "
                     "mz_roles):",
                 "REVOKE <privilege_type> ON CLUSTER " + green + " FROM \"<grantee>\";",
                 "GRANT <privilege_type> ON CLUSTER " + green + " TO \"<grantee>\";", kSkipped});
      return;
    }
    Dep* d = r.Acting(o.deployment);
    const ClusterPairFacts* c = d != nullptr ? r.ClusterPair(*d, o) : nullptr;
    if (c != nullptr) {
      CopyGrants(r, d, ObjectKind::kCluster, "", o.green, c->blue, c->green, out);
    }
  }

  void Swap(Resolver::Impl& r, const Step&, const std::vector<const ObjectRef*>& objects,
            ActionSink& out) override {
    for (const ObjectRef* o : objects) {
      for (std::string& statement : sql::SwapSql(*r.dialect, *o)) {
        r.Sql(out, r.live() ? r.FindDep(o->deployment) : nullptr, std::move(statement));
      }
    }
  }

  void RepointSinks(Resolver::Impl& r, const Step& step, ActionSink& out) override {
    if (!r.live()) {
      DescribeRepoint(r, step, out);
      return;
    }
    for (const plans::Deployment* deployment : r.index.Of(step)) {
      Dep* d = r.Acting(deployment->name);
      if (d == nullptr) {
        continue;
      }
      for (const SinkFacts& k : d->facts->sinks) {
        for (const CatalogObject& up : k.reads) {
          for (const PairFacts& p : d->facts->schemas) {
            // The sink reads the object that leaves the blue name: before a swap of this
            // phase, the one under blue; after one (a finished swap), the one under green.
            const SchemaFacts& from = r.SwapsNow(*d) ? p.blue : p.green;
            if (up.database != from.database || up.schema != from.name) {
              continue;
            }
            const std::string statement = sql::AlterSinkSetFromSql(
                {k.object.database, k.object.schema, k.object.name},
                {p.blue.database, p.pair->blue, up.name});
            r.Sql(out, d, statement);
            r.Journal(out, d, r.Event(*d, "sink", statement));
            ++r.result.summary.sinks_repointed;
          }
        }
      }
    }
  }

  void DescribeAwait(Resolver::Impl& r, const Step& step, ActionSink& out) override {
    std::vector<std::string> lines = {
        "resolved at apply time: poll readiness with one query per poll over all green "
        "clusters below (mz_clusters, mz_cluster_replicas, mz_internal.mz_hydration_statuses, "
        "mz_internal.mz_wallclock_global_lag, mz_internal.mz_cluster_replica_status_history):",
        "failing = no replicas, or every replica OOM-killed 3+ times in 24h (exit 5 unless "
        "--tolerate-failing); hydrating = an object not hydrated on any replica;",
        "lagging = max wallclock lag > lag_threshold; else ready (a cluster without dataflows is "
        "ready; an ON REFRESH cluster that is off is skipped with a warning).",
        "done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout."};
    AwaitSettingsLines(r, step, ObjectKind::kCluster, lines);
    r.Pending(out, std::move(lines));
  }

 private:
  static std::string DefaultSql(Resolver::Impl& r, const ObjectRef& o, const DefaultPrivilege& a) {
    std::optional<std::string> role;
    if (!a.role.empty()) {
      role = a.role;
    }
    return sql::AlterDefaultPrivilegesSql(*r.dialect, role, o.database, o.green, a.privilege,
                                          a.object_type, sql::GranteeOf(a.grantee));
  }

  // The first cluster pair of the deployment named o.deployment whose blue name is o.blue.
  const plans::ClusterPair* FindPair(Resolver::Impl& r, const ObjectRef& o) {
    const plans::Deployment* d = r.index.Find(o.deployment);
    if (d == nullptr) {
      return nullptr;
    }
    // Indexed on first use, so a deployment with many clusters is not scanned once per cluster.
    auto [it, inserted] = cluster_pairs_.try_emplace(d);
    if (inserted) {
      it->second.reserve(d->clusters.size());
      for (const plans::ClusterPair& c : d->clusters) {
        it->second.emplace(c.blue, &c);
      }
    }
    auto pair = it->second.find(o.blue);
    return pair == it->second.end() ? nullptr : pair->second;
  }

  static void DescribeCreateCluster(Resolver::Impl& r, const ObjectRef& o,
                                    const std::optional<std::string>& size,
                                    const std::optional<int64_t>& rf, ActionSink& out) {
    const std::string green = Name(o.green);
    std::vector<std::string> lines = {
        "resolved at apply time: create green cluster " + green + " as a copy of blue " +
            Name(o.blue) + ":",
        "read managed, size, replication_factor from mz_clusters, type and "
        "refresh_hydration_time_estimate from mz_internal.mz_cluster_schedules and strategy from "
        "mz_internal.mz_cluster_auto_scaling_strategies, for the cluster named " +
            Lit(o.blue) + ";"};
    const std::string size_text = size.has_value() ? Lit(*size) : "'<size>'";
    const std::string rf_text =
        rf.has_value() ? std::to_string(*rf) : std::string("<replication_factor>");
    lines.push_back("managed blue: CREATE CLUSTER " + green + " (SIZE = " + size_text +
                    ", REPLICATION FACTOR = " + rf_text +
                    "[, SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '<estimate>')][, AUTO "
                    "SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '<hydration_size>'[, "
                    "LINGER DURATION = '<duration>']))]);");
    lines.push_back(
        "(REPLICATION FACTOR only with a manual schedule; SCHEDULE and AUTO SCALING STRATEGY "
        "as blue has them)");
    if (size.has_value() || rf.has_value()) {
      lines.push_back("fixed by the plan: " +
                      (size.has_value()
                           ? "SIZE = " + Lit(*size) + " (REPLICATION FACTOR read from blue)"
                           : "REPLICATION FACTOR = " + std::to_string(*rf) +
                                 " (SIZE read from blue)") +
                      ";");
    }
    lines.push_back(
        "unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, "
        "availability_zone; internal replicas skipped), ordered by replica name:");
    lines.push_back("CREATE CLUSTER " + green +
                    " REPLICAS (\"<replica>\" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);");
    if (size.has_value() || rf.has_value()) {
      lines.push_back(
          "an unmanaged blue with a partial override is refused: give both size and "
          "replication_factor.");
    }
    r.Pending(out, std::move(lines));
  }

  static void DescribeRepoint(Resolver::Impl& r, const Step& step, ActionSink& out) {
    const std::string schemas = r.phrases.List(step.objects, Side::kBlue, ObjectKind::kSchema);
    std::vector<std::string> sink_schemas, sink_clusters;
    for (const plans::Deployment* d : r.index.Of(step)) {
      for (const plans::SinkSchema& s : d->sink_schemas) {
        sink_schemas.push_back(r.phrases.SchemaRef(s.database, s.name));
      }
      for (const plans::SinkCluster& c : d->sink_clusters) {
        sink_clusters.push_back(Name(c.name));
      }
    }
    std::string where;
    if (!sink_schemas.empty()) {
      where += " in sinks " + std::string(sink_schemas.size() == 1 ? "schema " : "schemas ") +
               JoinQuoted(sink_schemas);
    }
    if (!sink_clusters.empty()) {
      where += (where.empty() ? " on " : ", on ") +
               std::string(sink_clusters.size() == 1 ? "cluster " : "clusters ") +
               JoinQuoted(sink_clusters);
    }
    std::vector<std::string> lines = {
        std::string("resolved at apply time: ") +
            (step.reverse ? "point sinks back" : "re-point sinks") +
            ": read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas "
            "and mz_databases for the sinks (" +
            (where.empty() ? std::string("the plan names no sinks schemas or clusters")
                           : "expected" + where) +
            ") whose upstream lives in the " + schemas + ";",
        std::string("for each, one statement at a time, each journaled (the name now holds the ") +
            (step.reverse ? "previous" : "new") + " object):"};
    for (const ObjectRef& o : step.objects) {
      if (o.kind == ObjectKind::kSchema) {
        lines.push_back(Sql("ALTER SINK \"<db>\".\"<sink schema>\".\"<sink>\" SET FROM ") +
                        (o.database.empty() ? std::string("\"<db>\".") : Name(o.database) + ".") +
                        Name(o.blue) + ".\"<upstream>\";");
      }
    }
    r.Pending(out, std::move(lines));
  }

  std::unordered_map<const plans::Deployment*,
                     std::unordered_map<std::string_view, const plans::ClusterPair*>>
      cluster_pairs_;
};

}  // namespace

std::unique_ptr<DialectSteps> MakeMaterializeSteps() {
  return std::make_unique<MaterializeSteps>();
}

}  // namespace bgplan::resolve
