// Pass `validate-deployments` (validation).
// Input: a lowered plan (names folded), phases not built yet.
// Output: the plan unchanged.
// Diagnostics: duplicate-deployment (at the second name, note at the first), empty-deployment (a
// deployment naming no schema and no cluster; sinks do not count).
#include <map>
#include <memory>
#include <string>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

class ValidateDeploymentsPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-deployments"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    std::map<std::string, const plans::Deployment*> first;
    for (const auto& d : plan.deployments) {
      auto [it, inserted] = first.emplace(d.name, &d);
      if (!inserted) {
        ctx.Report(plan, DiagKind::kDuplicateDeployment, d.origin,
                   "duplicate deployment '" + d.name + "'",
                   {{it->second->origin, "deployment '" + d.name + "' is first defined here"}});
      }
      if (d.schemas.empty() && d.clusters.empty()) {
        ctx.Report(plan, DiagKind::kEmptyDeployment, d.origin,
                   "deployment '" + d.name + "' names no schema and no cluster");
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateDeploymentsPass() {
  return std::make_unique<ValidateDeploymentsPass>();
}

}  // namespace bgplan::passes
