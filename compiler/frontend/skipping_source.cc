#include "compiler/frontend/skipping_source.h"

#include <cstdio>
#include <string>
#include <utility>

#include "compiler/frontend/ast_builder.h"
#include "compiler/frontend/lexer.h"
#include "support/check.h"

// After every other header: antlr4-common.h #undefs EOF.
#include "BgPlanParser.h"

namespace bgplan::frontend {

using Parser = bgplan::grammar::gen::BgPlanParser;

// Longest token text quoted in a message.
constexpr int kMaxQuotedCodePoints = 32;

std::string ShortenForMessage(const std::string& text) {
  std::string out;
  int code_points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n' || byte == '\r') {
      return out + "...";
    }
    if ((byte & 0xC0) != 0x80) {
      if (code_points == kMaxQuotedCodePoints) {
        return out + "...";
      }
      ++code_points;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string DescribeChar(const std::string& utf8) {
  char32_t cp = 0;
  if (!utf8.empty()) {
    auto b0 = static_cast<unsigned char>(utf8[0]);
    int extra = b0 < 0x80 ? 0 : b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3;
    cp = extra == 0 ? b0 : (b0 & (0x3F >> extra));
    for (int k = 1; k <= extra && static_cast<size_t>(k) < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[static_cast<size_t>(k)]) & 0x3F);
    }
  }
  bool invisible = cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
                   (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
                   cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
  if (invisible) {
    char buffer[16];
    std::snprintf(buffer, sizeof(buffer), "U+%04X", static_cast<unsigned>(cp));
    return buffer;
  }
  return "'" + utf8 + "'";
}

// A character that starts no token and is shown as itself (not as U+XXXX).
static bool IsVisibleErrorChar(const antlr4::Token& token) {
  return token.getType() == Parser::ERROR_CHAR && DescribeChar(token.getText()).front() == '\'';
}

SkippingTokenSource::SkippingTokenSource(antlr4::CharStream& input, const std::u32string& text,
                                         const SourceFile& source, DiagnosticEngine& diags)
    : input_(input), text_(text), source_(source), diags_(diags), lexer_(MakeLexer(input, text)) {}

antlr4::Token& SkippingTokenSource::Pull() {
  pending_.push_back(lexer_->nextToken());
  return *pending_.back();
}

std::unique_ptr<antlr4::Token> SkippingTokenSource::nextToken() {
  while (ready_ == 0) {
    antlr4::Token& front = pending_.empty() ? Pull() : *pending_.front();
    if (front.getType() == Parser::ERROR_CHAR &&
        front.getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      SkipRun();
    } else {
      ready_ = 1;
    }
  }
  std::unique_ptr<antlr4::Token> token = std::move(pending_.front());
  pending_.pop_front();
  --ready_;
  const size_t index = emitted_++;
  if (resume_pending_ && token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
    resume_.insert(index);
    resume_pending_ = false;
  }
  return token;
}

void SkippingTokenSource::SkipRun() {
  // The run is pending_[0, end).
  size_t end = 1;
  std::string run = pending_.front()->getText();
  if (IsVisibleErrorChar(*pending_.front())) {
    while (true) {
      antlr4::Token& next = end < pending_.size() ? *pending_[end] : Pull();
      if (!IsVisibleErrorChar(next) ||
          next.getStartIndex() != pending_[end - 1]->getStopIndex() + 1) {
        break;
      }
      run += next.getText();
      ++end;
    }
  }
  SourceRange range{TokenBegin(*pending_.front()), TokenRange(*pending_[end - 1]).end};
  std::string message = end == 1 ? "unexpected character " + DescribeChar(run)
                                 : "unexpected characters '" + ShortenForMessage(run) + "'";
  if (run == "--" || run == "//") {
    message += "; comments start with '#'";
    const size_t line = pending_.front()->getLine();
    while (true) {
      antlr4::Token& next = end < pending_.size() ? *pending_[end] : Pull();
      if (next.getType() == antlr4::Token::EOF || next.getLine() != line) {
        break;
      }
      if (TokenRange(next).end.line > static_cast<int>(line)) {
        // A token that runs past the comment's line (a quote in it): lex again from the next
        // line. It crossed a line end, so there is one after its start.
        const size_t newline = text_.find(U'\n', next.getStartIndex());
        BGPLAN_CHECK(newline != std::u32string::npos);
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(end), pending_.end());
        retired_.push_back(std::move(lexer_));
        lexer_ = MakeLexer(input_, text_, newline + 1, line + 1, 0);
        break;
      }
      ++end;
    }
  }
  if (!diags_.saturated()) {
    diags_.Report(DiagKind::kSyntaxError, source_.display_name(), range, std::move(message));
  }
  for (size_t k = 0; k < end; ++k) {
    skipped_.insert(emitted_ + k);
    if (pending_[k]->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      dynamic_cast<antlr4::WritableToken&>(*pending_[k]).setChannel(kSkippedChannel);
    }
  }
  ready_ = end;
  resume_pending_ = true;
  ++runs_;
}

}  // namespace bgplan::frontend
