// The `validate` step: the user's checks of each deployment's `validate` block, against green,
// before the swap. Offline, what each verifies; live, one kValidate action per query (the
// executor runs them all before any write and reports every failure, validation-failed).
#include <algorithm>

#include "plans/validation.h"
#include "resolve/resolver_impl.h"
#include "resolve/text.h"
#include "sql/quote.h"

namespace bgplan::resolve {

namespace {

bool Relation(bool mz, const std::string& kind) {
  return kind == "table" || kind == "view" || kind == "materialized-view" ||
         (mz && kind == "source") || (!mz && kind == "foreign-table");
}

// The SQL of `a` with each `{schema}` replaced by the quoted green name of that blue schema
// (`{schema}` itself when the deployment has none: the static rules report it).
std::string GreenSql(Resolver::Impl& r, const plans::Deployment& d, const std::string& sql) {
  return plans::SubstituteValidationSql(sql, [&](const std::string& schema) {
    for (const plans::SchemaPair& p : d.schemas) {
      if (p.blue == schema) {
        return r.mz() ? sql::QuoteQualified(p.database, p.green) : sql::QuoteIdent(p.green);
      }
    }
    return "{" + schema + "}";
  });
}

std::string Percent(int64_t pct) { return std::to_string(pct) + "%"; }

}  // namespace

void ResolveValidate(Resolver::Impl& r, const plans::Step& step, ActionSink& out) {
  for (const plans::Deployment* d : r.index.Of(step)) {
    const plans::ValidateSettings& v = d->validate;
    if (!r.live()) {
      // Comment text: names and queries pass through Sql() (a newline cannot end the comment).
      std::vector<std::string> lines = {"check (read-only): validate, deployment \"" +
                                        Sql(d->name) + "\": against green, before the swap; every failure is "
                                        "reported (validation-failed)"};
      for (const plans::ValidationAssert& a : v.asserts) {
        lines.push_back("assert " + Sql(a.name) + ": one row, one column, true: " +
                        Sql(GreenSql(r, *d, a.sql)));
      }
      if (v.row_count_change_pct.has_value()) {
        lines.push_back("row_count_change " + Percent(*v.row_count_change_pct) +
                        ": count(*) of each relation in both blue and green" +
                        (r.mz() ? " (on the session's cluster)" : ""));
      }
      Action check;
      check.kind = Action::Kind::kCheck;
      check.lines = std::move(lines);
      out.Add(std::move(check));
      continue;
    }
    Resolver::Impl::Dep* dep = r.Acting(d->name);
    if (dep == nullptr) {
      continue;
    }
    auto add = [&](Action::Validation check) {
      Action a;
      a.kind = Action::Kind::kValidate;
      a.deployment = d->name;
      a.validation = std::move(check);
      out.Add(std::move(a));
    };
    for (const plans::ValidationAssert& a : v.asserts) {
      add({a.name, GreenSql(r, *d, a.sql), std::nullopt, a.origin});
    }
    if (!v.row_count_change_pct.has_value()) {
      continue;
    }
    for (const PairFacts& p : dep->facts->schemas) {
      if (!p.green.exists || p.green.projected) {
        continue;
      }
      for (const CatalogObject& b : p.blue.objects) {
        const bool both =
            Relation(r.mz(), b.kind) &&
            std::any_of(p.green.objects.begin(), p.green.objects.end(), [&](const auto& g) {
              return g.name == b.name && Relation(r.mz(), g.kind);
            });
        if (!both) {
          continue;
        }
        const std::string blue = sql::QuoteQualified(p.pair->database, p.pair->blue) + "." +
                                 sql::QuoteIdent(b.name);
        const std::string green = sql::QuoteQualified(p.pair->database, p.pair->green) + "." +
                                  sql::QuoteIdent(b.name);
        add({"row_count_change " + r.Shown(p.green) + "." + b.name,
             "SELECT (SELECT count(*) FROM " + blue + ")::text, (SELECT count(*) FROM " + green +
                 ")::text",
             v.row_count_change_pct, v.origin});
      }
    }
  }
}

}  // namespace bgplan::resolve
