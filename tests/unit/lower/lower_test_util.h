// Test helpers shared by the lower and passes unit tests: parse a .bgplan text named
// "input.bgplan" with the real frontend, lower it, and render diagnostics like the CLI does.
#pragma once

#include <memory>
#include <string>

#include "compiler/frontend/parse.h"
#include "compiler/lower/lower.h"
#include "support/diagnostic.h"
#include "support/source.h"
#include "plans/plan.h"

namespace bgplan::testing_util {

struct Lowered {
  std::unique_ptr<SourceFile> source;
  plans::Plan plan;
  DiagnosticEngine diags;
  // Every diagnostic so far, rendered with source lines and carets.
  std::string Rendered() const {
    DiagnosticPrinter printer;
    printer.AddSource(*source);
    return printer.RenderAll(diags.Sorted());
  }
};

// Parses and lowers `text`. A parse failure leaves an empty plan and the syntax diagnostics.
inline std::unique_ptr<Lowered> LowerText(std::string text, lower::LowerOptions options = {}) {
  auto out = std::make_unique<Lowered>();
  out->source = std::make_unique<SourceFile>("input.bgplan", std::move(text));
  std::unique_ptr<ast::File> file = frontend::ParseFile(*out->source, out->diags);
  if (file != nullptr) {
    out->plan = lower::LowerToPlan(*file, *out->source, options, out->diags);
  }
  return out;
}

}  // namespace bgplan::testing_util
