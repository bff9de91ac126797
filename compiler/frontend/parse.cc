#include "compiler/frontend/parse.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// antlr4-common.h #undefs EOF: include ANTLR after every standard header and never use the EOF
// macro below this point.
#include "BgPlanLexer.h"
#include "BgPlanParser.h"
#include "antlr4-runtime.h"
#include "compiler/frontend/ast_builder.h"
#include "compiler/frontend/ast_recovery.h"
#include "compiler/frontend/lexemes.h"
#include "compiler/frontend/skipping_source.h"
#include "compiler/frontend/utf8.h"
#include "compiler/frontend/vocabulary.h"
#include "support/check.h"

namespace bgplan::frontend {

namespace gen = bgplan::grammar::gen;
using Parser = gen::BgPlanParser;

// Recovery caps (style.md 7.5): parsing stops once the engine is saturated or after one error
// more than this (so an engine with the default cap of 50 emits its too-many-errors line).
constexpr int kMaxSyntaxErrors = 50;
// Error recovery attempts, reported or not (ANTLR stays quiet while it resynchronises).
constexpr int kMaxRecoveryAttempts = 4 * kMaxSyntaxErrors;
// Tokens one recovery may skip while looking for a token that lets parsing resume.
constexpr int kMaxRecoverySkip = 10'000;

namespace {

// An ANTLR char stream over code points decoded (and validated) by DecodeUtf8Source, so ANTLR's
// own UTF-8 conversion, which throws on bad input, never runs.
class Utf32InputStream : public antlr4::ANTLRInputStream {
 public:
  Utf32InputStream(std::u32string code_points, const std::string& source_name) {
    _data = std::move(code_points);
    p = 0;
    name = source_name;
  }

  const std::u32string& code_points() const { return _data; }
};

}  // namespace

static bool IsErrorToken(size_t type) {
  return type == Parser::ERROR_CHAR || type == Parser::UNTERMINATED_STRING ||
         type == Parser::UNTERMINATED_QUOTED_IDENT;
}

// The token as shown after "found": "end of file", "string 'x'" or "'text'".
static std::string DescribeFound(const antlr4::Token& token) {
  if (token.getType() == antlr4::Token::EOF) {
    return "end of file";
  }
  std::string text = ShortenForMessage(token.getText());
  if (token.getType() == Parser::STRING) {
    return "string " + text;
  }
  return "'" + text + "'";
}

// The message for a token that is itself a lexical error, or "" for an ordinary token.
static std::string LexicalErrorMessage(const antlr4::Token& token) {
  switch (token.getType()) {
    case Parser::ERROR_CHAR:
      return "unexpected character " + DescribeChar(token.getText());
    case Parser::UNTERMINATED_STRING:
      return "unterminated string: missing closing '";
    case Parser::UNTERMINATED_QUOTED_IDENT:
      return "unterminated quoted identifier: missing closing \"";
    default:
      return "";
  }
}

// "';'", "';' or ','", "'a', 'b' or 'c'"; token groups that always occur together are named once
// ("a name", "a value", "an item").
static std::string DescribeExpected(const antlr4::misc::IntervalSet& set,
                                    const antlr4::dfa::Vocabulary& vocabulary) {
  std::vector<ssize_t> types = set.toList();
  auto has = [&](ssize_t type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  auto remove = [&](std::initializer_list<ssize_t> group) {
    for (ssize_t type : group) {
      types.erase(std::remove(types.begin(), types.end(), type), types.end());
    }
  };
  std::vector<std::string> words;
  const std::initializer_list<ssize_t> kItems = {
      Parser::SCHEMAS,  Parser::CLUSTERS, Parser::CLUSTER, Parser::SINKS,   Parser::SUFFIX,
      Parser::DATABASE, Parser::AWAIT,    Parser::PROMOTE, Parser::CLEANUP, Parser::VALIDATE};
  const bool item_position = std::all_of(kItems.begin(), kItems.end(), has);
  // Where items or sink items are expected, an identifier is only accepted to be reported as an
  // unknown item (ast_recovery.h): it is not what the user should write.
  if ((item_position || (has(Parser::SCHEMAS) && has(Parser::CLUSTERS))) &&
      !has(Parser::QUOTED_IDENT)) {
    remove({Parser::IDENT});
  }
  if (item_position) {
    words.push_back("an item");
    remove(kItems);
  }
  const std::initializer_list<ssize_t> kValues = {Parser::DURATION, Parser::INTEGER,
                                                  Parser::STRING,   Parser::BOOLEAN,
                                                  Parser::IDENT,    Parser::QUOTED_IDENT};
  if (std::all_of(kValues.begin(), kValues.end(), has)) {
    words.push_back("a value");
    remove(kValues);
  }
  if (has(Parser::IDENT) && has(Parser::QUOTED_IDENT)) {
    words.push_back("a name");
    remove({Parser::IDENT, Parser::QUOTED_IDENT});
  }
  bool eof = false;
  for (ssize_t type : types) {
    switch (type) {
      case -1:
        eof = true;
        break;
      case Parser::IDENT:
        words.push_back("an identifier");
        break;
      case Parser::QUOTED_IDENT:
        words.push_back("a quoted identifier");
        break;
      case Parser::STRING:
        words.push_back("a string");
        break;
      case Parser::INTEGER:
        words.push_back("an integer");
        break;
      case Parser::DURATION:
        words.push_back("a duration");
        break;
      case Parser::BOOLEAN:
        words.push_back("'true' or 'false'");
        break;
      default:
        words.push_back(vocabulary.getDisplayName(static_cast<size_t>(type)));
        break;
    }
  }
  if (eof) {
    words.push_back("end of file");
  }
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      out += i + 1 == words.size() ? " or " : ", ";
    }
    out += words[i];
  }
  return out.empty() ? "something else" : out;
}

