// `bgplan import dbt`: dbt_project.yml -> a formatted .bgplan (see import_dbt.h).
//
// What dbt-materialize reads (its deploy_* macros): `var('deployment')[target.name]`, a mapping
// with the optional lists `schemas` and `clusters`; green names are `<name>_dbt_deploy` (schema
// names verbatim, cluster names through the default generate_cluster_name hook, which keeps them);
// the SQL quotes every name, so names are exact (a quoted name in .bgplan). The import reads the
// same, checks the shapes and names the macros would trip on, writes the text, then runs the
// static rules of `bgplan check` on it and reports their diagnostics at the YAML entries they
// come from (e.g. one cluster listed by two targets: a .bgplan file swaps each object once).
#include "cli/import_dbt.h"

#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/ast/ast_printer.h"
#include "compiler/driver/compile.h"
#include "compiler/frontend/utf8.h"
#include "support/exit_codes.h"
#include "support/file_util.h"
#include "support/strings.h"
#include "support/terminal_text.h"

namespace bgplan::cli {

namespace {

// The suffix the dbt-materialize macros append (also bgplan's default).
constexpr std::string_view kDbtSuffix = "_dbt_deploy";

struct Entry {
  std::string name;
  SourceRange range;
};

struct Target {
  Entry key;
  std::vector<Entry> schemas;
  std::vector<Entry> clusters;
};

struct Project {
  std::string name;  // the project's `name`, "" when absent
  std::vector<Target> targets;
  SourceRange deployment_key;  // where vars.deployment is
};

// YAML node kinds as a user reads them, for messages.
std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "empty";
    case YAML::NodeType::Scalar:
      break;
  }
  return "a string";
}

