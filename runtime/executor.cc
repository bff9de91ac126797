#include "runtime/executor.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "sql/dialect.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "plans/fingerprint.h"
#include "plans/names.h"
#include "runtime/fault.h"
#include "runtime/host_info.h"
#include "runtime/interrupt.h"
#include "runtime/lock.h"

namespace bgplan::runtime {

using sql::QuoteIdent;
using sql::QuoteLiteral;
using plans::PhaseKind;

std::string_view DeployStateName(DeployState state) {
  switch (state) {
    case DeployState::kAbsent:
      return "absent";
    case DeployState::kInitialized:
      return "initialized";
    case DeployState::kPromoted:
      return "promoted";
    case DeployState::kRolledBack:
      return "rolled_back";
  }
  return "absent";
}

std::string ResolvedPhase::TransactionText() const {
  if (statements.empty()) {
    return "";
  }
  std::string text = "BEGIN;\n";
  for (const std::string& s : statements) {
    text += s + "\n";
  }
  return text + "COMMIT;\n";
}

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string List(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    s += (i ? ", " : "") + items[i];
  }
  return s;
}

// The shortest lock_timeout of the selected deployments (all when `selected` is empty): every
// statement of a run waits at most that long for a lock.
int64_t LockTimeoutMs(const plans::Plan& plan, const std::vector<std::string>& selected) {
  int64_t ms = -1;
  for (const auto& d : plan.deployments) {
    if (selected.empty() || Contains(selected, d.name)) {
      ms = ms < 0 ? d.promote.lock_timeout_ms : std::min(ms, d.promote.lock_timeout_ms);
    }
  }
  return ms < 0 ? plans::PromoteSettings{}.lock_timeout_ms : ms;
}

