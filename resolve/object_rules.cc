// The live rules that reason about the objects inside the deployment's schemas and the ids the
// journal recorded (docs/safety.md): missing-in-green, state-not-carried, cleanup-id-mismatch.
// Registered with the others in kRules (resolve/rules.cc).
#include <algorithm>

#include "resolve/resolver_impl.h"
#include "sql/quote.h"
#include "support/strings.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using Dep = Resolver::Impl::Dep;

namespace {

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

const plans::Deployment& Of(const Dep& d) { return *d.facts->deployment; }

// Which kinds of object count for missing-in-green, and which stand in for each other: a reader
// selects from a relation whatever it is (a table replaced by a view keeps working), the other
// kinds must match. "" = does not count (PostgreSQL indexes follow their tables; Materialize has
// no user functions).
std::string_view KindClass(bool mz, const std::string& kind) {
  if (kind == "table" || kind == "view" || kind == "materialized-view" ||
      (mz && kind == "source") || (!mz && kind == "foreign-table")) {
    return "relation";
  }
  if (mz) {
    for (std::string_view k : {"sink", "index", "connection", "secret", "type"}) {
      if (kind == k) {
        return k;
      }
    }
    return "";
  }
  if (kind == "function" || kind == "procedure" || kind == "aggregate") {
    return "function";
  }
  for (std::string_view k : {"sequence", "type"}) {
    if (kind == k) {
      return k;
    }
  }
  return "";
}

// Tables (and Materialize sources) hold rows that green does not inherit.
bool Stateful(bool mz, const std::string& kind) {
  return kind == "table" || (mz && kind == "source");
}

std::string ObjectText(Resolver::Impl& r, const CatalogObject& o, const SchemaFacts& in) {
  return o.kind + " " + r.Shown(in) + "." + o.name;
}

}  // namespace

std::optional<std::string> RecordedGreenId(const Dep& d, const plans::ObjectRef& o) {
  if (!d.facts->run.has_value()) {
    return std::nullopt;
  }
  const RecordedObject* rec = d.facts->run->Find(o.kind, o.blue);
  if (rec == nullptr) {
    return std::nullopt;
  }
  // After promote the green name holds the old blue; before it (or after a rollback) green.
  const std::string& id = d.facts->state == DeployState::kPromoted ? rec->blue_id : rec->green_id;
  if (id.empty()) {
    return std::nullopt;
  }
  return id;
}

void MissingInGreen(Resolver::Impl& r, Dep& d) {
  std::vector<std::string> missing, required;
  for (const PairFacts& p : d.facts->schemas) {
    if (!p.blue.exists || !p.green.exists) {
      continue;  // blue-missing, green-missing
    }
    for (const CatalogObject& b : p.blue.objects) {
      const std::string_view cls = KindClass(r.mz(), b.kind);
      if (cls.empty()) {
        continue;
      }
      if (p.green.projected) {  // `plan` before init: what the deploy step must build
        required.push_back(ObjectText(r, b, p.blue));
        continue;
      }
      const bool found =
          std::any_of(p.green.objects.begin(), p.green.objects.end(), [&](const CatalogObject& g) {
            return g.name == b.name && KindClass(r.mz(), g.kind) == cls;
          });
      if (!found) {
        missing.push_back(ObjectText(r, b, p.blue));
      }
    }
  }
  if (!required.empty()) {
    r.Warning(DiagKind::kMissingInGreen, Of(d), {},
              "promote will need a counterpart in green of " + std::to_string(required.size()) +
                  " object(s) of blue: " + Join(required) +
                  " (your deploy step must build them, or promote refuses)",
              required);
  }
  if (missing.empty()) {
    return;
  }
  if (r.options.overrides.allow_missing) {
    d.left_behind = missing;
    r.result.notes.push_back("deployment " + Quoted(Of(d).name) +
                             ": --allow-missing: promoting although green has no counterpart "
                             "of " + Join(missing) + " (recorded in the journal)");
    return;
  }
  r.Violation(DiagKind::kMissingInGreen, Of(d), {},
              "green has no counterpart of " + std::to_string(missing.size()) +
                  " object(s) of blue: " + Join(missing) +
                  "; after the swap they would leave production (and cleanup would drop them). "
                  "Create them in green, or --allow-missing promotes anyway",
              missing);
}

