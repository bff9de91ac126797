// Interpretation of single lexemes (durations, integers, quoted text), frontend-internal.
// Pure functions on strings: no ANTLR, no diagnostics; the AST builder reports what they find.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bgplan::frontend {

// The value of a DURATION lexeme such as "500ms" or "1h30m".
struct DurationLexeme {
  // Empty when the lexeme is well formed; otherwise why not, e.g. "unknown unit 'x'".
  std::string error;
  // Total milliseconds; -1 when the value does not fit in int64 (or when `error` is set).
  int64_t milliseconds = 0;
};

// Parses `lexeme` as digit groups each followed by a unit (ms s m h d); every unit at most once,
// largest first. Never fails hard: problems are described in the result's `error`.
DurationLexeme ParseDurationLexeme(std::string_view lexeme);

// The value of a decimal INTEGER lexeme, or -1 when it does not fit in int64.
int64_t ParseIntegerLexeme(std::string_view lexeme);

// The content of a quoted lexeme: strips the surrounding `quote` characters and turns each
// doubled quote into one. `lexeme` must start and end with `quote` (checked).
std::string UnquoteLexeme(std::string_view lexeme, char quote);

}  // namespace bgplan::frontend