// What PyYAML (the loader dbt uses, YAML 1.1) makes of a plain (unquoted) scalar that is not a
// string: "a boolean" or "a number" whose text differs from `text` (0777, 1_000, 1e3, 0x1f, 1:30;
// a plain decimal such as 2024 reads back the same); "" when dbt gets the text.
std::string NonStringReading(const YAML::Node& node) {
  if (!node.IsScalar() || node.Tag() != "?") {
    return "";
  }
  static const std::regex kBool("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  static const std::regex kNumber(
      "[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|"
      "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|"
      "[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?|\\.[0-9_]+([eE][-+][0-9]+)?|"
      "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  static const std::regex kSameAsText("0|[1-9][0-9]*");
  const std::string& text = node.Scalar();
  if (std::regex_match(text, kBool)) {
    return "a boolean";
  }
  if (std::regex_match(text, kNumber) && !std::regex_match(text, kSameAsText)) {
    return "a number";
  }
  return "";
}

// Reads the deployment var of one dbt_project.yml into a Project, reporting what is wrong.
class Reader {
 public:
  Reader(const SourceFile& file, DiagnosticEngine& diags) : file_(file), diags_(diags) {}

  std::optional<Project> Read(const std::string& only_target) {
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::Exception& e) {
      // yaml-cpp reports an unclosed flow collection where it gave up, not where it opened.
      std::vector<Diagnostic::Note> notes;
      if (e.msg.find("sequence flow") != std::string::npos) {
        notes.push_back({{}, "a '[' before this point is not closed by ']'"});
      } else if (e.msg.find("map flow") != std::string::npos) {
        notes.push_back({{}, "a '{' before this point is not closed by '}'"});
      }
      Report(DiagKind::kSyntaxError, At(e.mark, 0), e.msg.empty() ? "malformed YAML" : e.msg,
             std::move(notes));
      return std::nullopt;
    }
    Project project;
    if (!root.IsNull() && !root.IsMap()) {
      Report(DiagKind::kDbtInvalidEntry, Of(root),
             "dbt_project.yml must be a mapping (name:, vars:, ...), not " + Describe(root));
      return std::nullopt;
    }
    std::optional<YAML::Node> deployment = FindDeployment(root, project);
    if (!deployment.has_value()) {
      return std::nullopt;
    }
    std::vector<std::pair<YAML::Node, YAML::Node>> targets;
    std::vector<std::string> names;
    std::unordered_map<std::string, size_t> seen;  // target name -> index in project.targets
    for (auto it = deployment->begin(); it != deployment->end(); ++it) {
      Entry key;
      if (!ReadName(it->first, "dbt target name", &key)) {
        continue;
      }
      if (auto first = seen.find(key.name); first != seen.end()) {
        Report(DiagKind::kDbtInvalidEntry, key.range,
               "target '" + key.name + "' is defined twice under vars.deployment",
               {{project.targets[first->second].key.range, "first defined here"}});
        continue;
      }
      seen.emplace(key.name, project.targets.size());
      project.targets.push_back(Target{key, {}, {}});
      targets.emplace_back(it->first, it->second);
      names.push_back(key.name);
    }
    if (diags_.has_errors()) {
      return std::nullopt;
    }
    if (targets.empty()) {
      Report(DiagKind::kDbtNoDeployment, project.deployment_key,
             "vars.deployment defines no dbt target; the deploy macros read "
             "vars.deployment.<target>.schemas and .clusters");
      return std::nullopt;
    }
    std::vector<Target> selected;
    for (size_t i = 0; i < targets.size(); ++i) {
      if (!only_target.empty() && project.targets[i].key.name != only_target) {
        continue;
      }
      Target target = project.targets[i];
      ReadTarget(targets[i].second, target);
      selected.push_back(std::move(target));
    }
    if (selected.empty()) {
      Report(DiagKind::kDbtUnknownTarget, project.deployment_key,
             "no dbt target '" + only_target + "' under vars.deployment (it defines: " +
                 Join(names) + ")");
    }
    if (diags_.has_errors()) {
      return std::nullopt;
    }
    project.targets = std::move(selected);
    return project;
  }

  // The range of `node` in the file: its first token (a scalar's whole text when on one line).
  SourceRange Of(const YAML::Node& node) const {
    YAML::Mark mark = node.Mark();
    size_t length = 0;
    if (node.IsScalar() && mark.line >= 0) {
      std::string_view line = file_.Line(mark.line + 1);
      size_t begin = static_cast<size_t>(mark.column) + BomBytes(mark.line);
      length = ScalarLength(line, begin, node);
    }
    return At(mark, length);
  }

  // [mark, mark + length bytes) as 1-based line and code-point columns (at least one column).
  SourceRange At(const YAML::Mark& mark, size_t length) const {
    if (mark.line < 0 || mark.column < 0) {
      return {{1, 1}, {1, 2}};
    }
    std::string_view line = file_.Line(mark.line + 1);
    size_t bom = BomBytes(mark.line);
    size_t begin = std::min(line.size(), bom + static_cast<size_t>(mark.column));
    size_t end = std::min(line.size(), begin + length);
    int column = CodePointCount(line.substr(bom, begin - bom)) + 1;
    int width = std::max(1, CodePointCount(line.substr(begin, end - begin)));
    return {{mark.line + 1, column}, {mark.line + 1, column + width}};
  }

 private:
  // yaml-cpp's columns skip a byte order mark; the file's first line still holds it.
  size_t BomBytes(int zero_based_line) const {
    return zero_based_line == 0 && frontend::HasUtf8Bom(file_.text()) ? 3 : 0;
  }

  // Bytes of the scalar written at `begin` in `line`: a quoted one up to its closing quote, a
  // plain one when it is its value (one line); else 0.
  static size_t ScalarLength(std::string_view line, size_t begin, const YAML::Node& node) {
    if (begin >= line.size()) {
      return 0;
    }
    char quote = line[begin];
    if (quote == '"' || quote == '\'') {
      for (size_t i = begin + 1; i < line.size(); ++i) {
        if (quote == '"' && line[i] == '\\') {
          ++i;
        } else if (line[i] == quote) {
          if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
            ++i;
            continue;
          }
          return i + 1 - begin;
        }
      }
      return 0;
    }
    const std::string& value = node.Scalar();
    return line.substr(begin, value.size()) == value ? value.size() : 0;
  }

  void Report(DiagKind kind, SourceRange range, std::string message,
              std::vector<Diagnostic::Note> notes = {}) {
    diags_.Report(kind, file_.display_name(), range, std::move(message), std::move(notes));
  }

  // The value of `key` in `map` and the key node (first occurrence); a repeated key is an error.
  std::optional<std::pair<YAML::Node, YAML::Node>> Lookup(const YAML::Node& map,
                                                          std::string_view key,
                                                          const std::string& where) {
    std::optional<std::pair<YAML::Node, YAML::Node>> found;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar() != key) {
        continue;
      }
      if (found.has_value()) {
        Report(DiagKind::kDbtInvalidEntry, Of(it->first),
               "'" + std::string(key) + "' is given twice in " + where,
               {{Of(found->first), "first given here"}});
        continue;
      }
      found.emplace(it->first, it->second);
    }
    return found;
  }

  // vars.deployment, else vars.<project name>.deployment (a var scoped to the project), checked
  // to be a non-empty mapping. Sets project.name and deployment_key.
  std::optional<YAML::Node> FindDeployment(const YAML::Node& root, Project& project) {
    const std::string missing =
        "no 'deployment' var: the dbt-materialize deploy macros read each target's schemas and "
        "clusters from vars.deployment";
    const Diagnostic::Note shape{
        {}, "expected: vars: {deployment: {<target>: {schemas: [...], clusters: [...]}}}"};
    if (root.IsNull()) {
      Report(DiagKind::kDbtNoDeployment, Of(root), missing, {shape});
      return std::nullopt;
    }
    auto name = Lookup(root, "name", "dbt_project.yml");
    if (name.has_value() && name->second.IsScalar()) {
      project.name = name->second.Scalar();
    }
    auto vars = Lookup(root, "vars", "dbt_project.yml");
    if (!vars.has_value() || vars->second.IsNull()) {
      Report(DiagKind::kDbtNoDeployment, vars.has_value() ? Of(vars->first) : Of(root), missing,
             {shape});
      return std::nullopt;
    }
    if (!vars->second.IsMap()) {
      Report(DiagKind::kDbtInvalidEntry, Of(vars->second),
             "vars must be a mapping, not " + Describe(vars->second));
      return std::nullopt;
    }
    auto deployment = Lookup(vars->second, "deployment", "vars");
    if (!deployment.has_value() && !project.name.empty()) {
      auto scoped = Lookup(vars->second, project.name, "vars");
      if (scoped.has_value() && scoped->second.IsMap()) {
        deployment = Lookup(scoped->second, "deployment", "vars." + project.name);
      }
    }
    if (diags_.has_errors()) {
      return std::nullopt;
    }
    if (!deployment.has_value()) {
      Report(DiagKind::kDbtNoDeployment, Of(vars->first), missing, {shape});
      return std::nullopt;
    }
    project.deployment_key = Of(deployment->first);
    const YAML::Node& value = deployment->second;
    if (value.IsNull()) {
      Report(DiagKind::kDbtNoDeployment, project.deployment_key,
             "vars.deployment is empty: it names no dbt target", {shape});
      return std::nullopt;
    }
    if (!value.IsMap()) {
      Report(DiagKind::kDbtInvalidEntry, Of(value),
             "vars.deployment must map each dbt target to its schemas and clusters, not be " +
                 Describe(value),
             {shape});
      return std::nullopt;
    }
    return value;
  }

  // A name (a target, schema or cluster): a string as dbt would get it, non-empty, no NUL, no
  // Jinja. Returns false (and reports) otherwise.
  bool ReadName(const YAML::Node& node, const std::string& what, Entry* out) {
    out->range = Of(node);
    if (node.IsNull()) {
      Report(DiagKind::kDbtInvalidEntry, out->range, "empty " + what + " (YAML null)");
      return false;
    }
    if (!node.IsScalar()) {
      Report(DiagKind::kDbtInvalidEntry, out->range,
             "a " + what + " must be a string, not " + Describe(node));
      return false;
    }
    const std::string& text = node.Scalar();
    if (std::string reading = NonStringReading(node); !reading.empty()) {
      Report(DiagKind::kDbtInvalidEntry, out->range,
             "YAML reads " + text + " as " + reading + ", so dbt would not get the " + what +
                 " as written; quote it: '" + text + "'");
      return false;
    }
    if (text.empty()) {
      Report(DiagKind::kDbtInvalidEntry, out->range, "empty " + what);
      return false;
    }
    if (text.find('\0') != std::string::npos) {
      Report(DiagKind::kDbtInvalidEntry, out->range, "a " + what + " cannot contain NUL");
      return false;
    }
    if (text.find("{{") != std::string::npos || text.find("{%") != std::string::npos) {
      Report(DiagKind::kDbtInvalidEntry, out->range,
             "'" + text + "' is a Jinja expression, which bgplan cannot evaluate; write the " +
                 what + " it renders to");
      return false;
    }
    out->name = text;
    return true;
  }

  // One of `schemas` / `clusters` of a target: null (none) or a list of names; repeats dropped.
  void ReadList(const YAML::Node& value, const std::string& key, const std::string& target,
                std::vector<Entry>* out) {
    const std::string what = key == "schemas" ? "schema name" : "cluster name";
    if (value.IsNull()) {
      return;
    }
    if (!value.IsSequence()) {
      std::string example = value.IsScalar() ? "[" + value.Scalar() + "]" : "[name, ...]";
      Report(DiagKind::kDbtInvalidEntry, Of(value),
             "'" + key + "' of target '" + target + "' must be a list of " + what + "s, not " +
                 Describe(value) + " (write " + example + ")");
      return;
    }
    std::unordered_map<std::string, size_t> seen;  // name -> index in *out
    for (const YAML::Node& item : value) {
      // Aliases can make a short file list a great many names ("billion laughs").
      if (++entries_ > kMaxEntries) {
        Report(DiagKind::kDbtInvalidEntry, Of(item),
               "more than " + std::to_string(kMaxEntries) + " names; bgplan import stops here");
        return;
      }
      if (diags_.saturated()) {
        return;
      }
      Entry entry;
      if (!ReadName(item, what, &entry)) {
        continue;
      }
      if (auto first = seen.find(entry.name); first != seen.end()) {
        Report(DiagKind::kDuplicateObject, entry.range,
               what.substr(0, what.find(' ')) + " '" + entry.name + "' is listed twice for target '" +
                   target + "'; the duplicate is dropped",
               {{(*out)[first->second].range, "first listed here"}});
        continue;
      }
      seen.emplace(entry.name, out->size());
      out->push_back(std::move(entry));
    }
  }

  void ReadTarget(const YAML::Node& value, Target& target) {
    const std::string& name = target.key.name;
    const std::string empty = "target '" + name +
                              "' lists no schemas and no clusters: there is nothing to deploy "
                              "(dbt-materialize refuses it too)";
    if (value.IsNull()) {
      Report(DiagKind::kDbtEmptyTarget, target.key.range, empty);
      return;
    }
    if (!value.IsMap()) {
      Report(DiagKind::kDbtInvalidEntry, Of(value),
             "target '" + name + "' must be a mapping with 'schemas' and 'clusters' lists, not " +
                 Describe(value));
      return;
    }
    const std::string where = "target '" + name + "'";
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (key == "schemas" || key == "clusters") {
        continue;
      }
      std::string hint;
      if (key.rfind("schema", 0) == 0 || key.rfind("Schema", 0) == 0) {
        hint = " (did you mean 'schemas'?)";
      } else if (key.rfind("cluster", 0) == 0 || key.rfind("Cluster", 0) == 0) {
        hint = " (did you mean 'clusters'?)";
      }
      Report(DiagKind::kDbtUnknownKey, Of(it->first),
             "'" + (it->first.IsScalar() ? key : Describe(it->first)) + "' in " + where +
                 " is ignored: dbt-materialize reads only 'schemas' and 'clusters'" + hint);
    }
    size_t errors = static_cast<size_t>(diags_.error_count());
    if (auto schemas = Lookup(value, "schemas", where); schemas.has_value()) {
      ReadList(schemas->second, "schemas", name, &target.schemas);
    }
    if (auto clusters = Lookup(value, "clusters", where); clusters.has_value()) {
      ReadList(clusters->second, "clusters", name, &target.clusters);
    }
    if (static_cast<size_t>(diags_.error_count()) == errors && target.schemas.empty() &&
        target.clusters.empty()) {
      Report(DiagKind::kDbtEmptyTarget, target.key.range, empty);
    }
  }

  // Most names read from one file (bgplan handles plans of 100,000 schemas).
  static constexpr size_t kMaxEntries = 1'000'000;

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  size_t entries_ = 0;
};

