// The steps whose shape is PostgreSQL's own (semantics.md section 4): schema privileges copied
// from aclexplode and pg_default_acl, the swap as three renames per pair inside the phase's
// transaction guarded by the captured view definitions, and the views of the sinks schemas
// re-created with their captured definitions and options.
#include <algorithm>
#include <map>

#include "resolve/resolver_impl.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "support/check.h"
#include "support/strings.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using plans::ObjectRef;
using plans::Step;
using Dep = Resolver::Impl::Dep;

namespace {

std::string WithGrantOption(std::string sql, bool grantable) {
  if (grantable && !sql.empty() && sql.back() == ';') {
    sql.pop_back();
    sql += " WITH GRANT OPTION;";
  }
  return sql;
}

template <typename T>
bool Has(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The sinks views of the deployments of `step` that swap now, by oid (each once).
std::map<uint32_t, const SinkFacts*> Views(Resolver::Impl& r, const Step& step) {
  std::map<uint32_t, const SinkFacts*> views;
  for (const plans::Deployment* deployment : r.index.Of(step)) {
    Dep* d = r.Acting(deployment->name);
    if (d == nullptr || !r.SwapsNow(*d)) {
      continue;
    }
    for (const SinkFacts& v : d->facts->sinks) {
      views.emplace(static_cast<uint32_t>(std::stoul(v.object.id)), &v);
    }
  }
  return views;
}

class PostgresSteps : public DialectSteps {
 public:
  void CopySchemaPrivileges(Resolver::Impl& r, const ObjectRef& o, ActionSink& out) override {
    if (!r.live()) {
      const std::string green = r.phrases.ObjectName(o, Side::kGreen);
      r.Pending(
          out,
          {"resolved at apply time: copy the privileges of schema " +
               r.phrases.ObjectName(o, Side::kBlue) + " to " + green + ":",
           "grants: revoke what green has, then grant what blue has, from "
           "aclexplode(pg_namespace.nspacl) (grantee 0 = PUBLIC; the schema owner is skipped):",
           "REVOKE <privilege_type> ON SCHEMA " + green + " FROM \"<grantee>\" | PUBLIC;",
           "GRANT <privilege_type> ON SCHEMA " + green + " TO \"<grantee>\" | PUBLIC;",
           "default privileges: for each aclexplode(defaclacl) of the pg_default_acl rows with "
           "defaclnamespace = schema " +
               r.phrases.ObjectName(o, Side::kBlue) + ":",
           "ALTER DEFAULT PRIVILEGES FOR ROLE \"<defaclrole>\" IN SCHEMA " + green +
               " GRANT <privilege_type> ON TABLES|SEQUENCES|FUNCTIONS|TYPES TO \"<grantee>\" | "
               "PUBLIC;"});
      return;
    }
    Dep* d = r.Acting(o.deployment);
    const PairFacts* p = d != nullptr ? r.Pair(*d, o) : nullptr;
    if (p == nullptr) {
      return;
    }
    const SchemaFacts& blue = p->blue;
    const SchemaFacts& green = p->green;
    const auto kSchema = ObjectKind::kSchema;
    for (const Grant& g : green.grants) {
      if (!Has(blue.grants, g)) {
        r.Sql(out, d, sql::RevokeSql(*r.dialect, kSchema, "", o.green, g.privilege,
                                     sql::GranteeOf(g.grantee)));
      }
    }
    for (const Grant& g : blue.grants) {
      if (!Has(green.grants, g)) {
        r.Sql(out, d,
              WithGrantOption(sql::GrantSql(*r.dialect, kSchema, "", o.green, g.privilege,
                                            sql::GranteeOf(g.grantee)),
                              g.grantable));
        ++r.result.summary.grants_copied;
      }
    }
    for (const DefaultPrivilege& a : green.default_privileges) {
      if (!Has(blue.default_privileges, a)) {
        std::string grant = sql::AlterDefaultPrivilegesSql(
            *r.dialect, a.role, "", o.green, a.privilege, a.object_type, sql::GranteeOf(a.grantee));
        // The builder renders GRANT ... TO; the revoke is the same statement reversed.
        size_t at = grant.find(" GRANT ");
        size_t to = grant.rfind(" TO ");
        r.Sql(out, d,
              grant.substr(0, at) + " REVOKE " + grant.substr(at + 7, to - at - 7) + " FROM " +
                  grant.substr(to + 4));
      }
    }
    for (const DefaultPrivilege& a : blue.default_privileges) {
      if (!Has(green.default_privileges, a)) {
        r.Sql(out, d,
              WithGrantOption(
                  sql::AlterDefaultPrivilegesSql(*r.dialect, a.role, "", o.green, a.privilege,
                                                 a.object_type, sql::GranteeOf(a.grantee)),
                  a.grantable));
        ++r.result.summary.default_privileges_copied;
      }
    }
  }

  void CreateGreenCluster(Resolver::Impl&, const ObjectRef&, ActionSink&) override {
    BGPLAN_CHECK(false);  // PostgreSQL has no clusters (clusters-not-supported)
  }
  void CopyClusterPrivileges(Resolver::Impl&, const ObjectRef&, ActionSink&) override {
    BGPLAN_CHECK(false);
  }

  void Swap(Resolver::Impl& r, const Step& step, const std::vector<const ObjectRef*>& objects,
            ActionSink& out) override {
    if (!r.live()) {
      std::vector<std::string> sinks;
      for (const plans::Deployment* d : r.index.Of(step)) {
        for (const plans::SinkSchema& s : d->sink_schemas) {
          sinks.push_back(r.phrases.SchemaRef(s.database, s.name));
        }
      }
      if (!sinks.empty()) {
        r.Pending(
            out,
            {"resolved at apply time: the views in sinks " +
                 std::string(sinks.size() == 1 ? "schema " : "schemas ") + JoinQuoted(sinks) +
                 " that depend on the " +
                 r.phrases.List(step.objects, Side::kBlue, ObjectKind::kSchema) +
                 " (pg_depend, pg_rewrite), their definitions (pg_get_viewdef(oid), under the "
                 "empty search_path, so every name is schema-qualified) and options "
                 "(pg_class.reloptions) are read before this transaction, each read waiting at "
                 "most lock_timeout;",
             "here, before renaming, they are read again: if one changed, SQLSTATE 40001 is "
             "raised and the transaction retried"});
      }
    } else if (std::map<uint32_t, const SinkFacts*> views = Views(r, step); !views.empty()) {
      // The definitions and options read before the transaction are still the views'. One query
      // over a VALUES list (a hash join), not one sub-select per view: at 1,000 views the guard is
      // most of the swap transaction's time on the server.
      std::string rows;
      for (const auto& [oid, v] : views) {
        std::string options = "NULL";
        if (!v->options.empty()) {
          options.clear();
          for (const std::string& option : v->options) {
            options += (options.empty() ? "ARRAY[" : ", ") + sql::QuoteLiteral(option);
          }
          options += "]";
        }
        rows += std::string(rows.empty() ? "" : ", ") + "(" + std::to_string(oid) + "::oid, " +
                sql::QuoteLiteral(v->definition) + "::text, " + options + "::text[])";
      }
      const std::string cond =
          "EXISTS (SELECT FROM (VALUES " + rows +
          ") AS e(oid, def, opts) LEFT JOIN pg_catalog.pg_class c ON c.oid = e.oid WHERE "
          "(pg_get_viewdef(e.oid, false), c.reloptions) IS DISTINCT FROM (e.def, e.opts))";
      r.Sql(out, nullptr,
            sql::PgRaise40001IfSql(cond, "bgplan: a dependent view changed since it was read"),
            false);
    }
    for (const ObjectRef* o : objects) {
      BGPLAN_CHECK(o->kind == ObjectKind::kSchema);
      r.Note(out, {"exchange " + r.phrases.ObjectName(*o, Side::kBlue) + " and " +
                   r.phrases.ObjectName(*o, Side::kGreen) + " through " +
                   Name(sql::SwapTempName(o->blue, *r.dialect))});
      for (std::string& statement : sql::SwapSql(*r.dialect, *o)) {
        r.Sql(out, r.live() ? r.FindDep(o->deployment) : nullptr, std::move(statement));
      }
    }
  }

  void RepointSinks(Resolver::Impl& r, const Step& step, ActionSink& out) override {
    if (!r.live()) {
      bool sinks = false;
      for (const plans::Deployment* d : r.index.Of(step)) {
        sinks = sinks || !d->sink_schemas.empty();
      }
      if (!sinks) {
        r.Note(out, {"no sinks schemas: no dependent views to re-create"});
        return;
      }
      r.Pending(out,
                {"resolved at apply time: re-create each captured view with its captured "
                 "definition, which now binds to the objects under the blue names, and its "
                 "options (security_invoker, security_barrier, check_option; owner, grants and "
                 "comment stay with the view):",
                 "CREATE OR REPLACE VIEW \"<sinks schema>\".\"<view>\" [WITH (<option> = "
                 "'<value>', ...)] AS <definition>;",
                 "(if the new objects change a view's columns this fails and the whole "
                 "transaction rolls back)"});
      return;
    }
    for (const auto& [oid, v] : Views(r, step)) {
      Action a;
      a.kind = Action::Kind::kSql;
      a.sql = sql::CreateOrReplaceViewSql({"", v->object.schema, v->object.name}, v->definition,
                                          v->options);
      a.view_oid = oid;
      out.Add(std::move(a));
      std::vector<std::string> reads;
      for (const CatalogObject& up : v->reads) {
        reads.push_back(up.QualifiedName());
      }
      r.result.summary.repointed.push_back("view " + v->object.QualifiedName() + " re-created" +
                                           (reads.empty() ? "" : ", reads " + Join(reads)));
    }
  }

  void DescribeAwait(Resolver::Impl& r, const Step& step, ActionSink& out) override {
    std::vector<std::string> lines = {
        "resolved at apply time: poll pg_matviews.ispopulated of the materialized views in the "
        "green schemas below: any not populated = hydrating, else ready;",
        "done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout."};
    AwaitSettingsLines(r, step, ObjectKind::kSchema, lines);
    r.Pending(out, std::move(lines));
  }
};

}  // namespace

std::unique_ptr<DialectSteps> MakePostgresSteps() { return std::make_unique<PostgresSteps>(); }

}  // namespace bgplan::resolve
