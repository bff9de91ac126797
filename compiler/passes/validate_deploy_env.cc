// Pass `validate-deploy-env` (validation).
// Input: a lowered plan with green names computed, phases not built yet.
// Output: the plan unchanged.
// Diagnostics:
//  - deploy-env-ambiguous (warning): a name the environment of a deploy command cannot carry
//    unambiguously (plans/deploy_env.h: two objects under one BGPLAN_GREEN_<KEY> with different
//    green names, a key equal to a list variable, a comma in a listed name). A warning, because
//    the plan is sound without --deploy-cmd; `apply --deploy-cmd` refuses it as an error.
#include <memory>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"
#include "plans/deploy_env.h"

namespace bgplan::passes {

namespace {

class ValidateDeployEnvPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-deploy-env"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    for (const plans::DeployEnvProblem& p : plans::DeployEnvProblems(plan)) {
      ctx.Report(plan, DiagKind::kDeployEnvAmbiguous, p.origin, p.message);
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateDeployEnvPass() {
  return std::make_unique<ValidateDeployEnvPass>();
}

}  // namespace bgplan::passes
