#include "runtime/conninfo.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "compiler/config/config.h"

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

static std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string PasswordInConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  std::smatch m;
  static const std::regex kUserinfo(R"((?:postgres|postgresql)://[^:/@\s]*:([^@/\s]*)@)");
  if (std::regex_search(s, m, kUserinfo)) {
    return PercentDecode(m[1].str());
  }
  static const std::regex kUrlParam(R"([?&]password=([^&\s]*))");
  if (IsUrl(s) && std::regex_search(s, m, kUrlParam)) {
    return PercentDecode(m[1].str());
  }
  static const std::regex kQuoted(R"(\bpassword\s*=\s*'((?:[^'\\]|\\.)*)')");
  if (std::regex_search(s, m, kQuoted)) {
    std::string out;
    std::string v = m[1].str();
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '\\' && i + 1 < v.size()) {
        ++i;
      }
      out += v[i];
    }
    return out;
  }
  static const std::regex kWord(R"(\bpassword\s*=\s*([^\s']+))");
  if (std::regex_search(s, m, kWord)) {
    return m[1].str();
  }
  return "";
}

std::string RedactConninfo(std::string_view conninfo) {
  std::string s(conninfo);
  // URL userinfo: scheme://user:secret@host
  static const std::regex kUserinfo(R"(((?:postgres|postgresql)://[^:/@\s]*):([^@/\s]*)@)");
  s = std::regex_replace(s, kUserinfo, "$1:***@");
  // URL parameter password=... (up to & or whitespace).
  static const std::regex kUrlParam(R"(([?&]password=)[^&\s]*)");
  s = std::regex_replace(s, kUrlParam, "$1***");
  // keyword/value: password = 'quoted' or password=word
  static const std::regex kKeywordQuoted(R"((\bpassword\s*=\s*)'(?:[^'\\]|\\.)*')");
  s = std::regex_replace(s, kKeywordQuoted, "$1***");
  static const std::regex kKeyword(R"((\bpassword\s*=\s*)(?!\*\*\*)[^\s'&]+)");
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
  return RedactConninfo(s);
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
