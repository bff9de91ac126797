#include "compiler/driver/compile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "compiler/frontend/parse.h"
#include "support/file_util.h"
#include "compiler/lower/lower.h"
#include "compiler/passes/pipeline.h"

namespace bgplan::driver {

bool CompileOutput::ok() const {
  if (!unknown_deployments.empty() || !internal_error.ok()) {
    return false;
  }
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::kError) {
      return false;
    }
  }
  return true;
}

CompileOutput CompileText(std::string display_name, std::string text,
                          const CompileOptions& options) {
  CompileOutput out;
  out.source = std::make_unique<SourceFile>(std::move(display_name), std::move(text));
  DiagnosticEngine diags;
  // Errors of the frontend do not stop here when the parser could still tell what the file means
  // (a malformed value, a stray character, a misspelt item): the rest of the file is lowered and
  // checked too, so that one run reports every error of the file. Only a faithful AST is kept in
  // the output (fmt prints it); the recovered one is used for checking alone.
  std::unique_ptr<ast::File> recovered;
  out.ast = frontend::ParseFile(*out.source, diags, &recovered);
  const ast::File* file = out.ast != nullptr ? out.ast.get() : recovered.get();
  if (file == nullptr || options.parse_only) {
    out.diagnostics = diags.Sorted();
    return out;
  }
  lower::LowerOptions lower_options;
  lower_options.target_override = options.target;
  plans::Plan plan = lower::LowerToPlan(*file, *out.source, lower_options, diags);
  out.unknown_deployments = passes::UnknownDeployments(plan, options.deployments);
  // The pipeline runs even after lowering errors: lowering leaves a consistent plan so that every
  // validation pass still reports its rules (all errors of a file in one run); the pipeline stops
  // by itself after validation when any error was reported.
  passes::PipelineOptions pipeline;
  pipeline.deployments = options.deployments;
  pipeline.disabled_passes = options.disabled_passes;
  pipeline.dump_ir_after = options.dump_ir_after;
  pipeline.dump_out = &out.ir_dump;
  pipeline.internal_error = &out.internal_error;
  pipeline.stop_after_validation = options.validate_only;
  if (passes::RunPipeline(plan, pipeline, diags) && out.unknown_deployments.empty()) {
    out.plan = std::move(plan);
  }
  out.diagnostics = diags.Sorted();
  return out;
}

Result<CompileOutput> CompileFile(const std::string& path, const CompileOptions& options) {
  std::string text;
  if (std::string error = ReadFileBounded(path, kMaxSourceBytes, &text); !error.empty()) {
    return Status::IoError(error);
  }
  return CompileText(path == "-" ? "<stdin>" : path, std::move(text), options);
}

std::string RenderDiagnostics(const CompileOutput& output) {
  DiagnosticPrinter printer;
  if (output.source != nullptr) {
    printer.AddSource(*output.source);
  }
  return printer.RenderAll(output.diagnostics);
}

std::vector<std::string> PassNames() { return passes::PassNames(); }

std::vector<std::string> OptimizationPassNames() { return passes::OptimizationPassNames(); }

}  // namespace bgplan::driver
