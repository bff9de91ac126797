// The text of resolved phases, for people: `bgplan compile` (every phase against the offline
// snapshot: statements the plan fixes are exact SQL, the rest "-- resolved at apply time: ..."
// lines), and `bgplan plan` / `--dry-run` (a phase against the live catalog: exact statements,
// journal writes and waits as comments). Both print the actions of resolve/resolver.h, framed
// the same way: per phase a header and its batches, a transaction batch between BEGIN; and
// COMMIT; with its prologue (resolve::TransactionPrologue) and, when it swaps, the retry rule.
// Output: LF line endings, every statement on its own line ending in ';', deterministic for the
// same plan and snapshot; names inside comments pass through CommentSafe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plans/plan.h"
#include "resolve/resolved.h"

namespace bgplan::resolve {

// `bgplan compile`: a 3-line header, then each phase of `plan` (only `phase` when set; a phase
// the plan lacks renders as a header saying so).
std::string RenderCompile(const plans::Plan& plan, std::optional<plans::PhaseKind> phase);

// RenderCompile handing the text to `sink` in pieces of about 64 KiB, in order (the text of a
// large plan is tens of megabytes). The concatenated pieces are exactly RenderCompile's text.
void RenderCompile(const plans::Plan& plan, std::optional<plans::PhaseKind> phase,
                   const std::function<void(std::string_view)>& sink);

// What only the runtime knows of a live phase: the statements of a journal write (the journal of
// the plan's dialect) and the query a wait polls with (its readiness probe).
struct LiveText {
  std::function<std::vector<std::string>(const JournalOp&)> journal_sql;
  std::function<std::string(const std::vector<std::string>& deployments)> await_query;
};

// `bgplan plan` and `--dry-run`: `resolved` (a phase of `plan` against the live catalog), with
// its notes, checks passed, statements, journal writes and waits. A journal write is a comment
// saying what it records followed by its statements, a wait a comment followed by the query it
// polls with (as comment lines: it repeats), when `live` gives them: the text is then exactly
// what the phase sends.
std::string RenderResolved(const plans::Plan& plan, const ResolvedPhase& resolved,
                           const LiveText& live = {});

}  // namespace bgplan::resolve
