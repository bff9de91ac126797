// Pass `validate-sinks` (validation).
// Input: a lowered plan, phases not built yet.
// Output: the plan unchanged.
// Diagnostics: sink-schema-swapped (a `sinks` schema that any deployment of the file swaps),
// sink-cluster-swapped (likewise for clusters). Sinks are never swapped: a sink inside a swapped
// schema or cluster would move with it. Reported at the sink, note at the swapped object.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

// Views into the plan, which outlives the pass.
struct Swapped {
  std::string_view deployment;
  SourceRange origin;
};

using SchemaKey = std::pair<std::string_view, std::string_view>;
struct SchemaKeyHash {
  size_t operator()(const SchemaKey& k) const {
    std::hash<std::string_view> hash;
    return hash(k.second) * 31 + hash(k.first);
  }
};

class ValidateSinksPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-sinks"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    // Hash maps for lookup only (never iterated); the first deployment to swap an object wins.
    std::unordered_map<SchemaKey, Swapped, SchemaKeyHash> schemas;
    std::unordered_map<std::string_view, Swapped> clusters;
    for (const auto& d : plan.deployments) {
      for (const auto& s : d.schemas) {
        schemas.emplace(SchemaKey{s.database, s.blue}, Swapped{d.name, s.origin});
      }
      for (const auto& c : d.clusters) {
        clusters.emplace(c.blue, Swapped{d.name, c.origin});
      }
    }
    for (const auto& d : plan.deployments) {
      for (const auto& s : d.sink_schemas) {
        auto it = schemas.find(SchemaKey{s.database, s.name});
        if (it != schemas.end()) {
          ctx.Report(plan, DiagKind::kSinkSchemaSwapped, s.origin,
                     "sink schema '" + DisplayName(s.database, s.name) +
                         "' is also swapped by deployment '" + std::string(it->second.deployment) +
                         "'; sinks must live outside the swapped schemas",
                     {{it->second.origin, "swapped here"}});
        }
      }
      for (const auto& c : d.sink_clusters) {
        auto it = clusters.find(c.name);
        if (it != clusters.end()) {
          ctx.Report(plan, DiagKind::kSinkClusterSwapped, c.origin,
                     "sink cluster '" + c.name + "' is also swapped by deployment '" +
                         std::string(it->second.deployment) +
                         "'; sinks must live outside the swapped clusters",
                     {{it->second.origin, "swapped here"}});
        }
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateSinksPass() { return std::make_unique<ValidateSinksPass>(); }

}  // namespace bgplan::passes
