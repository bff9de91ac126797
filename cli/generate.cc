// The command table read from CLI11 (ReadCommandTable) and the hidden `__generate` command.
#include "cli/generate.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <memory>
#include <string_view>

#include "support/exit_codes.h"
#include "support/file_util.h"

namespace bgplan::cli {

namespace {

// What each exit code of support/exit_codes.h means, as the man page and docs/cli.md say it. A
// switch without a default: a code added there and not here is a -Wswitch warning (an error
// with BGPLAN_WERROR), so the reference cannot miss one.
std::string_view ExitMeaning(ExitCode code) {
  switch (code) {
    case kExitOk:
      return "success (`plan --detailed-exitcode`: nothing to change)";
    case kExitInputErrors:
      return "the input has errors (diagnostics printed), or a plan file does not match its "
             "source or phase";
    case kExitChanges:
      return "`plan --detailed-exitcode` only: there are changes to apply";
    case kExitPrecondition:
      return "a live precondition failed: a live rule (named in the message, e.g. `not-owner`, "
             "`stale-plan`, `missing-in-green`), a failed validation check or `--validate-cmd`; "
             "nothing was changed by the phase that refused";
    case kExitAwaitTimeout:
      return "await timed out";
    case kExitClusterFailing:
      return "a green cluster is failing (Materialize)";
    case kExitLocked:
      return "the deployment is locked by another run (the holder is printed)";
    case kExitDatabase:
      return "database or connection error (the SQLSTATE is printed)";
    case kExitInterrupted:
      return "interrupted by SIGINT or SIGTERM; the state is consistent, re-run the phase";
    case kExitDeployCommand:
      return "`apply`: the deploy command (`--deploy-cmd`) failed; stopped before await, "
             "nothing was promoted";
    case kExitUsage:
      return "command-line usage error";
    case kExitInternal:
      return "internal error (a bug; please report it)";
  }
  return "";
}

std::vector<ExitCodeDoc> ExitCodes() {
  std::vector<ExitCodeDoc> out;
  for (int code = 0; code < 256; ++code) {
    std::string_view meaning = ExitMeaning(static_cast<ExitCode>(code));
    if (!meaning.empty()) {
      out.push_back({code, std::string(meaning)});
    }
  }
  return out;
}

// "{init,await}" at the end of a CLI11 type name such as "TEXT:{init,await}": the values an
// IsMember check accepts.
std::vector<std::string> ChoicesOf(const std::string& type_name) {
  std::vector<std::string> out;
  size_t open = type_name.find(":{");
  if (open == std::string::npos || type_name.back() != '}') {
    return out;
  }
  std::string list = type_name.substr(open + 2, type_name.size() - open - 3);
  size_t from = 0;
  while (from <= list.size()) {
    size_t comma = list.find(',', from);
    if (comma == std::string::npos) {
      comma = list.size();
    }
    if (comma > from) {
      out.push_back(list.substr(from, comma - from));
    }
    from = comma + 1;
  }
  return out;
}

std::string Upper(std::string text) {
  for (char& c : text) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

OptionDoc ReadOption(const CLI::Option& opt) {
  OptionDoc doc;
  doc.short_names = opt.get_snames();
  doc.long_names = opt.get_lnames();
  if (opt.get_positional() && !opt.nonpositional()) {
    doc.positional = opt.get_name();
  }
  doc.description = opt.get_description();
  doc.group = opt.get_group();
  doc.flag = opt.get_expected_max() == 0;  // add_flag sets expected(0)
  doc.required = opt.get_required();
  doc.repeatable = opt.get_expected_max() > 1;
  doc.default_value = opt.get_default_str();
  if (!doc.flag) {
    doc.choices = ChoicesOf(opt.get_type_name());
    if (!doc.positional.empty()) {
      doc.metavar = doc.positional;
    } else if (!doc.long_names.empty()) {
      // Readable names for the common values; any other option shows its name upper-cased.
      static const std::pair<const char*, const char*> kNames[] = {
          {"output", "FILE"},        {"config", "PATH"},        {"deployment", "NAME"},
          {"profile", "NAME"},       {"journal-schema", "SCHEMA"}, {"deploy-cmd", "CMD"},
          {"validate-cmd", "CMD"},   {"disable-pass", "PASS"},  {"dump-ir-after", "PASS"},
      };
      doc.metavar = Upper(doc.long_names.front());
      for (const auto& [name, metavar] : kNames) {
        if (doc.long_names.front() == name) {
          doc.metavar = metavar;
        }
      }
    } else {
      doc.metavar = "FILE";  // -o
    }
  }
  return doc;
}

// The options of `app` other than its --help: positionals first (as the synopsis shows them),
// then the others in the order they were added.
std::vector<OptionDoc> ReadOptions(const CLI::App& app, bool with_help) {
  std::vector<OptionDoc> positionals;
  std::vector<OptionDoc> named;
  for (const CLI::Option* opt : app.get_options()) {
    if (!with_help && (opt == app.get_help_ptr() || opt == app.get_help_all_ptr())) {
      continue;
    }
    OptionDoc doc = ReadOption(*opt);
    (doc.positional.empty() ? named : positionals).push_back(std::move(doc));
  }
  positionals.insert(positionals.end(), named.begin(), named.end());
  return positionals;
}

// The visible subcommands of `app` (hidden ones, such as __generate, have an empty group) and
// theirs, depth first. `prefix` is the path of `app` ("" for the root).
void ReadCommands(const CLI::App& app, const std::string& prefix, std::vector<CommandDoc>& out) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty() || sub->get_name().empty()) {
      continue;
    }
    CommandDoc doc;
    doc.name = prefix + sub->get_name();
    doc.description = sub->get_description();
    doc.footer = sub->get_footer();
    doc.options = ReadOptions(*sub, false);
    for (const CLI::App* child : sub->get_subcommands([](const CLI::App*) { return true; })) {
      if (!child->get_group().empty() && !child->get_name().empty()) {
        doc.subcommands.push_back(child->get_name());
      }
    }
    out.push_back(std::move(doc));
    ReadCommands(*sub, prefix + sub->get_name() + " ", out);
  }
}

}  // namespace

