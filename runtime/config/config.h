// bgplan.toml: connection profiles for the live commands (cli.md). Parsed by config_loader.cc,
// the only file that includes toml++; no toml:: type leaves it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "support/diagnostic.h"
#include "support/status.h"

namespace bgplan::config {

struct Profile {
  std::string name;
  // libpq connection string (URL or keyword/value). Should not contain a password.
  std::string url;
  // Name of the environment variable holding the password ("" = none).
  std::string password_env;
};

struct Config {
  // Display name of the file it was read from.
  std::string path;
  // [defaults] profile ("" = none).
  std::string default_profile;
  std::map<std::string, Profile> profiles;
};

// Parses `text` (the contents of `display_name`). Syntax errors, wrong value types and unknown
// keys (warnings) are reported to `diags` with their location in the file; the returned Config
// holds whatever could be read.
Config ParseConfig(const std::string& display_name, const std::string& text,
                   DiagnosticEngine& diags);

// Reads and parses `path`. A file that cannot be read is kIoError; content problems are
// diagnostics, as in ParseConfig.
Result<Config> LoadConfig(const std::string& path, DiagnosticEngine& diags);

}  // namespace bgplan::config
