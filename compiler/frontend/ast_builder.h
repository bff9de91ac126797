// Frontend-internal: the typed builder from the ANTLR parse tree to ast::File (Kuzu style: one
// function per rule context, no visitor, no antlrcpp::Any), and token positions.
// Only forward-declares ANTLR types; the definitions live in ast_builder.cc.
#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "support/source.h"

namespace antlr4 {
class BufferedTokenStream;
class ParserRuleContext;
class Token;
}  // namespace antlr4

namespace bgplan::frontend {

// Position of the first code point of `token` (1-based line and code-point column).
SourceLocation TokenBegin(const antlr4::Token& token);
// Position just after the last code point of `token` (follows line breaks inside the token).
SourceRange TokenRange(const antlr4::Token& token);

// Builds the AST of a parse that had no syntax errors. `file` must be the tree returned by
// gen::BgPlanParser::file() (checked); `tokens` is the token stream it was parsed from (comments
// are read from its hidden channel). Reports nothing: values it cannot represent are marked
// (duration_ms == -1, integer == -1) and ParseFile reports malformed tokens. Unknown items
// (ast_recovery.h) become the item they misspell when their shape fits, else are left out;
// `lossy`, when given, says whether one left out may have listed schemas or clusters (then the
// AST is not good enough to check the rest of the file against). Broken tree invariants abort
// (BGPLAN_CHECK).
std::unique_ptr<ast::File> BuildAst(antlr4::ParserRuleContext& file,
                                    antlr4::BufferedTokenStream& tokens, bool* lossy = nullptr);

}  // namespace bgplan::frontend
