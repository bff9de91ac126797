// Connection strings: choosing one (--url, BGPLAN_URL, bgplan.toml profile, libpq's own
// environment), adding application_name and the password, and showing them without secrets.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/diagnostic.h"
#include "support/status.h"

namespace bgplan::runtime {

// Where the connection came from, for messages.
enum class ConnSource { kFlag, kEnv, kProfile, kLibpqEnv };

struct ConnTarget {
  // libpq conninfo (URL or keyword/value) WITHOUT the password, without application_name.
  std::string conninfo;
  // The password to use ("" = let libpq find one: PGPASSWORD, ~/.pgpass, or inside conninfo).
  std::string password;
  ConnSource source = ConnSource::kLibpqEnv;
  // Profile name when source is kProfile.
  std::string profile;
};

struct ConnOptions {
  std::string url;          // --url
  std::string profile;      // --profile
  std::string config_path;  // --config ("" = ./bgplan.toml if present)
};

// Resolves the connection in the order of cli.md. Problems in bgplan.toml are reported to
// `diags` (errors make the result kInvalidArgument); a missing password_env variable or an
// unknown profile is kInvalidArgument.
Result<ConnTarget> ResolveConnection(const ConnOptions& options, DiagnosticEngine& diags);

// The conninfo to hand to libpq: `target.conninfo` plus application_name=bgplan and the
// password (URL query parameters or keyword/value pairs, as the string's form requires).
std::string ConninfoForLibpq(const ConnTarget& target);

// The password written inside `conninfo` (URL user:password@ or password=...), as libpq reads
// it (PQconninfoParse); "" if none or if libpq cannot parse the string. Used to hand the
// password to a deploy command as PGPASSWORD and to scrub it from error messages.
std::string PasswordInConninfo(std::string_view conninfo);

// `conninfo` for display, rebuilt from what libpq parses out of it (never a pattern over the
// text, so no spelling of a password escapes): a URL stays a URL
// (scheme://user:***@host:port/db?k=v), keyword/value stays keyword/value in libpq's order, and
// password and sslpassword show as ***. A string libpq refuses is not shown at all.
std::string RedactConninfo(std::string_view conninfo);

// A URL of libpq keyword/value `options` (in their order): scheme + user@host:port/dbname, with
// a socket directory or a host list as host= (and port=) first in the query, every other keyword
// percent-encoded in the query. Secrets (password, sslpassword) show as *** when
// `redact_secrets`, else are left out.
std::string ConninfoUrl(const std::vector<std::pair<std::string, std::string>>& options,
                        std::string_view scheme, bool redact_secrets);

// `text` with every occurrence of `password` (when not empty) and every conninfo-looking
// password replaced by ***. Used on every error message that may echo a connection string.
std::string ScrubSecrets(std::string_view text, std::string_view password);

// Percent-encodes `text` for a URL component.
std::string PercentEncode(std::string_view text);
inline std::string PercentEncodeUser(std::string_view text) { return PercentEncode(text); }

}  // namespace bgplan::runtime
