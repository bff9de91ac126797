#include "cli/offline_commands.h"

#include <CLI/CLI.hpp>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast_printer.h"
#include "compiler/driver/compile.h"
#include "compiler/emit/graph.h"
#include "cli/markdown.h"
#include "support/terminal_text.h"
#include "resolve/render.h"
#include "support/exit_codes.h"
#include "plans/plan_dump.h"
#include "plans/plan_json.h"

namespace bgplan::cli {

namespace {

// Options shared by the commands that compile a plan.
struct PlanSelection {
  std::string target;
  std::vector<std::string> deployments;
  std::vector<std::string> disabled_passes;
  std::string dump_ir_after;
};

void AddSelectionOptions(CLI::App* command, PlanSelection& selection) {
  command->add_option("--target", selection.target, "Override the file's target")
      ->check(CLI::IsMember({"materialize", "postgres"}));
  command->add_option("--deployment", selection.deployments,
                      "Deployment to use (repeatable; default: every deployment in the file)");
  command->add_option("--disable-pass", selection.disabled_passes,
                      "Debugging: disable a pass by name (repeatable)")
      ->check(CLI::IsMember(driver::PassNames()))
      ->group("Debugging");
  std::vector<std::string> dumpable = driver::PassNames();
  dumpable.push_back("all");
  command->add_option("--dump-ir-after", selection.dump_ir_after,
                      "Debugging: print the plan after the named pass ('all' for every pass)")
      ->check(CLI::IsMember(dumpable))
      ->group("Debugging");
}

driver::CompileOptions ToCompileOptions(const PlanSelection& selection) {
  driver::CompileOptions options;
  if (selection.target == "materialize") {
    options.target = plans::Target::kMaterialize;
  } else if (selection.target == "postgres") {
    options.target = plans::Target::kPostgres;
  }
  options.deployments = selection.deployments;
  options.disabled_passes = selection.disabled_passes;
  options.dump_ir_after = selection.dump_ir_after;
  return options;
}

// Input size from which the heap is prepared for a large compile (PrepareHeapForLargeInput).
constexpr off_t kLargeInputBytes = 128 << 10;

// For a large input (a plan of thousands of schemas), backs the heap with transparent huge pages
// (THP in "madvise" mode, as the glibc.malloc.hugetlb=1 tunable does): compiling allocates about
// 300 bytes of plan per input byte, and with 4 KB pages a quarter of `bgplan check` on a
// 10,000-schema plan went to page faults and TLB misses (check: 127 -> 105 ms wall with huge
// pages, hyperfine). The heap is reserved in one step (address space only) and advised once;
// small inputs are left alone, as a huge page fault costs more than such a run allocates.
// Changes no output; does nothing where THP is unavailable.
void PrepareHeapForLargeInput(const std::string& path) {
  struct stat info;
  if (path == "-" || ::stat(path.c_str(), &info) != 0 || info.st_size < kLargeInputBytes) {
    return;
  }
  constexpr size_t kHugePage = 2 << 20;
  // Generous: untouched reserved pages cost nothing.
  const size_t reserve = static_cast<size_t>(info.st_size) * 512;
  if (mallopt(M_TOP_PAD, static_cast<int>(std::min<size_t>(reserve, 512u << 20))) == 0 ||
      mallopt(M_TRIM_THRESHOLD, 1 << 30) == 0 || mallopt(M_MMAP_THRESHOLD, 1 << 30) == 0) {
    return;
  }
  // Grows the heap now (by the pad), then advises everything from here to the new break.
  void* probe = std::malloc(kHugePage);
  if (probe == nullptr) {
    return;
  }
  auto begin = reinterpret_cast<uintptr_t>(probe);
  auto end = reinterpret_cast<uintptr_t>(::sbrk(0));
  std::free(probe);
  begin = (begin + kHugePage - 1) & ~(kHugePage - 1);
  if (end > begin) {
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
}

// Compiles `path` and prints its diagnostics. Returns the output, or nullopt with *exit_code set
// when the file could not be compiled.
std::optional<driver::CompileOutput> CompileAndReport(const std::string& path,
                                                      const driver::CompileOptions& options,
                                                      const OutputOptions& output,
                                                      int* exit_code) {
  PrepareHeapForLargeInput(path);
  auto result = driver::CompileFile(path, options);
  if (!result.ok()) {
    PrintError(output, result.status().message());
    *exit_code = kExitInputErrors;
    return std::nullopt;
  }
  driver::CompileOutput compiled = std::move(result).value();
  PrintDiagnostics(compiled, output);
  if (!compiled.ir_dump.empty()) {
    std::cerr << compiled.ir_dump;
  }
  if (!compiled.internal_error.ok()) {
    PrintError(output, "internal error: " + compiled.internal_error.message());
    *exit_code = kExitInternal;
    return std::nullopt;
  }
  if (!compiled.unknown_deployments.empty()) {
    std::string known;
    if (compiled.ast != nullptr) {
      for (const auto& d : compiled.ast->deployments) {
        known += known.empty() ? "" : ", ";
        known += d.name.text;
      }
    }
    for (const auto& name : compiled.unknown_deployments) {
      PrintError(output, "no deployment '" + name + "' in " + path +
                             (known.empty() ? "" : " (it defines: " + known + ")"));
    }
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (!compiled.ok() || !compiled.plan.has_value()) {
    *exit_code = kExitInputErrors;
    return std::nullopt;
  }
  return compiled;
}

// Where KeepUntilExit puts a compiled output. Reachable until exit, so leak checkers do not
// count it as a leak.
driver::CompileOutput* kept_until_exit = nullptr;

// Keeps `compiled` alive until the process exits instead of freeing it, as clang does by default
// (-disable-free): the command ends right after, the OS takes the memory back at once, and freeing
// a large plan and AST object by object was 11% of `bgplan check` on a 10,000-schema plan
// (callgrind). Keeps at most one output per process (the first; later ones are freed as usual).
void KeepUntilExit(std::optional<driver::CompileOutput>& compiled) {
  if (compiled.has_value() && kept_until_exit == nullptr) {
    kept_until_exit = std::make_unique<driver::CompileOutput>(std::move(*compiled)).release();
  }
}

void RegisterCheck(CLI::App& app, const OutputOptions& output, int* exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto selection = std::make_shared<PlanSelection>();
  CLI::App* check = app.add_subcommand(
      "check", "Parse FILE... and apply the static rules; print every diagnostic");
  check->fallthrough();
  check->add_option("FILE", *files, ".bgplan files ('-' for standard input)")->required();
  AddSelectionOptions(check, *selection);
  check->footer(
      "Examples:\n"
      "  bgplan check examples/analytics/analytics.bgplan\n"
      "  bgplan check --format json plans/*.bgplan     # one JSON object per diagnostic\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors, 64 usage error.");
  check->callback([files, selection, &output, exit_code] {
    int worst = kExitOk;
    int errors = 0;
    int warnings = 0;
    for (size_t i = 0; i < files->size(); ++i) {
      int code = kExitOk;
      driver::CompileOptions options = ToCompileOptions(*selection);
      // The static rules are all check reports; phases are built only to debug the passes.
      options.validate_only = selection->dump_ir_after.empty();
      auto compiled = CompileAndReport((*files)[i], options, output, &code);
      if (compiled.has_value()) {
        for (const auto& d : compiled->diagnostics) {
          warnings += d.severity == Severity::kWarning ? 1 : 0;
        }
      } else {
        ++errors;
      }
      worst = std::max(worst, code);
      if (i + 1 == files->size()) {
        KeepUntilExit(compiled);
      }
    }
    if (output.verbose > 0 && output.format == Format::kText) {
      std::cerr << "bgplan: checked " << files->size() << " file(s): " << errors
                << " with errors, " << warnings << " warning(s)\n";
    }
    *exit_code = worst;
    PrintResult(output, "check", worst);
  });
}

void RegisterFmt(CLI::App& app, const OutputOptions& output, int* exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto check_only = std::make_shared<bool>(false);
  auto write = std::make_shared<bool>(false);
  CLI::App* fmt = app.add_subcommand("fmt", "Print the canonical form of FILE...");
  fmt->fallthrough();
  fmt->add_option("FILE", *files, ".bgplan files ('-' for standard input)")->required();
  auto* check_flag =
      fmt->add_flag("--check", *check_only, "Change nothing; exit 1 if a file is not formatted");
  fmt->add_flag("--write", *write, "Rewrite the files in place")->excludes(check_flag);
  fmt->footer(
      "Examples:\n"
      "  bgplan fmt deploy.bgplan            # print the formatted file\n"
      "  bgplan fmt --check *.bgplan         # CI: fail when a file is not formatted\n"
      "  bgplan fmt --write deploy.bgplan    # rewrite in place");
  fmt->callback([files, check_only, write, &output, exit_code] {
    int code = kExitOk;
    for (const auto& path : *files) {
      driver::CompileOptions options;
      options.parse_only = true;
      auto result = driver::CompileFile(path, options);
      if (!result.ok()) {
        PrintError(output, result.status().message());
        code = kExitInputErrors;
        continue;
      }
      const driver::CompileOutput& parsed = result.value();
      PrintDiagnostics(parsed, output);
      if (!parsed.ok() || parsed.ast == nullptr) {
        code = kExitInputErrors;
        continue;
      }
      std::string formatted = ast::FormatFile(*parsed.ast);
      bool changed = formatted != parsed.source->text();
      if (*check_only) {
        if (changed) {
          std::cerr << EscapeControls(path) << ": not formatted (run: bgplan fmt --write "
                    << EscapeControls(path) << ")\n";
          code = kExitInputErrors;
        }
      } else if (*write) {
        if (changed && path != "-") {
          if (std::string err = WriteFileAtomically(path, formatted); !err.empty()) {
            PrintError(output, err);
            code = kExitInputErrors;
          } else if (!output.quiet) {
            std::cerr << "bgplan: formatted " << EscapeControls(path) << '\n';
          }
        } else if (path == "-") {
          std::cout << formatted;
        }
      } else {
        std::cout << formatted;
      }
    }
    *exit_code = code;
    PrintResult(output, "fmt", code);
  });
}

void RegisterCompile(CLI::App& app, const OutputOptions& output, int* exit_code) {
  struct Options {
    std::string file;
    std::string phase = "all";
    std::string out = "-";
    std::string emit = "sql";
    PlanSelection selection;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* compile = app.add_subcommand(
      "compile", "Emit the SQL of a phase for review (no database needed)");
  compile->fallthrough();
  compile->add_option("FILE", opts->file, ".bgplan file ('-' for standard input)")->required();
  compile->add_option("--phase", opts->phase, "init, await, promote, rollback, cleanup or all")
      ->check(CLI::IsMember({"init", "await", "promote", "rollback", "cleanup", "all"}));
  compile->add_option("-o,--output", opts->out, "Write to this file instead of standard output");
  compile->add_option("--emit", opts->emit, "sql (default), ir (the plan as text) or json")
      ->check(CLI::IsMember({"sql", "ir", "json"}));
  AddSelectionOptions(compile, opts->selection);
  compile->footer(
      "Statements that depend on the live catalog (copied grants, blue's cluster size, sinks to\n"
      "re-point) appear as '-- resolved at apply time: ...' comments; `bgplan plan` resolves them.\n"
      "Examples:\n"
      "  bgplan compile examples/analytics/analytics.bgplan\n"
      "  bgplan compile deploy.bgplan --phase promote --deployment analytics -o promote.sql\n"
      "  bgplan compile deploy.bgplan --target postgres --emit json");
  compile->callback([opts, &output, exit_code] {
    auto compiled =
        CompileAndReport(opts->file, ToCompileOptions(opts->selection), output, exit_code);
    if (!compiled.has_value()) {
      PrintResult(output, "compile", *exit_code);
      return;
    }
    std::string err;
    if (output.format == Format::kMarkdown) {
      // --format markdown (cli/markdown.h): the review as a report; --emit sql only.
      if (opts->emit != "sql") {
        PrintError(output, "--format markdown shows the SQL; it does not combine with --emit " +
                               opts->emit);
        *exit_code = kExitUsage;
        return;
      }
      std::optional<plans::PhaseKind> only;
      if (plans::PhaseKind phase;
          opts->phase != "all" && plans::ParsePhaseName(opts->phase, &phase)) {
        only = phase;
      }
      err = WriteFileAtomically(opts->out, CompileMarkdown(*compiled, opts->file, only));
    } else if (opts->emit == "ir" || opts->emit == "json") {
      std::string text;
      if (opts->emit == "ir") {
        text = plans::DumpPlan(*compiled->plan);
      } else {
        text = plans::PlanToJson(*compiled->plan);
        if (text.empty() || text.back() != '\n') {
          text += '\n';
        }
      }
      err = WriteFileAtomically(opts->out, text);
    } else {
      std::optional<plans::PhaseKind> only;
      if (opts->phase != "all") {
        plans::PhaseKind phase;
        plans::ParsePhaseName(opts->phase, &phase);
        only = phase;
      }
      // Streamed: the SQL of a large plan (23 MB for 10,000 schemas) is never held whole.
      err = StreamFileAtomically(opts->out, [&](const WriteChunk& write) {
        resolve::RenderCompile(*compiled->plan, only, write);
      });
    }
    KeepUntilExit(compiled);
    if (!err.empty()) {
      PrintError(output, err);
      *exit_code = kExitInputErrors;
    } else {
      *exit_code = kExitOk;
    }
    PrintResult(output, "compile", *exit_code);
  });
}

void RegisterGraph(CLI::App& app, const OutputOptions& output, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>("-");
  auto selection = std::make_shared<PlanSelection>();
  CLI::App* graph =
      app.add_subcommand("graph", "Print the plan's phases, steps and objects as Graphviz DOT");
  graph->fallthrough();
  graph->add_option("FILE", *file, ".bgplan file")->required();
  graph->add_option("-o,--output", *out, "Write to this file instead of standard output");
  AddSelectionOptions(graph, *selection);
  graph->footer(
      "Example:\n"
      "  bgplan graph examples/analytics/analytics.bgplan | dot -Tsvg > plan.svg");
  graph->callback([file, out, selection, &output, exit_code] {
    auto compiled = CompileAndReport(*file, ToCompileOptions(*selection), output, exit_code);
    if (!compiled.has_value()) {
      PrintResult(output, "graph", *exit_code);
      return;
    }
    if (std::string err = WriteFileAtomically(*out, emit::EmitGraph(*compiled->plan));
        !err.empty()) {
      PrintError(output, err);
      *exit_code = kExitInputErrors;
    } else {
      *exit_code = kExitOk;
    }
    PrintResult(output, "graph", *exit_code);
  });
}

}  // namespace

void RegisterOfflineCommands(CLI::App& app, const OutputOptions& output, int* exit_code) {
  RegisterCheck(app, output, exit_code);
  RegisterFmt(app, output, exit_code);
  RegisterCompile(app, output, exit_code);
  RegisterGraph(app, output, exit_code);
}

}  // namespace bgplan::cli