// A name as .bgplan prints it: exact (quoted), bare when that names the same object.
std::string PrintedName(const std::string& text) { return ast::FormatName(ast::Name{text, true, {}}); }

// A dbt target name usable as is in the shell command of the header comment.
bool ShellSafe(std::string_view text) {
  if (text.empty() || text.front() == '-') {
    return false;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// The .bgplan text of `project`, already in the form `bgplan fmt` prints.
std::string Generate(const Project& project, const std::string& display) {
  std::string example =
      ShellSafe(project.targets.front().key.name) ? project.targets.front().key.name : "TARGET";
  std::string out = "# Imported by `bgplan import dbt` from " + EscapeControls(display);
  if (!project.name.empty()) {
    out += " (dbt project '" + EscapeControls(project.name) + "')";
  }
  out +=
      ".\n"
      "# One deployment per dbt target under vars.deployment, with the schemas and clusters the\n"
      "# dbt-materialize deploy macros swap for it. Review each \"decide:\" comment before the "
      "first run.\n"
      "#\n"
      "# Green names are the blue names + '_dbt_deploy' (the `suffix` lines), as the macros name "
      "them.\n"
      "# If the project overrides generate_cluster_name, list the cluster names it returns "
      "instead.\n"
      "# Cleanup drops the old version at once, as deploy_cleanup does; add\n"
      "# `cleanup { keep_blue 24h; }` to a deployment to keep it for a rollback window.\n"
      "#\n"
      "# decide: the deploy command, run after init to build the new version into green (sinks "
      "are\n"
      "# left out of it), here for target '" +
      example +
      "':\n"
      "#   bgplan apply <this file> --deployment " +
      example +
      " --deploy-cmd \\\n"
      "#     'dbt run --target " +
      example +
      " --vars \"{deploy: true}\" --exclude config.materialized:sink'\n"
      "target materialize;\n";
  for (const Target& target : project.targets) {
    out += "\ndeployment " + PrintedName(target.key.name) + " {\n";
    for (auto [keyword, entries] : {std::pair{"schemas", &target.schemas},
                                    std::pair{"clusters", &target.clusters}}) {
      if (entries->empty()) {
        continue;
      }
      out += std::string("    ") + keyword;
      for (size_t i = 0; i < entries->size(); ++i) {
        out += (i == 0 ? " " : ", ") + PrintedName((*entries)[i].name);
      }
      out += ";\n";
    }
    out += "    suffix '" + std::string(kDbtSuffix) +
           "';  # dbt-materialize's suffix (bgplan's default too)\n"
           "\n"
           "    # decide: where this target's sinks live (never swapped; re-pointed after promote)\n"
           "    # sinks {\n"
           "    #     schemas sink_schema;\n"
           "    #     clusters sink_cluster;\n"
           "    # }\n"
           "\n"
           "    # decide: dbt's deploy_await defaults; dbt waits without a limit, bgplan stops at "
           "timeout\n"
           "    await {\n"
           "        poll_interval 15s;\n"
           "        lag_threshold 1s;\n"
           "        timeout       24h;\n"
           "    }\n"
           "}\n";
  }
  return out;
}

// Generated-text range -> YAML range, for the diagnostics of the static rules.
struct Span {
  SourceRange generated;
  SourceRange yaml;
};

bool Contains(const SourceRange& range, const SourceLocation& at) {
  return at == range.begin || (range.begin <= at && at < range.end);
}

// The static rules of `bgplan check` on the generated text, reported at the YAML entries the
// offending names come from. Returns the formatted text.
std::string CheckGenerated(const Project& project, const SourceFile& yaml, std::string text,
                           DiagnosticEngine& diags) {
  driver::CompileOptions options;
  options.validate_only = true;
  driver::CompileOutput checked = driver::CompileText(yaml.display_name(), std::move(text), options);
  if (checked.ast == nullptr || !checked.internal_error.ok() ||
      checked.ast->deployments.size() != project.targets.size()) {
    throw std::logic_error("bgplan import dbt wrote a file it cannot parse:\n" +
                           driver::RenderDiagnostics(checked));
  }
  std::vector<Span> spans;
  std::vector<Span> deployments;
  for (size_t i = 0; i < project.targets.size(); ++i) {
    const ast::Deployment& d = checked.ast->deployments[i];
    const Target& t = project.targets[i];
    spans.push_back({d.name.range, t.key.range});
    deployments.push_back({d.range, t.key.range});
    for (const ast::Item& item : d.items) {
      if (item.kind == ast::ItemKind::kSchemas) {
        for (size_t j = 0; j < item.schemas.size() && j < t.schemas.size(); ++j) {
          spans.push_back({item.schemas[j].range, t.schemas[j].range});
        }
      } else if (item.kind == ast::ItemKind::kClusters) {
        for (size_t j = 0; j < item.clusters.size() && j < t.clusters.size(); ++j) {
          spans.push_back({item.clusters[j].range, t.clusters[j].range});
        }
      }
    }
  }
  spans.insert(spans.end(), deployments.begin(), deployments.end());
  auto map = [&](const SourceRange& range) {
    for (const Span& span : spans) {
      if (range.valid() && Contains(span.generated, range.begin)) {
        return span.yaml;
      }
    }
    return project.deployment_key;
  };
  for (const Diagnostic& found : checked.diagnostics) {
    Diagnostic d = found;
    d.file = yaml.display_name();
    d.range = map(found.range);
    for (Diagnostic::Note& note : d.notes) {
      note.range = map(note.range);
    }
    if (d.kind == DiagKind::kObjectInTwoDeployments) {
      d.notes.push_back({{},
                         "a .bgplan file swaps each schema and cluster in one deployment only; "
                         "when these dbt targets use different databases, import each into its "
                         "own file: bgplan import dbt --target NAME -o NAME.bgplan"});
    }
    diags.Report(std::move(d));
  }
  return ast::FormatFile(*checked.ast);
}

}  // namespace

DbtImport ImportDbtProject(const SourceFile& yaml, const std::string& only_target) {
  DbtImport result;
  DiagnosticEngine diags;
  std::u32string decoded;
  if (frontend::DecodeUtf8Source(yaml, diags, decoded) == 0) {
    Reader reader(yaml, diags);
    std::optional<Project> project = reader.Read(only_target);
    if (project.has_value()) {
      std::string text =
          CheckGenerated(*project, yaml, Generate(*project, yaml.display_name()), diags);
      if (!diags.has_errors()) {
        result.text = std::move(text);
      }
    }
  }
  result.diagnostics = diags.Sorted();
  return result;
}

void RegisterImportCommands(CLI::App& app, const OutputOptions& output, int* exit_code) {
  struct Options {
    std::string path = ".";
    std::string target;
    std::string out = "-";
  };
  auto opts = std::make_shared<Options>();
  CLI::App* import_cmd = app.add_subcommand(
      "import", "Write a .bgplan from another tool's deployment settings (dbt)");
  import_cmd->fallthrough();
  import_cmd->require_subcommand(1);
  import_cmd->footer(
      "Example:\n"
      "  bgplan import dbt ~/analytics -o analytics.bgplan");
  CLI::App* dbt = import_cmd->add_subcommand(
      "dbt", "Write a .bgplan from the `deployment` var of a dbt project (dbt-materialize)");
  dbt->fallthrough();
  dbt->add_option("PATH", opts->path,
                  "dbt_project.yml, or the directory holding it (default: the current directory; "
                  "'-' for standard input)");
  dbt->add_option("--target", opts->target,
                  "Import only this dbt target (a key of vars.deployment; default: every target)");
  dbt->add_option("-o,--output", opts->out, "Write to this file instead of standard output");
  dbt->footer(
      "Reads vars.deployment.<target>.schemas and .clusters of dbt_project.yml, as the\n"
      "dbt-materialize deploy macros do, and prints one deployment per dbt target in the form\n"
      "`bgplan fmt` prints (target materialize, suffix '_dbt_deploy'), with \"decide:\" comments\n"
      "for what the project does not say: sinks, await settings, the deploy command.\n"
      "Examples:\n"
      "  bgplan import dbt                                   # ./dbt_project.yml, every target\n"
      "  bgplan import dbt ~/analytics --target prod -o prod.bgplan\n"
      "  bgplan import dbt --target prod | bgplan check -\n"
      "Exit status: 0 written (warnings allowed), 1 errors in the project file, 64 usage error.");
  dbt->callback([opts, &output, exit_code] {
    namespace fs = std::filesystem;
    std::string path = opts->path.empty() ? "." : opts->path;
    std::error_code ec;
    if (path != "-" && fs::is_directory(path, ec)) {
      path = path == "." ? "dbt_project.yml" : (fs::path(path) / "dbt_project.yml").string();
    }
    std::string text;
    if (std::string err = ReadFileBounded(path, kMaxSourceBytes, &text); !err.empty()) {
      PrintError(output, err);
      *exit_code = kExitInputErrors;
      PrintResult(output, "import dbt", *exit_code);
      return;
    }
    driver::CompileOutput report;
    report.source = std::make_unique<SourceFile>(path == "-" ? "<stdin>" : path, std::move(text));
    DbtImport imported = ImportDbtProject(*report.source, opts->target);
    report.diagnostics = std::move(imported.diagnostics);
    PrintDiagnostics(report, output);
    *exit_code = kExitOk;
    if (!imported.ok()) {
      *exit_code = kExitInputErrors;
    } else if (std::string err = WriteFileAtomically(opts->out, imported.text); !err.empty()) {
      PrintError(output, err);
      *exit_code = kExitInputErrors;
    }
    PrintResult(output, "import dbt", *exit_code);
  });
}

}  // namespace bgplan::cli
