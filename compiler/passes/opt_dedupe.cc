// Pass `dedupe` (optimization).
// Input: any plan.
// Output: no object listed twice in a deployment (schemas by database and name, clusters, sink
// schemas and sink clusters by name; the first occurrence is kept), no object twice in one step,
// and no step that repeats an earlier step of its phase (same kind, objects, rule and direction;
// the first is kept). No empty batch is left. Repeating an idempotent object or step adds nothing,
// so the meaning is unchanged. Linear in the size of the plan: hash sets are used for membership
// only, never iterated, so the output order is the input order.
// Diagnostics: none (validate-objects warned about the duplicates: duplicate-object).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

static size_t Mix(size_t seed, size_t value) { return seed * 1000003u ^ value; }

// ObjectRef equality, most distinctive field first (objects of one step usually share their
// kind, deployment and database and differ in their names).
static bool SameObject(const plans::ObjectRef& a, const plans::ObjectRef& b) {
  return a.blue == b.blue && a.green == b.green && a.kind == b.kind &&
         a.deployment == b.deployment && a.database == b.database;
}

static size_t HashObject(const plans::ObjectRef& o) {
  std::hash<std::string> hash;
  size_t seed = static_cast<size_t>(o.kind);
  for (const std::string* field : {&o.deployment, &o.database, &o.blue, &o.green}) {
    seed = Mix(seed, hash(*field));
  }
  return seed;
}

// Hashes part of what SameAction compares (equal actions hash equal; the set then compares in
// full): the blue names tell apart the steps of one kind and rule, and objects that differ
// elsewhere but share a blue name are rare.
static size_t HashStep(const plans::Step& step) {
  std::hash<std::string> hash;
  size_t seed = Mix(static_cast<size_t>(step.kind), hash(step.rule));
  seed = Mix(seed, step.reverse ? 1 : 0);
  seed = Mix(seed, step.objects.size());
  for (const auto& o : step.objects) {
    seed = Mix(seed, hash(o.blue));
  }
  return seed;
}

namespace {

struct ObjectPtrHash {
  size_t operator()(const plans::ObjectRef* o) const { return HashObject(*o); }
};
struct ObjectPtrEq {
  bool operator()(const plans::ObjectRef* a, const plans::ObjectRef* b) const {
    return SameObject(*a, *b);
  }
};
struct StepPtrHash {
  size_t operator()(const plans::Step* s) const { return HashStep(*s); }
};
struct StepPtrEq {
  bool operator()(const plans::Step* a, const plans::Step* b) const { return SameAction(*a, *b); }
};

using Views = std::pair<std::string_view, std::string_view>;
struct ViewsHash {
  size_t operator()(const Views& k) const {
    std::hash<std::string_view> hash;
    return Mix(hash(k.first), hash(k.second));
  }
};

}  // namespace

// Erases every element whose key (views into the element) was seen before; returns whether
// anything was erased. Decides on the unmoved elements first, then compacts, so the keys stay
// valid while they are compared.
template <typename T, typename KeyFn>
static bool EraseRepeats(std::vector<T>& items, KeyFn key) {
  if (items.size() < 2) {
    return false;
  }
  std::unordered_set<Views, ViewsHash> seen;
  seen.reserve(items.size());
  std::vector<bool> keep(items.size());
  bool dropped = false;
  for (size_t i = 0; i < items.size(); ++i) {
    keep[i] = seen.insert(key(items[i])).second;
    dropped = dropped || !keep[i];
  }
  if (!dropped) {
    return false;
  }
  size_t out = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (keep[i]) {
      if (out != i) {
        items[out] = std::move(items[i]);
      }
      ++out;
    }
  }
  items.resize(out);
  return true;
}

