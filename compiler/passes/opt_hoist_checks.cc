// Pass `hoist-checks` (optimization).
// Input: any plan.
// Output: in every phase, each check step that came after the phase's first write now comes just
// before it (checks keep their relative order, and so do all other steps). Checks are read-only,
// so running them earlier changes no result, and a failing check now stops the phase before
// anything was changed. When the first write opens a batch, the checks join the kEach batch
// before it or get a new one; inside a batch they join it (a read-only step is valid in any
// PostgreSQL transaction; Materialize transactions hold only swaps, which never come first).
// Linear in the number of steps.
// Diagnostics: none.
#include <memory>
#include <optional>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

// Where the first write of `phase` stands, if it has one.
static std::optional<StepPosition> FirstWrite(const plans::Phase& phase) {
  for (size_t b = 0; b < phase.batches.size(); ++b) {
    const auto& steps = phase.batches[b].steps;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].IsWrite()) {
        return StepPosition{b, i};
      }
    }
  }
  return std::nullopt;
}

static bool HoistInPhase(plans::Phase& phase) {
  std::optional<StepPosition> first_write = FirstWrite(phase);
  if (!first_write.has_value()) {
    return false;
  }
  bool after = false;
  // Every taken step comes after the first write, so its position is unchanged by the taking.
  std::vector<plans::Step> hoisted = TakeSteps(
      phase,
      [&](const plans::Step& step) {
        if (!after) {
          after = step.IsWrite();
          return false;
        }
        return step.kind == plans::StepKind::kCheck;
      },
      nullptr);
  if (hoisted.empty()) {
    return false;
  }
  auto [b, i] = *first_write;
  if (i > 0) {
    auto& steps = phase.batches[b].steps;
    steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(i),
                 std::make_move_iterator(hoisted.begin()), std::make_move_iterator(hoisted.end()));
  } else if (b > 0 && phase.batches[b - 1].mode == plans::Batch::Mode::kEach) {
    auto& steps = phase.batches[b - 1].steps;
    steps.insert(steps.end(), std::make_move_iterator(hoisted.begin()),
                 std::make_move_iterator(hoisted.end()));
  } else {
    phase.batches.insert(phase.batches.begin() + static_cast<std::ptrdiff_t>(b),
                         plans::Batch{plans::Batch::Mode::kEach, std::move(hoisted)});
  }
  DropEmptyBatches(phase);
  return true;
}

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
};

}  // namespace

std::unique_ptr<Pass> MakeHoistChecksPass() { return std::make_unique<HoistChecksPass>(); }

}  // namespace bgplan::passes
