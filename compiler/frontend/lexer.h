// The .bgplan lexer used by ParseFile: a hand-written scanner over decoded code points that
// produces exactly the tokens of the lexer rules of grammar/BgPlan.g4 (types, channels, code point
// start/stop indexes, lines, columns), about ten times faster than the generated ANTLR lexer, whose
// per-character ATN simulation was more than half of the parse time. The grammar stays the
// specification: CompareWithGeneratedLexer checks the two token streams against each other.
#pragma once

#include <memory>
#include <string>

namespace antlr4 {
class CharStream;
class TokenSource;
}  // namespace antlr4

namespace bgplan::frontend {

// A token source over `text`, the code points that `input` holds (both must outlive it and its
// tokens; token text is read from `input`). Never reports errors: a character that starts no
// token is an ERROR_CHAR token, an unclosed string or quoted name an UNTERMINATED_* token.
// `start`, `line` and `column` say where to begin: code point `start` of `text`, which is at
// `line` (1-based) and `column` (0-based); ParseFile lexes again from the start of a line when a
// `--` comment held a quote.
std::unique_ptr<antlr4::TokenSource> MakeLexer(antlr4::CharStream& input,
                                               const std::u32string& text, size_t start = 0,
                                               size_t line = 1, size_t column = 0);

// Lexes `text` with both MakeLexer and the generated BgPlanLexer; returns "" when the token
// streams are identical (type, channel, start, stop, line, column of every token up to EOF),
// else a description of the first difference. For tests and fuzzing.
std::string CompareWithGeneratedLexer(const std::u32string& text);

}  // namespace bgplan::frontend
