// Lowering: the .bgplan AST (compiler/ast) to the plan IR (plans/plan.h). Folds unquoted names to
// lower case, applies defaults, computes green names and interprets settings. Reports the rules
// that need the AST's shape (targets, items, settings); the rules over the whole plan are
// validation passes (compiler/passes). Builds no phases: the pass pipeline does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "support/diagnostic.h"
#include "support/source.h"
#include "plans/plan.h"

namespace bgplan::lower {

struct LowerOptions {
  // --target: replaces the file's `target` line (which is still checked).
  std::optional<plans::Target> target_override;
};

// Lowers every deployment of `file` (whose ranges point into `source`) into a plan with no phases.
//
// Reports to `diags`, each at the offending token: unknown-target, duplicate-target,
// duplicate-item (`suffix`, `database`, `await`, `promote`, `cleanup`, `validate` or `cluster X`
// twice in one deployment), empty-suffix, unknown-setting (with a "did you mean" suggestion),
// duplicate-setting and invalid-setting-value (of a validate block too: `row_count_change` out
// of 0..1000 or given a name, an `assert` without a name or with a value that is not a string).
// Asserts are kept as written (empty SQL and duplicate names included: validate-validation
// reports them).
//
// Always returns a plan. After an error the plan is partial but consistent: a rejected value
// keeps its default (an unknown target is Materialize, an empty suffix is the default suffix), a
// repeated item keeps its first occurrence, so later passes do not report follow-on errors.
plans::Plan LowerToPlan(const ast::File& file, const SourceFile& source,
                        const LowerOptions& options, DiagnosticEngine& diags);

// The final spelling of a name: unquoted names fold A-Z to a-z (ASCII only, as SQL does); quoted
// names are exact.
std::string FoldName(const ast::Name& name);

// Levenshtein distance between `a` and `b` (bytes); used for "did you mean" suggestions.
int EditDistance(std::string_view a, std::string_view b);

}  // namespace bgplan::lower
