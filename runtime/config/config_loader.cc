// The toml++ adapter: the only file that includes toml++ (style.md 7.10). Every toml++
// exception is caught here; problems become diagnostics with the TOML location.
#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <string>

#include "runtime/config/config.h"
#include "support/file_util.h"

namespace bgplan::config {
namespace {

SourceRange RangeOf(const toml::source_region& region) {
  SourceRange range;
  range.begin.line = static_cast<int>(region.begin.line);
  range.begin.column = static_cast<int>(region.begin.column);
  range.end.line = static_cast<int>(region.end.line);
  range.end.column = static_cast<int>(region.end.column);
  if (!range.end.valid() || range.end < range.begin) {
    range.end = range.begin;
  }
  return range;
}

void Report(DiagnosticEngine& diags, Severity severity, const std::string& file,
            const toml::source_region& region, std::string message) {
  Diagnostic d;
  d.severity = severity;
  // The registry has no config-specific kinds; TOML problems are reported as syntax errors
  // (errors) or unknown settings (warnings), the closest existing kinds.
  d.kind = severity == Severity::kError ? DiagKind::kSyntaxError : DiagKind::kUnknownSetting;
  d.file = file;
  d.range = RangeOf(region);
  d.message = std::move(message);
  diags.Report(std::move(d));
}

std::string ReadString(DiagnosticEngine& diags, const std::string& file, const toml::table& tbl,
                       const std::string& key, const std::string& where) {
  const toml::node* node = tbl.get(key);
  if (node == nullptr) {
    return "";
  }
  std::optional<std::string> value = node->value<std::string>();
  if (!value.has_value()) {
    Report(diags, Severity::kError, file, node->source(), "'" + where + key + "' must be a string");
    return "";
  }
  return *value;
}

void ParseTable(const std::string& file, const toml::table& root, DiagnosticEngine& diags,
                Config& config) {
  for (const auto& [key, node] : root) {
    std::string name(key.str());
    if (name == "defaults") {
      const toml::table* defaults = node.as_table();
      if (defaults == nullptr) {
        Report(diags, Severity::kError, file, node.source(), "'defaults' must be a table");
        continue;
      }
      for (const auto& [dkey, dnode] : *defaults) {
        if (dkey.str() != "profile") {
          Report(diags, Severity::kWarning, file, dnode.source(),
                 "unknown key 'defaults." + std::string(dkey.str()) + "' (ignored)");
        }
      }
      config.default_profile = ReadString(diags, file, *defaults, "profile", "defaults.");
    } else if (name == "profile") {
      const toml::table* profiles = node.as_table();
      if (profiles == nullptr) {
        Report(diags, Severity::kError, file, node.source(), "'profile' must be a table");
        continue;
      }
      for (const auto& [pkey, pnode] : *profiles) {
        std::string pname(pkey.str());
        const toml::table* ptable = pnode.as_table();
        if (ptable == nullptr) {
          Report(diags, Severity::kError, file, pnode.source(),
                 "'profile." + pname + "' must be a table");
          continue;
        }
        Profile profile;
        profile.name = pname;
        std::string where = "profile." + pname + ".";
        for (const auto& [fkey, fnode] : *ptable) {
          if (fkey.str() != "url" && fkey.str() != "password_env") {
            std::string extra = fkey.str() == "password"
                                    ? "; passwords are never stored in bgplan.toml, use "
                                      "password_env"
                                    : "";
            Report(diags, Severity::kWarning, file, fnode.source(),
                   "unknown key '" + where + std::string(fkey.str()) + "' (ignored)" + extra);
          }
        }
        profile.url = ReadString(diags, file, *ptable, "url", where);
        profile.password_env = ReadString(diags, file, *ptable, "password_env", where);
        config.profiles[pname] = std::move(profile);
      }
    } else {
      Report(diags, Severity::kWarning, file, node.source(),
             "unknown key '" + name + "' (ignored)");
    }
  }
}

}  // namespace

Config ParseConfig(const std::string& display_name, const std::string& text,
                   DiagnosticEngine& diags) {
  Config config;
  config.path = display_name;
  try {
    toml::table root = toml::parse(text, display_name);
    ParseTable(display_name, root, diags, config);
  } catch (const toml::parse_error& e) {
    Report(diags, Severity::kError, display_name, e.source(), std::string(e.description()));
  } catch (const std::exception& e) {
    Diagnostic d;
    d.kind = DiagKind::kSyntaxError;
    d.file = display_name;
    d.message = std::string("cannot parse: ") + e.what();
    diags.Report(std::move(d));
  } catch (...) {
    Diagnostic d;
    d.kind = DiagKind::kSyntaxError;
    d.file = display_name;
    d.message = "cannot parse";
    diags.Report(std::move(d));
  }
  return config;
}

Result<Config> LoadConfig(const std::string& path, DiagnosticEngine& diags) {
  std::string text;
  if (std::string error = ReadFileBounded(path, kMaxSourceBytes, &text); !error.empty()) {
    return Status::IoError(error);
  }
  return ParseConfig(path, text, diags);
}

}  // namespace bgplan::config