std::vector<std::string> OptionDoc::Names() const {
  std::vector<std::string> out;
  for (const auto& s : short_names) {
    out.push_back("-" + s);
  }
  for (const auto& l : long_names) {
    out.push_back("--" + l);
  }
  return out;
}

std::string OptionDoc::Spelling() const {
  if (!positional.empty()) {
    return positional + (repeatable ? "..." : "");
  }
  std::string out;
  for (const auto& name : Names()) {
    out += (out.empty() ? "" : ", ") + name;
  }
  if (!flag) {
    out += " " + metavar;
  }
  return out;
}

std::string CommandDoc::Synopsis(const std::string& program) const {
  std::string out = program + " " + name;
  bool any_option = false;
  for (const auto& o : options) {
    any_option = any_option || o.positional.empty();
  }
  if (any_option) {
    out += " [OPTIONS]";
  }
  for (const auto& o : options) {
    if (!o.positional.empty()) {
      out += " " + std::string(o.required ? "" : "[") + o.Spelling() + (o.required ? "" : "]");
    }
  }
  if (!subcommands.empty()) {
    out += " COMMAND";
  }
  return out;
}

CommandTable ReadCommandTable(const CLI::App& app, const std::string& version) {
  CommandTable table;
  table.program = app.get_name();
  table.version = version;
  table.description = app.get_description();
  table.global_options = ReadOptions(app, true);
  ReadCommands(app, "", table.commands);
  table.exit_codes = ExitCodes();
  return table;
}

void RegisterGenerateCommand(CLI::App& app, const std::string& version, int* exit_code) {
  struct Options {
    std::string what;
    std::string out = "-";
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "__generate", "Generate the man page, completions or CLI reference from the command table");
  cmd->group("");  // hidden: not listed by --help, the completions or the docs
  cmd->add_option("WHAT", opts->what, "man, bash, zsh, fish or markdown")
      ->required()
      ->check(CLI::IsMember({"man", "bash", "zsh", "fish", "markdown"}));
  cmd->add_option("-o,--output", opts->out, "Write to this file instead of standard output");
  CLI::App* root = &app;
  cmd->callback([opts, root, version, exit_code] {
    CommandTable table = ReadCommandTable(*root, version);
    std::string text;
    if (opts->what == "man") {
      text = GenerateMan(table);
    } else if (opts->what == "bash") {
      text = GenerateBash(table);
    } else if (opts->what == "zsh") {
      text = GenerateZsh(table);
    } else if (opts->what == "fish") {
      text = GenerateFish(table);
    } else {
      text = GenerateMarkdown(table);
    }
    if (std::string err = WriteFileAtomically(opts->out, text); !err.empty()) {
      std::cerr << "bgplan: error: " << err << "\n";
      *exit_code = kExitInputErrors;
      return;
    }
    *exit_code = kExitOk;
  });
}

}  // namespace bgplan::cli
