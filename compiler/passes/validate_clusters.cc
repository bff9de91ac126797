// Pass `validate-clusters` (validation).
// Input: a lowered plan, phases not built yet.
// Output: the plan unchanged.
// Diagnostics:
//  - clusters-not-supported: with target postgres, every listed cluster, `cluster X { }` block and
//    sink cluster (PostgreSQL has no clusters); note at the `target` line when the file set it;
//  - unknown-cluster-override: (Materialize) a `cluster X { }` block for an X that its deployment
//    does not list in `clusters`, with a suggestion when a listed cluster is a close match.
#include <memory>
#include <string>

#include "compiler/lower/lower.h"
#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

class ValidateClustersPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-clusters"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    if (plan.target == plans::Target::kPostgres) {
      std::vector<Diagnostic::Note> notes;
      if (plan.target_origin.valid()) {
        notes.push_back({plan.target_origin, "target set to 'postgres' here"});
      }
      for (const auto& d : plan.deployments) {
        for (const auto& c : d.clusters) {
          ctx.Report(plan, DiagKind::kClustersNotSupported, c.origin,
                     "cluster '" + c.blue + "': clusters are not supported with target postgres",
                     notes);
        }
        for (const auto& o : d.cluster_overrides) {
          ctx.Report(
              plan, DiagKind::kClustersNotSupported, o.origin,
              "'cluster " + o.name + "' block: clusters are not supported with target postgres",
              notes);
        }
        for (const auto& c : d.sink_clusters) {
          ctx.Report(
              plan, DiagKind::kClustersNotSupported, c.origin,
              "sink cluster '" + c.name + "': clusters are not supported with target postgres",
              notes);
        }
      }
      return false;
    }
    for (const auto& d : plan.deployments) {
      for (const auto& o : d.cluster_overrides) {
        bool listed = false;
        const plans::ClusterPair* closest = nullptr;
        int closest_distance = 0;
        for (const auto& c : d.clusters) {
          listed = listed || c.blue == o.name;
          int distance = lower::EditDistance(o.name, c.blue);
          if (closest == nullptr || distance < closest_distance) {
            closest = &c;
            closest_distance = distance;
          }
        }
        if (listed) {
          continue;
        }
        std::string message = "settings for cluster '" + o.name + "', which deployment '" + d.name +
                              "' does not list in 'clusters'";
        std::vector<Diagnostic::Note> notes;
        // Suggest only a plausible typo: at most a third of the name changed.
        if (closest != nullptr &&
            closest_distance <= std::max<int>(1, static_cast<int>(o.name.size()) / 3)) {
          message += "; did you mean '" + closest->blue + "'?";
          notes.push_back({closest->origin, "'" + closest->blue + "' is listed here"});
        }
        ctx.Report(plan, DiagKind::kUnknownClusterOverride, o.origin, message, notes);
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateClustersPass() {
  return std::make_unique<ValidateClustersPass>();
}

}  // namespace bgplan::passes
