// The compile driver: read a .bgplan file, parse, lower and run the pass pipeline. Every stage
// that can still tell what the file means runs, so one run reports every error of the file: only
// a file the parser cannot make sense of stops after parsing, and the pipeline stops by itself
// after its validation passes when anything was reported. Used by the CLI (check, compile,
// graph, fmt) and by the runtime (every live command starts from a compiled plan).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "support/diagnostic.h"
#include "support/source.h"
#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::driver {

struct CompileOptions {
  // --target: overrides the file's `target` line.
  std::optional<plans::Target> target;
  // --deployment: empty selects every deployment.
  std::vector<std::string> deployments;
  // Debugging: passes disabled by name; dump the IR after a pass ("all" for every pass).
  std::vector<std::string> disabled_passes;
  std::string dump_ir_after;
  // Stop after parsing (fmt needs only the AST).
  bool parse_only = false;
  // Stop after the static rules (check needs no phases): CompileOutput::plan has none.
  bool validate_only = false;
};

struct CompileOutput {
  // The source, kept alive for rendering diagnostics.
  std::unique_ptr<SourceFile> source;
  // The AST (null when parsing failed, or when the parser had to skip characters or unknown
  // items to go on: see frontend::ParseFile).
  std::unique_ptr<ast::File> ast;
  // The optimized plan (set unless parsing failed or parse_only).
  std::optional<plans::Plan> plan;
  // Sorted, de-duplicated diagnostics of every stage that ran.
  std::vector<Diagnostic> diagnostics;
  // Deployment names given in options.deployments that the file does not define.
  std::vector<std::string> unknown_deployments;
  // IR dumps requested by dump_ir_after.
  std::string ir_dump;
  // Not OK when a pass broke an IR invariant (a bug in bgplan: exit 70).
  Status internal_error;
  // True when there is no error diagnostic, no unknown deployment and no internal error.
  bool ok() const;
};

// Compiles `text` under the display name `display_name`.
CompileOutput CompileText(std::string display_name, std::string text, const CompileOptions& options);

// Reads `path` ("-" for standard input) and compiles it. A file that cannot be read is a Status
// (kIoError); everything wrong with its content is in CompileOutput::diagnostics.
Result<CompileOutput> CompileFile(const std::string& path, const CompileOptions& options);

// Renders `output`'s diagnostics as text (with source lines and carets).
std::string RenderDiagnostics(const CompileOutput& output);

// The names --disable-pass and --dump-ir-after accept: every pass, in pipeline order; and the
// optimization passes only (what a live command may disable: they change how a plan runs, not
// what it does).
std::vector<std::string> PassNames();
std::vector<std::string> OptimizationPassNames();

}  // namespace bgplan::driver
