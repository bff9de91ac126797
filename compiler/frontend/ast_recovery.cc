#include "compiler/frontend/ast_recovery.h"

#include <string>
#include <vector>

// antlr4-common.h #undefs EOF: include ANTLR after every standard header.
#include "BgPlanParser.h"
#include "antlr4-runtime.h"
#include "compiler/frontend/ast_builder.h"

namespace bgplan::frontend {

namespace gen = bgplan::grammar::gen;
using Parser = gen::BgPlanParser;

// An example longer than this (in bytes) shows its values as "...".
constexpr size_t kMaxExampleLength = 60;

static std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

ItemGuess GuessItem(std::string_view word, bool block, bool in_sinks) {
  ItemGuess guess;
  const std::string folded = FoldAscii(word);
  std::span<const std::string_view> items =
      in_sinks ? std::span<const std::string_view>(kSinkItems)
      : block  ? std::span<const std::string_view>(kBlockItems)
               : std::span<const std::string_view>(kStatementItems);
  for (std::string_view item : items) {
    if (item == folded) {
      guess.item = item;  // `Schemas`: keywords are lower case.
      return guess;
    }
  }
  if (!block) {
    guess.setting = FindSettingSpec(folded);
    if (guess.setting != nullptr) {
      return guess;
    }
  }
  guess.item = ClosestWord(folded, items);
  if (block) {
    return guess;
  }
  const SettingSpec* setting = ClosestSettingSpec(folded);
  if (setting != nullptr && (guess.item.empty() || EditDistance(folded, setting->key) <
                                                       EditDistance(folded, guess.item))) {
    guess.item = "";
    guess.setting = setting;
  }
  return guess;
}

// The tokens of `tree` in order, error nodes left out.
static void CollectTokens(antlr4::tree::ParseTree& tree, std::vector<antlr4::Token*>& out) {
  if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(&tree)) {
    if (dynamic_cast<antlr4::tree::ErrorNode*>(&tree) == nullptr &&
        terminal->getSymbol() != nullptr &&
        terminal->getSymbol()->getType() != antlr4::Token::EOF) {
      out.push_back(terminal->getSymbol());
    }
    return;
  }
  for (antlr4::tree::ParseTree* child : tree.children) {
    if (child != nullptr) {
      CollectTokens(*child, out);
    }
  }
}

// `ctx` as one line of canonical text ("poll_interval 15s;"), its first word replaced by `key`; the
// values become "..." when that is too long or spans lines.
static std::string ExampleText(antlr4::ParserRuleContext& ctx, std::string_view key) {
  std::vector<antlr4::Token*> tokens;
  CollectTokens(ctx, tokens);
  std::string text(key);
  bool after_dot = false;
  for (size_t i = 1; i < tokens.size(); ++i) {
    size_t type = tokens[i]->getType();
    if (type != Parser::SEMI && type != Parser::COMMA && type != Parser::DOT && !after_dot) {
      text += ' ';
    }
    text += tokens[i]->getText();
    after_dot = type == Parser::DOT;
  }
  if (text.empty() || text.back() != ';') {
    text += ';';
  }
  if (text.size() > kMaxExampleLength || text.find('\n') != std::string::npos) {
    text = std::string(key) + " ...;";
  }
  return text;
}

// The message for the unknown item `ctx` whose first word is `word`.
static std::string UnknownItemMessage(antlr4::ParserRuleContext& ctx, const std::string& word,
                                      bool block, bool in_sinks) {
  ItemGuess guess = GuessItem(word, block, in_sinks);
  std::string where = in_sinks ? " in 'sinks' block" : "";
  if (!guess.item.empty()) {
    std::string message = "unknown item " + Quoted(word) + where + "; ";
    if (FoldAscii(word) == guess.item) {
      message += "keywords are lower case: ";
    }
    return message + "did you mean " + Quoted(guess.item) + "?";
  }
  if (guess.setting != nullptr) {
    std::string_view home = BlockOfKey(guess.setting->key);
    std::string head = home == "cluster" ? "cluster <name>" : std::string(home);
    std::string example = head + " { " + ExampleText(ctx, guess.setting->key) + " }";
    std::string article = home == "cluster" ? "a" : "the";
    if (FoldAscii(word) == guess.setting->key) {
      return Quoted(word) + " is a setting of " + article + " " + Quoted(home) +
             " block: " + example;
    }
    return "unknown item " + Quoted(word) + where + "; did you mean " + Quoted(guess.setting->key) +
           ", a setting of " + article + " " + Quoted(home) + " block? " + example;
  }
  if (in_sinks) {
    return "unknown item " + Quoted(word) + where + " (it holds 'schemas' and 'clusters')";
  }
  return "unknown item " + Quoted(word) +
         " (the items of a deployment are schemas, clusters, cluster, sinks, suffix, database, "
         "await, promote, cleanup and validate)";
}

