// Rewriting a libpq connection string for tests: the same server as another database or role.
// Header-only (libpq), shared by the Materialize test fixture and the mzemu emulator.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <utility>
#include <vector>

namespace bgplan::testing {

// `conninfo` (URL or keyword/value) as a keyword/value string with `overrides` ({keyword,
// value}) applied; every other non-empty parameter kept. On a string libpq cannot parse, sets
// *error and returns `conninfo` unchanged.
inline std::string ConninfoWith(const std::string& conninfo,
                                const std::vector<std::pair<std::string, std::string>>& overrides,
                                std::string* error = nullptr) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts == nullptr) {
    if (error != nullptr) {
      *error = err != nullptr ? err : "unparsable connection string";
    }
    PQfreemem(err);
    return conninfo;
  }
  auto quote = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    std::string value = o->val != nullptr ? o->val : "";
    bool overridden = false;
    for (const auto& [k, v] : overrides) {
      if (k == o->keyword) {
        value = v;
        overridden = true;
      }
    }
    if (!value.empty() || overridden) {
      out += (out.empty() ? "" : " ") + std::string(o->keyword) + "=" + quote(value);
    }
  }
  PQconninfoFree(opts);
  return out;
}

}  // namespace bgplan::testing
