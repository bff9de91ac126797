// The frontend entry point: .bgplan source text -> ast::File (architecture.md, language.md 2-3).
// Owns the whole ANTLR boundary: UTF-8 validation, lexing and parsing with both error listeners
// replaced, capped error recovery, every exception caught, and the typed AST builder. No ANTLR
// type appears here; callers see bgplan types only.
#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "support/diagnostic.h"
#include "support/source.h"

namespace bgplan::frontend {

// Parses `source` into an AST, reporting every problem found to `diags` (up to the engine's cap):
//   - invalid-utf8 for each invalid byte sequence and syntax-error for each NUL byte; then the
//     file is not parsed at all;
//   - syntax-error for text that does not match the grammar, at the offending token (an empty
//     range at the end of the last non-blank line for a premature end of file, or just after the
//     last token of a line that lacks its ';'). Recovery continues after each error; it is
//     capped (50 syntax errors, 10000 tokens skipped by one recovery), so pathological input stays
//     cheap and yields a bounded number of diagnostics;
//   - invalid-duration for a malformed duration (`5x`, `1h30`, `30m1h`) and empty-name for `""`,
//     whether or not the file also has syntax errors.
// Returns nullptr when the file has encoding or syntax errors (no AST is built from an erroneous
// tree). When only invalid-duration/empty-name errors were reported, the AST is still returned
// (such values are marked: duration_ms == -1, empty name text) so tools can show it; callers
// must check `diags.has_errors()` before compiling it. Errors reported to `diags` earlier (for
// other files) do not affect the result.
// The AST owns all its data and does not refer into `source`. Never throws (every exception of
// the ANTLR runtime is caught here and becomes an error diagnostic). Not for concurrent use from
// several threads: the generated parser shares static caches.
std::unique_ptr<ast::File> ParseFile(const SourceFile& source, DiagnosticEngine& diags);

}  // namespace bgplan::frontend
