#include "compiler/frontend/lexer.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

// antlr4-common.h #undefs EOF: include ANTLR after every standard header.
#include "BgPlanParser.h"
#include "antlr4-runtime.h"

namespace bgplan::frontend {

namespace gen = bgplan::grammar::gen;
// The token types (the parser's vocabulary is the lexer's).
using L = gen::BgPlanParser;

static bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
static bool IsLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool IsIdentStart(char32_t c) { return IsLetter(c) || c == '_'; }
static bool IsIdentPart(char32_t c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }
static bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The token type of the identifier-shaped lexeme `s` (ASCII by construction): a keyword or
// BOOLEAN when it equals one exactly (the grammar lists them before IDENT, and ANTLR prefers the
// earlier rule on a tie), else IDENT.
static size_t WordType(const char32_t* s, size_t length) {
  constexpr size_t kLongest = 10;
  if (length > kLongest) {
    return L::IDENT;
  }
  char buffer[kLongest];
  for (size_t i = 0; i < length; ++i) {
    buffer[i] = static_cast<char>(s[i]);
  }
  const std::string_view word(buffer, length);
  static constexpr std::pair<std::string_view, size_t> kWords[] = {
      {"target", L::TARGET},     {"deployment", L::DEPLOYMENT}, {"schemas", L::SCHEMAS},
      {"clusters", L::CLUSTERS}, {"cluster", L::CLUSTER},       {"sinks", L::SINKS},
      {"suffix", L::SUFFIX},     {"database", L::DATABASE},     {"await", L::AWAIT},
      {"promote", L::PROMOTE},   {"cleanup", L::CLEANUP},       {"validate", L::VALIDATE},
      {"true", L::BOOLEAN},      {"false", L::BOOLEAN},
  };
  for (const auto& [keyword, type] : kWords) {
    if (word == keyword) {
      return type;
    }
  }
  return L::IDENT;
}

// Appends the UTF-8 encoding of `length` code points at `s` (valid scalar values: the source was
// validated by DecodeUtf8Source).
static void AppendUtf8(const char32_t* s, size_t length, std::string& out) {
  out.reserve(out.size() + length);
  for (size_t i = 0; i < length; ++i) {
    char32_t c = s[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

namespace {

// The lexer rules of BgPlan.g4, by hand. An antlr4::Lexer for what the parser asks a token source
// for (token factory, source name, input stream); it has no ATN simulator, and does not derive
// from the generated lexer, so a program that only parses does not link it (its static
// initializer deserializes the lexer ATN at start-up). Longest match, earlier rule on a tie, as
// ANTLR does:
//  - WS ([ \t\r\n]+) is skipped; COMMENT ('#' to the end of the line) goes on the hidden channel;
//  - DIGIT+ followed by a letter is a DURATION running over every following letter and digit
//    (DIGIT+ LETTER+ (DIGIT+ LETTER*)*), else INTEGER;
//  - [A-Za-z_][A-Za-z0-9_$]* is a keyword, BOOLEAN or IDENT (WordType);
//  - a quote starts QUOTED_IDENT / STRING when a closing quote follows (a doubled quote is part of
//    the text), else UNTERMINATED_* running to the end of the input (the longer match);
//  - anything else is one ERROR_CHAR.
class HandLexer : public antlr4::Lexer {
 public:
  HandLexer(antlr4::CharStream& input, const std::u32string& text, size_t start, size_t line,
            size_t column)
      : antlr4::Lexer(&input), text_(text), pos_(start), line_(line), column_(column) {}

  std::unique_ptr<antlr4::Token> nextToken() override {
    const size_t n = text_.size();
    size_t space_end = pos_;
    while (space_end < n && IsSpace(text_[space_end])) {
      ++space_end;
    }
    Advance(space_end);
    const size_t start = pos_;
    const size_t line = line_;
    const size_t column = column_;
    if (start >= n) {
      return _factory->create({this, _input}, antlr4::Token::EOF, "",
                              antlr4::Token::DEFAULT_CHANNEL, start, start - 1, line, column);
    }
    size_t token_type = L::ERROR_CHAR;
    size_t token_channel = antlr4::Token::DEFAULT_CHANNEL;
    size_t end = start + 1;
    const char32_t c = text_[start];
    switch (c) {
      case '{':
        token_type = L::LBRACE;
        break;
      case '}':
        token_type = L::RBRACE;
        break;
      case ';':
        token_type = L::SEMI;
        break;
      case ',':
        token_type = L::COMMA;
        break;
      case '.':
        token_type = L::DOT;
        break;
      case '#':
        token_type = L::COMMENT;
        token_channel = antlr4::Token::HIDDEN_CHANNEL;
        while (end < n && text_[end] != '\r' && text_[end] != '\n') {
          ++end;
        }
        break;
      case '"':
      case '\'': {
        bool closed = false;
        while (end < n) {
          if (text_[end] != c) {
            ++end;
          } else if (end + 1 < n && text_[end + 1] == c) {
            end += 2;
          } else {
            ++end;
            closed = true;
            break;
          }
        }
        if (c == '"') {
          token_type = closed ? L::QUOTED_IDENT : L::UNTERMINATED_QUOTED_IDENT;
        } else {
          token_type = closed ? L::STRING : L::UNTERMINATED_STRING;
        }
        break;
      }
      default:
        if (IsDigit(c)) {
          while (end < n && IsDigit(text_[end])) {
            ++end;
          }
          token_type = L::INTEGER;
          if (end < n && IsLetter(text_[end])) {
            token_type = L::DURATION;
            while (end < n && (IsLetter(text_[end]) || IsDigit(text_[end]))) {
              ++end;
            }
          }
        } else if (IsIdentStart(c)) {
          while (end < n && IsIdentPart(text_[end])) {
            ++end;
          }
          token_type = WordType(text_.data() + start, end - start);
        }
        break;
    }
    Advance(end);
    // The text is set here, from the code points at hand, rather than converted from the char
    // stream on each getText() (the same UTF-8 either way).
    std::string text;
    AppendUtf8(text_.data() + start, end - start, text);
    return _factory->create({this, _input}, token_type, text, token_channel, start, end - 1, line,
                            column);
  }

  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }

  // Recognizer metadata, which nothing asks a token source for (the parser has its own).
  std::string getGrammarFileName() const override { return "BgPlan.g4"; }
  const std::vector<std::string>& getRuleNames() const override { return Empty(); }
  const std::vector<std::string>& getTokenNames() const override { return Empty(); }
  const std::vector<std::string>& getChannelNames() const override { return Empty(); }
  const std::vector<std::string>& getModeNames() const override { return Empty(); }
  const antlr4::atn::ATN& getATN() const override {
    static const antlr4::atn::ATN kNoAtn;
    return kNoAtn;
  }

 private:
  // Moves to `to`, counting lines and columns as ANTLR does (only '\n' ends a line). The char
  // stream's own index is left alone: nothing reads it (tokens carry their positions and text).
  void Advance(size_t to) {
    for (; pos_ < to; ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 0;
      } else {
        ++column_;
      }
    }
  }

  static const std::vector<std::string>& Empty() {
    static const std::vector<std::string> kEmpty;
    return kEmpty;
  }

  const std::u32string& text_;
  size_t pos_;
  size_t line_;
  size_t column_;
};

}  // namespace

std::unique_ptr<antlr4::TokenSource> MakeLexer(antlr4::CharStream& input,
                                               const std::u32string& text, size_t start,
                                               size_t line, size_t column) {
  return std::make_unique<HandLexer>(input, text, start, line, column);
}

}  // namespace bgplan::frontend
