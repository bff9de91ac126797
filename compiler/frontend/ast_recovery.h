// Frontend-internal: what a misspelt or misplaced item most likely means. The grammar parses an
// identifier where an item belongs (`schema marts;`, `sink { ... }`, `poll_interval 15s;`) as an
// unknown item (rules UnknownItem, UnknownBlockItem, UnknownSinkItem), so that it is one
// unknown-item diagnostic at the word, saying which item or block it belongs to, instead of a
// syntax error and a cascade at the closing brace. ReportUnknownItems reports them, from any parse
// tree (one with syntax errors too); the AST builder then recovers what it can (GuessItem) so that
// the rest of the file is still lowered and checked.
#pragma once

#include <string>
#include <string_view>

#include "compiler/frontend/vocabulary.h"
#include "support/diagnostic.h"

namespace antlr4 {
class BufferedTokenStream;
class ParserRuleContext;
}  // namespace antlr4

namespace bgplan::frontend {

// What an unknown item is taken for.
struct ItemGuess {
  // The item it most likely misspells ("schemas", "sinks"; within `sinks { }`, "schemas" or
  // "clusters"), or "".
  std::string_view item;
  // Else the setting it is, or misspells: it belongs in that setting's block. Null when neither.
  const SettingSpec* setting = nullptr;
};

// What the unknown item `word` (as written) most likely is. `block`: it has a `{ }` body;
// `in_sinks`: it is inside `sinks { }`.
ItemGuess GuessItem(std::string_view word, bool block, bool in_sinks);

// Reports unknown-item for every unknown item in `file` (the tree gen::BgPlanParser::file()
// returned, with or without syntax errors, from `tokens`). Returns how many there are (once the
// engine is saturated, they are counted but no longer reported). One where the parser resumed
// after a syntax error in the middle of a statement is counted but not reported: it is no item
// of the user's, and the tree has a syntax error anyway.
int ReportUnknownItems(antlr4::ParserRuleContext& file, antlr4::BufferedTokenStream& tokens,
                       const std::string& display_name, DiagnosticEngine& diags);

}  // namespace bgplan::frontend
