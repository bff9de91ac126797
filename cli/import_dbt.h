// `bgplan import dbt`: writes a .bgplan from the `deployment` var of a dbt project's
// dbt_project.yml (`vars: deployment: <target>: {schemas: [...], clusters: [...]}`, what the
// dbt-materialize deploy_* macros read), one deployment per dbt target.
#pragma once

#include <string>
#include <vector>

#include "cli/output.h"
#include "support/diagnostic.h"
#include "support/source.h"

namespace CLI {
class App;
}

namespace bgplan::cli {

struct DbtImport {
  // The .bgplan text, formatted as `bgplan fmt` prints it ("" when there are errors).
  std::string text;
  // Located in the YAML file, sorted; errors mean `text` is empty.
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return !text.empty(); }
};

// Converts the text of a dbt_project.yml. `only_target` selects one dbt target ("" for every
// target under vars.deployment). Every problem, including a static rule of `bgplan check` the
// generated file would break, is a diagnostic located in `yaml`.
DbtImport ImportDbtProject(const SourceFile& yaml, const std::string& only_target);

// Adds `import` and its subcommand `dbt` to `app`; stores the command's exit code in *exit_code.
void RegisterImportCommands(CLI::App& app, const OutputOptions& output, int* exit_code);

}  // namespace bgplan::cli