const plans::Deployment* FindDeployment(const plans::Plan& plan, const std::string& name) {
  for (const auto& d : plan.deployments) {
    if (d.name == name) {
      return &d;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<Violation> ReservedSchemaViolations(const plans::Plan& plan,
                                                const std::vector<std::string>& selected,
                                                const std::string& journal_schema,
                                                const std::string& database) {
  std::vector<Violation> out;
  const bool mz = plan.target == plans::Target::kMaterialize;
  for (const auto& d : plan.deployments) {
    if (!selected.empty() && !Contains(selected, d.name)) {
      continue;
    }
    auto check = [&](const char* what, const std::string& db, const std::string& name,
                     SourceRange origin) {
      std::string problem;
      const bool here = db.empty() || db == database || !mz;
      if (here && name == journal_schema) {
        problem = "is bgplan's journal schema (--journal-schema " + journal_schema + ")";
      } else if (mz && name.rfind("bgplan_lock_", 0) == 0) {
        problem = "has the prefix of bgplan's lock schemas (bgplan_lock_<deployment>)";
      }
      if (!problem.empty()) {
        Violation v;
        v.kind = DiagKind::kReservedSchemaName;
        v.deployment = d.name;
        v.origin = origin.valid() ? origin : d.origin;
        v.message = std::string(what) + " '" + name + "' of deployment '" + d.name + "' " +
                    problem + "; a deployment must not swap or drop bgplan's own schemas";
        out.push_back(std::move(v));
      }
    };
    for (const auto& p : d.schemas) {
      check("schema", p.database, p.blue, p.origin);
      check("green schema", p.database, p.green, p.origin);
    }
    for (const auto& s : d.sink_schemas) {
      check("sinks schema", s.database, s.name, s.origin);
    }
  }
  return out;
}

Result<Facts> ReadFacts(SqlSession& session, const plans::Plan& plan,
                        const std::vector<std::string>& selected, const RunOptions& options) {
  Facts facts;
  // Every name pg_get_viewdef prints must be qualified (see ReadViewDefinition), every literal
  // must mean what bgplan wrote, and no read may wait longer than the plan's lock_timeout.
  BGPLAN_RETURN_IF_ERROR(PreparePgSession(session, LockTimeoutMs(plan, selected)));
  BGPLAN_ASSIGN_OR_RETURN(facts.server, ReadServerInfo(session));
  if (facts.server.is_materialize) {
    if (plan.target == plans::Target::kMaterialize) {
      return Status(StatusCode::kInternal,
                    "executing plans on Materialize is not implemented by this runtime yet "
                    "(PostgreSQL only); use `bgplan compile` for the SQL");
    }
    // A PostgreSQL plan against Materialize: Resolve reports target-mismatch.
    return facts;
  }
  Journal journal(options.journal_schema);
  BGPLAN_ASSIGN_OR_RETURN(facts.journal_exists, journal.Exists(session));
  std::vector<std::string> all_schemas;
  for (const auto& d : plan.deployments) {
    for (const auto& p : d.schemas) {
      all_schemas.push_back(p.blue);
      all_schemas.push_back(p.green);
    }
  }
  all_schemas.push_back(options.journal_schema);
  for (const auto& d : plan.deployments) {
    if (!selected.empty() && !Contains(selected, d.name)) {
      continue;
    }
    DeploymentFacts df;
    df.deployment = &d;
    std::vector<std::string> blues, greens, swap_names;
    for (const auto& p : d.schemas) {
      PairFacts pf;
      pf.pair = p;
      BGPLAN_ASSIGN_OR_RETURN(pf.blue, ReadSchema(session, p.blue));
      BGPLAN_ASSIGN_OR_RETURN(pf.green, ReadSchema(session, p.green));
      blues.push_back(p.blue);
      if (pf.green.exists) {
        greens.push_back(p.green);
      }
      std::vector<std::string> names;
      if (pf.green.exists) {
        BGPLAN_ASSIGN_OR_RETURN(names, ReadObjectNames(session, p.green));
      }
      df.green_object_names.push_back(std::move(names));
      df.pairs.push_back(std::move(pf));
      swap_names.push_back(plans::SwapTempName(p.blue, plans::MaxIdentifierBytes(plan.target)));
    }
    BGPLAN_ASSIGN_OR_RETURN(std::vector<std::string> taken, ExistingSchemas(session, swap_names));
    for (PairFacts& pf : df.pairs) {
      pf.swap_name_taken =
          Contains(taken, plans::SwapTempName(pf.pair.blue, plans::MaxIdentifierBytes(plan.target)));
    }
    if (facts.journal_exists) {
      BGPLAN_ASSIGN_OR_RETURN(df.run, journal.ActiveRun(session, d.name));
    }
    if (df.run.has_value()) {
      bool swapped = true;
      bool unswapped = true;
      for (const PairFacts& pf : df.pairs) {
        const RecordedPair* rec = nullptr;
        for (const RecordedPair& r : df.run->pairs) {
          if (r.blue == pf.pair.blue) {
            rec = &r;
          }
        }
        if (rec == nullptr) {
          swapped = unswapped = false;
          break;
        }
        swapped = swapped && pf.blue.exists && pf.blue.oid == rec->green_oid;
        unswapped = unswapped && pf.blue.exists && pf.blue.oid == rec->blue_oid &&
                    pf.green.exists && pf.green.oid == rec->green_oid;
      }
      if (swapped) {
        df.state = DeployState::kPromoted;
      } else if (unswapped) {
        df.state =
            df.run->phase == "rolled_back" ? DeployState::kRolledBack : DeployState::kInitialized;
      } else {
        df.stale_run_id = df.run->id;
        df.run.reset();
        df.state = DeployState::kAbsent;
      }
    }
    // Dependents of the blue schemas outside every schema of the plan: views in sinks schemas
    // are re-pointed, everything else would be orphaned by a swap.
    BGPLAN_ASSIGN_OR_RETURN(std::vector<Dependent> deps,
                            ReadDependents(session, blues, all_schemas));
    std::vector<std::string> sink_schemas;
    for (const auto& s : d.sink_schemas) {
      sink_schemas.push_back(s.name);
    }
    for (Dependent& dep : deps) {
      if (dep.kind == "view" && Contains(sink_schemas, dep.schema)) {
        SinkView view;
        view.schema = dep.schema;
        view.name = dep.name;
        view.oid = dep.oid;
        view.references = dep.references;
        BGPLAN_ASSIGN_OR_RETURN(
            ViewDefinition def,
            ReadViewDefinition(session, dep.oid, sql::QuoteRelation({"", dep.schema, dep.name})));
        view.definition = std::move(def.definition);
        view.options = std::move(def.options);
        df.sink_views.push_back(std::move(view));
      } else {
        df.orphans.push_back(std::move(dep));
      }
    }
    if (!greens.empty()) {
      BGPLAN_ASSIGN_OR_RETURN(df.green_dependents, ReadDependents(session, greens, {}));
    }
    facts.deployments.push_back(std::move(df));
  }
  return facts;
}

std::string FactsFingerprint(const Facts& facts, PhaseKind phase) {
  std::ostringstream f;
  f << "phase " << plans::PhaseName(phase) << "\n";
  f << "user " << facts.server.current_user << " db " << facts.server.database << "\n";
  auto schema = [&](const char* tag, const SchemaInfo& s) {
    f << tag << " " << s.name << " " << s.exists << " " << s.oid << " " << s.owner << " "
      << s.comment.size() << ":" << s.comment << " " << s.object_count << "\n";
    for (const AclEntry& a : s.acl) {
      f << " acl " << a.grantee << " " << a.privilege << " " << a.grantable << "\n";
    }
    for (const DefaultAclEntry& a : s.default_acl) {
      f << " defacl " << a.role << " " << a.object_type << " " << a.entry.grantee << " "
        << a.entry.privilege << " " << a.entry.grantable << "\n";
    }
  };
  for (const DeploymentFacts& df : facts.deployments) {
    f << "deployment " << df.deployment->name << " " << DeployStateName(df.state) << " "
      << (df.run ? df.run->id : "-") << "\n";
    for (const PairFacts& p : df.pairs) {
      schema("blue", p.blue);
      schema("green", p.green);
      f << "swap-name-taken " << p.swap_name_taken << "\n";
    }
    for (const SinkView& v : df.sink_views) {
      f << "sink " << v.schema << "." << v.name << " " << v.oid << " " << v.definition << "\n";
      for (const std::string& o : v.options) {
        f << " option " << o.size() << ":" << o << "\n";
      }
    }
    for (const Dependent& d : df.orphans) {
      f << "orphan " << d.description << "\n";
    }
    for (const Dependent& d : df.green_dependents) {
      f << "green-dependent " << d.description << "\n";
    }
  }
  return plans::Sha256Hex(f.str());
}

namespace {

const sql::Dialect& Pg() {
  static const std::unique_ptr<sql::Dialect> kDialect =
      sql::MakeDialect(plans::Target::kPostgres);
  return *kDialect;
}

// True if `comment` names run `run_id` of `deployment`: the green marker written by init, or
// the deployment tag written by promote (which moves with the schema when it is swapped back).
bool HasMarker(const std::string& comment, const std::string& deployment,
               const std::string& run_id) {
  if (comment == sql::MarkerText(deployment, run_id)) {
    return true;
  }
  std::string tail = " | bgplan " + run_id;
  return comment.size() >= tail.size() &&
         comment.compare(comment.size() - tail.size(), tail.size(), tail) == 0;
}

// True if `comment` is any marker or tag bgplan wrote for `deployment`.
bool HasAnyMarkerOf(const std::string& comment, const std::string& deployment) {
  return comment.rfind(sql::MarkerText(deployment, ""), 0) == 0 ||
         comment.find(" | bgplan " + deployment + "-") != std::string::npos;
}

void AddViolation(ResolvedPhase& r, DiagKind kind, const plans::Deployment& d, SourceRange origin,
                  std::string message) {
  Violation v;
  v.kind = kind;
  v.deployment = d.name;
  v.origin = origin.valid() ? origin : d.origin;
  v.message = std::move(message);
  r.violations.push_back(std::move(v));
}

std::string SwapName(const PairFacts& p) {
  return plans::SwapTempName(p.pair.blue, plans::MaxIdentifierBytes(plans::Target::kPostgres));
}

// swap-name-taken: the swap parks each blue schema under a temporary name for an instant; a
// schema that already has that name is not ours to move or drop, so the swap refuses.
void SwapNameTaken(const DeploymentFacts& df, ResolvedPhase& r) {
  for (const PairFacts& p : df.pairs) {
    if (p.swap_name_taken) {
      AddViolation(r, DiagKind::kSwapNameTaken, *df.deployment, p.pair.origin,
                   "schema '" + SwapName(p) + "' exists, and the swap parks '" + p.pair.blue +
                       "' under that name while it exchanges the names; rename or drop it "
                       "(bgplan never touches a schema it did not create)");
    }
  }
}

sql::Grantee GranteeOf(const std::string& g) {
  sql::Grantee out;
  out.is_public = g.empty();
  out.role = g;
  return out;
}

std::string WithGrantOption(std::string sql, bool grantable) {
  if (grantable && !sql.empty() && sql.back() == ';') {
    sql.pop_back();
    sql += " WITH GRANT OPTION;";
  }
  return sql;
}

// Statements that make green's schema ACL and schema default privileges equal blue's (the
// current role, green's owner, is left alone).
void CopyGrants(const SchemaInfo& blue, const SchemaInfo& green, const std::string& me,
                ResolvedPhase& r) {
  const auto kSchema = plans::ObjectKind::kSchema;
  for (const AclEntry& a : green.acl) {
    if (a.grantee == me || !sql::IsSqlKeyword(a.privilege)) {
      continue;
    }
    if (std::find(blue.acl.begin(), blue.acl.end(), a) == blue.acl.end()) {
      r.statements.push_back(
          sql::RevokeSql(Pg(), kSchema, "", green.name, a.privilege, GranteeOf(a.grantee)));
    }
  }
  for (const AclEntry& a : blue.acl) {
    if (a.grantee == me || !sql::IsSqlKeyword(a.privilege)) {
      continue;
    }
    if (std::find(green.acl.begin(), green.acl.end(), a) == green.acl.end()) {
      r.statements.push_back(WithGrantOption(
          sql::GrantSql(Pg(), kSchema, "", green.name, a.privilege, GranteeOf(a.grantee)),
          a.grantable));
      ++r.grants_copied;
    }
  }
  for (const DefaultAclEntry& a : green.default_acl) {
    if (!sql::IsSqlKeyword(a.entry.privilege) || !sql::IsSqlKeyword(a.object_type)) {
      continue;
    }
    if (std::find(blue.default_acl.begin(), blue.default_acl.end(), a) == blue.default_acl.end()) {
      std::string grant =
          sql::AlterDefaultPrivilegesSql(Pg(), a.role, "", green.name, a.entry.privilege,
                                          a.object_type, GranteeOf(a.entry.grantee));
      // The builder renders GRANT ... TO; the revoke is the same statement reversed.
      size_t g = grant.find(" GRANT ");
      size_t to = grant.rfind(" TO ");
      r.statements.push_back(grant.substr(0, g) + " REVOKE " + grant.substr(g + 7, to - g - 7) +
                             " FROM " + grant.substr(to + 4));
    }
  }
  for (const DefaultAclEntry& a : blue.default_acl) {
    if (!sql::IsSqlKeyword(a.entry.privilege) || !sql::IsSqlKeyword(a.object_type)) {
      continue;
    }
    if (std::find(green.default_acl.begin(), green.default_acl.end(), a) ==
        green.default_acl.end()) {
      r.statements.push_back(WithGrantOption(
          sql::AlterDefaultPrivilegesSql(Pg(), a.role, "", green.name, a.entry.privilege,
                                          a.object_type, GranteeOf(a.entry.grantee)),
          a.entry.grantable));
      ++r.default_privileges_copied;
    }
  }
}

std::string UtcSeconds() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// The swap (or swap back) of every acting deployment, the re-pointed sink views, and the
// guard that the captured view definitions are still current (else 40001: retried).
void SwapStatements(const Facts& facts, const std::vector<const DeploymentFacts*>& acting,
                    ResolvedPhase& r) {
  int64_t lock_timeout = -1;
  for (const DeploymentFacts* df : acting) {
    int64_t t = df->deployment->promote.lock_timeout_ms;
    lock_timeout = lock_timeout < 0 ? t : std::min(lock_timeout, t);
  }
  r.statements.push_back(sql::SetLockTimeoutSql(lock_timeout));
  r.statements.push_back("SET LOCAL search_path = '';");
  std::map<uint32_t, const SinkView*> views;
  for (const DeploymentFacts* df : acting) {
    for (const SinkView& v : df->sink_views) {
      views.emplace(v.oid, &v);
    }
  }
  if (!views.empty()) {
    std::string cond;
    for (const auto& [oid, v] : views) {
      // The definition and the options read before the transaction are still the view's.
      std::string options = "NULL::text[]";
      if (!v->options.empty()) {
        options.clear();
        for (const std::string& o : v->options) {
          options += (options.empty() ? "ARRAY[" : ", ") + QuoteLiteral(o);
        }
        options += "]::text[]";
      }
      cond += std::string(cond.empty() ? "" : " OR ") + "(pg_get_viewdef(" + std::to_string(oid) +
              "::oid, false), (SELECT reloptions FROM pg_catalog.pg_class WHERE oid = " +
              std::to_string(oid) + ")) IS DISTINCT FROM (" + QuoteLiteral(v->definition) + ", " +
              options + ")";
    }
    // A dollar-quote tag that occurs nowhere in the body, so no definition can end it early.
    std::string tag = "$bgplan$";
    for (int i = 1; cond.find(tag) != std::string::npos; ++i) {
      tag = "$bgplan" + std::to_string(i) + "$";
    }
    r.statements.push_back(
        "DO " + tag + " BEGIN IF " + cond +
        " THEN RAISE EXCEPTION 'bgplan: a dependent view changed since it was read' "
        "USING ERRCODE = '40001'; END IF; END " +
        tag + ";");
  }
  for (const DeploymentFacts* df : acting) {
    for (const PairFacts& p : df->pairs) {
      plans::ObjectRef ref;
      ref.kind = plans::ObjectKind::kSchema;
      ref.deployment = df->deployment->name;
      ref.blue = p.pair.blue;
      ref.green = p.pair.green;
      for (std::string& statement : sql::SwapSql(Pg(), ref)) {
        r.statements.push_back(std::move(statement));
      }
    }
  }
  (void)facts;
}

// The re-created dependent views of the sinks schemas (after the renames, the journal rows and
// the tags: the order `bgplan compile` prints).
void RepointStatements(const std::vector<const DeploymentFacts*>& acting, ResolvedPhase& r) {
  std::map<uint32_t, const SinkView*> views;
  for (const DeploymentFacts* df : acting) {
    for (const SinkView& v : df->sink_views) {
      views.emplace(v.oid, &v);
    }
  }
  for (const auto& [oid, v] : views) {
    r.statements.push_back(
        sql::CreateOrReplaceViewSql({"", v->schema, v->name}, v->definition, v->options));
    r.sink_view_oids.push_back(oid);
    ++r.sinks_repointed;
  }
}

}  // namespace

ResolvedPhase Resolve(const plans::Plan& plan, const Facts& facts, PhaseKind phase,
                      const RunOptions& options) {
  ResolvedPhase r;
  r.phase = phase;
  r.fingerprint = FactsFingerprint(facts, phase);
  Journal journal(options.journal_schema);
  const std::string& me = facts.server.current_user;
  std::string phase_name(plans::PhaseName(phase));
  if (facts.server.is_materialize != (plan.target == plans::Target::kMaterialize)) {
    const plans::Deployment* first =
        facts.deployments.empty() ? (plan.deployments.empty() ? nullptr : &plan.deployments.front())
                                  : facts.deployments.front().deployment;
    if (first != nullptr) {
      AddViolation(r, DiagKind::kTargetMismatch, *first, {},
                   "the plan targets " + std::string(plans::TargetName(plan.target)) +
                       " but the server is " +
                       (facts.server.is_materialize ? "Materialize" : "PostgreSQL"));
    }
    return r;
  }
  std::vector<const DeploymentFacts*> acting;
  std::string git = options.git_commit;

  for (const DeploymentFacts& df : facts.deployments) {
    const plans::Deployment& d = *df.deployment;
    std::string state(DeployStateName(df.state));
    auto own = [&](const SchemaInfo& s, SourceRange origin) {
      if (s.exists && !s.owned_by_us) {
        AddViolation(r, DiagKind::kNotOwner, d, origin,
                     "current role '" + me + "' does not own schema '" + s.name + "' (owner '" +
                         s.owner + "') and is not a member of its owner role");
      }
    };
    // On PostgreSQL a schema lives in the connection's database: a plan naming another
    // database cannot be run on this connection.
    {
      bool wrong_db = !d.database.empty() && d.database != facts.server.database;
      for (const PairFacts& p : df.pairs) {
        wrong_db =
            wrong_db || (!p.pair.database.empty() && p.pair.database != facts.server.database);
      }
      if (wrong_db && phase != PhaseKind::kAwait) {
        AddViolation(r, DiagKind::kBlueMissing, d, {},
                     "deployment '" + d.name + "' names database '" +
                         (d.database.empty() ? df.pairs.front().pair.database : d.database) +
                         "' but the connection is to database '" + facts.server.database +
                         "' (on PostgreSQL, connect to the plan's database)");
        continue;
      }
    }
    switch (phase) {
      case PhaseKind::kInit: {
        if (df.state != DeployState::kAbsent) {
          r.notes.push_back("deployment '" + d.name + "' is already initialized (run " +
                            df.run->id + ", " + state + "): nothing to do");
          continue;
        }
        size_t before = r.violations.size();
        if (!facts.server.superuser && !facts.server.can_create_in_database) {
          AddViolation(
              r, DiagKind::kMissingPrivilege, d, {},
              "current role '" + me + "' lacks CREATE on database '" + facts.server.database + "'");
        }
        for (const PairFacts& p : df.pairs) {
          if (!p.blue.exists) {
            AddViolation(r, DiagKind::kBlueMissing, d, p.pair.origin,
                         "production schema '" + p.pair.blue + "' does not exist");
          }
          own(p.blue, p.pair.origin);
          for (const DefaultAclEntry& a : p.blue.default_acl) {
            if (std::find(p.blue.default_acl_roles_ours.begin(),
                          p.blue.default_acl_roles_ours.end(),
                          a.role) == p.blue.default_acl_roles_ours.end()) {
              AddViolation(r, DiagKind::kMissingPrivilege, d, p.pair.origin,
                           "copying the default privileges of schema '" + p.pair.blue +
                               "' needs membership in role '" + a.role + "', which '" + me +
                               "' lacks (ALTER DEFAULT PRIVILEGES FOR ROLE)");
              break;
            }
          }
          if (p.green.exists && p.green.object_count > 0 && !options.ignore_existing &&
              !HasAnyMarkerOf(p.green.comment, d.name)) {
            AddViolation(r, DiagKind::kGreenNotEmpty, d, p.pair.origin,
                         "green schema '" + p.pair.green + "' already exists, holds " +
                             std::to_string(p.green.object_count) +
                             " objects and was not created by bgplan for deployment '" + d.name +
                             "' (use --ignore-existing to adopt it)");
          }
          if (p.green.exists) {
            own(p.green, p.pair.origin);
          }
        }
        if (r.violations.size() != before) {
          continue;
        }
        for (const PairFacts& p : df.pairs) {
          if (p.swap_name_taken) {
            r.notes.push_back("warning: schema '" + SwapName(p) +
                              "' exists; promote will refuse (swap-name-taken) until it is "
                              "renamed or dropped");
          }
        }
        acting.push_back(&df);
        r.acting.push_back(d.name);
        std::string run_id = NewRunId(d.name);
        r.new_runs.push_back(run_id);
        for (const PairFacts& p : df.pairs) {
          if (!p.green.exists) {
            r.statements.push_back(sql::CreateSchemaSql(Pg(), "", p.pair.green));
            ++r.schemas_created;
          }
          CopyGrants(p.blue, p.green, me, r);
          r.statements.push_back(sql::CommentOnSql(Pg(), plans::ObjectKind::kSchema, "",
                                                    p.pair.green,
                                                    sql::MarkerText(d.name, run_id)));
        }
        if (df.stale_run_id.has_value()) {
          r.statements.push_back(journal.UpdatePhaseSql(*df.stale_run_id, "abandoned", "finished"));
        }
        RunRecord run;
        run.id = run_id;
        run.deployment = d.name;
        run.fingerprint = r.fingerprint;
        run.actor = me;
        run.host = Hostname();
        run.git_commit = git;
        run.phase = "initialized";
        for (const PairFacts& p : df.pairs) {
          run.pairs.push_back({p.pair.blue, p.pair.green, p.blue.oid, p.green.oid});
        }
        r.statements.push_back(journal.InsertRunSql(run));
        r.statements.push_back(journal.EventSql(run_id, d.name, "init", "initialized",
                                                "green schemas created by " + me));
        break;
      }
      case PhaseKind::kAwait:
        break;
      case PhaseKind::kPromote: {
        if (df.state == DeployState::kPromoted) {
          r.notes.push_back("deployment '" + d.name + "' is already promoted (run " + df.run->id +
                            "): nothing to do");
          continue;
        }
        size_t before = r.violations.size();
        SwapNameTaken(df, r);
        for (size_t i = 0; i < df.pairs.size(); ++i) {
          const PairFacts& p = df.pairs[i];
          if (!p.blue.exists) {
            AddViolation(r, DiagKind::kBlueMissing, d, p.pair.origin,
                         "production schema '" + p.pair.blue + "' does not exist");
          }
          if (!p.green.exists) {
            AddViolation(r, DiagKind::kGreenMissing, d, p.pair.origin,
                         "green schema '" + p.pair.green + "' does not exist (run init first)");
          }
          own(p.blue, p.pair.origin);
          own(p.green, p.pair.origin);
          if (p.green.exists && !options.force) {
            if (!df.run.has_value()) {
              AddViolation(r, DiagKind::kGreenNotOurs, d, p.pair.origin,
                           "green schema '" + p.pair.green +
                               "' was not created by bgplan for deployment '" + d.name +
                               "' (no active run in the journal; use --force to promote it)");
            } else if (!HasMarker(p.green.comment, d.name, df.run->id)) {
              AddViolation(r, DiagKind::kGreenNotOurs, d, p.pair.origin,
                           "green schema '" + p.pair.green + "' does not carry the marker of run " +
                               df.run->id + " (comment: '" + p.green.comment +
                               "'; use --force to promote it)");
            }
          }
        }
        for (const SinkView& v : df.sink_views) {
          for (const std::string& ref : v.references) {
            for (size_t i = 0; i < df.pairs.size(); ++i) {
              const std::string prefix = df.pairs[i].pair.blue + ".";
              if (ref.rfind(prefix, 0) == 0 && df.pairs[i].green.exists &&
                  !Contains(df.green_object_names[i], ref.substr(prefix.size()))) {
                AddViolation(r, DiagKind::kSinkUpstreamMissing, d, df.pairs[i].pair.origin,
                             "view '" + v.schema + "." + v.name + "' reads '" + ref +
                                 "', which has no counterpart '" + df.pairs[i].pair.green + "." +
                                 ref.substr(prefix.size()) + "' in green");
              }
            }
          }
        }
        if (!df.orphans.empty() && !options.allow_orphans) {
          std::vector<std::string> items;
          for (const Dependent& o : df.orphans) {
            items.push_back(o.description + " (reads " + List(o.references) + ")");
          }
          AddViolation(r, DiagKind::kOrphanedDependents, d, {},
                       "the swap would leave " + std::to_string(items.size()) +
                           " dependent object(s) outside the sinks schemas on the old objects: " +
                           List(items) + " (move views into a sinks schema, or --allow-orphans)");
        }
        if (r.violations.size() != before) {
          continue;
        }
        acting.push_back(&df);
        r.acting.push_back(d.name);
        r.dependents += static_cast<int>(df.orphans.size());
        break;
      }
      case PhaseKind::kRollback: {
        if (df.state == DeployState::kRolledBack) {
          r.notes.push_back("deployment '" + d.name + "' is already rolled back (run " +
                            df.run->id + "): nothing to do");
          continue;
        }
        if (df.state != DeployState::kPromoted) {
          AddViolation(r, DiagKind::kNothingToRollBack, d, {},
                       df.state == DeployState::kAbsent
                           ? "deployment '" + d.name +
                                 "' has no active run: cleanup already ran or it never started"
                           : "deployment '" + d.name + "' is not promoted (run " + df.run->id +
                                 " is " + state + ")");
          continue;
        }
        size_t before = r.violations.size();
        SwapNameTaken(df, r);
        for (const PairFacts& p : df.pairs) {
          own(p.blue, p.pair.origin);
          own(p.green, p.pair.origin);
        }
        if (!df.orphans.empty() && !options.allow_orphans) {
          std::vector<std::string> items;
          for (const Dependent& o : df.orphans) {
            items.push_back(o.description);
          }
          AddViolation(r, DiagKind::kOrphanedDependents, d, {},
                       "swapping back would leave dependent object(s) on the new objects: " +
                           List(items) + " (--allow-orphans)");
        }
        if (r.violations.size() != before) {
          continue;
        }
        acting.push_back(&df);
        r.acting.push_back(d.name);
        break;
      }
      case PhaseKind::kCleanup: {
        if (df.state == DeployState::kAbsent) {
          r.notes.push_back("deployment '" + d.name + "' has no active run: nothing to clean up");
          continue;
        }
        size_t before = r.violations.size();
        if (df.state == DeployState::kInitialized && !options.force) {
          AddViolation(r, DiagKind::kNotPromoted, d, {},
                       "deployment '" + d.name + "' (run " + df.run->id +
                           ") was never promoted; cleanup would drop the green schemas holding "
                           "the new code (use --force to abandon it)");
        }
        if (df.state == DeployState::kPromoted && !options.force &&
            df.run->ms_since_promoted >= 0 && df.run->ms_since_promoted < d.cleanup.keep_blue_ms) {
          AddViolation(r, DiagKind::kKeepBlueNotElapsed, d, {},
                       "deployment '" + d.name + "' was promoted " +
                           std::to_string(df.run->ms_since_promoted / 1000) +
                           "s ago; keep_blue is " + std::to_string(d.cleanup.keep_blue_ms / 1000) +
                           "s (use --force to drop the old objects now)");
        }
        for (const PairFacts& p : df.pairs) {
          own(p.green, p.pair.origin);
        }
        if (!df.green_dependents.empty() && !options.force) {
          std::vector<std::string> items;
          for (const Dependent& o : df.green_dependents) {
            items.push_back(o.description + " (reads " + List(o.references) + ")");
          }
          AddViolation(r, DiagKind::kCleanupDropsDependents, d, {},
                       "DROP SCHEMA ... CASCADE would also drop " + std::to_string(items.size()) +
                           " object(s) outside the green schemas: " + List(items) +
                           " (use --force to drop them)");
        }
        if (r.violations.size() != before) {
          continue;
        }
        acting.push_back(&df);
        r.acting.push_back(d.name);
        break;
      }
    }
  }

  if (!r.violations.empty() || acting.empty()) {
    if (!r.violations.empty()) {
      r.statements.clear();
      r.acting.clear();
    }
    return r;
  }
  switch (phase) {
    case PhaseKind::kInit:
    case PhaseKind::kAwait:
      break;
    case PhaseKind::kPromote: {
      SwapStatements(facts, acting, r);
      for (const DeploymentFacts* df : acting) {
        const plans::Deployment& d = *df->deployment;
        std::string run_id;
        if (df->run.has_value()) {
          run_id = df->run->id;
        } else {
          // --force on a green that no run created: record a run for it now.
          run_id = NewRunId(d.name);
          RunRecord run;
          run.id = run_id;
          run.deployment = d.name;
          run.fingerprint = r.fingerprint;
          run.actor = me;
          run.host = Hostname();
          run.git_commit = git;
          run.phase = "initialized";
          for (const PairFacts& p : df->pairs) {
            run.pairs.push_back({p.pair.blue, p.pair.green, p.blue.oid, p.green.oid});
          }
          r.statements.push_back(journal.InsertRunSql(run));
        }
        std::string tag = sql::TagText(me, UtcSeconds(), git, run_id);
        for (const PairFacts& p : df->pairs) {
          r.statements.push_back(
              sql::CommentOnSql(Pg(), plans::ObjectKind::kSchema, "", p.pair.blue, tag));
        }
        r.statements.push_back(journal.UpdatePhaseSql(run_id, "promoted"));
        r.statements.push_back(journal.EventSql(
            run_id, d.name, "promote", "promoted",
            "swapped " + std::to_string(df->pairs.size()) + " schema(s), re-pointed " +
                std::to_string(df->sink_views.size()) + " view(s)"));
      }
      RepointStatements(acting, r);
      break;
    }
    case PhaseKind::kRollback: {
      SwapStatements(facts, acting, r);
      for (const DeploymentFacts* df : acting) {
        r.statements.push_back(journal.UpdatePhaseSql(df->run->id, "rolled_back"));
        r.statements.push_back(journal.EventSql(df->run->id, df->deployment->name, "rollback",
                                                "rolled_back", "swapped back"));
      }
      RepointStatements(acting, r);
      break;
    }
    case PhaseKind::kCleanup: {
      for (const DeploymentFacts* df : acting) {
        for (const PairFacts& p : df->pairs) {
          r.statements.push_back(sql::DropSchemaSql(Pg(), "", p.pair.green));
        }
        r.statements.push_back(journal.UpdatePhaseSql(df->run->id, "finished", "finished"));
        r.statements.push_back(journal.EventSql(
            df->run->id, df->deployment->name, "cleanup", "finished",
            "dropped the green schemas of the " + std::string(df->state == DeployState::kPromoted
                                                                  ? "old (blue) code"
                                                                  : "rolled-back code")));
      }
      break;
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Executor

Executor::Executor(SqlSession& session, const plans::Plan& plan, std::vector<std::string> selected,
                   RunOptions options, EventSink& sink)
    : session_(session),
      plan_(plan),
      selected_(std::move(selected)),
      options_(std::move(options)),
      sink_(sink) {
  if (selected_.empty()) {
    for (const auto& d : plan_.deployments) {
      selected_.push_back(d.name);
    }
  }
  if (options_.git_commit.empty()) {
    options_.git_commit = GitCommit();
  }
}

void Executor::Note(const std::string& deployment, const std::string& message) {
  sink_.Emit({"note", deployment, message, {}});
}

Status Executor::Lock() {
  if (options_.dry_run || locked_) {
    return Status::Ok();
  }
  BGPLAN_ASSIGN_OR_RETURN(ServerInfo info, ReadServerInfo(session_));
  Status st = AcquireDeploymentLocks(session_, info.database, selected_);
  if (!st.ok()) {
    return st;
  }
  locked_ = true;
  for (const std::string& d : selected_) {
    sink_.Emit(
        {"lock",
         d,
         "",
         {{"state", "acquired"}, {"key", std::to_string(AdvisoryLockKey(info.database, d))}}});
  }
  return Status::Ok();
}

void Executor::Unlock() {
  if (locked_) {
    (void)ReleaseDeploymentLocks(session_);
    locked_ = false;
  }
}

Status Executor::EnsureJournal() {
  Journal journal(options_.journal_schema);
  BGPLAN_ASSIGN_OR_RETURN(bool exists, journal.Exists(session_));
  if (exists) {
    return Status::Ok();
  }
  return journal.Ensure(session_);
}

Status Executor::ReportViolations(const ResolvedPhase& resolved) {
  for (const Violation& v : resolved.violations) {
    Diagnostic d;
    d.severity = Severity::kError;
    d.kind = v.kind;
    d.file = plan_.source_file;
    d.range = v.origin;
    d.message = v.message;
    sink_.Diagnose(d, v.deployment);
  }
  std::string first(DiagKindName(resolved.violations.front().kind));
  return Status(StatusCode::kPrecondition, std::string(plans::PhaseName(resolved.phase)) + ": " +
                                               std::to_string(resolved.violations.size()) +
                                               " live precondition(s) failed (first: " + first +
                                               "); nothing was changed");
}

// After a lock timeout of the phase's transaction: who holds a lock it needs. Re-creating a
// sinks view takes an ACCESS EXCLUSIVE lock on it (blocked by any lock), reading its definition
// an ACCESS SHARE lock on every relation it reads (blocked by ACCESS EXCLUSIVE).
std::string Executor::WhoBlocks(const ResolvedPhase& resolved) {
  std::vector<std::string> holders;
  for (uint32_t view : resolved.sink_view_oids) {
    Result<std::vector<std::string>> on_view = LockHolders(session_, {view}, false);
    Result<std::vector<uint32_t>> relations = ViewRelations(session_, view);
    if (on_view.ok()) {
      holders.insert(holders.end(), on_view->begin(), on_view->end());
    }
    if (relations.ok()) {
      relations->erase(relations->begin());  // the view itself, done above
      Result<std::vector<std::string>> on_read = LockHolders(session_, *relations, true);
      if (on_read.ok()) {
        holders.insert(holders.end(), on_read->begin(), on_read->end());
      }
    }
  }
  std::sort(holders.begin(), holders.end());
  holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
  return holders.empty() ? std::string() : " (waiting for locks held by " + List(holders) + ")";
}

Status Executor::Execute(ResolvedPhase& resolved) {
  std::string phase(plans::PhaseName(resolved.phase));
  BGPLAN_RETURN_IF_ERROR(EnsureJournal());
  std::string text = resolved.TransactionText();
  for (const std::string& s : resolved.statements) {
    sink_.Emit({"statement", List(resolved.acting), "  " + s, {{"sql", s}, {"phase", phase}}});
  }
  if (FaultArmed(phase, "before-commit")) {
    std::string body = "BEGIN;\n";
    for (const std::string& s : resolved.statements) {
      body += s + "\n";
    }
    (void)session_.Exec(body);
    FaultPoint(phase, "before-commit");
  }
  auto start = std::chrono::steady_clock::now();
  Status st = session_.Exec(text);
  auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count() /
            1000.0;
  if (!st.ok()) {
    (void)session_.Exec("ROLLBACK");
    if (st.sqlstate() == kSqlstateLockTimeout) {
      st = Status(st.code(), st.message() + WhoBlocks(resolved), st.sqlstate());
    }
    if (Interrupted()) {
      return Status(StatusCode::kInterrupted,
                    phase +
                        " interrupted; its transaction was rolled back and nothing changed; "
                        "the phase can be re-run");
    }
    return st;
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.1f", ms);
  sink_.Emit({"transaction",
              List(resolved.acting),
              sink_.options().verbose > 0
                  ? "  (" + std::to_string(resolved.statements.size()) +
                        " statements committed in one round trip, " + buf + " ms)"
                  : "",
              {{"phase", phase},
               {"statements", std::to_string(resolved.statements.size())},
               {"duration_ms", buf}}});
  return Status::Ok();
}

Status Executor::RunPhase(PhaseKind phase) {
  std::string name(plans::PhaseName(phase));
  if (Interrupted()) {
    return Status(StatusCode::kInterrupted, name + " interrupted before it started");
  }
  FaultPoint(name, "after-lock");
  if (phase == PhaseKind::kAwait) {
    return RunAwait();
  }
  int64_t max_retries = 0;
  int64_t backoff = 1000;
  if (!plan_.deployments.empty()) {
    const plans::Deployment* d = FindDeployment(plan_, selected_.front());
    if (d != nullptr) {
      max_retries = d->promote.max_retries;
      backoff = d->promote.retry_backoff_ms;
    }
  }
  // A lock timeout (55P03), a serialization failure (40001) or a deadlock (40P01), while
  // reading the catalog or in the phase's transaction, changed nothing: wait retry_backoff and
  // try again, at most max_retries times. Every phase is one transaction, so each may retry.
  auto retry = [&](const Status& st, int64_t attempt, const std::string& acting) -> bool {
    if (!IsRetryable(st) || attempt >= max_retries) {
      return false;
    }
    sink_.Emit({"retry",
                acting,
                name + ": " + st.ToString() + "; nothing changed, retrying in " +
                    std::to_string(backoff) + " ms (" + std::to_string(attempt + 1) + "/" +
                    std::to_string(max_retries) + ")",
                {{"phase", name},
                 {"sqlstate", st.sqlstate()},
                 {"attempt", std::to_string(attempt + 1)}}});
    return true;
  };
  auto gave_up = [&](const Status& st, int64_t attempt) {
    return Status(st.code(),
                  name + " gave up after " + std::to_string(attempt + 1) +
                      " attempt(s): " + st.message() +
                      (st.sqlstate() == kSqlstateLockTimeout
                           ? " (another session holds a lock the phase needs; nothing was "
                             "changed)"
                           : " (nothing was changed)"),
                  st.sqlstate());
  };
  bool fingerprint_checked = false;
  for (int64_t attempt = 0;; ++attempt) {
    Result<Facts> read = ReadFacts(session_, plan_, selected_, options_);
    if (!read.ok()) {
      if (retry(read.status(), attempt, List(selected_))) {
        if (!InterruptibleSleep(backoff)) {
          return Status(StatusCode::kInterrupted, name + " interrupted while waiting to retry");
        }
        continue;
      }
      return IsRetryable(read.status()) ? gave_up(read.status(), attempt) : read.status();
    }
    const Facts& facts = *read;
    ResolvedPhase resolved = Resolve(plan_, facts, phase, options_);
    if (!resolved.violations.empty()) {
      return ReportViolations(resolved);
    }
    if (!fingerprint_checked && options_.expected_fingerprint.has_value() &&
        *options_.expected_fingerprint != resolved.fingerprint) {
      Diagnostic d;
      d.kind = DiagKind::kStalePlan;
      d.file = plan_.source_file;
      d.message = "the catalog changed since this plan file was made (fingerprint " +
                  options_.expected_fingerprint->substr(0, 12) + " planned, " +
                  resolved.fingerprint.substr(0, 12) + " now); run `bgplan plan` again";
      sink_.Diagnose(d, List(selected_));
      return Status(StatusCode::kPrecondition, name + ": stale-plan: the plan file is stale");
    }
    fingerprint_checked = true;
    for (const std::string& n : resolved.notes) {
      Note("", n);
    }
    if (resolved.statements.empty()) {
      sink_.Emit({"phase",
                  List(selected_),
                  name + ": nothing to do",
                  {{"phase", name}, {"state", "unchanged"}}});
      return Status::Ok();
    }
    if (options_.dry_run) {
      sink_.Emit({"phase",
                  List(resolved.acting),
                  name + " (dry run): would run this transaction; nothing was changed",
                  {{"phase", name}, {"state", "dry-run"}}});
      sink_.Product("sql", List(resolved.acting), resolved.TransactionText());
      return Status::Ok();
    }
    sink_.Emit({"phase",
                List(resolved.acting),
                name + ": " + std::to_string(resolved.statements.size()) +
                    " statements in one transaction for " + List(resolved.acting),
                {{"phase", name}, {"state", "started"}, {"attempt", std::to_string(attempt)}}});
    Status st = Execute(resolved);
    if (st.ok()) {
      sink_.Emit({"phase",
                  List(resolved.acting),
                  name + ": committed",
                  {{"phase", name}, {"state", "done"}}});
      FaultPoint(name, "after-commit");
      return Status::Ok();
    }
    if (st.code() == StatusCode::kInterrupted) {
      return st;
    }
    if (retry(st, attempt, List(resolved.acting))) {
      if (!InterruptibleSleep(backoff)) {
        return Status(StatusCode::kInterrupted, name + " interrupted while waiting to retry");
      }
      continue;
    }
    if (IsRetryable(st)) {
      return gave_up(st, attempt);
    }
    return Status(st.code(), name + " failed, nothing was changed: " + st.message(), st.sqlstate());
  }
}

Status Executor::RunAwait() {
  auto start = std::chrono::steady_clock::now();
  int64_t timeout = -1, poll = 15000, stable_for = 0;
  for (const std::string& name : selected_) {
    const plans::Deployment* d = FindDeployment(plan_, name);
    if (d == nullptr) {
      continue;
    }
    timeout = timeout < 0 ? d->await.timeout_ms : std::min(timeout, d->await.timeout_ms);
    poll = std::min(poll, d->await.poll_interval_ms);
    stable_for = std::max(stable_for, d->await.stable_for_ms);
  }
  bool ready = false;
  std::chrono::steady_clock::time_point ready_since = start;
  std::string last_line;
  for (;;) {
    BGPLAN_ASSIGN_OR_RETURN(Facts facts, ReadFacts(session_, plan_, selected_, options_));
    std::vector<std::string> hydrating;
    std::vector<std::string> waiting_for;
    for (const DeploymentFacts& df : facts.deployments) {
      if (df.state == DeployState::kPromoted) {
        continue;
      }
      for (const PairFacts& p : df.pairs) {
        if (!p.green.exists) {
          return Status(StatusCode::kPrecondition, "await: green-missing: green schema '" +
                                                       p.pair.green +
                                                       "' does not exist (run init first)");
        }
        for (const std::string& m : p.green.unpopulated_matviews) {
          hydrating.push_back(p.pair.green + "." + m);
        }
      }
      waiting_for.push_back(df.deployment->name);
    }
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string state = hydrating.empty() ? "ready" : "hydrating";
    std::string line =
        "await: " + state + (hydrating.empty() ? "" : " (not populated: " + List(hydrating) + ")");
    sink_.Emit({"poll",
                List(selected_),
                line == last_line ? "" : line,
                {{"state", state},
                 {"hydrating", std::to_string(hydrating.size())},
                 {"elapsed_s", std::to_string(static_cast<int64_t>(elapsed))}}});
    last_line = line;
    if (hydrating.empty()) {
      if (!ready) {
        ready = true;
        ready_since = std::chrono::steady_clock::now();
      }
      if (std::chrono::steady_clock::now() - ready_since >= std::chrono::milliseconds(stable_for)) {
        if (!options_.dry_run && !waiting_for.empty()) {
          BGPLAN_RETURN_IF_ERROR(EnsureJournal());
          Journal journal(options_.journal_schema);
          std::string sql = "BEGIN;\n";
          for (const DeploymentFacts& df : facts.deployments) {
            if (df.run.has_value() && df.state != DeployState::kPromoted) {
              sql += journal.EventSql(df.run->id, df.deployment->name, "await", "ready",
                                      "green is ready") +
                     "\n";
              if (df.run->phase == "initialized" || df.run->phase == "deployed") {
                sql += journal.UpdatePhaseSql(df.run->id, "ready") + "\n";
              }
            }
          }
          BGPLAN_RETURN_IF_ERROR(session_.Exec(sql + "COMMIT;"));
        }
        return Status::Ok();
      }
    } else {
      ready = false;
    }
    if (timeout >= 0 && elapsed * 1000 >= static_cast<double>(timeout)) {
      return Status(StatusCode::kTimeout, "await timed out after " +
                                              std::to_string(static_cast<int64_t>(elapsed)) +
                                              "s; still hydrating: " + List(hydrating));
    }
    if (!InterruptibleSleep(hydrating.empty() ? std::min<int64_t>(poll, 100) : poll)) {
      return Status(StatusCode::kInterrupted, "await interrupted; nothing was changed");
    }
  }
}

}  // namespace bgplan::runtime
