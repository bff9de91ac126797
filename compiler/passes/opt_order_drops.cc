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
#include <numeric>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

static bool IsSchemaDrop(const plans::Step& step) {
  return !step.objects.empty() && step.objects.front().kind == plans::ObjectKind::kSchema;
}

// Each batch's mode and size.
static std::vector<std::pair<plans::Batch::Mode, size_t>> Layout(const plans::Phase& phase) {
  std::vector<std::pair<plans::Batch::Mode, size_t>> layout;
  layout.reserve(phase.batches.size());
  for (const auto& batch : phase.batches) {
    layout.emplace_back(batch.mode, batch.steps.size());
  }
  return layout;
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
    // Change detection without copying the phase: the phase is unchanged iff the drops were
    // adjacent (else a drop now stands where another step stood), each drop slot holds a step
    // equal to the one it held, and the batch layout is the same.
    std::vector<std::pair<plans::Batch::Mode, size_t>> layout_before = Layout(*cleanup);
    size_t flat = 0;
    size_t first_flat = 0;
    size_t last_flat = 0;
    bool any = false;
    StepPosition first;
    std::vector<plans::Step> drops = TakeSteps(
        *cleanup,
        [&](const plans::Step& step) {
          bool drop = step.kind == plans::StepKind::kDropGreen;
          if (drop) {
            first_flat = any ? first_flat : flat;
            last_flat = flat;
            any = true;
          }
          ++flat;
          return drop;
        },
        &first);
    if (drops.empty()) {
      return false;
    }
    // The new order, as positions in `drops`.
    std::vector<size_t> order(drops.size());
    std::iota(order.begin(), order.end(), 0);
    std::reverse(order.begin(), order.end());
    std::stable_partition(order.begin(), order.end(),
                          [&](size_t i) { return IsSchemaDrop(drops[i]); });
    bool changed = last_flat - first_flat + 1 != drops.size();
    for (size_t j = 0; j < order.size() && !changed; ++j) {
      changed = order[j] != j && !(drops[order[j]] == drops[j]);
    }
    std::vector<plans::Step> ordered;
    ordered.reserve(drops.size());
    for (size_t i : order) {
      ordered.push_back(std::move(drops[i]));
    }
    auto& target = cleanup->batches[first.batch].steps;
    target.insert(target.begin() + static_cast<std::ptrdiff_t>(first.index),
                  std::make_move_iterator(ordered.begin()), std::make_move_iterator(ordered.end()));
    DropEmptyBatches(*cleanup);
    return changed || Layout(*cleanup) != layout_before;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeOrderDropsPass() { return std::make_unique<OrderDropsPass>(); }

}  // namespace bgplan::passes
