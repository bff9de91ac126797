// The live rules (semantics.md): every check step names one, and each is defined here once, by
// what `compile` says it verifies and how the live snapshot decides it. To add a rule: an entry
// in kRules (and its kind in support/diagnostic_kinds.def), and the check step in
// compiler/passes/build_phases.cc for the phases it guards.
#include <algorithm>
#include <set>

#include "resolve/resolver_impl.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "support/strings.h"
#include "support/check.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using plans::PhaseKind;
using plans::Step;
using Dep = Resolver::Impl::Dep;

namespace {

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// ---- what compile says ------------------------------------------------------------------------

std::string Describe(Resolver::Impl& r, const Step& step) {
  const std::string& rule = step.rule;
  const auto& objects = step.objects;
  const bool mz = r.mz();
  ObjectPhrases& p = r.phrases;
  const char* exist = objects.size() == 1 ? " exists" : " exist";
  const char* carry = objects.size() == 1 ? " carries" : " carry";
  if (rule == "blue-missing") {
    return "the " + p.List(objects, Side::kBlue) + exist;
  }
  if (rule == "green-missing") {
    return "the " + p.List(objects, Side::kGreen) + exist;
  }
  if (rule == "blue-contains-sinks") {
    return "no sink (mz_sinks.schema_id, mz_sinks.cluster_id) lives in the " +
           p.List(objects, Side::kBlue);
  }
  if (rule == "not-owner") {
    const Side side = r.phase == PhaseKind::kInit      ? Side::kBlue
                      : r.phase == PhaseKind::kCleanup ? Side::kGreen
                                                       : Side::kBoth;
    return std::string("unless ") + (mz ? "mz_is_superuser()" : "the role is a superuser") +
           ", the current role owns, directly or through role membership, the " +
           p.List(objects, side) +
           (r.phase == PhaseKind::kInit ? ", and green where it exists" : "");
  }
  if (rule == "missing-privilege") {
    return mz ? "unless mz_is_superuser(), the current role has CREATE and USAGE on the "
                "database (mz_internal.mz_show_my_database_privileges) and CREATECLUSTER "
                "(has_system_privilege)"
              : "the current role has CREATE on the database (has_database_privilege)";
  }
  if (rule == "cluster-settings-unsupported") {
    return "the `cluster` settings of the plan suit the shape of the " +
           p.List(objects, Side::kBlue, ObjectKind::kCluster) +
           ": hydration_size only on a managed cluster with a manual schedule; on an unmanaged "
           "blue, settings only with both size and replication_factor (green is then managed)";
  }
  if (rule == "unsized-replicas") {
    return "every replica of the " + p.List(objects, Side::kBlue, ObjectKind::kCluster) +
           ", where unmanaged, has a size (mz_cluster_replicas.size); replicas without one "
           "are all listed";
  }
  if (rule == "green-not-empty") {
    return "where they exist, the " + p.List(objects, Side::kGreen) +
           " are empty or carry this deployment's marker (unless --ignore-existing)";
  }
  if (rule == "green-not-ours") {
    return "the " + p.List(objects, Side::kGreen) + carry +
           " this deployment's marker comment (unless --force)";
  }
  if (rule == "sink-upstream-missing") {
    return mz ? "every sink whose upstream is in the " +
                    p.List(objects, Side::kBlue, ObjectKind::kSchema) +
                    " has an object of the same name in the matching green schema "
                    "(mz_internal.mz_object_dependencies, mz_sinks, mz_objects)"
              : "every dependent view in the sinks schemas that references the " +
                    p.List(objects, Side::kBlue, ObjectKind::kSchema) +
                    " finds objects of the same names in the matching green schema";
  }
  if (rule == "orphaned-dependents") {
    return std::string("nothing outside the deployment except sinks depends on the ") +
           p.List(objects, Side::kBlue, ObjectKind::kSchema) +
           (mz ? " (mz_internal.mz_object_dependencies)" : " (pg_depend, pg_rewrite)") +
           " (unless --allow-orphans)";
  }
  if (rule == "cleanup-drops-dependents") {
    return "DROP ... CASCADE of the " + p.List(objects, Side::kGreen) + " removes nothing else " +
           (mz ? "(mz_internal.mz_object_dependencies)" : "(pg_depend)") +
           " (unless --drop-dependents)";
  }
  if (rule == "keep-blue-not-elapsed") {
    std::string text = "the rollback window has passed since promote (journal):";
    bool first = true;
    for (const plans::Deployment* d : r.index.Of(step)) {
      text += std::string(first ? " " : ", ") + "deployment " + Name(d->name) + " keep_blue " +
              FormatDuration(d->cleanup.keep_blue_ms);
      first = false;
    }
    return text + " (unless --before-keep-blue)";
  }
  if (rule == "nothing-to-roll-back") {
    return "promote ran and cleanup has not: the journal and the live ids of the " +
           p.List(objects, Side::kBoth);
  }
  if (rule == "not-promoted") {
    return "promote ran (a rollback after it counts): the blue names carry green's recorded "
           "ids (journal), or rollback restored them, for the " +
           p.List(objects, Side::kBlue) + " (unless --abandon)";
  }
  if (rule == "swap-name-taken") {
    std::vector<std::string> names;
    for (const plans::ObjectRef& o : objects) {
      names.push_back(Name(sql::SwapTempName(o.blue, *r.dialect)));
    }
    return "no schema exists under the temporary name the swap parks each blue schema under: " +
           Join(names);
  }
  if (rule == "missing-in-green") {
    return std::string("every object of the ") + p.List(objects, Side::kBlue) +
           " has one of the same name and a compatible kind in the matching green schema " +
           (mz ? "(tables, views, materialized views and sources stand in for each other; "
                 "sinks, indexes, connections, secrets and types must match)"
               : "(tables, views, materialized views and foreign tables stand in for each "
                 "other; sequences, functions and types must match)") +
           " (unless --allow-missing)";
  }
  if (rule == "state-not-carried") {
    return std::string("a warning, never an error: the ") + (mz ? "tables and sources" : "tables") +
           " of the " + p.List(objects, Side::kBlue) +
           " are listed; green does not inherit their rows";
  }
  if (rule == "repoint-not-owner") {
    return std::string("unless ") + (mz ? "mz_is_superuser()" : "the role is a superuser") +
           ", the current role owns, directly or through role membership, every " +
           (mz ? "sink (ALTER SINK ... SET FROM)"
               : "view of the sinks schemas and has CREATE on those schemas (CREATE OR REPLACE "
                 "VIEW)") +
           " that reads the " + p.List(objects, Side::kBlue, ObjectKind::kSchema) +
           ", so the cut-over after the swap cannot fail on a right";
  }
  if (rule == "cleanup-drops") {
    return std::string("a warning, never an error: every object DROP ... CASCADE of the ") +
           p.List(objects, Side::kGreen) + " removes is listed (kind and name" +
           (mz ? "" : "; tables with PostgreSQL's row estimate") + ")";
  }
  if (rule == "incompatible-upstream") {
    return mz ? "every sink reading the " + p.List(objects, Side::kBlue, ObjectKind::kSchema) +
                    " finds each column of its upstream, with the same type, in the green "
                    "counterpart (mz_columns)"
              : "every view of the sinks schemas reading the " +
                    p.List(objects, Side::kBlue, ObjectKind::kSchema) +
                    " finds each column it references (pg_depend), with the same type, in the "
                    "green counterpart (format_type)";
  }
  if (rule == "cutover-unfinished") {
    return std::string("no ") + (mz ? "sink" : "view of the sinks schemas") +
           " reads an object of the " + p.List(objects, Side::kGreen, ObjectKind::kSchema) +
           " (after promote: the old objects, an unfinished cut-over that promote finishes); "
           "no override drops a sink";
  }
  if (rule == "cleanup-id-mismatch") {
    return "the " + p.List(objects, Side::kGreen) + carry +
           " the id the journal recorded for it (after promote the old blue's, else green's); "
           "no override skips this";
  }
  return "verified against the live catalog for the " + p.List(objects, Side::kBoth);
}

// ---- how the live snapshot decides --------------------------------------------------------------

const plans::Deployment& Of(const Dep& d) { return *d.facts->deployment; }

void BlueMissing(Resolver::Impl& r, Dep& d) {
  const plans::Deployment& dep = Of(d);
  if (!r.mz()) {
    // On PostgreSQL a schema lives in the connection's database.
    std::string other = dep.database;
    for (const plans::SchemaPair& p : dep.schemas) {
      other = other.empty() ? p.database : other;
    }
    if (!other.empty() && other != r.snapshot.server.database) {
      r.Violation(DiagKind::kBlueMissing, dep, {},
                  "deployment " + Quoted(dep.name) + " names database " + Quoted(other) +
                      " but the connection is to database " +
                      Quoted(r.snapshot.server.database) +
                      " (on PostgreSQL, connect to the plan's database)");
      return;
    }
  }
  for (const PairFacts& p : d.facts->schemas) {
    if (!p.blue.exists) {
      r.Violation(DiagKind::kBlueMissing, dep, p.pair->origin,
                  "blue schema " + Quoted(r.Shown(p.blue)) + " does not exist");
    }
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    if (!c.blue.exists) {
      r.Violation(DiagKind::kBlueMissing, dep, c.pair->origin,
                  "blue cluster " + Quoted(c.blue.name) + " does not exist");
    }
  }
}

void GreenMissing(Resolver::Impl& r, Dep& d) {
  for (const PairFacts& p : d.facts->schemas) {
    if (!p.green.exists) {
      r.Violation(DiagKind::kGreenMissing, Of(d), p.pair->origin,
                  "green schema " + Quoted(r.Shown(p.green)) + " does not exist (run init first)");
    }
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    if (!c.green.exists) {
      r.Violation(DiagKind::kGreenMissing, Of(d), c.pair->origin,
                  "green cluster " + Quoted(c.green.name) + " does not exist (run init first)");
    }
  }
}

void BlueContainsSinks(Resolver::Impl& r, Dep& d) {
  for (const PairFacts& p : d.facts->schemas) {
    std::vector<std::string> in;
    for (const CatalogObject& k : d.facts->sinks_inside) {
      if (k.schema == p.blue.name && k.database == p.blue.database) {
        in.push_back(Quoted(k.database + "." + k.schema + "." + k.name));
      }
    }
    if (!in.empty()) {
      r.Violation(DiagKind::kBlueContainsSinks, Of(d), p.pair->origin,
                  "blue schema " + Quoted(r.Shown(p.blue)) + " contains sinks: " + Join(in) +
                      "; sinks must live in a schema and cluster outside the deployment");
    }
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    std::vector<std::string> in;
    for (const CatalogObject& k : d.facts->sinks_inside) {
      if (k.cluster == c.blue.name) {
        in.push_back(Quoted(k.database + "." + k.schema + "." + k.name));
      }
    }
    if (!in.empty()) {
      r.Violation(DiagKind::kBlueContainsSinks, Of(d), c.pair->origin,
                  "blue cluster " + Quoted(c.blue.name) + " contains sinks: " + Join(in) +
                      "; sinks must live in a schema and cluster outside the deployment");
    }
  }
}

void SwapNameTaken(Resolver::Impl& r, Dep& d) {
  for (const PairFacts& p : d.facts->schemas) {
    if (p.swap_name_taken) {
      const std::string parked = sql::SwapTempName(p.pair->blue, *r.dialect);
      r.Violation(DiagKind::kSwapNameTaken, Of(d), p.pair->origin,
                  "schema " + Quoted(parked) + " exists, and the swap parks " +
                      Quoted(p.pair->blue) +
                      " under that name while it exchanges the names; rename or drop it "
                      "(bgplan never touches a schema it did not create)");
    }
  }
}

void NotOwner(Resolver::Impl& r, Dep& d) {
  // Init writes to blue's copy and to a green that exists; cleanup drops green only.
  const bool blue = r.phase != PhaseKind::kCleanup;
  const bool green = true;
  const std::string& me = r.snapshot.server.user;
  auto check = [&](const ContainerFacts& o, const char* what, const std::string& shown,
                   SourceRange origin) {
    if (o.exists && !o.owned) {
      r.Violation(DiagKind::kNotOwner, Of(d), origin,
                  "role " + Quoted(me) + " does not own " + what + " " + Quoted(shown) +
                      " (owner " + Quoted(o.owner) + ") directly or through role membership");
    }
  };
  for (const PairFacts& p : d.facts->schemas) {
    if (blue) {
      check(p.blue, "schema", r.Shown(p.blue), p.pair->origin);
    }
    if (green) {
      check(p.green, "schema", r.Shown(p.green), p.pair->origin);
    }
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    if (blue) {
      check(c.blue, "cluster", c.blue.name, c.pair->origin);
    }
    if (green) {
      check(c.green, "cluster", c.green.name, c.pair->origin);
    }
  }
}

void MissingPrivilege(Resolver::Impl& r, Dep& d) {
  const ServerFacts& s = r.snapshot.server;
  if (s.superuser) {
    return;
  }
  const std::string me = sql::QuoteIdent(s.user);
  if (!s.can_create_in_database) {
    r.Violation(DiagKind::kMissingPrivilege, Of(d), {},
                "role " + Quoted(s.user) + " needs CREATE" + (r.mz() ? " and USAGE" : "") +
                    " on database " + Quoted(s.database) + " (GRANT " +
                    (r.mz() ? "USAGE, CREATE" : "CREATE") + " ON DATABASE " +
                    sql::QuoteIdent(s.database) + " TO " + me + ")");
  }
  if (r.mz() && !s.createcluster && !d.facts->clusters.empty()) {
    r.Violation(DiagKind::kMissingPrivilege, Of(d), {},
                "role " + Quoted(s.user) + " needs CREATECLUSTER (GRANT CREATECLUSTER ON SYSTEM "
                "TO " + me + ")");
  }
  // Copying a default privilege needs membership in its role (ALTER DEFAULT PRIVILEGES FOR
  // ROLE), FOR ALL ROLES a superuser: found here, not half-way through init.
  if (r.phase != PhaseKind::kInit) {
    return;  // promote and rollback (PostgreSQL) need CREATE on the database to rename
  }
  for (const PairFacts& p : d.facts->schemas) {
    std::set<std::string> needed;
    for (const DefaultPrivilege& dp : p.blue.default_privileges) {
      if (std::find(p.green.default_privileges.begin(), p.green.default_privileges.end(), dp) ==
              p.green.default_privileges.end() &&
          !s.member_of.count(dp.role)) {
        needed.insert(dp.role);
      }
    }
    for (const std::string& role : needed) {
      r.Violation(DiagKind::kMissingPrivilege, Of(d), p.pair->origin,
                  role.empty() ? "copying the default privileges FOR ALL ROLES of schema " +
                                     Quoted(r.Shown(p.blue)) + " needs a superuser"
                               : "copying the default privileges of role " + Quoted(role) +
                                     " in schema " + Quoted(r.Shown(p.blue)) +
                                     " needs membership in role " + Quoted(role) + ", which " +
                                     Quoted(s.user) + " lacks (GRANT " + sql::QuoteIdent(role) +
                                     " TO " + me + ")");
    }
  }
}

void UnsizedReplicas(Resolver::Impl& r, Dep& d) {
  for (const ClusterPairFacts& c : d.facts->clusters) {
    if (c.blue.exists && !c.blue.managed && !c.blue.unsized.empty() && !c.green.exists) {
      r.Violation(DiagKind::kUnsizedReplicas, Of(d), c.pair->origin,
                  "blue cluster " + Quoted(c.blue.name) +
                      " has replicas with no SIZE, which cannot be cloned: " + Join(c.blue.unsized) +
                      " (recreate them with SIZE, or make the cluster managed)");
    }
  }
}

// A green object was made by bgplan for this deployment: it carries its marker (any run: a
// crashed init of an earlier run) or the tag of one of its runs (after a rollback).
bool CreatedByUs(const Dep& d, const std::string& comment) {
  const std::string& name = Of(d).name;
  return comment.rfind(sql::MarkerText(name, ""), 0) == 0 ||
         comment.find(" | bgplan " + name + "-") != std::string::npos;
}

void GreenNotEmpty(Resolver::Impl& r, Dep& d) {
  if (r.options.overrides.ignore_existing) {
    return;
  }
  auto check = [&](const ContainerFacts& o, size_t objects, const char* what,
                   const std::string& shown, SourceRange origin) {
    if (o.exists && objects > 0 && !CreatedByUs(d, o.comment)) {
      r.Violation(DiagKind::kGreenNotEmpty, Of(d), origin,
                  std::string("green ") + what + " " + Quoted(shown) + " already exists, holds " +
                      std::to_string(objects) + " object(s) and was not created by bgplan for "
                      "deployment " + Quoted(Of(d).name) + " (use --ignore-existing to adopt it)");
    }
  };
  for (const PairFacts& p : d.facts->schemas) {
    check(p.green, p.green.objects.size(), "schema", r.Shown(p.green), p.pair->origin);
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    check(c.green, c.green.objects.size(), "cluster", c.green.name, c.pair->origin);
  }
}

// The marker of the run, or the tag of the run (a schema promoted, then rolled back).
bool CarriesRun(const std::string& comment, const std::string& deployment,
                const std::string& run_id) {
  if (comment == sql::MarkerText(deployment, run_id)) {
    return true;
  }
  const std::string tail = " | bgplan " + run_id;
  return comment.size() >= tail.size() &&
         comment.compare(comment.size() - tail.size(), tail.size(), tail) == 0;
}

void GreenNotOurs(Resolver::Impl& r, Dep& d) {
  if (r.options.overrides.force) {
    return;
  }
  const std::string& name = Of(d).name;
  auto check = [&](const ContainerFacts& o, const char* what, const std::string& shown,
                   SourceRange origin) {
    if (!o.exists) {
      return;
    }
    if (!d.facts->run.has_value()) {
      r.Violation(DiagKind::kGreenNotOurs, Of(d), origin,
                  std::string("green ") + what + " " + Quoted(shown) +
                      " was not created by bgplan for deployment " + Quoted(name) +
                      " (no active run in the journal; run init, or --force to promote it)");
    } else if (!CarriesRun(o.comment, name, d.facts->run->id)) {
      r.Violation(DiagKind::kGreenNotOurs, Of(d), origin,
                  std::string("green ") + what + " " + Quoted(shown) +
                      " does not carry the marker of run " + d.facts->run->id + " (comment: " +
                      Quoted(o.comment) + "; --force promotes it anyway)");
    }
  };
  for (const PairFacts& p : d.facts->schemas) {
    check(p.green, "schema", r.Shown(p.green), p.pair->origin);
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    check(c.green, "cluster", c.green.name, c.pair->origin);
  }
}

void SinkUpstreamMissing(Resolver::Impl& r, Dep& d) {
  for (const SinkFacts& k : d.facts->sinks) {
    for (const CatalogObject& read : k.reads) {
      for (const PairFacts& p : d.facts->schemas) {
        // A projected green (plan before init): missing-in-green says what it must provide.
        if (!p.green.exists || p.green.projected || read.schema != p.blue.name ||
            read.database != p.blue.database) {
          continue;
        }
        bool found = std::any_of(p.green.objects.begin(), p.green.objects.end(),
                                 [&](const CatalogObject& o) { return o.name == read.name; });
        if (!found) {
          r.Violation(DiagKind::kSinkUpstreamMissing, Of(d), p.pair->origin,
                      k.object.kind + " " + Quoted(r.ShownSchema(k.object.database,
                                                                 k.object.schema) +
                                                   "." + k.object.name) +
                          " reads " +
                          Quoted(r.ShownSchema(read.database, read.schema) + "." + read.name) +
                          ", which has no counterpart " +
                          Quoted(r.Shown(p.green) + "." + read.name) + " in green");
        }
      }
    }
  }
}

std::string Items(const std::vector<Dependent>& deps) {
  std::vector<std::string> items;
  for (const Dependent& o : deps) {
    items.push_back(o.description +
                    (o.references.empty() ? "" : " (reads " + Join(o.references) + ")"));
  }
  return Join(items);
}

void OrphanedDependents(Resolver::Impl& r, Dep& d) {
  const std::vector<Dependent>& orphans = d.facts->blue_dependents;
  if (orphans.empty()) {
    return;
  }
  if (r.options.overrides.allow_orphans) {
    r.result.summary.dependents += static_cast<int>(orphans.size());
    return;
  }
  r.Violation(
      DiagKind::kOrphanedDependents, Of(d), {},
      std::string(r.phase == PhaseKind::kRollback ? "swapping back" : "the swap") +
          " would leave " + std::to_string(orphans.size()) +
          " object(s) outside the deployment and its sinks reading the " +
          (r.phase == PhaseKind::kRollback ? "new" : "old") + " objects: " + Items(orphans) +
          " (move them into a sinks schema or cluster, or --allow-orphans swaps anyway)");
}

void CleanupDropsDependents(Resolver::Impl& r, Dep& d) {
  if (d.facts->green_dependents.empty()) {
    return;
  }
  if (r.options.overrides.drop_dependents) {
    // The override lets the drop happen; it never hides what is dropped.
    std::vector<std::string> victims;
    for (const Dependent& o : d.facts->green_dependents) {
      victims.push_back(o.description);
    }
    r.Warning(DiagKind::kCleanupDrops, Of(d), {},
              "--drop-dependents: DROP ... CASCADE of the green side also drops " +
                  std::to_string(victims.size()) + " object(s) outside it: " +
                  Items(d.facts->green_dependents),
              victims);
    return;
  }
  r.Violation(DiagKind::kCleanupDropsDependents, Of(d), {},
              "DROP ... CASCADE of the green side would also drop " +
                  std::to_string(d.facts->green_dependents.size()) +
                  " object(s) outside it: " + Items(d.facts->green_dependents) +
                  " (--drop-dependents drops them too)");
}

void KeepBlueNotElapsed(Resolver::Impl& r, Dep& d) {
  const RunFacts* run = d.facts->run ? &*d.facts->run : nullptr;
  const plans::Deployment& dep = Of(d);
  if (r.options.overrides.before_keep_blue || run == nullptr || d.facts->state != DeployState::kPromoted ||
      run->ms_since_promoted < 0 || run->ms_since_promoted >= dep.cleanup.keep_blue_ms) {
    return;
  }
  r.Violation(DiagKind::kKeepBlueNotElapsed, dep, {},
              "deployment " + Quoted(dep.name) + " was promoted " +
                  FormatDuration(run->ms_since_promoted / 1000 * 1000) +
                  " ago; keep_blue is " + FormatDuration(dep.cleanup.keep_blue_ms) +
                  " (--before-keep-blue drops the old objects now)");
}

void NothingToRollBack(Resolver::Impl& r, Dep& d) {
  const DeploymentFacts& f = *d.facts;
  if (f.state == DeployState::kPromoted) {
    return;
  }
  const plans::Deployment& dep = Of(d);
  r.Violation(DiagKind::kNothingToRollBack, dep, {},
              !f.run ? "deployment " + Quoted(dep.name) +
                           " has no active run: cleanup already ran or it never started"
                     : "deployment " + Quoted(dep.name) + " is not promoted (run " + f.run->id +
                           " is " + std::string(DeployStateName(f.state)) +
                           "): nothing to roll back");
}

void NotPromoted(Resolver::Impl& r, Dep& d) {
  const DeploymentFacts& f = *d.facts;
  // A rolled-back deployment's green holds the code the rollback took out: cleanup drops it.
  if (r.options.overrides.abandon || f.state != DeployState::kInitialized || !f.run) {
    return;
  }
  r.Violation(DiagKind::kNotPromoted, Of(d), {},
              "deployment " + Quoted(Of(d).name) + " (run " + f.run->id +
                  ") was never promoted; cleanup would drop the green side holding the new code "
                  "(--abandon drops it, abandoning the deployment)");
}

struct Rule {
  std::string_view name;
  void (*evaluate)(Resolver::Impl& r, Dep& d);
};

// Every live rule a check step can name.
constexpr Rule kRules[] = {
    {"blue-missing", BlueMissing},
    {"green-missing", GreenMissing},
    {"blue-contains-sinks", BlueContainsSinks},
    {"not-owner", NotOwner},
    {"missing-privilege", MissingPrivilege},
    {"unsized-replicas", UnsizedReplicas},
    {"green-not-empty", GreenNotEmpty},
    {"green-not-ours", GreenNotOurs},
    {"sink-upstream-missing", SinkUpstreamMissing},
    {"orphaned-dependents", OrphanedDependents},
    {"cleanup-drops-dependents", CleanupDropsDependents},
    {"keep-blue-not-elapsed", KeepBlueNotElapsed},
    {"nothing-to-roll-back", NothingToRollBack},
    {"not-promoted", NotPromoted},
    {"swap-name-taken", SwapNameTaken},
    {"missing-in-green", MissingInGreen},
    {"state-not-carried", StateNotCarried},
    {"cleanup-id-mismatch", CleanupIdMismatch},
    {"repoint-not-owner", RepointNotOwner},
    {"cleanup-drops", CleanupDrops},
    {"cutover-unfinished", CutoverUnfinished},
    {"incompatible-upstream", IncompatibleUpstream},
    {"cluster-settings-unsupported", ClusterSettingsUnsupported},
};

}  // namespace

