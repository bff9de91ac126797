// Pass `validate-green-names` (validation).
// Input: a lowered plan with green names computed, phases not built yet.
// Output: the plan unchanged.
// Diagnostics:
//  - green-name-collision: a green name that equals, in the same namespace, a blue name or sink
//    name anywhere in the file, or the green name of another object. Schemas collide only within
//    one database (an unqualified schema with no `database` item counts as its own database, the
//    connection's); clusters are global. A repeated object (duplicate-object,
//    object-in-two-deployments) is not also reported here;
//  - name-too-long: a green name longer than the target's identifier limit: 63 bytes on
//    PostgreSQL (NAMEDATALEN - 1), 255 bytes on Materialize (its identifier limit);
//  - swap-name-collision (PostgreSQL): the temporary name a schema is parked under during the
//    swap (plans::SwapTempName) is a blue, green or sink schema name of the plan in the same
//    database.
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
#include "plans/names.h"

namespace bgplan::passes {

namespace {

// (namespace, database, name): schemas and clusters are separate namespaces; clusters have no
// database. Views into the plan, which outlives the pass.
enum class Space { kSchema, kCluster };
struct Key {
  Space space;
  std::string_view database;
  std::string_view name;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  size_t operator()(const Key& k) const {
    std::hash<std::string_view> hash;
    return (hash(k.name) * 31 + hash(k.database)) * 2 + static_cast<size_t>(k.space);
  }
};

// One name in a namespace: what it is ("schema", "sink schema", "cluster", "sink cluster"), its
// database and name (shown as DisplayName(database, name)), its deployment and origin.
struct Entry {
  const char* what;
  std::string_view database;
  std::string_view name;
  std::string_view deployment;
  SourceRange origin;
  std::string Shown() const { return DisplayName(database, name); }
};

struct Object {
  Key blue;
  Key green;
  Entry entry;
};

class ValidateGreenNamesPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-green-names"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    bool postgres = plan.target == plans::Target::kPostgres;
    size_t limit = plans::MaxIdentifierBytes(plan.target);
    std::string limit_text = postgres ? "PostgreSQL identifiers are at most 63 bytes"
                                      : "Materialize identifiers are at most 255 bytes";

    // Hash maps for lookup only (never iterated), so diagnostics come in object order.
    size_t count = 0;
    for (const auto& d : plan.deployments) {
      count +=
          d.schemas.size() + d.sink_schemas.size() + d.clusters.size() + d.sink_clusters.size();
    }
    std::unordered_map<Key, Entry, KeyHash> blues;
    blues.reserve(count);
    std::vector<Object> objects;
    objects.reserve(count);
    for (const auto& d : plan.deployments) {
      for (const auto& s : d.schemas) {
        Key blue{Space::kSchema, s.database, s.blue};
        Entry entry{"schema", s.database, s.blue, d.name, s.origin};
        blues.emplace(blue, entry);
        objects.push_back({blue, {Space::kSchema, s.database, s.green}, entry});
      }
      for (const auto& s : d.sink_schemas) {
        blues.emplace(Key{Space::kSchema, s.database, s.name},
                      Entry{"sink schema", s.database, s.name, d.name, s.origin});
      }
      for (const auto& c : d.clusters) {
        Key blue{Space::kCluster, "", c.blue};
        Entry entry{"cluster", "", c.blue, d.name, c.origin};
        blues.emplace(blue, entry);
        objects.push_back({blue, {Space::kCluster, "", c.green}, entry});
      }
      for (const auto& c : d.sink_clusters) {
        blues.emplace(Key{Space::kCluster, "", c.name},
                      Entry{"sink cluster", "", c.name, d.name, c.origin});
      }
    }

    std::unordered_map<Key, const Object*, KeyHash> greens;
    greens.reserve(objects.size());
    std::unordered_set<Key, KeyHash> checked;
    checked.reserve(objects.size());
    for (const auto& o : objects) {
      // A repeated object was reported by validate-objects; check each blue once.
      if (!checked.insert(o.blue).second) {
        continue;
      }
      const std::string green_name(o.green.name);
      if (green_name.size() > limit) {
        ctx.Report(plan, DiagKind::kNameTooLong, o.entry.origin,
                   "green name '" + green_name + "' of " + o.entry.what + " '" + o.entry.Shown() +
                       "' is " + std::to_string(green_name.size()) + " bytes long; " + limit_text);
      }
      if (auto it = blues.find(o.green); it != blues.end()) {
        const Entry& e = it->second;
        ctx.Report(plan, DiagKind::kGreenNameCollision, o.entry.origin,
                   "green name '" + green_name + "' of " + o.entry.what + " '" + o.entry.Shown() +
                       "' is also the name of " + e.what + " '" + e.Shown() + "' in deployment '" +
                       std::string(e.deployment) + "'",
                   {{e.origin, std::string(e.what) + " '" + e.Shown() + "' is listed here"}});
        continue;
      }
      auto [it, inserted] = greens.emplace(o.green, &o);
      if (!inserted) {
        const Entry& other = it->second->entry;
        ctx.Report(
            plan, DiagKind::kGreenNameCollision, o.entry.origin,
            "green name '" + green_name + "' of " + o.entry.what + " '" + o.entry.Shown() +
                "' is also the green name of " + other.what + " '" + other.Shown() +
                "' in deployment '" + std::string(other.deployment) + "'",
            {{other.origin, std::string(other.what) + " '" + other.Shown() + "' is listed here"}});
      }
    }
    if (postgres) {
      // The three-rename swap parks blue under a temporary name: it must not be a name the plan
      // uses in the same database (e.g. `suffix '_bgplan_swap'` makes it green's own name).
      std::unordered_set<Key, KeyHash> reported;
      for (const auto& o : objects) {
        if (o.blue.space != Space::kSchema || !reported.insert(o.blue).second) {
          continue;
        }
        const std::string tmp = plans::SwapTempName(o.blue.name, limit);
        const Key key{Space::kSchema, o.blue.database, tmp};
        const Entry* other = nullptr;
        std::string role;
        if (auto it = blues.find(key); it != blues.end()) {
          other = &it->second;
          role = "the name of ";
        } else if (auto g = greens.find(key); g != greens.end()) {
          other = &g->second->entry;
          role = "the green name of ";
        }
        if (other != nullptr && other->origin == o.entry.origin) {
          ctx.Report(plan, DiagKind::kSwapNameCollision, o.entry.origin,
                     "promote parks " + std::string(o.entry.what) + " '" + o.entry.Shown() +
                         "' under the temporary name '" + tmp +
                         "' while it swaps, which is its own green name (choose another suffix)");
        } else if (other != nullptr) {
          ctx.Report(plan, DiagKind::kSwapNameCollision, o.entry.origin,
                     "promote parks " + std::string(o.entry.what) + " '" + o.entry.Shown() +
                         "' under the temporary name '" + tmp + "' while it swaps, which is also " +
                         role + other->what + " '" + other->Shown() + "' in deployment '" +
                         std::string(other->deployment) + "'",
                     {{other->origin, std::string(other->what) + " '" + other->Shown() +
                                          "' is listed here"}});
        }
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateGreenNamesPass() {
  return std::make_unique<ValidateGreenNamesPass>();
}

}  // namespace bgplan::passes
