// CompareWithGeneratedLexer (lexer.h): kept apart from lexer.cc so that only programs that call
// it (tests, fuzzing) link the generated lexer.
#include <memory>
#include <string>

#include "compiler/frontend/lexer.h"

// antlr4-common.h #undefs EOF: include ANTLR after every standard header.
#include "BgPlanLexer.h"
#include "antlr4-runtime.h"

namespace bgplan::frontend {

namespace gen = bgplan::grammar::gen;

namespace {

// An ANTLR char stream over already decoded code points.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(const std::u32string& code_points) {
    _data = code_points;
    p = 0;
  }
};

}  // namespace

static std::string Describe(const antlr4::Token& t) {
  return "type " + std::to_string(t.getType()) + " channel " + std::to_string(t.getChannel()) +
         " [" + std::to_string(t.getStartIndex()) + "," + std::to_string(t.getStopIndex()) +
         "] at " + std::to_string(t.getLine()) + ":" + std::to_string(t.getCharPositionInLine());
}

std::string CompareWithGeneratedLexer(const std::u32string& text) {
  CodePointStream hand_input(text);
  CodePointStream generated_input(text);
  std::unique_ptr<antlr4::TokenSource> hand = MakeLexer(hand_input, text);
  gen::BgPlanLexer generated(&generated_input);
  generated.removeErrorListeners();
  // Every token is at least one code point long, plus EOF.
  for (size_t i = 0; i <= text.size() + 1; ++i) {
    std::unique_ptr<antlr4::Token> a = hand->nextToken();
    std::unique_ptr<antlr4::Token> b = generated.nextToken();
    std::string da = Describe(*a);
    std::string db = Describe(*b);
    if (da != db || a->getText() != b->getText()) {
      return "token " + std::to_string(i) + ": hand-written lexer " + da + ", generated lexer " +
             db;
    }
    if (a->getType() == antlr4::Token::EOF) {
      return "";
    }
  }
  return "no end of file";
}

}  // namespace bgplan::frontend
