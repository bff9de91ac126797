// A Materialize cluster as an option list: what SHOW CREATE CLUSTER prints for blue, changed by
// the plan's `cluster X { }` settings, and printed again as the CREATE CLUSTER of green. Options
// bgplan does not know (a newer release's) pass through unchanged, so a green cluster is an
// exact clone of blue whatever the server adds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/statements.h"

namespace bgplan::sql {

// One option: the key in upper case with single spaces ("REPLICATION FACTOR") and the value as
// SQL text ("1", "'25cc'", "INTERVAL '00:00:01'", "(ON HYDRATION (HYDRATION SIZE = '50cc'))").
struct ClusterOption {
  std::string key;
  std::string value;
  bool operator==(const ClusterOption&) const = default;
};
using ClusterOptionList = std::vector<ClusterOption>;

// The options of `create_sql`, the text SHOW CREATE CLUSTER gave for cluster `name`: exactly
// `CREATE CLUSTER "<name>" (<KEY> = <value>, ...)` with balanced quotes and parentheses and no
// `;` or comment outside quotes. nullopt for anything else (the caller clones from the catalog
// columns then): a value is replayed as it is, so nothing but a well-formed list is accepted.
std::optional<ClusterOptionList> ParseCreateClusterOptions(std::string_view create_sql,
                                                           std::string_view name);

// The option `key`, or null.
const ClusterOption* FindClusterOption(const ClusterOptionList& options, std::string_view key);
// Replaces the value of `key` where it is, or appends the option.
void SetClusterOption(ClusterOptionList& options, std::string_view key, std::string value);
void RemoveClusterOption(ClusterOptionList& options, std::string_view key);

// CREATE CLUSTER "name" (KEY = value, ...);  in the order given.
std::string CreateClusterFromOptions(std::string_view name, const ClusterOptionList& options);

// The value of AUTO SCALING STRATEGY: (ON HYDRATION (HYDRATION SIZE = '...'[, LINGER DURATION =
// '...'])), or () for none.
std::string AutoScalingStrategyValue(const AutoScalingStrategy& strategy);

// ALTER CLUSTER "name" SET (AUTO SCALING STRATEGY = <value>);  or, for no strategy (an empty
// hydration_size), ALTER CLUSTER "name" RESET (AUTO SCALING STRATEGY);
std::string AlterAutoScalingStrategySql(std::string_view name, const AutoScalingStrategy& strategy);

// A duration in milliseconds as Materialize's interval text: "90s", "1500ms", "0s".
std::string IntervalText(int64_t ms);

}  // namespace bgplan::sql
