#include "runtime/conninfo.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include <libpq-fe.h>

#include <optional>
#include <utility>
#include <vector>

#include "runtime/config/config.h"
#include "support/strings.h"

namespace bgplan::runtime {
namespace {

bool IsUrl(std::string_view s) {
  return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0;
}

std::string Getenv(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// The options of `conninfo` as libpq reads them (keyword, value; only those the string sets), in
// libpq's order; nullopt when libpq refuses the string. Parsing with libpq itself means bgplan
// and libpq never disagree on what the password is (a raw space in a URL password, quotes and
// backslashes in keyword/value form, percent-encoding).
std::optional<std::vector<std::pair<std::string, std::string>>> ParseConninfo(
    std::string_view conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) {
      out.emplace_back(o->keyword, o->val);
    }
  }
  PQconninfoFree(options);
  return out;
}

// Options whose value is a secret.
bool IsSecret(const std::string& keyword) {
  return keyword == "password" || keyword == "sslpassword";
}

std::string QuoteConninfoValue(const std::string& v) {
  if (!v.empty() && v.find_first_of(" \t\n\r\f\v'\\") == std::string::npos) {
    return v;
  }
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string PasswordInConninfo(std::string_view conninfo) {
  auto options = ParseConninfo(conninfo);
  if (!options) {
    return "";
  }
  for (const auto& [k, v] : *options) {
    if (k == "password") {
      return v;
    }
  }
  return "";
}

std::string RedactConninfo(std::string_view conninfo) {
  if (conninfo.empty()) {
    return "";
  }
  auto options = ParseConninfo(conninfo);
  if (!options) {
    return "(a connection string libpq cannot parse; not shown)";
  }
  if (!IsUrl(conninfo)) {
    std::string out;
    for (const auto& [k, v] : *options) {
      out += (out.empty() ? "" : " ") + k + "=" + (IsSecret(k) ? "***" : QuoteConninfoValue(v));
    }
    return out;
  }
  // A URL again, rebuilt from the parsed options: scheme://user[:***]@host[:port]/dbname?rest.
  return ConninfoUrl(*options, conninfo.rfind("postgres://", 0) == 0 ? "postgres://" : "postgresql://",
                     /*redact_secrets=*/true);
}

std::string ConninfoUrl(const std::vector<std::pair<std::string, std::string>>& options,
                        std::string_view scheme, bool redact_secrets) {
  std::string user, host, port, dbname;
  bool has_password = false;
  std::vector<std::string> query;
  for (const auto& [k, v] : options) {
    if (k == "user") {
      user = v;
    } else if (k == "password") {
      has_password = redact_secrets;
    } else if (k == "host") {
      host = v;
    } else if (k == "port") {
      port = v;
    } else if (k == "dbname") {
      dbname = v;
    } else if (!IsSecret(k)) {
      query.push_back(k + "=" + PercentEncode(v));
    } else if (redact_secrets) {
      query.push_back(k + "=***");
    }
  }
  // One plain host (and port) goes in the authority; a socket directory or a host list first in
  // the query, where no character of it needs the authority's syntax.
  const bool plain =
      host.find_first_of("/,") == std::string::npos && port.find(',') == std::string::npos;
  std::string authority;
  if (!user.empty()) {
    authority = PercentEncode(user) + (has_password ? ":***" : "") + "@";
  } else if (has_password) {
    query.push_back("password=***");
  }
  if (plain) {
    authority += host.find(':') != std::string::npos ? "[" + host + "]" : PercentEncode(host);
    if (!port.empty()) {
      authority += ":" + PercentEncode(port);
    }
  } else {
    std::vector<std::string> where = {"host=" + PercentEncode(host)};
    if (!port.empty()) {
      where.push_back("port=" + PercentEncode(port));
    }
    query.insert(query.begin(), where.begin(), where.end());
  }
  return std::string(scheme) + authority + (dbname.empty() ? "" : "/" + PercentEncode(dbname)) +
         (query.empty() ? "" : "?" + Join(query, "&"));
}

// Free text (an error message) with anything that looks like a password inside a connection
// string replaced by ***. A pattern is all one can do for text that is not a connection string;
// the known password itself is replaced by ScrubSecrets whatever its spelling.
static std::string ScrubConninfoPatterns(std::string s) {
  static const std::regex kUserinfo(R"(((?:postgres|postgresql)://[^:/@\s]*):([^@/\s]*)@)");
  s = std::regex_replace(s, kUserinfo, "$1:***@");
  static const std::regex kUrlParam(R"(([?&](?:ssl)?password=)[^&\s]*)");
  s = std::regex_replace(s, kUrlParam, "$1***");
  static const std::regex kKeywordQuoted(R"((\b(?:ssl)?password\s*=\s*)'(?:[^'\\]|\\.)*')");
  s = std::regex_replace(s, kKeywordQuoted, "$1***");
  static const std::regex kKeyword(R"((\b(?:ssl)?password\s*=\s*)(?!\*\*\*)[^\s'&]+)");
  s = std::regex_replace(s, kKeyword, "$1***");
  return s;
}

std::string ScrubSecrets(std::string_view text, std::string_view password) {
  std::string s(text);
  if (!password.empty()) {
    for (const std::string& needle : {std::string(password), PercentEncode(password)}) {
      size_t pos = 0;
      while ((pos = s.find(needle, pos)) != std::string::npos) {
        s.replace(pos, needle.size(), "***");
        pos += 3;
      }
    }
  }
  return ScrubConninfoPatterns(s);
}

Result<ConnTarget> ResolveConnection(const ConnOptions& options, DiagnosticEngine& diags) {
  ConnTarget target;
  if (!options.url.empty()) {
    target.conninfo = options.url;
    target.source = ConnSource::kFlag;
    return target;
  }
  if (std::string env = Getenv("BGPLAN_URL"); !env.empty()) {
    target.conninfo = env;
    target.source = ConnSource::kEnv;
    return target;
  }
  std::string path = options.config_path;
  if (path.empty()) {
    std::error_code ec;
    if (std::filesystem::exists("bgplan.toml", ec)) {
      path = "bgplan.toml";
    }
  }
  if (path.empty()) {
    if (!options.profile.empty()) {
      return Status::InvalidArgument("--profile " + options.profile +
                                     ": no bgplan.toml here (use --config PATH)");
    }
    target.source = ConnSource::kLibpqEnv;
    return target;
  }
  Result<config::Config> loaded = config::LoadConfig(path, diags);
  if (!loaded.ok()) {
    return loaded.status();
  }
  if (diags.has_errors()) {
    return Status::InvalidArgument(path + " has errors");
  }
  const config::Config& config = *loaded;
  std::string name = options.profile.empty() ? config.default_profile : options.profile;
  if (name.empty()) {
    if (config.profiles.size() == 1) {
      name = config.profiles.begin()->first;
    } else {
      target.source = ConnSource::kLibpqEnv;
      return target;
    }
  }
  auto it = config.profiles.find(name);
  if (it == config.profiles.end()) {
    return Status::InvalidArgument("profile '" + name + "' is not defined in " + path);
  }
  target.conninfo = it->second.url;
  target.source = ConnSource::kProfile;
  target.profile = name;
  if (!it->second.password_env.empty()) {
    const char* pw = std::getenv(it->second.password_env.c_str());
    if (pw == nullptr) {
      return Status::InvalidArgument("profile '" + name + "' reads its password from $" +
                                     it->second.password_env + ", which is not set");
    }
    target.password = pw;
  }
  return target;
}

std::string ConninfoForLibpq(const ConnTarget& target) {
  std::string s = target.conninfo;
  if (IsUrl(s)) {
    s += (s.find('?') == std::string::npos) ? "?" : "&";
    s += "application_name=bgplan";
    if (!target.password.empty()) {
      s += "&password=" + PercentEncode(target.password);
    }
    return s;
  }
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    return out + "'";
  };
  if (!s.empty()) {
    s += " ";
  }
  s += "application_name=bgplan";
  if (!target.password.empty()) {
    s += " password=" + quote(target.password);
  }
  return s;
}

}  // namespace bgplan::runtime
