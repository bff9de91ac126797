// bgplan: blue/green deployments of database schemas and clusters, compiled from .bgplan files.
// Parses the command line (CLI11), runs one command, and maps its outcome to the exit codes of
// cli.md: 0 ok, 1 input errors, 3 live precondition, ..., 64 usage, 70 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/generate.h"
#include "cli/import_dbt.h"
#include "cli/markdown.h"
#include "cli/offline_commands.h"
#include "cli/output.h"
#include "support/exit_codes.h"
#include "support/terminal_text.h"
#include "cli/live_commands.h"

#ifndef BGPLAN_VERSION
#define BGPLAN_VERSION "0.0.0"
#endif

namespace bgplan::cli {

// CLI11's formatter, plus a "Global options" group in every command's help: the options defined
// on the top-level app (--format, -q, -v, --no-color) are accepted after any command name
// (fallthrough), so a command's --help must list them too.
class GlobalOptionsFormatter : public CLI::Formatter {
 public:
  std::string make_footer(const CLI::App* app) const override {
    const CLI::App* root = app;
    while (root->get_parent() != nullptr) root = root->get_parent();
    if (root == app) return CLI::Formatter::make_footer(app);
    std::vector<const CLI::Option*> globals;
    for (const CLI::Option* option : root->get_options()) {
      if (option == root->get_help_ptr() || option == root->get_help_all_ptr() ||
          option->get_name() == "--version") {
        continue;
      }
      globals.push_back(option);
    }
    return make_group("Global options (also accepted after the command name)", false, globals) + "\n" +
           CLI::Formatter::make_footer(app);
  }
};

static int Run(int argc, char** argv) {
  CLI::App app(
      "bgplan: safe, reviewable blue/green deployments for Materialize and PostgreSQL.\n"
      "A .bgplan file names the production schemas and clusters to deploy blue/green; bgplan\n"
      "checks it, compiles it to SQL for review, and runs it: init, await, promote, rollback,\n"
      "cleanup.",
      "bgplan");
  app.formatter(std::make_shared<GlobalOptionsFormatter>());  // before any subcommand is added
  app.set_version_flag("--version", std::string("bgplan ") + BGPLAN_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  bgplan check deploy.bgplan                      # static checks, no database\n"
      "  bgplan compile deploy.bgplan --phase promote    # the SQL a phase will run\n"
      "  bgplan plan deploy.bgplan --url postgresql://me@db/prod\n"
      "  bgplan apply deploy.bgplan --deploy-cmd \\\n"
      "      'dbt run --vars \"{deploy: true}\" --exclude config.materialized:sink'\n"
      "  bgplan demo                                     # a full cycle on a throwaway PostgreSQL\n"
      "Run 'bgplan COMMAND --help' for a command's options.\n"
      "Exit status: 0 ok, 1 input errors, 2 changes (plan --detailed-exitcode), 3 precondition\n"
      "failed, 4 await timed out, 5 cluster failing, 6 locked, 7 database error, 8 interrupted,\n"
      "9 deploy command failed, 64 usage error, 70 internal error.");

  std::string format = "text";
  bool quiet = false;
  int verbose = 0;
  bool no_color = false;
  app.add_option("--format", format,
                 "text (for people), json (one object per line) or markdown (a report for a pull "
                 "request or $GITHUB_STEP_SUMMARY: compile, plan, validate and status only)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  app.add_flag("-q,--quiet", quiet, "Print less: errors only");
  app.add_flag("-v,--verbose", verbose, "Print more (repeatable; -v shows each statement)");
  app.add_flag("--no-color", no_color, "No colour (also off with NO_COLOR or when not a terminal)");

  OutputOptions output;
  runtime::GlobalOptions global;
  int exit_code = kExitOk;
  // Options are parsed before any command callback runs; copy them into the shared structs then.
  app.parse_complete_callback([&] {
    if (format == "markdown") {
      // Only the reports have a Markdown form (cli/markdown.h, runtime/execute/markdown_report.h).
      for (const CLI::App* command : app.get_subcommands()) {
        if (!IsMarkdownCommand(command->get_name())) {
          throw CLI::ValidationError("--format markdown",
                                     "not supported by '" + command->get_name() + "'; only " +
                                         kMarkdownCommands + " have a Markdown report");
        }
      }
    }
    output.format = format == "json"       ? Format::kJson
                    : format == "markdown" ? Format::kMarkdown
                                           : Format::kText;
    output.quiet = quiet;
    output.verbose = verbose;
    output.color = output.format == Format::kText && UseColor(no_color);
    global.format = format;
    global.quiet = quiet;
    global.verbose = verbose;
    global.no_color = !output.color;
  });

  RegisterOfflineCommands(app, output, &exit_code);
  RegisterImportCommands(app, output, &exit_code);  // import dbt
  runtime::RegisterLiveCommands(app, global, &exit_code);
  RegisterGenerateCommand(app, BGPLAN_VERSION, &exit_code);  // hidden: man page, completions

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "bgplan: error: " << EscapeControls(e.what()) << "\n"
              << "Run 'bgplan --help' for usage.\n";
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace bgplan::cli

int main(int argc, char** argv) {
  try {
    return bgplan::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bgplan: internal error: %s\n", bgplan::EscapeControls(e.what()).c_str());
    return bgplan::kExitInternal;
  } catch (...) {
    std::fprintf(stderr, "bgplan: internal error: unknown exception\n");
    return bgplan::kExitInternal;
  }
}