bool Resolver::Impl::RequireServer(const Dep& d, SourceRange origin, const ServerFeature& feature,
                                   const std::string& statement) {
  const std::optional<ServerVersion>& version = snapshot.server.materialize_version;
  if (!TooOld(version, feature)) {
    return true;
  }
  Violation(DiagKind::kServerTooOld, *d.facts->deployment, origin,
            statement + " uses " + std::string(feature.name) + ", which needs Materialize " +
                feature.since.Text() + " or later; the server runs " + version->Text() +
                " (upgrade the server, or change the plan or blue so it is not needed)");
  return false;
}

void ResolveCheck(Resolver::Impl& r, const Step& step, ActionSink& out) {
  if (!r.live()) {
    Action a;
    a.kind = Action::Kind::kCheck;
    a.lines = {"check (read-only): " + sql::CommentSafe(step.rule) + ": " + Describe(r, step)};
    out.Add(std::move(a));
    return;
  }
  const Rule* rule = nullptr;
  for (const Rule& candidate : kRules) {
    if (candidate.name == step.rule) {
      rule = &candidate;
    }
  }
  for (const plans::Deployment* deployment : r.index.Of(step)) {
    Dep* d = r.FindDep(deployment->name);
    // Checks guard the deployments the phase acts on fully (not those it only finishes).
    if (d == nullptr || d->disposition != Disposition::kAct ||
        !r.reported.insert(step.rule + "|" + deployment->name).second) {
      continue;
    }
    if (std::find(r.result.rules.begin(), r.result.rules.end(), step.rule) ==
        r.result.rules.end()) {
      r.result.rules.push_back(step.rule);
    }
    // A check step names a rule defined here (pinned by resolve's tests over every golden plan).
    BGPLAN_CHECK(rule != nullptr);
    rule->evaluate(r, *d);
  }
}

