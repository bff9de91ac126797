// The offline SQL emitter behind `bgplan compile`: renders a checked plans::Plan (after
// compiler/passes) as SQL text for review, phase by phase. Statements the plan fixes appear as
// exact SQL, built with the shared builders of sql/statements.h (the runtime issues the
// same text). Statements that depend on the live catalog appear as
//   -- resolved at apply time: <what is read (catalog relation, columns)> <what is done with it>
// followed by "--   " lines giving the statement shape with <placeholders>.
// Output: LF line endings, every statement ends in ';' + newline, exactly one trailing newline,
// no timestamps, versions or paths; same plan -> same bytes. Names inside comments are quoted
// and passed through CommentSafe(), so no name can end a comment or inject a statement.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sql/dialect.h"
#include "sql/statements.h"
#include "plans/plan.h"

namespace bgplan::emit {

struct EmitOptions {
  // The phase to render; unset renders every phase of the plan, in plan order.
  std::optional<plans::PhaseKind> phase;
};

// Renders the plan's phases as reviewable SQL text in the dialect of plan.target.
// Deterministic: same plan -> same bytes. Layout: a file header (3 comment lines), then per phase
// a blank line, a "-- phase <name>: deployment(s) ...: <purpose>" header and its batches, one
// blank line between batches. A kTransaction batch is framed by BEGIN; ... COMMIT; preceded by a
// comment giving the retry rule when it holds the swap; PostgreSQL swap transactions start with
// SET LOCAL lock_timeout (CombinedPromoteSettings) and SET LOCAL search_path = ''. Inside a
// batch, a blank line follows the checks and precedes each green object's create; consecutive
// await steps render as one readiness poll. A requested phase the plan lacks renders as a header
// saying so. Aborts (BGPLAN_CHECK) on IR the passes must never produce: a step inside a
// kTransaction batch that the dialect does not allow in a transaction, or a cluster in a PostgreSQL
// plan.
std::string EmitSql(const plans::Plan& plan, const EmitOptions& options);

// EmitSql, handing the text to `sink` in pieces of about 64 KiB, in order, instead of returning
// it whole (`bgplan compile` streams to its output this way; the text of a large plan is tens of
// megabytes). The concatenated pieces are exactly EmitSql's text.
void EmitSql(const plans::Plan& plan, const EmitOptions& options,
             const std::function<void(std::string_view)>& sink);

// The promote settings that govern a swap step spanning several deployments (one transaction):
// the largest max_retries and retry_backoff (no deployment gets less than it asked for) and the
// smallest lock_timeout (no deployment blocks its readers longer than it allows) of the
// deployments named by the step's objects (every deployment of the plan when the step names
// none); wait is true if any deployment has it.
// The runtime must use this function too, so that compile output and apply agree.
plans::PromoteSettings CombinedPromoteSettings(const plans::Plan& plan, const plans::Step& step);

}  // namespace bgplan::emit
