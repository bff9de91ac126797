// The man page (roff) and the command reference of docs/cli.md (Markdown), from the command
// table (cli/generate.h).
#include <map>
#include <string>

#include "cli/generate.h"

namespace bgplan::cli {

namespace {

// What the command table cannot say: the environment and files bgplan reads.
struct Entry {
  const char* name;
  const char* text;
};
constexpr Entry kEnvironment[] = {
    {"BGPLAN_URL", "The connection string of the live commands when --url is not given."},
    {"PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, ...",
     "libpq's own environment (and ~/.pgpass), used when neither --url, BGPLAN_URL nor a "
     "bgplan.toml profile gives a connection."},
    {"NO_COLOR", "When set and not empty, no colour (as --no-color)."},
    {"BGPLAN_EXAMPLES_DIR",
     "Where demo looks first for demo/demo.bgplan (before ./examples, the installed examples "
     "and the source tree)."},
    {"BGPLAN_LIVE_MODULE",
     "The path of libbgplan_live.so, the module the live commands run in (default: next to the "
     "executable, else ../lib/bgplan/ from it)."},
};
constexpr Entry kFiles[] = {
    {"./bgplan.toml",
     "Connection profiles ([defaults] profile, [profile.NAME] url and password_env); another "
     "path with --config, a profile with --profile."},
    {"<prefix>/lib/bgplan/libbgplan_live.so", "The live commands' module."},
    {"<prefix>/share/bgplan/examples/", "Documented examples; demo/ is what bgplan demo runs."},
    {"<prefix>/share/doc/bgplan/", "The documentation (language, CLI, phases, safety, guides)."},
};

// Roff: a backslash is \e, a hyphen \-, and a line may not start with a control character.
std::string Roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) {
      out += "\\&";
    }
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

// Lines of `text` trimmed of trailing newlines.
std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The description with what the command table adds: the accepted values, the default, whether
// required or repeatable.
std::string Described(const OptionDoc& o, bool markdown) {
  auto code = [markdown](const std::string& s) { return markdown ? "`" + s + "`" : s; };
  std::string text = o.description;
  std::string extra;
  if (!o.choices.empty()) {
    bool listed = true;
    for (const auto& c : o.choices) {
      listed = listed && text.find(c) != std::string::npos;
    }
    if (!listed) {
      extra += "One of: ";
      for (size_t i = 0; i < o.choices.size(); ++i) {
        extra += (i == 0 ? "" : ", ") + code(o.choices[i]);
      }
      extra += ".";
    }
  }
  if (!o.default_value.empty()) {
    extra += std::string(extra.empty() ? "" : " ") + "Default: " + code(o.default_value) + ".";
  }
  if (o.required && !o.positional.empty() && o.repeatable) {
    extra += std::string(extra.empty() ? "" : " ") + "One or more.";
  } else if (o.repeatable && o.positional.empty() && text.find("repeatable") == std::string::npos) {
    extra += std::string(extra.empty() ? "" : " ") + "Repeatable.";
  }
  if (extra.empty()) {
    return text;
  }
  if (!text.empty() && text.back() != '.') {
    text += ".";
  }
  return text + (text.empty() ? "" : " ") + extra;
}

// The options of a command grouped as --help shows them: "Options" (positionals included)
// first, then each other group in order of appearance.
std::vector<std::pair<std::string, std::vector<const OptionDoc*>>> Grouped(
    const std::vector<OptionDoc>& options) {
  std::vector<std::pair<std::string, std::vector<const OptionDoc*>>> groups;
  groups.push_back({"Options", {}});
  for (const auto& o : options) {
    std::string group = o.positional.empty() ? o.group : "Options";
    auto it = groups.begin();
    while (it != groups.end() && it->first != group) {
      ++it;
    }
    if (it == groups.end()) {
      groups.push_back({group, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(&o);
  }
  if (groups.front().second.empty()) {
    groups.erase(groups.begin());
  }
  return groups;
}

void RoffOptions(const std::vector<OptionDoc>& options, std::string& out) {
  for (const auto& [group, list] : Grouped(options)) {
    if (group != "Options") {
      out += ".PP\n" + Roff(group) + ":\n";
    }
    for (const OptionDoc* o : list) {
      out += ".TP\n";
      if (!o->positional.empty()) {
        out += ".I " + Roff(o->Spelling()) + "\n";
      } else {
        std::string names;
        for (const auto& n : o->Names()) {
          names += std::string(names.empty() ? "" : ", ") + "\\fB" + Roff(n) + "\\fR";
        }
        out += names + (o->flag ? "" : " \\fI" + Roff(o->metavar) + "\\fR") + "\n";
      }
      out += Roff(Described(*o, false)) + "\n";
    }
  }
}

// "bgplan: safe, ... PostgreSQL.\nA .bgplan file ..." -> the summary after "bgplan: ", and the
// rest.
std::pair<std::string, std::string> SplitDescription(const CommandTable& table) {
  std::string first = table.description.substr(0, table.description.find('\n'));
  std::string rest = first.size() < table.description.size()
                         ? table.description.substr(first.size() + 1)
                         : std::string();
  std::string prefix = table.program + ": ";
  if (first.rfind(prefix, 0) == 0) {
    first = first.substr(prefix.size());
  }
  if (!first.empty() && first.back() == '.') {
    first.pop_back();
  }
  return {first, rest};
}

std::string MdCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string GenerateMan(const CommandTable& table) {
  auto [summary, about] = SplitDescription(table);
  std::string p = Roff(table.program);
  std::string out;
  out += ".\\\" Generated by `" + table.program + " __generate man` from the command table; do not "
         "edit.\n";
  out += ".TH " + p + " 1 \"\" \"" + p + " " + Roff(table.version) + "\" \"User Commands\"\n";
  out += ".nh\n.ad l\n";  // long option values: neither hyphenated nor stretched
  out += ".SH NAME\n" + p + " \\- " + Roff(summary) + "\n";
  out += ".SH SYNOPSIS\n.B " + p + "\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
         "[\\fIFILE\\fR]\n";
  out += ".SH DESCRIPTION\n" + Roff(Trimmed(about)) + "\n";
  out += ".PP\nEvery command has \\fB\\-\\-help\\fR with examples.\n";
  out += ".SH GLOBAL OPTIONS\nThese may also follow the command name.\n";
  RoffOptions(table.global_options, out);
  out += ".SH COMMANDS\n";
  for (const CommandDoc& c : table.commands) {
    out += ".SS \"" + Roff(c.Synopsis(table.program)) + "\"\n";
    out += Roff(c.description) + "\n";
    RoffOptions(c.options, out);
    if (!Trimmed(c.footer).empty()) {
      out += ".PP\n.nf\n.RS 4\n" + Roff(Trimmed(c.footer)) + "\n.RE\n.fi\n";
    }
  }
  out += ".SH EXIT STATUS\n";
  for (const ExitCodeDoc& e : table.exit_codes) {
    out += ".TP\n.B " + std::to_string(e.code) + "\n" + Roff(e.meaning) + "\n";
  }
  out += ".SH ENVIRONMENT\n";
  for (const Entry& e : kEnvironment) {
    out += ".TP\n.B " + Roff(e.name) + "\n" + Roff(e.text) + "\n";
  }
  out += ".SH FILES\n";
  for (const Entry& e : kFiles) {
    out += ".TP\n.I " + Roff(e.name) + "\n" + Roff(e.text) + "\n";
  }
  out += ".SH SEE ALSO\n";
  out += "The documentation in /usr/share/doc/bgplan (README.md, docs/): the language (language.md), "
         "the command line (cli.md), the phases (phases.md), the live rules (safety.md), the "
         "Materialize and PostgreSQL guides, moving from the dbt\\-materialize macros "
         "(from\\-dbt.md), CI (ci.md).\n";
  return out;
}

std::string GenerateMarkdown(const CommandTable& table) {
  std::string out;
  out += "<!-- Generated by `" + table.program + " __generate markdown` from the command table. "
         "Do not edit: scripts/check-docs --update rewrites it. -->\n\n";
  out += "### Synopsis\n\n```\n" + table.program +
         " [GLOBAL OPTIONS] COMMAND [OPTIONS] [FILE...]\n```\n\n";
  out += "### Global options\n\nThese may also follow the command name.\n\n";
  out += "| option | meaning |\n|---|---|\n";
  for (const OptionDoc& o : table.global_options) {
    out += "| `" + MdCell(o.Spelling()) + "` | " + MdCell(Described(o, true)) + " |\n";
  }
  out += "\n### Commands\n\n| command | what it does |\n|---|---|\n";
  for (const CommandDoc& c : table.commands) {
    std::string anchor = table.program + "-" + c.name;
    for (char& ch : anchor) {
      ch = ch == ' ' ? '-' : ch;
    }
    out += "| [`" + c.name + "`](#" + anchor + ") | " +
           MdCell(c.description) + " |\n";
  }
  for (const CommandDoc& c : table.commands) {
    out += "\n#### " + table.program + " " + c.name + "\n\n";
    out += "```\n" + c.Synopsis(table.program) + "\n```\n\n";
    out += c.description + (c.description.back() == '.' ? "" : ".") + "\n\n";
    for (const auto& [group, list] : Grouped(c.options)) {
      if (group != "Options") {
        out += "\n" + group + ":\n\n";
      }
      out += "| option | meaning |\n|---|---|\n";
      for (const OptionDoc* o : list) {
        out += "| `" + MdCell(o->Spelling()) + "` | " + MdCell(Described(*o, true)) + " |\n";
      }
    }
    if (!Trimmed(c.footer).empty()) {
      out += "\n```\n" + Trimmed(c.footer) + "\n```\n";
    }
  }
  out += "\n### Exit codes\n\n| code | meaning |\n|---|---|\n";
  for (const ExitCodeDoc& e : table.exit_codes) {
    out += "| " + std::to_string(e.code) + " | " + MdCell(e.meaning) + " |\n";
  }
  return out;
}

}  // namespace bgplan::cli