bool IsLiveRule(std::string_view name) {
  for (const Rule& rule : kRules) {
    if (rule.name == name) {
      return true;
    }
  }
  return false;
}

std::vector<Violation> SessionViolations(const plans::Plan& plan, const Snapshot& snapshot) {
  std::vector<Violation> out;
  const ServerFacts& s = snapshot.server;
  // journal-access: the journal exists (another role created it) and this role cannot read or
  // write it. Found here, before any write, with the GRANTs its owner runs.
  if (!snapshot.journal_missing_grants.empty()) {
    for (const plans::Deployment& d : plan.deployments) {
      out.push_back({DiagKind::kJournalAccess, d.name, d.origin,
                     "role '" + s.user + "' cannot read and write the journal (" +
                         Join(snapshot.journal_missing_grants, "; ") +
                         ", run by the journal's owner)",
                     {}});
      break;  // one journal for every deployment
    }
  }
  if (!s.is_materialize) {
    return out;
  }
  // journal-cluster: the journal tables are read and written on the session's cluster (catalog
  // queries need none). It must exist, have a replica, and not be a green cluster of the plan
  // (cleanup drops those before its last journal write).
  const std::string hint =
      " (bgplan's journal tables are read on the session's cluster: pick one with replicas "
      "that the deployments do not drop: PGOPTIONS='--cluster=<name>', options=--cluster=<name> "
      "in a keyword/value connection string, options=--cluster%3D<name> in a URL, or ALTER "
      "ROLE " +
      sql::QuoteIdent(s.user) + " SET cluster TO <name>)";
  for (const plans::Deployment& d : plan.deployments) {
    std::string problem;
    SourceRange at;
    if (!s.session_cluster_exists) {
      problem = "the session's cluster " + s.session_cluster + " does not exist";
    } else if (s.session_cluster_replicas == 0) {
      problem = "the session's cluster " + s.session_cluster + " has no replicas";
    }
    for (const plans::ClusterPair& c : d.clusters) {
      if (problem.empty() && c.green == s.session_cluster) {
        problem = "the session's cluster " + s.session_cluster +
                  " is the green cluster of deployment " + d.name + ", which cleanup drops";
        at = c.origin;
      }
    }
    if (!problem.empty()) {
      out.push_back({DiagKind::kJournalCluster, d.name, at.valid() ? at : d.origin, problem + hint, {}});
      break;  // one report: the session is the same for every deployment
    }
  }
  return out;
}

std::vector<Violation> ReservedSchemaViolations(const plans::Plan& plan,
                                                const std::vector<std::string>& selected,
                                                const std::string& journal_schema,
                                                const std::string& database) {
  std::vector<Violation> out;
  const bool mz = plan.target == plans::Target::kMaterialize;
  for (const auto& d : plan.deployments) {
    if (!selected.empty() &&
        std::find(selected.begin(), selected.end(), d.name) == selected.end()) {
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
        out.push_back({DiagKind::kReservedSchemaName, d.name, origin.valid() ? origin : d.origin,
                       std::string(what) + " '" + name + "' of deployment '" + d.name + "' " +
                           problem + "; a deployment must not swap or drop bgplan's own schemas", {}});
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

}  // namespace bgplan::resolve