namespace {

// Collects syntax errors from the lexer and the parser as diagnostics (style.md 7.5). Replaces
// ANTLR's ConsoleErrorListener on both, so nothing is ever printed.
class SyntaxErrorCollector : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorCollector(const SourceFile& source, DiagnosticEngine& diags, SourceLocation eof,
                       const SkippingTokenSource& skipping)
      : source_(source), diags_(diags), eof_(eof), skipping_(skipping) {}

  void syntaxError(antlr4::Recognizer* /*recognizer*/, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& message, std::exception_ptr /*e*/) override {
    SourceRange range;
    if (offending == nullptr) {
      // Lexer errors carry a position, not a token. (ERROR_CHAR makes them unreachable today.)
      range.begin = {static_cast<int>(line), static_cast<int>(column) + 1};
      range.end = {range.begin.line, range.begin.column + 1};
    } else if (offending->getType() == antlr4::Token::EOF) {
      range = {eof_, eof_};
    } else {
      range = TokenRange(*offending);
      reported_tokens_.insert(offending->getTokenIndex());
    }
    ReportSyntaxError(offending, range, Normalize(message));
  }

  // A syntax error at `offending` (null when unknown): reported, unless it is where the parser
  // resumed after skipped characters (their diagnostic already covers it: `schemas a: b;` is one
  // error, at ':', not a second one at 'b'). Either way the parse failed.
  void ReportSyntaxError(const antlr4::Token* offending, SourceRange range, std::string message) {
    ++syntax_errors_;
    if (offending != nullptr && skipping_.IsResume(offending->getTokenIndex())) {
      return;
    }
    Report(range, std::move(message));
  }

  void Report(SourceRange range, std::string message) {
    ++errors_;
    diags_.Report(DiagKind::kSyntaxError, source_.display_name(), range, std::move(message));
  }

  // Reports every lexical-error token that the parser skipped silently while recovering.
  void ReportUnreportedErrorTokens(antlr4::BufferedTokenStream& tokens) {
    for (antlr4::Token* token : tokens.getTokens()) {
      if (exhausted()) {
        return;
      }
      if (token != nullptr && IsErrorToken(token->getType()) &&
          reported_tokens_.count(token->getTokenIndex()) == 0 &&
          !skipping_.IsSkipped(token->getTokenIndex())) {
        reported_tokens_.insert(token->getTokenIndex());
        Report(TokenRange(*token), LexicalErrorMessage(*token));
      }
    }
  }

