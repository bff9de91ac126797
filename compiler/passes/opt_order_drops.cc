// Pass `order-drops` (optimization).
// Input: any plan.
// Output: in cleanup, every drop-green step moved to the position of the first one, ordered so
// that none fails on a dependency: schemas before clusters (dropping a schema CASCADE removes
// the indexes and materialized views it holds on the clusters), and within each kind the reverse
// of declaration order (deployments in file order, objects in list order), so later objects,
// which may depend on earlier ones, go first. Other steps keep their relative order. Linear in
// the number of steps.
// Diagnostics: none.
#include <algorithm>
#include <memory>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

static bool IsSchemaDrop(const plans::Step& step) {
  return !step.objects.empty() && step.objects.front().kind == plans::ObjectKind::kSchema;
}

namespace {

class OrderDropsPass : public Pass {
 public:
  std::string_view Name() const override { return "order-drops"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    plans::Phase* cleanup = FindMutablePhase(plan, plans::PhaseKind::kCleanup);
    if (cleanup == nullptr) {
      return false;
    }
    plans::Phase before = *cleanup;
    StepPosition first;
    std::vector<plans::Step> drops = TakeSteps(
        *cleanup, [](const plans::Step& step) { return step.kind == plans::StepKind::kDropGreen; },
        &first);
    if (drops.empty()) {
      return false;
    }
    std::reverse(drops.begin(), drops.end());
    std::stable_partition(drops.begin(), drops.end(), IsSchemaDrop);
    auto& target = cleanup->batches[first.batch].steps;
    target.insert(target.begin() + static_cast<std::ptrdiff_t>(first.index),
                  std::make_move_iterator(drops.begin()), std::make_move_iterator(drops.end()));
    DropEmptyBatches(*cleanup);
    return !(*cleanup == before);
  }
};

}  // namespace

std::unique_ptr<Pass> MakeOrderDropsPass() { return std::make_unique<OrderDropsPass>(); }

}  // namespace bgplan::passes
