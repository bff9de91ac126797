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
#include <unordered_map>
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

// The objects' part of HashStep: their blue names' hashes, in order.
static size_t HashObjects(const plans::ObjectList& objects) {
  std::hash<std::string> hash;
  size_t seed = objects.size();
  for (const auto& o : objects) {
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

// Hashes part of what SameAction compares (equal actions hash equal; the set then compares in
// full): kind, rule, direction and HashObjects. The blue names tell apart the steps of one kind and
// rule, and objects that differ elsewhere but share a blue name are rare.
static size_t HashStep(const plans::Step& step, size_t objects_hash) {
  size_t seed = Mix(static_cast<size_t>(step.kind), std::hash<std::string>()(step.rule));
  seed = Mix(seed, step.reverse ? 1 : 0);
  return Mix(seed, objects_hash);
}

namespace {

// HashObjects of the shared lists (plans::ObjectList) already seen without a repeated object, by
// list (first object's address and size): most lists are viewed by many steps. An entry holds its
// list, so the address cannot be reused by another list while the entry exists.
struct SeenList {
  plans::ObjectList list;
  size_t hash;
};
struct ListKeyHash {
  size_t operator()(const std::pair<const plans::ObjectRef*, size_t>& key) const {
    return std::hash<const plans::ObjectRef*>()(key.first) ^ key.second;
  }
};
using SeenLists =
    std::unordered_map<std::pair<const plans::ObjectRef*, size_t>, SeenList, ListKeyHash>;

}  // namespace

// The objects of `objects` whose `keep` is set, as a new list (the old one may be shared with
// other steps, so it is never changed in place).
static plans::ObjectList Kept(const plans::ObjectList& objects, const bool* keep) {
  std::vector<plans::ObjectRef> kept;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (keep[i]) {
      kept.push_back(objects[i]);
    }
  }
  return plans::ObjectList(std::move(kept));
}

// Erases every object of `step` equal to an earlier one and appends the step's HashStep (after
// the erasing) to `step_hashes`; returns whether anything was erased.
static bool EraseRepeatedObjects(plans::Step& step, std::vector<size_t>& step_hashes,
                                 SeenLists& seen_lists) {
  const plans::ObjectList& objects = step.objects;
  const std::pair<const plans::ObjectRef*, size_t> key(objects.begin(), objects.size());
  if (auto it = seen_lists.find(key); it != seen_lists.end()) {
    step_hashes.push_back(HashStep(step, it->second.hash));
    return false;
  }
  constexpr size_t kShort = 16;
  if (objects.size() <= kShort) {
    // Short lists (almost every step): pairwise comparison beats building a hash set. The blue
    // names' hashes, which the step hash needs anyway, are compared first, so a pair of
    // different objects costs one integer comparison.
    std::hash<std::string> hash;
    size_t blue_hashes[kShort];
    bool keep[kShort];
    bool dropped = false;
    for (size_t i = 0; i < objects.size(); ++i) {
      blue_hashes[i] = hash(objects[i].blue);
      keep[i] = true;
      for (size_t j = 0; j < i; ++j) {
        if (keep[j] && blue_hashes[j] == blue_hashes[i] && SameObject(objects[j], objects[i])) {
          keep[i] = false;
          dropped = true;
          break;
        }
      }
    }
    size_t kept = objects.size();
    if (dropped) {
      kept = 0;
      for (size_t i = 0; i < objects.size(); ++i) {
        if (keep[i]) {
          blue_hashes[kept++] = blue_hashes[i];
        }
      }
      step.objects = Kept(objects, keep);
    }
    size_t objects_hash = kept;
    for (size_t i = 0; i < kept; ++i) {
      objects_hash = Mix(objects_hash, blue_hashes[i]);
    }
    if (!dropped) {
      seen_lists.emplace(key, SeenList{objects, objects_hash});
    }
    step_hashes.push_back(HashStep(step, objects_hash));
    return dropped;
  }
  std::unordered_set<const plans::ObjectRef*, ObjectPtrHash, ObjectPtrEq> seen;
  seen.reserve(objects.size());
  std::unique_ptr<bool[]> keep(new bool[objects.size()]);
  bool dropped = false;
  for (size_t i = 0; i < objects.size(); ++i) {
    keep[i] = seen.insert(&objects[i]).second;
    dropped = dropped || !keep[i];
  }
  if (dropped) {
    step.objects = Kept(objects, keep.get());
  }
  const size_t objects_hash = HashObjects(step.objects);
  if (!dropped) {
    seen_lists.emplace(key, SeenList{objects, objects_hash});
  }
  step_hashes.push_back(HashStep(step, objects_hash));
  return dropped;
}

// Erases every step of `phase` that repeats an earlier one; returns whether anything was erased.
// `hashes` holds each step's HashStep, in phase order. Decides first, with an open-addressing
// table of step positions (no allocation per step), then compacts.
static bool EraseRepeatedSteps(plans::Phase& phase, const std::vector<size_t>& hashes) {
  std::vector<const plans::Step*> steps;
  steps.reserve(hashes.size());
  for (const auto& batch : phase.batches) {
    for (const auto& step : batch.steps) {
      steps.push_back(&step);
    }
  }
  size_t capacity = 16;
  while (capacity < 2 * steps.size()) {
    capacity *= 2;
  }
  const size_t mask = capacity - 1;
  // 1 + a position in `steps`; 0 is an empty slot.
  std::vector<size_t> table(capacity, 0);
  std::vector<bool> keep(steps.size(), true);
  bool dropped = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    size_t slot = hashes[i] & mask;
    for (; table[slot] != 0; slot = (slot + 1) & mask) {
      size_t j = table[slot] - 1;
      if (hashes[j] == hashes[i] && SameAction(*steps[j], *steps[i])) {
        keep[i] = false;
        dropped = true;
        break;
      }
    }
    if (keep[i]) {
      table[slot] = i + 1;
    }
  }
  if (!dropped) {
    return false;
  }
  size_t flat = 0;
  for (auto& batch : phase.batches) {
    std::vector<plans::Step> kept;
    for (auto& step : batch.steps) {
      if (keep[flat++]) {
        kept.push_back(std::move(step));
      }
    }
    batch.steps = std::move(kept);
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
    SeenLists seen_lists;
    for (auto& phase : plan.phases) {
      std::vector<size_t> step_hashes;
      for (auto& batch : phase.batches) {
        for (auto& step : batch.steps) {
          changed |= EraseRepeatedObjects(step, step_hashes, seen_lists);
        }
      }
      changed |= EraseRepeatedSteps(phase, step_hashes);
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeDedupePass() { return std::make_unique<DedupePass>(); }

}  // namespace bgplan::passes
