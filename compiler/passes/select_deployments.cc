// Pass `select-deployments` (transform).
// Input: a validated plan (every deployment of the file), phases not built yet.
// Output: only the deployments named by --deployment (DeploymentNameMatches), in file order (all of
// them when none was named). Names the file does not define are ignored here; the caller reports
// them (UnknownDeployments in pipeline.h). Diagnostics: none.
#include <algorithm>
#include <memory>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

class SelectDeploymentsPass : public Pass {
 public:
  std::string_view Name() const override { return "select-deployments"; }
  PassKind Kind() const override { return PassKind::kTransform; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    const auto& wanted = ctx.deployments();
    if (wanted.empty()) {
      return false;
    }
    size_t before = plan.deployments.size();
    std::erase_if(plan.deployments, [&](const plans::Deployment& d) {
      return std::none_of(wanted.begin(), wanted.end(), [&](const std::string& name) {
        return DeploymentNameMatches(name, d.name);
      });
    });
    return plan.deployments.size() != before;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeSelectDeploymentsPass() {
  return std::make_unique<SelectDeploymentsPass>();
}

}  // namespace bgplan::passes