  // Diagnostics reported, syntax errors found (reported or not).
  int errors() const { return errors_; }
  int syntax_errors() const { return syntax_errors_; }
  // The tokens at which a syntax error was reported.
  const std::set<size_t>& reported_tokens() const { return reported_tokens_; }
  // True when reporting more is pointless.
  bool exhausted() const { return errors_ > kMaxSyntaxErrors || diags_.saturated(); }

 private:
  // ANTLR's own wording, adapted to style.md 7.5: "<EOF>" -> "end of file", lowercase start,
  // no trailing period.
  static std::string Normalize(std::string message) {
    const std::string eof = "<EOF>";
    for (size_t at = message.find(eof); at != std::string::npos; at = message.find(eof, at)) {
      message.replace(at, eof.size(), "end of file");
    }
    while (!message.empty() && (message.back() == '.' || message.back() == ' ')) {
      message.pop_back();
    }
    if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') {
      message[0] = static_cast<char>(message[0] - 'A' + 'a');
    }
    return message;
  }

  const SourceFile& source_;
  DiagnosticEngine& diags_;
  SourceLocation eof_;
  int errors_ = 0;
  int syntax_errors_ = 0;
  const SkippingTokenSource& skipping_;
  std::set<size_t> reported_tokens_;
};

// ANTLR's default recovery with caps (CEL's RecoveryLimitErrorStrategy) and bgplan's wording
// ("expected X, found Y"). Throws ParseCancellationException to stop parsing, which ParseFile
// catches: after too many errors or recovery attempts, or when one recovery would skip more than
// kMaxRecoverySkip tokens.
class CappedErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit CappedErrorStrategy(SyntaxErrorCollector& collector) : collector_(collector) {}

  void recover(antlr4::Parser* recognizer, std::exception_ptr e) override {
    CheckLimits(recognizer);
    ++lossy_recoveries_;  // the rest of the rule is consumed
    DefaultErrorStrategy::recover(recognizer, e);
  }

  // True when every syntax error was mended by inserting a token that carries no value (a
  // forgotten ';', ',' or '}'): the tree then means what the user evidently wrote, and the rest
  // of the file can be lowered and checked. Any other recovery (a token deleted, a statement or
  // the rest of a rule skipped, a name or value conjured) may have lost something the checks
  // would miss.
  bool OnlyMendedByInsertion() const { return lossy_recoveries_ == 0; }

  antlr4::Token* recoverInline(antlr4::Parser* recognizer) override {
    CheckLimits(recognizer);
    return DefaultErrorStrategy::recoverInline(recognizer);
  }

  void sync(antlr4::Parser* recognizer) override {
    if (collector_.exhausted()) {
      throw antlr4::ParseCancellationException("too many syntax errors");
    }
    if (!inErrorRecoveryMode(recognizer) &&
        (SkipBadStatements(recognizer) || ForgottenSemicolonAfterList(recognizer))) {
      return;
    }
    DefaultErrorStrategy::sync(recognizer);
  }

 protected:
  void consumeUntil(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& set) override {
    int skipped = 0;
    size_t type = recognizer->getInputStream()->LA(1);
    while (type != antlr4::Token::EOF && !set.contains(type)) {
      CountSkipped(recognizer, skipped);
      recognizer->consume();
      type = recognizer->getInputStream()->LA(1);
    }
  }

  void reportNoViableAlternative(antlr4::Parser* recognizer,
                                 const antlr4::NoViableAltException& e) override {
    antlr4::Token* token = e.getOffendingToken();
    if (token == nullptr) {
      token = recognizer->getCurrentToken();
    }
    Notify(recognizer, token, recognizer->getExpectedTokens());
  }

  void reportInputMismatch(antlr4::Parser* recognizer,
                           const antlr4::InputMismatchException& e) override {
    antlr4::Token* token = e.getOffendingToken();
    if (token == nullptr) {
      token = recognizer->getCurrentToken();
    }
    Notify(recognizer, token, e.getExpectedTokens());
  }

  void reportUnwantedToken(antlr4::Parser* recognizer) override {
    ++lossy_recoveries_;  // the token is deleted
    if (inErrorRecoveryMode(recognizer)) {
      return;
    }
    beginErrorCondition(recognizer);
    Notify(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer));
  }

  // The token single-token insertion conjures: harmless when it carries no value.
  antlr4::Token* getMissingSymbol(antlr4::Parser* recognizer) override {
    antlr4::Token* token = DefaultErrorStrategy::getMissingSymbol(recognizer);
    const size_t type = token->getType();
    if (type != Parser::SEMI && type != Parser::COMMA && type != Parser::RBRACE) {
      ++lossy_recoveries_;
    }
    return token;
  }

  void reportMissingToken(antlr4::Parser* recognizer) override {
    if (inErrorRecoveryMode(recognizer)) {
      return;
    }
    beginErrorCondition(recognizer);
    Notify(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer));
  }

 private:
  // At the decision of a `x*` loop (entering it or going round again): the tokens that may come
  // next, continuing the loop or after it. Elsewhere nullopt.
  static std::optional<antlr4::misc::IntervalSet> StarLoopNextTokens(antlr4::Parser* recognizer) {
    const antlr4::atn::ATN& atn = recognizer->getATN();
    antlr4::atn::ATNState* state = atn.states[recognizer->getState()];
    const size_t state_type = state->getStateType();
    if (state_type != antlr4::atn::ATNState::STAR_LOOP_ENTRY &&
        state_type != antlr4::atn::ATNState::STAR_LOOP_BACK) {
      return std::nullopt;
    }
    return atn.nextTokens(state);
  }

  // In the loop over the statements of a block (`item* '}'`, `sinkItem* '}'`, `setting* '}'`...),
  // at a token that starts no statement and is not the '}': one error there, then that statement
  // is skipped (SkipStatement) and the loop goes on in the same block. ANTLR's own recovery
  // would leave the block at that token and report the block's '}' again as a second error.
  // Returns false where this does not apply (ANTLR's recovery does): not such a loop, or a token
  // that rather means the block lacks its '}' (end of file, 'deployment', 'target').
  bool SkipBadStatements(antlr4::Parser* recognizer) {
    std::optional<antlr4::misc::IntervalSet> loop = StarLoopNextTokens(recognizer);
    if (!loop.has_value()) {
      return false;
    }
    const antlr4::misc::IntervalSet& next = *loop;
    if (!next.contains(static_cast<size_t>(Parser::RBRACE)) ||
        next.contains(antlr4::Token::EPSILON)) {
      return false;
    }
    antlr4::TokenStream* tokens = recognizer->getTokenStream();
    while (!next.contains(tokens->LA(1))) {
      const size_t la = tokens->LA(1);
      if (la == antlr4::Token::EOF || la == Parser::DEPLOYMENT || la == Parser::TARGET) {
        return false;
      }
      if (collector_.exhausted()) {
        throw antlr4::ParseCancellationException("too many syntax errors");
      }
      Notify(recognizer, recognizer->getCurrentToken(), next);
      beginErrorCondition(recognizer);
      ++lossy_recoveries_;
      SkipStatement(recognizer);
      endErrorCondition(recognizer);
    }
    return true;
  }

  // In a list's loop (`schemas a, b`), at a token that neither continues the list nor ends it
  // with its ';' (`schemas marts` and a new line): one error here naming both, then the loop
  // is left so that the ';' is missing where the parser matches it, and single-token insertion
  // supplies it silently (in error recovery mode). ANTLR's own sync would throw here and skip
  // the rest of the item, and the rest of the file could not be checked.
  bool ForgottenSemicolonAfterList(antlr4::Parser* recognizer) {
    std::optional<antlr4::misc::IntervalSet> loop = StarLoopNextTokens(recognizer);
    if (!loop.has_value()) {
      return false;
    }
    const antlr4::misc::IntervalSet& next = *loop;
    const size_t la = recognizer->getTokenStream()->LA(1);
    if (next.contains(la) || la == antlr4::Token::EOF ||
        !next.contains(static_cast<size_t>(Parser::SEMI)) ||
        !next.contains(static_cast<size_t>(Parser::COMMA))) {
      return false;
    }
    Notify(recognizer, recognizer->getCurrentToken(), next);
    beginErrorCondition(recognizer);
    return true;
  }

  // Consumes one statement: up to and including its ';', or over its `{ }` (nested braces
  // balanced). Stops before a '}' that closes the enclosing block, at end of file, and before a
  // 'deployment' or 'target' outside braces. Consumes at least one token.
  void SkipStatement(antlr4::Parser* recognizer) {
    antlr4::TokenStream* tokens = recognizer->getTokenStream();
    int depth = 0;
    int skipped = 0;
    while (true) {
      const size_t la = tokens->LA(1);
      if (la == antlr4::Token::EOF ||
          (depth == 0 && skipped > 0 &&
           (la == Parser::RBRACE || la == Parser::DEPLOYMENT || la == Parser::TARGET))) {
        return;
      }
      CountSkipped(recognizer, skipped);
      recognizer->consume();
      if (la == Parser::LBRACE) {
        ++depth;
      } else if (la == Parser::RBRACE && --depth <= 0) {
        return;
      } else if (la == Parser::SEMI && depth == 0) {
        return;
      }
    }
  }

  // One more token skipped by a recovery: past kMaxRecoverySkip, reported and parsing stops.
  void CountSkipped(antlr4::Parser* recognizer, int& skipped) {
    if (skipped++ == kMaxRecoverySkip) {
      collector_.Report(TokenRange(*recognizer->getCurrentToken()),
                        "giving up after skipping " + std::to_string(kMaxRecoverySkip) +
                            " tokens to recover from a syntax error");
      throw antlr4::ParseCancellationException("recovery skip limit");
    }
  }

  void CheckLimits(antlr4::Parser* recognizer) {
    if (collector_.exhausted()) {
      throw antlr4::ParseCancellationException("too many syntax errors");
    }
    if (++recovery_attempts_ > kMaxRecoveryAttempts) {
      collector_.Report(TokenRange(*recognizer->getCurrentToken()),
                        "too many syntax errors, giving up here");
      throw antlr4::ParseCancellationException("too many recovery attempts");
    }
  }

  void Notify(antlr4::Parser* recognizer, antlr4::Token* token,
              const antlr4::misc::IntervalSet& expected) {
    std::string message = LexicalErrorMessage(*token);
    antlr4::Token* previous = recognizer->getTokenStream()->LT(-1);
    if (message.empty() && previous != nullptr &&
        expected.contains(static_cast<size_t>(Parser::SEMI)) &&
        TokenBegin(*token).line > TokenRange(*previous).end.line) {
      // A forgotten ';' at the end of a line: point just after the last token of that line (as
      // GCC and Clang do), not at whatever starts the next line.
      SourceLocation after = TokenRange(*previous).end;
      collector_.ReportSyntaxError(token, SourceRange{after, after},
                                   "expected " +
                                       DescribeExpected(expected, recognizer->getVocabulary()) +
                                       " after " + DescribeFound(*previous));
      return;
    }
    if (message.empty()) {
      if (token->getType() == antlr4::Token::EOF &&
          expected.contains(static_cast<size_t>(Parser::DEPLOYMENT)) &&
          !expected.contains(static_cast<size_t>(Parser::RBRACE)) &&
          !expected.contains(antlr4::Token::EOF)) {
        message = "expected at least one deployment, found end of file";
      } else {
        message = "expected " + DescribeExpected(expected, recognizer->getVocabulary()) +
                  ", found " + DescribeFound(*token) + KeywordHint(*token, expected, recognizer);
      }
    }
    recognizer->notifyErrorListeners(token, message, nullptr);
  }

  // "; did you mean 'deployment'?" when `token` is an identifier that misspells a keyword the
  // parser expected (`deploymnet a {`), else "".
  static std::string KeywordHint(const antlr4::Token& token,
                                 const antlr4::misc::IntervalSet& expected,
                                 antlr4::Parser* recognizer) {
    if (token.getType() != Parser::IDENT) {
      return "";
    }
    std::vector<std::string> keywords;
    for (ssize_t type : expected.toList()) {
      std::string literal =
          type > 0 ? recognizer->getVocabulary().getLiteralName(static_cast<size_t>(type)) : "";
      if (literal.size() > 2 && literal[1] >= 'a' && literal[1] <= 'z') {
        keywords.push_back(literal.substr(1, literal.size() - 2));
      }
    }
    std::vector<std::string_view> candidates(keywords.begin(), keywords.end());
    const std::string text = FoldAscii(token.getText());
    std::string_view closest = ClosestWord(text, candidates);
    if (closest.empty()) {
      for (std::string_view keyword : candidates) {
        if (keyword == text) {
          return "; keywords are lower case: did you mean '" + std::string(keyword) + "'?";
        }
      }
      return "";
    }
    return "; did you mean '" + std::string(closest) + "'?";
  }

  SyntaxErrorCollector& collector_;
  int recovery_attempts_ = 0;
  int lossy_recoveries_ = 0;
};

}  // namespace

