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
//   - syntax-error for a character that starts no token (one error for a run of adjacent ones;
//     `--` and `//` are taken for comments and the rest of their line skipped): the file is then
//     parsed as if it were not there, and no syntax error is reported where parsing resumes;
//   - syntax-error for text that does not match the grammar, at the offending token (an empty
//     range at the end of the last non-blank line for a premature end of file, or just after the
//     last token of a line that lacks its ';'). Recovery continues after each error; it is
//     capped (50 syntax errors, 10000 tokens skipped by one recovery), so pathological input stays
//     cheap and yields a bounded number of diagnostics;
//   - unknown-item for a word where an item belongs that is none (`schema marts;`, `sink { }`,
//     `poll_interval 15s;` outside `await { }`), saying which item or block it belongs to
//     (ast_recovery.h);
//   - invalid-duration for a malformed duration (`5x`, `1h30`, `30m1h`), invalid-setting-value
//     for one given to a setting that takes a string (`size 200cc;`), and empty-name for `""`,
//     whether or not the file also has syntax errors.
// Returns nullptr when the file has encoding, syntax or unknown-item errors (no faithful AST is
// built from an erroneous tree). When only invalid-duration/empty-name/invalid-setting-value
// errors were reported, the AST is still returned (such values are marked: duration_ms == -1,
// empty name text) so tools can show it; callers must check `diags.has_errors()` before compiling
// it. Errors reported to `diags` earlier (for other files) do not affect the result.
// `recovered`, when given, receives the AST of a file whose only problems besides those were
// skipped characters, unknown items and syntax errors mended by inserting a ';', ',' or '}' the
// user forgot: the file as the parser understood it (skipped characters left out, the forgotten
// token supplied, an unknown item that misspells an item of the same shape taken for that item,
// other unknown items left out). It is good enough to lower and check, so that every error of the file
// is reported in one run, but it is not the file: never format it. It stays null otherwise, and
// when an unknown item left out may have listed schemas or clusters (`schema 'marts';`, `frob
// a, b;`): checking the rest without it could report errors that are only its consequence.
// The AST owns all its data and does not refer into `source`. Never throws (every exception of
// the ANTLR runtime is caught here and becomes an error diagnostic). Not for concurrent use from
// several threads: the generated parser shares static caches.
std::unique_ptr<ast::File> ParseFile(const SourceFile& source, DiagnosticEngine& diags,
                                     std::unique_ptr<ast::File>* recovered = nullptr);

}  // namespace bgplan::frontend
