// The AST printer used by `bgplan fmt`: ast::File -> canonical .bgplan text (language.md section
// 6). Works on the AST alone (comments included, attached by their source positions), so it never
// needs the original text. Part of bgplan_ast; no dependency on the frontend.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ast/ast.h"

namespace bgplan::ast {

// Returns the canonical text of `file`:
//   - `target x;` lines first, then one blank line; one blank line between deployments;
//   - items in the order written, one per line, four-space indent per block level, lists on one
//     line as `a, b`, one space before `{`, an empty block as `name {}`;
//   - settings aligned within a block (keys padded to the longest key of that block), except
//     `assert NAME 'SQL';` in a validate block, printed with single spaces;
//   - names as written, except that a quoted name that reads the same unquoted (lower case, a
//     valid identifier, not a keyword) is printed bare; other quoted names keep their quotes with
//     `"` re-escaped; strings, durations and integers exactly as written;
//   - comments kept with their line: a comment that trailed code stays at the end of that line
//     (two spaces before `#`), any other comment goes on its own line before the next line of
//     code (or at the end of the file); a single blank line between items or comments is kept,
//     runs of blank lines are collapsed, none right after `{` or right before `}`;
//   - trailing whitespace removed, ends with exactly one newline ("" for a file with nothing).
// Idempotent: FormatFile of the re-parsed output equals the output. Never changes meaning.
// Hand-built nodes without ranges print fine; comments need ranges to be placed well.
std::string FormatFile(const File& file);

// How FormatFile prints one name: bare when that names the same object, else double-quoted
// with `"` doubled.
std::string FormatName(const Name& name);

// True when `word` is a reserved keyword of the language (language.md section 2).
bool IsKeyword(std::string_view word);

}  // namespace bgplan::ast