// Where a premature end of file is reported: just after the last character that is not
// whitespace (so the caret sits at the end of the last non-blank line), or 1:1 in a blank file.
static SourceLocation EndOfContent(const SourceFile& source) {
  std::string_view text = source.text();
  size_t begin = HasUtf8Bom(text) ? 3 : 0;
  size_t end = text.size();
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
                         text[end - 1] == '\n')) {
    --end;
  }
  if (end == begin) {
    return {1, 1};
  }
  size_t line_start = text.rfind('\n', end - 1);
  line_start = line_start == std::string_view::npos ? begin : line_start + 1;
  int line = 1 + static_cast<int>(
                     std::count(text.begin(), text.begin() + static_cast<ssize_t>(end), '\n'));
  int column = 1 + CodePointCount(text.substr(line_start, end - line_start));
  return {line, column};
}

// Reports the well-formed tokens whose value is bad: malformed durations (invalid-duration) and
// empty quoted names (empty-name). Works on the tokens, not the tree, so these are reported even
// when the file also has syntax errors. A malformed duration given to a setting that takes a
// string (`size 200cc;`) is that setting's invalid-setting-value instead: the fix is quotes, not
// a unit. Tokens in `syntax_errors` (where a syntax error was reported) are left alone: one error
// per token. Returns how many were reported.
static int ReportBadTokenValues(const SourceFile& source, DiagnosticEngine& diags,
                                antlr4::BufferedTokenStream& tokens,
                                const std::set<size_t>& syntax_errors) {
  int errors = 0;
  const antlr4::Token* previous = nullptr;
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token == nullptr || diags.saturated()) {
      break;
    }
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) {
      continue;
    }
    if (syntax_errors.count(token->getTokenIndex()) > 0) {
      previous = token;
      continue;
    }
    if (token->getType() == Parser::DURATION) {
      std::string text = token->getText();
      DurationLexeme duration = ParseDurationLexeme(text);
      if (!duration.error.empty()) {
        ++errors;
        const SettingSpec* spec = nullptr;
        if (previous != nullptr && previous->getType() == Parser::IDENT) {
          spec = FindSettingSpec(FoldAscii(previous->getText()));
        }
        if (spec != nullptr && spec->type == SettingType::kString) {
          diags.Report(DiagKind::kInvalidSettingValue, source.display_name(), TokenRange(*token),
                       "invalid value '" + ShortenForMessage(text) + "' for '" +
                           std::string(spec->key) + "': expected a string; write it in quotes: " +
                           std::string(spec->key) + " '" + ShortenForMessage(text) + "';");
        } else {
          diags.Report(DiagKind::kInvalidDuration, source.display_name(), TokenRange(*token),
                       "invalid duration '" + ShortenForMessage(text) + "': " + duration.error);
        }
      }
    } else if (token->getType() == Parser::QUOTED_IDENT &&
               token->getStopIndex() == token->getStartIndex() + 1) {
      ++errors;
      diags.Report(DiagKind::kEmptyName, source.display_name(), TokenRange(*token),
                   "a quoted name must not be empty");
    }
    previous = token;
  }
  return errors;
}

