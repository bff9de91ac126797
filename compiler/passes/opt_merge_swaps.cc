// Pass `merge-swaps` (optimization).
// Input: any plan; in promote and rollback, the swap steps are consecutive (build-phases emits
// them so), so gathering them at the first one moves no swap past another step.
// Output: in promote and in rollback, one swap step acting on the objects of every swap step of
// the phase, schemas first then clusters (each in their previous order), at the position of the
// first swap, alone in a kTransaction batch: all selected deployments are swapped atomically
// together (language.md section 4, semantics.md section 3 promote step 4). The merged step keeps
// the first swap's origin. Linear in the number of steps.
// Diagnostics: none.
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

// `previous`: the objects of the swap merged in the phase before (promote), shared when equal.
static bool MergeInPhase(plans::Phase& phase, plans::ObjectList* previous) {
  // Already merged: a single swap alone in a kTransaction batch.
  size_t swap_count = 0;
  bool alone = false;
  for (const auto& batch : phase.batches) {
    for (const auto& step : batch.steps) {
      if (step.kind == plans::StepKind::kSwap) {
        ++swap_count;
        alone = batch.steps.size() == 1 && batch.mode == plans::Batch::Mode::kTransaction;
      }
    }
  }
  if (swap_count == 0 || (swap_count == 1 && alone)) {
    return false;
  }
  StepPosition first;
  std::vector<plans::Step> swaps = TakeSteps(
      phase, [](const plans::Step& step) { return step.kind == plans::StepKind::kSwap; }, &first);
  if (swaps.empty()) {
    return false;
  }
  plans::Step merged;
  merged.kind = plans::StepKind::kSwap;
  merged.reverse = swaps.front().reverse;
  merged.origin = swaps.front().origin;
  size_t object_count = 0;
  for (const auto& swap : swaps) {
    object_count += swap.objects.size();
  }
  std::vector<plans::ObjectRef> objects;
  objects.reserve(object_count);
  for (auto object_kind : {plans::ObjectKind::kSchema, plans::ObjectKind::kCluster}) {
    for (const auto& swap : swaps) {
      for (const auto& object : swap.objects) {
        if (object.kind == object_kind) {
          objects.push_back(object);
        }
      }
    }
  }
  // Rollback's merged swap names the same objects as promote's: share promote's list.
  if (std::equal(previous->begin(), previous->end(), objects.begin(), objects.end())) {
    merged.objects = *previous;
  } else {
    merged.objects = std::move(objects);
    *previous = merged.objects;
  }
  // Split the batch that held the first swap around the merged swap.
  plans::Batch& host = phase.batches[first.batch];
  plans::Batch tail{host.mode, {}};
  tail.steps.assign(
      std::make_move_iterator(host.steps.begin() + static_cast<std::ptrdiff_t>(first.index)),
      std::make_move_iterator(host.steps.end()));
  host.steps.resize(first.index);
  auto at = phase.batches.begin() + static_cast<std::ptrdiff_t>(first.batch) + 1;
  plans::Batch merged_batch{plans::Batch::Mode::kTransaction, {}};
  merged_batch.steps.push_back(std::move(merged));
  at = phase.batches.insert(at, std::move(merged_batch));
  phase.batches.insert(at + 1, std::move(tail));
  DropEmptyBatches(phase);
  return true;
}

namespace {

class MergeSwapsPass : public Pass {
 public:
  std::string_view Name() const override { return "merge-swaps"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    bool changed = false;
    plans::ObjectList previous;
    for (auto kind : {plans::PhaseKind::kPromote, plans::PhaseKind::kRollback}) {
      if (plans::Phase* phase = FindMutablePhase(plan, kind)) {
        changed |= MergeInPhase(*phase, &previous);
      }
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeMergeSwapsPass() { return std::make_unique<MergeSwapsPass>(); }

}  // namespace bgplan::passes
