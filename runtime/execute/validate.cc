// Validation of green before the cut-over (docs/validation.md): the kValidate actions of a
// resolved phase (the user's asserts and row-count comparisons of each `validate` block), run
// read-only before any write, every failure reported at once (validation-failed, exit 3); and
// `bgplan validate`, promote's preflight and checks without the swap.
#include <cstdlib>

#include "runtime/execute/backend.h"
#include "runtime/execute/executor.h"
#include "support/strings.h"

namespace bgplan::runtime {

using resolve::Action;

namespace {

std::string Cell(const std::string& s) { return s.empty() ? "NULL or ''" : s; }

// Why the result of `check` fails, or "" if it passes; `returned` says what came back.
std::string Judge(const Action::Validation& check, const Rows& rows, std::string* returned) {
  if (check.max_change_pct.has_value()) {
    if (rows.size() != 1 || rows[0].size() != 2) {
      *returned = std::to_string(rows.size()) + " row(s)";
      return "the row counts could not be read";
    }
    const long long blue = std::atoll(rows[0][0].c_str()), green = std::atoll(rows[0][1].c_str());
    *returned = "blue " + rows[0][0] + " rows, green " + rows[0][1] + " rows";
    const long long diff = blue > green ? blue - green : green - blue;
    // More than N percent of blue's count (an empty blue: any row in green is a change).
    if (diff > 0 && diff * 100 > *check.max_change_pct * blue) {
      return "green's row count differs from blue's by more than " +
             std::to_string(*check.max_change_pct) + "%";
    }
    return "";
  }
  if (rows.size() != 1) {
    *returned = std::to_string(rows.size()) + " rows";
    return "an assert must return exactly one row";
  }
  if (rows[0].size() != 1) {
    *returned = std::to_string(rows[0].size()) + " columns";
    return "an assert must return exactly one column";
  }
  *returned = Cell(rows[0][0]);
  return rows[0][0] == "t" || rows[0][0] == "true" ? "" : "it did not return true";
}

}  // namespace

Status Executor::RunValidations(const resolve::ResolvedPhase& resolved, const std::string& what) {
  std::vector<resolve::Violation> failed;
  int passed = 0;
  for (const resolve::ResolvedBatch& batch : resolved.batches) {
    for (const resolve::ResolvedStep& step : batch.steps) {
      for (const Action& a : step.actions) {
        if (a.kind != Action::Kind::kValidate) {
          continue;
        }
        const Action::Validation& check = *a.validation;
        std::string returned, why;
        Result<Rows> rows = session_.Query(check.sql);
        if (!rows.ok()) {
          why = "the query failed";
          returned = rows.status().message();
        } else {
          why = Judge(check, *rows, &returned);
        }
        sink_.Emit({"validation", a.deployment,
                    "  validate " + check.name + ": " + (why.empty() ? "passed" : "FAILED") +
                        " (" + returned + ")",
                    {{"check", check.name},
                     {"state", why.empty() ? "passed" : "failed"},
                     {"returned", returned}}});
        checks_.push_back({a.deployment, check.name, why.empty(), returned, why});
        if (why.empty()) {
          ++passed;
          continue;
        }
        failed.push_back({DiagKind::kValidationFailed, a.deployment, check.origin,
                          "check " + check.name + " failed: " + why + " (returned: " + returned +
                              "); query: " + check.sql,
                          {check.name}});
      }
    }
  }
  if (!failed.empty()) {
    Diagnose(failed, Severity::kError);
    return Status(StatusCode::kPrecondition,
                  what + ": " + std::to_string(failed.size()) + " validation check(s) failed, " +
                      std::to_string(passed) + " passed; nothing was changed");
  }
  return Status::Ok();
}

Status Executor::Validate() {
  const plans::Phase* promote = plan_.FindPhase(plans::PhaseKind::kPromote);
  if (promote == nullptr) {
    return Status::Internal("the plan has no phase promote");
  }
  std::vector<resolve::Violation> journal_access;
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read(&journal_access));
  resolve::ResolvedPhase r =
      resolve::Resolver::ResolvePhase(plan_, *promote, snap, ResolveOptionsFor("", true));
  Warn(r.warnings);
  // --format markdown: the report on stdout, whatever the outcome.
  auto report = [&](const std::vector<resolve::Violation>& failed) {
    if (options_.markdown) {
      sink_.Product("validate", "",
                    markdown::ValidateReport(plan_, ServerLine(snap.server), r, failed, checks_));
    }
  };
  if (std::vector<resolve::Violation> failed =
          WithJournalAccess(std::move(journal_access), r.violations);
      !failed.empty()) {
    report(failed);
    return Report(failed, "validate");
  }
  for (const std::string& n : r.notes) {
    Note("", n);
  }
  checks_.clear();
  Status checked = RunValidations(r, "validate");
  report({});
  BGPLAN_RETURN_IF_ERROR(checked);
  sink_.Emit({"phase", Join(selected_),
              "validate: green passes promote's rules" +
                  std::string(r.acting.empty() ? " (nothing to promote)" : " and its checks"),
              {{"phase", "validate"}, {"state", "passed"}}});
  return Status::Ok();
}

}  // namespace bgplan::runtime
