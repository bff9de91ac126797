// Test helpers for the frontend (ninja's ParseTest idea): parse a string named `input.bgplan`
// and render what was reported exactly as `bgplan check` would. Test-only; header-only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/frontend/parse.h"
#include "compiler/support/diagnostic.h"
#include "compiler/support/source.h"

namespace bgplan::testing {

// The outcome of parsing one string. Holds the SourceFile so diagnostics render with carets.
struct ParsedString {
  SourceFile source;
  DiagnosticEngine diags;
  std::unique_ptr<ast::File> file;

  // Every diagnostic, sorted, rendered with source lines and carets.
  std::string Rendered() const {
    DiagnosticPrinter printer;
    printer.AddSource(source);
    return printer.RenderAll(diags.Sorted());
  }
};

// Parses `text` as a file named `name` with a fresh engine.
inline std::unique_ptr<ParsedString> ParseString(std::string_view text,
                                                 std::string_view name = "input.bgplan") {
  auto result = std::unique_ptr<ParsedString>(
      new ParsedString{SourceFile(std::string(name), std::string(text)), DiagnosticEngine(), {}});
  result->file = frontend::ParseFile(result->source, result->diags);
  return result;
}

}  // namespace bgplan::testing
