// The steps whose shape is Materialize's own (semantics.md section 3): privileges from
// mz_aclexplode and mz_show_default_privileges, green clusters cloned from blue
// (resolve/mz_clusters.cc), the swap as ALTER ... SWAP WITH, and sinks re-pointed with
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
    CreateGreenMzCluster(r, FindPair(r, o), o, out);
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
            r.result.summary.repointed.push_back("sink " + k.object.schema + "." + k.object.name +
                                                 " reads " + p.pair->blue + "." + up.name);
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
        "--tolerate-failing); reconfiguring = a resize in progress "
        "(mz_internal.mz_cluster_reconfigurations, v26.35+); hydrating = an object not hydrated "
        "on any replica;",
        "lagging = an object's wallclock lag > lag_threshold (with compare_to_blue, for an object "
        "blue also has: > blue's lag + lag_threshold); lag-unknown = a lag reading longer than "
        "the environment has existed (mz_internal.mz_object_lifetimes); else ready (a cluster "
        "without dataflows is ready; an ON REFRESH cluster that is off is skipped with a "
        "warning).",
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
