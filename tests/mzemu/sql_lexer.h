// SQL tokenizer for the Materialize emulator (mzemu). Splits a simple-Query string into
// statements and gives the statement interpreter a token stream with byte offsets, so that
// statements can be classified, parsed, and rewritten by splicing before they are forwarded to
// the backing PostgreSQL.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mzemu {

enum class TokenKind {
  kIdent,        // unquoted identifier or keyword; `text` is lower-cased
  kQuotedIdent,  // "..."; `text` is the unescaped name
  kString,       // '...', E'...', $$...$$; `text` is the unescaped value
  kNumber,
  kParam,  // $1
  kOp,     // operators and punctuation: ( ) , ; . = :: [ ] * etc.
};

struct Token {
  TokenKind kind;
  std::string text;
  size_t begin = 0;  // byte offset in the source
  size_t end = 0;    // one past the last byte

  bool IsWord(std::string_view w) const { return kind == TokenKind::kIdent && text == w; }
  bool IsOp(std::string_view o) const { return kind == TokenKind::kOp && text == o; }
  bool IsName() const { return kind == TokenKind::kIdent || kind == TokenKind::kQuotedIdent; }
};

// One statement of a query string: its source text (without the trailing ';') and tokens with
// offsets relative to `text`.
struct Statement {
  std::string text;
  std::vector<Token> tokens;
};

// For `INSERT [INTO] [db.][schema.]table ...`: the index of the first token after the target
// table (what the INSERT reads starts there). 0 for any other statement.
size_t AfterInsertTarget(const Statement& stmt);

// Tokenizes `sql`. Unterminated strings/comments are tolerated (the rest becomes one token); the
// backing PostgreSQL reports the syntax error when such text is forwarded.
std::vector<Token> Tokenize(std::string_view sql);

// Splits a query string at top-level semicolons. Empty statements are dropped.
std::vector<Statement> SplitStatements(std::string_view sql);

// Replaces byte ranges [begin, end) of `text` with new strings. Ranges must not overlap.
std::string Splice(const std::string& text,
                   std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits);

// Double-quotes an identifier ("a""b"). QuoteLiteral single-quotes a string ('it''s').
std::string QuoteIdent(std::string_view name);
std::string QuoteLiteral(std::string_view value);

// Rewrites Materialize-only syntax in a statement forwarded to PostgreSQL:
//  - `current_user`, `current_role` (with or without `()`) call mz_catalog."current_user"() etc.,
//    which return the emulated role;
//  - `schema.func(args).*` / `.col` (legal in Materialize) get the parentheses PostgreSQL needs.
std::string RewriteForPostgres(const Statement& stmt);

}  // namespace mzemu
