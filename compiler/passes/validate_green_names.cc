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
//    PostgreSQL (NAMEDATALEN - 1), 255 bytes on Materialize (its identifier limit).
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

// One name in a namespace: what it is ("schema", "sink schema", "cluster", "sink cluster"), the
// name as shown, its deployment and origin.
struct Entry {
  std::string what;
  std::string shown;
  std::string deployment;
  SourceRange origin;
};

// (namespace, database, name): schemas and clusters are separate namespaces; clusters have no
// database.
enum class Space { kSchema, kCluster };
using Key = std::tuple<Space, std::string, std::string>;

struct Object {
  Key blue;
  Key green;
  std::string what;
  std::string blue_shown;
  std::string green_name;
  std::string deployment;
  SourceRange origin;
};

class ValidateGreenNamesPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-green-names"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    bool postgres = plan.target == plans::Target::kPostgres;
    size_t limit = postgres ? 63 : 255;
    std::string limit_text = postgres ? "PostgreSQL identifiers are at most 63 bytes"
                                      : "Materialize identifiers are at most 255 bytes";

    std::map<Key, Entry> blues;
    std::vector<Object> objects;
    for (const auto& d : plan.deployments) {
      for (const auto& s : d.schemas) {
        Key blue{Space::kSchema, s.database, s.blue};
        blues.emplace(blue, Entry{"schema", DisplayName(s.database, s.blue), d.name, s.origin});
        objects.push_back({blue,
                           {Space::kSchema, s.database, s.green},
                           "schema",
                           DisplayName(s.database, s.blue),
                           s.green,
                           d.name,
                           s.origin});
      }
      for (const auto& s : d.sink_schemas) {
        blues.emplace(Key{Space::kSchema, s.database, s.name},
                      Entry{"sink schema", DisplayName(s.database, s.name), d.name, s.origin});
      }
      for (const auto& c : d.clusters) {
        Key blue{Space::kCluster, "", c.blue};
        blues.emplace(blue, Entry{"cluster", c.blue, d.name, c.origin});
        objects.push_back(
            {blue, {Space::kCluster, "", c.green}, "cluster", c.blue, c.green, d.name, c.origin});
      }
      for (const auto& c : d.sink_clusters) {
        blues.emplace(Key{Space::kCluster, "", c.name},
                      Entry{"sink cluster", c.name, d.name, c.origin});
      }
    }

    std::map<Key, const Object*> greens;
    std::map<Key, bool> checked;
    for (const auto& o : objects) {
      // A repeated object was reported by validate-objects; check each blue once.
      if (!checked.emplace(o.blue, true).second) {
        continue;
      }
      if (o.green_name.size() > limit) {
        ctx.Report(plan, DiagKind::kNameTooLong, o.origin,
                   "green name '" + o.green_name + "' of " + o.what + " '" + o.blue_shown +
                       "' is " + std::to_string(o.green_name.size()) + " bytes long; " +
                       limit_text);
      }
      if (auto it = blues.find(o.green); it != blues.end()) {
        const Entry& e = it->second;
        ctx.Report(plan, DiagKind::kGreenNameCollision, o.origin,
                   "green name '" + o.green_name + "' of " + o.what + " '" + o.blue_shown +
                       "' is also the name of " + e.what + " '" + e.shown + "' in deployment '" +
                       e.deployment + "'",
                   {{e.origin, e.what + " '" + e.shown + "' is listed here"}});
        continue;
      }
      auto [it, inserted] = greens.emplace(o.green, &o);
      if (!inserted) {
        const Object& other = *it->second;
        ctx.Report(plan, DiagKind::kGreenNameCollision, o.origin,
                   "green name '" + o.green_name + "' of " + o.what + " '" + o.blue_shown +
                       "' is also the green name of " + other.what + " '" + other.blue_shown +
                       "' in deployment '" + other.deployment + "'",
                   {{other.origin, other.what + " '" + other.blue_shown + "' is listed here"}});
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
