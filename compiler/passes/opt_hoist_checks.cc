// Pass `hoist-checks` (optimization).
// Input: any plan.
// Output: in every phase, each check step that came after the phase's first write now comes just
// before it (checks keep their relative order, and so do all other steps). Checks are read-only,
// so running them earlier changes no result, and a failing check now stops the phase before
// anything was changed. When the first write opens a batch, the checks join the kEach batch
// before it or get a new one; inside a batch they join it (a read-only step is valid in any
// PostgreSQL transaction; Materialize transactions hold only swaps, which never come first).
// Diagnostics: none.
#include <memory>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

class HoistChecksPass : public Pass {
 public:
  std::string_view Name() const override { return "hoist-checks"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    bool changed = false;
    for (auto& phase : plan.phases) {
      changed |= HoistInPhase(phase);
    }
    return changed;
  }

 private:
  static bool HoistInPhase(plans::Phase& phase) {
    bool found = false;
    size_t first_batch = 0;
    size_t first_index = 0;
    std::vector<plans::Step> hoisted;
    for (size_t b = 0; b < phase.batches.size(); ++b) {
      auto& steps = phase.batches[b].steps;
      for (size_t i = 0; i < steps.size();) {
        if (!found) {
          if (steps[i].IsWrite()) {
            found = true;
            first_batch = b;
            first_index = i;
          }
          ++i;
          continue;
        }
        if (steps[i].kind == plans::StepKind::kCheck) {
          hoisted.push_back(std::move(steps[i]));
          steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(i));
          continue;
        }
        ++i;
      }
    }
    if (hoisted.empty()) {
      return false;
    }
    if (first_index > 0) {
      auto& steps = phase.batches[first_batch].steps;
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(first_index), hoisted.begin(),
                   hoisted.end());
    } else if (first_batch > 0 &&
               phase.batches[first_batch - 1].mode == plans::Batch::Mode::kEach) {
      auto& steps = phase.batches[first_batch - 1].steps;
      steps.insert(steps.end(), hoisted.begin(), hoisted.end());
    } else {
      phase.batches.insert(phase.batches.begin() + static_cast<std::ptrdiff_t>(first_batch),
                           plans::Batch{plans::Batch::Mode::kEach, std::move(hoisted)});
    }
    std::erase_if(phase.batches, [](const plans::Batch& b) { return b.steps.empty(); });
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeHoistChecksPass() { return std::make_unique<HoistChecksPass>(); }

}  // namespace bgplan::passes
