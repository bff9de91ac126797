// Pass `batch` (optimization).
// Input: any plan.
// Output: every phase regrouped into the fewest round trips its dialect allows, steps in the same
// order:
//  - PostgreSQL (DDL is transactional): the checks before the first write and every await-ready
//    run in kEach batches; every write of the phase, with the checks after it, in one
//    kTransaction batch (an await-ready between writes would split it, which build-phases never
//    emits), so each phase is atomic;
//  - Materialize (only swap/rename blocks are transactional): each swap step alone in a
//    kTransaction batch, every other step in kEach batches (one statement per round trip).
// Consecutive kEach batches are merged (kEach means one round trip per statement anyway).
// Diagnostics: none.
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

using Mode = plans::Batch::Mode;

static void Append(std::vector<plans::Batch>& batches, Mode mode, plans::Step step) {
  if (batches.empty() || batches.back().mode != mode) {
    batches.push_back(plans::Batch{mode, {}});
  }
  batches.back().steps.push_back(std::move(step));
}

namespace {

class BatchPass : public Pass {
 public:
  std::string_view Name() const override { return "batch"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    bool changed = false;
    bool postgres = plan.target == plans::Target::kPostgres;
    for (auto& phase : plan.phases) {
      // The steps keep their order, so the layout changed iff the batch modes or sizes did.
      std::vector<std::pair<Mode, size_t>> layout;
      std::vector<plans::Step> steps;
      for (auto& batch : phase.batches) {
        layout.emplace_back(batch.mode, batch.steps.size());
        std::move(batch.steps.begin(), batch.steps.end(), std::back_inserter(steps));
      }
      std::vector<plans::Batch> batches;
      bool wrote = false;
      for (auto& step : steps) {
        if (!postgres) {
          if (step.kind == plans::StepKind::kSwap) {
            // Never merged into the previous batch: each swap is its own transaction.
            batches.push_back(plans::Batch{Mode::kTransaction, {std::move(step)}});
          } else {
            Append(batches, Mode::kEach, std::move(step));
          }
          continue;
        }
        if (step.kind == plans::StepKind::kAwaitReady) {
          Append(batches, Mode::kEach, std::move(step));
        } else if (step.IsWrite()) {
          wrote = true;
          Append(batches, Mode::kTransaction, std::move(step));
        } else if (wrote && batches.back().mode == Mode::kTransaction) {
          Append(batches, Mode::kTransaction, std::move(step));
        } else {
          Append(batches, Mode::kEach, std::move(step));
        }
      }
      std::vector<std::pair<Mode, size_t>> new_layout;
      for (const auto& batch : batches) {
        new_layout.emplace_back(batch.mode, batch.steps.size());
      }
      changed |= new_layout != layout;
      phase.batches = std::move(batches);
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeBatchPass() { return std::make_unique<BatchPass>(); }

}  // namespace bgplan::passes