// Erases every object equal to an earlier one; returns whether anything was erased.
static bool EraseRepeatedObjects(std::vector<plans::ObjectRef>& objects) {
  if (objects.size() < 2) {
    return false;
  }
  std::vector<bool> keep(objects.size(), true);
  bool dropped = false;
  constexpr size_t kShort = 16;
  if (objects.size() <= kShort) {
    // Short lists (almost every step): pairwise comparison beats building a hash set. The blue
    // names' hashes are compared first, so a pair of different objects costs one integer
    // comparison.
    size_t blue_hashes[kShort];
    std::hash<std::string> hash;
    for (size_t i = 0; i < objects.size(); ++i) {
      blue_hashes[i] = hash(objects[i].blue);
    }
    for (size_t i = 1; i < objects.size(); ++i) {
      for (size_t j = 0; j < i && keep[i]; ++j) {
        keep[i] =
            !(keep[j] && blue_hashes[j] == blue_hashes[i] && SameObject(objects[j], objects[i]));
      }
      dropped = dropped || !keep[i];
    }
  } else {
    std::unordered_set<const plans::ObjectRef*, ObjectPtrHash, ObjectPtrEq> seen;
    seen.reserve(objects.size());
    for (size_t i = 0; i < objects.size(); ++i) {
      keep[i] = seen.insert(&objects[i]).second;
      dropped = dropped || !keep[i];
    }
  }
  if (!dropped) {
    return false;
  }
  std::vector<plans::ObjectRef> kept;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (keep[i]) {
      kept.push_back(std::move(objects[i]));
    }
  }
  objects = std::move(kept);
  return true;
}

// Erases every step of `phase` that repeats an earlier one; returns whether anything was erased.
static bool EraseRepeatedSteps(plans::Phase& phase) {
  // Decide first (pointers stay valid while nothing moves), then compact.
  std::unordered_set<const plans::Step*, StepPtrHash, StepPtrEq> seen;
  size_t step_count = 0;
  for (const auto& batch : phase.batches) {
    step_count += batch.steps.size();
  }
  seen.reserve(step_count);
  std::vector<std::vector<bool>> keep(phase.batches.size());
  bool dropped = false;
  for (size_t b = 0; b < phase.batches.size(); ++b) {
    const auto& steps = phase.batches[b].steps;
    keep[b].resize(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
      keep[b][i] = seen.insert(&steps[i]).second;
      dropped = dropped || !keep[b][i];
    }
  }
  if (!dropped) {
    return false;
  }
  for (size_t b = 0; b < phase.batches.size(); ++b) {
    auto& steps = phase.batches[b].steps;
    std::vector<plans::Step> kept;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (keep[b][i]) {
        kept.push_back(std::move(steps[i]));
      }
    }
    steps = std::move(kept);
  }
  DropEmptyBatches(phase);
  return true;
}

namespace {

class DedupePass : public Pass {
 public:
  std::string_view Name() const override { return "dedupe"; }
  PassKind Kind() const override { return PassKind::kOptimization; }

  Result<bool> Run(plans::Plan& plan, PassContext& /*ctx*/) override {
    bool changed = false;
    for (auto& d : plan.deployments) {
      changed |= EraseRepeats(d.schemas,
                              [](const plans::SchemaPair& s) { return Views(s.database, s.blue); });
      changed |=
          EraseRepeats(d.clusters, [](const plans::ClusterPair& c) { return Views("", c.blue); });
      changed |= EraseRepeats(d.sink_schemas,
                              [](const plans::SinkSchema& s) { return Views(s.database, s.name); });
      changed |= EraseRepeats(d.sink_clusters,
                              [](const plans::SinkCluster& c) { return Views("", c.name); });
    }
    for (auto& phase : plan.phases) {
      for (auto& batch : phase.batches) {
        for (auto& step : batch.steps) {
          changed |= EraseRepeatedObjects(step.objects);
        }
      }
      changed |= EraseRepeatedSteps(phase);
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeDedupePass() { return std::make_unique<DedupePass>(); }

}  // namespace bgplan::passes
