// The Materialize server version and the statement forms that need a newer one (issue 13).
// bgplan reads the version once per connection, in the first query it runs anyway (`version()`,
// runtime/catalog), so knowing it costs no round trip.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace bgplan::resolve {

struct ServerVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const ServerVersion&) const = default;
  std::string Text() const;  // "v26.40.0"
};

// The `vMAJOR.MINOR.PATCH` of a Materialize version text: `version()` ("PostgreSQL 9.5 on ...
// (Materialize 26.40.0)"), `mz_version()` ("v26.40.0 (abc)") or the handshake parameter
// `mz_version`. nullopt when the text names no Materialize version (PostgreSQL).
std::optional<ServerVersion> ParseMaterializeVersion(std::string_view text);

// The oldest Materialize release bgplan's statements and catalog queries were checked against
// (docs/materialize.md). An older server gets one warning per command.
inline constexpr ServerVersion kOldestCheckedMaterialize{26, 0, 0};

// A statement form that only newer servers accept.
struct ServerFeature {
  std::string_view name;  // what the statement uses, e.g. "AUTO SCALING STRATEGY"
  ServerVersion since;
};
// Release notes v26.34. (Each feature bgplan can send gets its entry here and a
// Resolver::Impl::RequireServer call where the statement is built.)
inline constexpr ServerFeature kAutoScalingStrategy{"AUTO SCALING STRATEGY", {26, 34, 0}};
// Release notes v26.35: ALTER CLUSTER ... SET (SIZE ...) completes in the background, and
// mz_internal.mz_cluster_reconfigurations shows what is in progress (read only from then on).
inline constexpr ServerFeature kAsyncClusterReconfiguration{
    "mz_internal.mz_cluster_reconfigurations", {26, 35, 0}};

// True when `version` is known and older than `feature` needs. An unknown version (not parsed)
// is not refused: the server has the last word.
bool TooOld(const std::optional<ServerVersion>& version, const ServerFeature& feature);

}  // namespace bgplan::resolve
