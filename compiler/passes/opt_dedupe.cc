// Pass `dedupe` (optimization).
// Input: any plan.
// Output: no object listed twice in a deployment (schemas by database and name, clusters, sink
// schemas and sink clusters by name; the first occurrence is kept), no object twice in one step,
// and no step that repeats an earlier step of its phase (same kind, objects, rule and direction;
// the first is kept). No empty batch is left. Repeating an idempotent object or step adds nothing,
// so the meaning is unchanged.
// Diagnostics: none (validate-objects warned about the duplicates: duplicate-object).
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

// Erases every element whose key was seen before; returns whether anything was erased.
template <typename T, typename KeyFn>
static bool EraseRepeats(std::vector<T>& items, KeyFn key) {
  std::set<decltype(key(items.front()))> seen;
  size_t before = items.size();
  std::erase_if(items, [&](const T& item) { return !seen.insert(key(item)).second; });
  return items.size() != before;
}

namespace {

class DedupePass : public Pass {
 public:
  std::string_view Name() const override { return "dedupe"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    bool changed = false;
    for (auto& d : plan.deployments) {
      changed |= EraseRepeats(
          d.schemas, [](const plans::SchemaPair& s) { return std::make_pair(s.database, s.blue); });
      changed |= EraseRepeats(d.clusters, [](const plans::ClusterPair& c) { return c.blue; });
      changed |= EraseRepeats(d.sink_schemas, [](const plans::SinkSchema& s) {
        return std::make_pair(s.database, s.name);
      });
      changed |= EraseRepeats(d.sink_clusters, [](const plans::SinkCluster& c) { return c.name; });
    }
    for (auto& phase : plan.phases) {
      for (auto& batch : phase.batches) {
        for (auto& step : batch.steps) {
          changed |= EraseRepeats(step.objects, [](const plans::ObjectRef& o) {
            return std::make_tuple(o.kind, o.deployment, o.database, o.blue, o.green);
          });
        }
      }
      std::vector<plans::Step> seen;
      for (auto& batch : phase.batches) {
        size_t before = batch.steps.size();
        std::erase_if(batch.steps, [&](const plans::Step& step) {
          bool repeat = std::any_of(seen.begin(), seen.end(), [&](const plans::Step& other) {
            return SameAction(step, other);
          });
          if (!repeat) {
            seen.push_back(step);
          }
          return repeat;
        });
        changed |= batch.steps.size() != before;
      }
      std::erase_if(phase.batches, [](const plans::Batch& b) { return b.steps.empty(); });
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeDedupePass() { return std::make_unique<DedupePass>(); }

}  // namespace bgplan::passes
