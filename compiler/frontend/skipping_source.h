// Frontend-internal: the token source ParseFile parses from. It reads the hand-written lexer
// (lexer.h) and takes every character that starts no token (ERROR_CHAR) off the parser's channel,
// reporting it, so that one stray character does not stop the rest of the file from being parsed
// and checked. Lazy, like the lexer: pathological input that makes the parser give up early is
// never lexed to its end.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

// antlr4-common.h #undefs EOF: include ANTLR after every standard header.
#include "antlr4-runtime.h"
#include "support/diagnostic.h"
#include "support/source.h"

namespace bgplan::frontend {

// `text` cut to its first line and 32 code points, "..." marking a cut (for quoting tokens).
std::string ShortenForMessage(const std::string& text);

// How a character that cannot start any token is shown: quoted when visible, else as U+XXXX.
std::string DescribeChar(const std::string& utf8);

class SkippingTokenSource : public antlr4::TokenSource {
 public:
  // The channel of the skipped characters: the parser reads the default channel only (comments
  // are on the hidden channel, 1).
  static constexpr size_t kSkippedChannel = 2;

  // Lexes `text`, the code points `input` holds (both must outlive this source and its tokens),
  // reporting skipped characters to `diags` as syntax errors of `source`.
  SkippingTokenSource(antlr4::CharStream& input, const std::u32string& text,
                      const SourceFile& source, DiagnosticEngine& diags);

  // Every token of the lexer, in order, EOF last. A run of adjacent visible ERROR_CHARs is one
  // syntax error ("unexpected characters '@@'"); a run `--` or `//` is taken for a comment: the
  // rest of its line is skipped too, and when a token on it runs past the line (a quote in the
  // comment: "-- don't"), lexing starts again on the next line.
  std::unique_ptr<antlr4::Token> nextToken() override;

  // How many runs were skipped so far.
  int runs() const { return runs_; }
  // Whether the token with index `index` (its position in the stream) was skipped and reported.
  bool IsSkipped(size_t index) const { return skipped_.count(index) > 0; }
  // Whether it is the first token the parser reads after skipped characters: a syntax error there
  // is the skipped characters' doing (`schemas a: b;` without ':' is `schemas a b;`), not a
  // mistake of its own.
  bool IsResume(size_t index) const { return resume_.count(index) > 0; }

  size_t getLine() const override { return lexer_->getLine(); }
  size_t getCharPositionInLine() override { return lexer_->getCharPositionInLine(); }
  antlr4::CharStream* getInputStream() override { return &input_; }
  std::string getSourceName() override { return lexer_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return lexer_->getTokenFactory();
  }

 private:
  // Lexes the next token into pending_ and returns it.
  antlr4::Token& Pull();
  // Handles the ERROR_CHAR at the front of pending_: reports its run and skips it.
  void SkipRun();

  antlr4::CharStream& input_;
  const std::u32string& text_;
  const SourceFile& source_;
  DiagnosticEngine& diags_;
  // The lexer in use, and those whose tokens may still be in use (tokens point to their source).
  std::unique_ptr<antlr4::TokenSource> lexer_;
  std::vector<std::unique_ptr<antlr4::TokenSource>> retired_;
  // Lexed, not yet returned; ready_ of them at the front are decided (skipped or not).
  std::deque<std::unique_ptr<antlr4::Token>> pending_;
  size_t ready_ = 0;
  // Tokens returned so far: the index the token stream gives the next one.
  size_t emitted_ = 0;
  bool resume_pending_ = false;
  int runs_ = 0;
  std::set<size_t> skipped_;
  std::set<size_t> resume_;
};

}  // namespace bgplan::frontend
