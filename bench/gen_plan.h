// Generates large .bgplan files (and the same content as TOML) for the compile benchmarks.
#pragma once

#include <string>

namespace bgplan::bench {

// A materialize plan with `deployments` deployments of `schemas_per_deployment` schemas each,
// one cluster, a sinks block and await/promote settings per deployment.
std::string GeneratePlan(int deployments, int schemas_per_deployment);
// The same content as TOML (for the toml++ parse comparison).
std::string GenerateToml(int deployments, int schemas_per_deployment);

}  // namespace bgplan::bench
