// `bgplan __generate man|bash|zsh|fish|markdown`: the man page, the shell completions and the
// command reference of docs/cli.md, generated from the command table itself (the CLI11 app that
// main.cc builds with the Register* functions), so that none of them can drift from the options
// the executable accepts. The build runs it to produce the installed files (cli/CMakeLists.txt);
// ctest `docs_cli_reference` compares docs/cli.md with it. A hidden command: no help lists it.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bgplan::cli {

// One option or positional argument of a command, as CLI11 knows it.
struct OptionDoc {
  std::vector<std::string> short_names;  // without the dash: "q"
  std::vector<std::string> long_names;   // without the dashes: "quiet"
  std::string positional;                // "FILE" for a positional argument, else ""
  std::string description;
  std::string metavar;                   // "PHASE", "URL"; "" for a flag
  std::vector<std::string> choices;      // the values an IsMember check accepts
  std::string default_value;             // when the option shows one (capture_default_str)
  std::string group;                     // "Options", "Debugging", "Overrides", ...
  bool flag = false;
  bool required = false;
  bool repeatable = false;

  // "-q, --quiet", "--phase PHASE", "FILE..."
  std::string Spelling() const;
  // Every name with its dashes: {"-q", "--quiet"}.
  std::vector<std::string> Names() const;
};

struct CommandDoc {
  std::string name;  // the words after the program: "check", "import dbt"
  std::vector<std::string> subcommands;  // "import": {"dbt"}, each also a CommandDoc
  std::string description;
  std::string footer;  // the examples and exit status of `bgplan NAME --help`
  std::vector<OptionDoc> options;  // positionals first, then the options in the order added

  // "bgplan check [OPTIONS] FILE...", "bgplan import COMMAND"
  std::string Synopsis(const std::string& program) const;
};

struct ExitCodeDoc {
  int code;
  std::string meaning;
};

struct CommandTable {
  std::string program;
  std::string version;
  std::string description;
  std::vector<OptionDoc> global_options;  // --help and --version included
  // The visible subcommands in the order registered, each followed by its own (depth first).
  std::vector<CommandDoc> commands;
  std::vector<ExitCodeDoc> exit_codes;    // support/exit_codes.h
};

// Reads the table from `app` (the root app, every command registered). Hidden subcommands
// (empty group) and each command's --help are left out.
CommandTable ReadCommandTable(const CLI::App& app, const std::string& version);

// The generators (cli/generate_docs.cc, cli/generate_completions.cc).
std::string GenerateMan(const CommandTable& table);
std::string GenerateMarkdown(const CommandTable& table);
std::string GenerateBash(const CommandTable& table);
std::string GenerateZsh(const CommandTable& table);
std::string GenerateFish(const CommandTable& table);

// Adds the hidden `__generate WHAT [-o FILE]` command to `app`.
void RegisterGenerateCommand(CLI::App& app, const std::string& version, int* exit_code);

}  // namespace bgplan::cli