void StateNotCarried(Resolver::Impl& r, Dep& d) {
  for (const PairFacts& p : d.facts->schemas) {
    std::vector<std::string> stateful;
    for (const CatalogObject& o : p.blue.objects) {
      if (Stateful(r.mz(), o.kind)) {
        stateful.push_back(ObjectText(r, o, p.blue));
      }
    }
    if (stateful.empty()) {
      continue;
    }
    r.Warning(DiagKind::kStateNotCarried, Of(d), p.pair->origin,
              "blue schema " + Quoted(r.Shown(p.blue)) + " holds " +
                  std::to_string(stateful.size()) +
                  " object(s) with rows green does not inherit: " + Join(stateful) +
                  "; rows written to them after green was built stay in blue, which cleanup "
                  "drops",
              stateful);
  }
}

void CleanupIdMismatch(Resolver::Impl& r, Dep& d) {
  auto check = [&](const ContainerFacts& green, const plans::ObjectRef& o, const char* what,
                   const std::string& shown, SourceRange origin) {
    if (!green.exists) {
      return;  // nothing to drop
    }
    const std::optional<std::string> id = RecordedGreenId(d, o);
    const std::string object = std::string(what) + " " + shown;
    if (!id.has_value()) {
      r.Violation(DiagKind::kCleanupIdMismatch, Of(d), origin,
                  std::string(what) + " " + Quoted(shown) + " (id " + green.id +
                      ") exists under the green name, but no active run of deployment " +
                      Quoted(Of(d).name) +
                      " recorded it; bgplan drops only what its journal recorded",
                  {object});
    } else if (*id != green.id) {
      r.Violation(DiagKind::kCleanupIdMismatch, Of(d), origin,
                  std::string(what) + " " + Quoted(shown) + " has id " + green.id +
                      ", but the journal recorded " + *id + " for the " +
                      (d.facts->state == DeployState::kPromoted ? "old blue" : "green") +
                      " object under that name: it was replaced since, and is not dropped",
                  {object});
    }
  };
  for (const PairFacts& p : d.facts->schemas) {
    plans::ObjectRef o;
    o.kind = ObjectKind::kSchema;
    o.blue = p.pair->blue;
    check(p.green, o, "schema", r.Shown(p.green), p.pair->origin);
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    plans::ObjectRef o;
    o.kind = ObjectKind::kCluster;
    o.blue = c.pair->blue;
    check(c.green, o, "cluster", c.green.name, c.pair->origin);
  }
}

void CleanupDrops(Resolver::Impl& r, Dep& d) {
  auto list = [&](const ContainerFacts& green, const std::vector<CatalogObject>& objects,
                  const std::string& what, SourceRange origin, auto&& name_of) {
    if (!green.exists || objects.empty()) {
      return;
    }
    std::vector<std::string> victims;
    for (const CatalogObject& o : objects) {
      std::string text = o.kind + " " + name_of(o);
      if (o.row_estimate >= 0) {
        text += " (~" + std::to_string(o.row_estimate) + " rows)";
      }
      victims.push_back(std::move(text));
    }
    r.Warning(DiagKind::kCleanupDrops, Of(d), origin,
              "cleanup drops " + what + " with " + std::to_string(victims.size()) +
                  " object(s): " + Join(victims),
              victims);
  };
  for (const PairFacts& p : d.facts->schemas) {
    list(p.green, p.green.objects, "schema " + Quoted(r.Shown(p.green)), p.pair->origin,
         [&](const CatalogObject& o) { return r.Shown(p.green) + "." + o.name; });
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    list(c.green, c.green.objects, "cluster " + Quoted(c.green.name), c.pair->origin,
         [&](const CatalogObject& o) {
           return r.ShownSchema(o.database, o.schema) + "." + o.name;
         });
  }
}

void CutoverUnfinished(Resolver::Impl& r, Dep& d) {
  const std::vector<const SinkFacts*> sinks = SinksReadingGreen(*d.facts);
  if (sinks.empty()) {
    return;
  }
  const bool promoted = d.facts->state == DeployState::kPromoted;
  std::vector<std::string> objects, reads;
  for (const SinkFacts* k : sinks) {
    objects.push_back(k->object.Describe());
    for (const CatalogObject& read : k->reads) {
      reads.push_back(objects.back() + " reads " + r.ShownSchema(read.database, read.schema) +
                      "." + read.name);
    }
  }
  // No override: nothing drops a sink or a view of a sinks schema.
  r.Violation(DiagKind::kCutoverUnfinished, Of(d), {},
              std::string(promoted ? "the cut-over of the promote is unfinished: "
                                   : "objects of the sinks read green: ") +
                  Join(reads) + (promoted ? " (the old objects, now under the green names)" : "") +
                  "; DROP ... CASCADE of green would drop " +
                  (sinks.size() == 1 ? "it" : "them") + " too (" +
                  (promoted ? "run `bgplan promote` to finish the cut-over"
                            : "point them at blue first") +
                  "; no override drops a sink)",
              objects);
}