namespace {

class UnknownItemReporter {
 public:
  UnknownItemReporter(antlr4::BufferedTokenStream& tokens, const std::string& display_name,
                      DiagnosticEngine& diags)
      : tokens_(tokens), display_name_(display_name), diags_(diags) {}

  void File(antlr4::ParserRuleContext& file) {
    for (antlr4::tree::ParseTree* child : file.children) {
      if (auto* deployment = dynamic_cast<Parser::DeploymentContext*>(child)) {
        Deployment(*deployment);
      }
    }
  }

  int found() const { return found_; }

 private:
  void Deployment(Parser::DeploymentContext& deployment) {
    for (antlr4::tree::ParseTree* child : deployment.children) {
      if (auto* unknown = dynamic_cast<Parser::UnknownItemContext*>(child)) {
        Report(*unknown, false, false);
      } else if (auto* unknown_block = dynamic_cast<Parser::UnknownBlockItemContext*>(child)) {
        Report(*unknown_block, true, false);
      } else if (auto* list = dynamic_cast<Parser::ClusterListItemContext*>(child)) {
        ++found_;
        antlr4::Token* word = list->getStart();
        if (word != nullptr && !diags_.saturated()) {
          diags_.Report(DiagKind::kUnknownItem, display_name_, TokenRange(*word),
                        "'cluster' sets one cluster's settings (cluster NAME { ... }); to list "
                        "clusters, did you mean 'clusters'?");
        }
      } else if (auto* sinks = dynamic_cast<Parser::SinksItemContext*>(child)) {
        for (antlr4::tree::ParseTree* sink_child : sinks->children) {
          if (auto* unknown_sink = dynamic_cast<Parser::UnknownSinkItemContext*>(sink_child)) {
            Report(*unknown_sink, false, true);
          }
        }
      }
    }
  }

  void Report(antlr4::ParserRuleContext& ctx, bool block, bool in_sinks) {
    antlr4::Token* word = ctx.getStart();
    if (word == nullptr || word->getType() != Parser::IDENT) {
      return;
    }
    ++found_;
    if (!StartsStatement(*word) || diags_.saturated()) {
      return;
    }
    diags_.Report(DiagKind::kUnknownItem, display_name_, TokenRange(*word),
                  UnknownItemMessage(ctx, word->getText(), block, in_sinks));
  }

  // True when `word` follows a ';', '{' or '}' (or nothing), as every item does. In a tree with
  // syntax errors, the parser may resume in the middle of a broken statement at an identifier
  // (`clusters a.b;` resumes at `b`): that is no item of the user's, and no error of its own.
  bool StartsStatement(const antlr4::Token& word) {
    for (size_t i = word.getTokenIndex(); i > 0; --i) {
      antlr4::Token* previous = tokens_.get(i - 1);
      if (previous->getChannel() != antlr4::Token::DEFAULT_CHANNEL) {
        continue;
      }
      size_t type = previous->getType();
      return type == Parser::SEMI || type == Parser::LBRACE || type == Parser::RBRACE;
    }
    return true;
  }

  antlr4::BufferedTokenStream& tokens_;
  const std::string& display_name_;
  DiagnosticEngine& diags_;
  int found_ = 0;
};

}  // namespace

int ReportUnknownItems(antlr4::ParserRuleContext& file, antlr4::BufferedTokenStream& tokens,
                       const std::string& display_name, DiagnosticEngine& diags) {
  UnknownItemReporter reporter(tokens, display_name, diags);
  reporter.File(file);
  return reporter.found();
}

}  // namespace bgplan::frontend