static void ReportInternalError(const SourceFile& source, DiagnosticEngine& diags,
                                const std::string& what) {
  diags.Report(DiagKind::kSyntaxError, source.display_name(), SourceRange{},
               "internal error in the parser: " + what);
}

static std::unique_ptr<ast::File> ParseDecoded(const SourceFile& source, DiagnosticEngine& diags,
                                               std::u32string code_points,
                                               std::unique_ptr<ast::File>* recovered) {
  const int errors_before = diags.error_count();
  Utf32InputStream input(std::move(code_points), source.display_name());
  // The hand-written lexer (lexer.h) produces the generated lexer's tokens and never reports an
  // error, as every input lexes (ERROR_CHAR, UNTERMINATED_*).
  // Characters that start no token are reported by the token source and never reach the parser:
  // one stray character does not stop the rest of the file from being parsed and checked.
  SkippingTokenSource token_source(input, input.code_points(), source, diags);
  SyntaxErrorCollector collector(source, diags, EndOfContent(source), token_source);
  antlr4::CommonTokenStream tokens(&token_source);
  Parser parser(&tokens);
  parser.removeErrorListeners();

  // Stage 1: SLL prediction that bails on the first error (fast, and exact for correct input).
  // Stage 2, only if that failed: full LL with reporting and capped recovery.
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  Parser::FileContext* tree = nullptr;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  if (tree == nullptr || collector.syntax_errors() > 0) {
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&collector);
    auto strategy = std::make_shared<CappedErrorStrategy>(collector);
    parser.setErrorHandler(strategy);
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
      // Capped: the errors found so far are reported.
      tree = nullptr;
    }
    if (tree == nullptr || collector.syntax_errors() > 0) {
      const int lexical_before = collector.errors();
      collector.ReportUnreportedErrorTokens(tokens);
      const bool mended = tree != nullptr && strategy->OnlyMendedByInsertion() &&
                          collector.errors() == lexical_before;
      if (tree != nullptr) {
        ReportUnknownItems(*tree, tokens, source.display_name(), diags);
      }
      ReportBadTokenValues(source, diags, tokens, collector.reported_tokens());
      if (diags.error_count() == errors_before && !diags.saturated()) {
        // Never return nullptr without saying why.
        collector.Report(SourceRange{}, "internal error in the parser: parse failed silently");
      }
      // Every syntax error was a forgotten ';', ',' or '}' (and the file has nothing else the
      // parser left out): the rest of the file is checked too, as after a stray character.
      if (mended && recovered != nullptr) {
        bool lossy = false;
        std::unique_ptr<ast::File> file = BuildAst(*tree, tokens, &lossy);
        if (!lossy) {
          *recovered = std::move(file);
        }
      }
      return nullptr;
    }
    // SLL failed where full LL succeeded: the LL tree is good.
  }
  const int unknown_items = ReportUnknownItems(*tree, tokens, source.display_name(), diags);
  ReportBadTokenValues(source, diags, tokens, collector.reported_tokens());
  bool lossy = false;
  std::unique_ptr<ast::File> file = BuildAst(*tree, tokens, &lossy);
  if (token_source.runs() > 0 || unknown_items > 0) {
    // The tree parsed without what was skipped or not understood: good enough to check the rest
    // of the file (unless an item that may have listed objects was left out), not a faithful
    // copy of it.
    if (recovered != nullptr && !lossy) {
      *recovered = std::move(file);
    }
    return nullptr;
  }
  return file;
}

std::unique_ptr<ast::File> ParseFile(const SourceFile& source, DiagnosticEngine& diags,
                                     std::unique_ptr<ast::File>* recovered) {
  try {
    std::u32string code_points;
    if (DecodeUtf8Source(source, diags, code_points) > 0) {
      return nullptr;
    }
    return ParseDecoded(source, diags, std::move(code_points), recovered);
  } catch (const antlr4::ParseCancellationException& e) {
    // Raised only inside ParseDecoded's own try blocks; here it would mean a missed path.
    ReportInternalError(source, diags, e.what());
  } catch (const antlr4::RuntimeException& e) {
    ReportInternalError(source, diags, e.what());
  } catch (const std::exception& e) {
    ReportInternalError(source, diags, e.what());
  } catch (...) {
    // ANTLRv4 has historically thrown C string literals (CEL's note).
    ReportInternalError(source, diags, "unknown exception");
  }
  return nullptr;
}

}  // namespace bgplan::frontend