void IncompatibleUpstream(Resolver::Impl& r, Dep& d) {
  auto find = [](const std::vector<CatalogObject>& objects, const std::string& name) {
    const auto it = std::find_if(objects.begin(), objects.end(), [&](const CatalogObject& o) {
      return o.name == name && !o.columns.empty();
    });
    return it == objects.end() ? nullptr : &*it;
  };
  std::vector<std::string> problems;
  for (const SinkFacts& k : d.facts->sinks) {
    const std::string reader = k.object.Describe();
    for (const CatalogObject& read : k.reads) {
      for (const PairFacts& p : d.facts->schemas) {
        if (!p.green.exists || p.green.projected || read.schema != p.blue.name ||
            read.database != p.blue.database) {
          continue;
        }
        const CatalogObject* blue = find(p.blue.objects, read.name);
        const CatalogObject* green = find(p.green.objects, read.name);
        if (blue == nullptr || green == nullptr) {
          continue;  // sink-upstream-missing
        }
        for (const CatalogColumn& column : blue->columns) {
          // A Materialize sink emits every column; a view reads those pg_depend names.
          if (!k.columns_read.empty() || k.object.kind == "view") {
            const std::pair<std::string, std::string> want = {read.name, column.name};
            if (std::find(k.columns_read.begin(), k.columns_read.end(), want) ==
                k.columns_read.end()) {
              continue;
            }
          }
          const auto g = std::find_if(green->columns.begin(), green->columns.end(),
                                      [&](const CatalogColumn& c) { return c.name == column.name; });
          const std::string where = r.Shown(p.blue) + "." + read.name + "." + column.name;
          if (g == green->columns.end()) {
            problems.push_back(reader + " reads " + where + " (" + column.type + "), which " +
                               r.Shown(p.green) + "." + read.name +
                               " lacks (removed or renamed)");
          } else if (g->type != column.type) {
            problems.push_back(reader + " reads " + where + " (" + column.type + "), which " +
                               r.Shown(p.green) + "." + read.name + " has as " + g->type);
          }
        }
      }
    }
  }
  if (problems.empty()) {
    return;
  }
  r.Violation(DiagKind::kIncompatibleUpstream, Of(d), {},
              "green breaks " + std::to_string(problems.size()) +
                  " column(s) read after the swap: " + Join(problems, "; ") +
                  " (new columns are fine; removed, renamed or retyped ones are not: give green "
                  "the columns, or change the readers first)",
              problems);
}

void RepointNotOwner(Resolver::Impl& r, Dep& d) {
  const ServerFacts& s = r.snapshot.server;
  if (s.superuser) {
    return;
  }
  std::vector<std::string> not_owned;
  std::vector<std::string> owners;
  for (const SinkFacts& k : d.facts->sinks) {
    if (s.member_of.count(k.object.owner) == 0) {
      not_owned.push_back(k.object.Describe() + " (owner " + Quoted(k.object.owner) + ")");
      if (std::find(owners.begin(), owners.end(), k.object.owner) == owners.end()) {
        owners.push_back(k.object.owner);
      }
    }
  }
  std::vector<std::string> grants;
  for (const std::string& owner : owners) {
    grants.push_back("GRANT " + sql::QuoteIdent(owner) + " TO " + sql::QuoteIdent(s.user));
  }
  // PostgreSQL re-creates the views: CREATE on their schema too.
  bool views = false;
  for (const SinkFacts& k : d.facts->sinks) {
    views = views || k.object.kind == "view";
  }
  if (views) {
    for (const std::string& schema : d.facts->sink_schemas_without_create) {
      not_owned.push_back("schema " + schema + " (no CREATE)");
      grants.push_back("GRANT CREATE ON SCHEMA " + sql::QuoteIdent(schema) + " TO " +
                       sql::QuoteIdent(s.user));
    }
  }
  if (not_owned.empty()) {
    return;
  }
  r.Violation(DiagKind::kRepointNotOwner, Of(d), {},
              "role " + Quoted(s.user) + " lacks the rights on " +
                  std::to_string(not_owned.size()) + " object(s) the " + (r.phase == plans::PhaseKind::kRollback ? "rollback" : "promote") +
                  " must re-point after the swap: " + Join(not_owned) +
                  "; the swap would commit and the cut-over fail (" + Join(grants, "; ") +
                  (owners.empty() ? ")" : ", or change their owner)"),
              not_owned);
}

}  // namespace bgplan::resolve
