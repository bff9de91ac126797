// Pass `validate-objects` (validation).
// Input: a lowered plan, phases not built yet.
// Output: the plan unchanged.
// Diagnostics:
//  - duplicate-object (warning): a schema (same database and name) or cluster listed twice in one
//    deployment; reported at the repetition, note at the first; the `dedupe` pass drops it;
//  - object-in-two-deployments: a schema or cluster already listed by an earlier deployment;
//    reported once per later deployment, note at the earlier occurrence;
//  - cross-database-schema: a deployment's schemas in two different databases. Only explicit
//    databases are compared: an unqualified schema with no `database` item is in the connection's
//    database, which is not known statically.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"

namespace bgplan::passes {

namespace {

// Views into the plan, which outlives the pass.
struct Seen {
  std::string_view deployment;
  SourceRange origin;
};

using SchemaKey = std::pair<std::string_view, std::string_view>;
struct SchemaKeyHash {
  size_t operator()(const SchemaKey& k) const {
    std::hash<std::string_view> hash;
    return hash(k.second) * 31 + hash(k.first);
  }
};

class ValidateObjectsPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-objects"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    // Keyed by (database, name) for schemas and name for clusters. Hash maps for lookup only
    // (never iterated), so diagnostics come in plan order.
    std::unordered_map<SchemaKey, Seen, SchemaKeyHash> file_schemas;
    std::unordered_map<std::string_view, Seen> file_clusters;
    for (const auto& d : plan.deployments) {
      std::unordered_map<SchemaKey, SourceRange, SchemaKeyHash> schemas;
      std::unordered_map<std::string_view, SourceRange> clusters;
      // This deployment's first listing of each object, in list order.
      std::vector<std::pair<SchemaKey, SourceRange>> new_schemas;
      std::vector<std::pair<std::string_view, SourceRange>> new_clusters;
      const plans::SchemaPair* first_with_database = nullptr;
      for (const auto& s : d.schemas) {
        auto shown = [&] { return DisplayName(s.database, s.blue); };
        SchemaKey key{s.database, s.blue};
        auto [it, inserted] = schemas.emplace(key, s.origin);
        if (!inserted) {
          ctx.Report(plan, DiagKind::kDuplicateObject, s.origin,
                     "schema '" + shown() + "' is listed twice in deployment '" + d.name +
                         "'; the duplicate is dropped",
                     {{it->second, "first listed here"}});
          continue;
        }
        new_schemas.emplace_back(key, s.origin);
        if (auto other = file_schemas.find(key); other != file_schemas.end()) {
          ctx.Report(plan, DiagKind::kObjectInTwoDeployments, s.origin,
                     "schema '" + shown() + "' is already deployed by deployment '" +
                         std::string(other->second.deployment) + "'",
                     {{other->second.origin, "listed here"}});
        }
        if (!s.database.empty()) {
          if (first_with_database == nullptr) {
            first_with_database = &s;
          } else if (first_with_database->database != s.database) {
            ctx.Report(plan, DiagKind::kCrossDatabaseSchema, s.origin,
                       "schema '" + shown() + "' is in database '" + s.database +
                           "' but deployment '" + d.name + "' also swaps schemas in database '" +
                           first_with_database->database + "'; a swap cannot cross databases",
                       {{first_with_database->origin,
                         "schema '" +
                             DisplayName(first_with_database->database, first_with_database->blue) +
                             "' is here"}});
          }
        }
      }
      for (const auto& c : d.clusters) {
        auto [it, inserted] = clusters.emplace(c.blue, c.origin);
        if (!inserted) {
          ctx.Report(plan, DiagKind::kDuplicateObject, c.origin,
                     "cluster '" + c.blue + "' is listed twice in deployment '" + d.name +
                         "'; the duplicate is dropped",
                     {{it->second, "first listed here"}});
          continue;
        }
        new_clusters.emplace_back(c.blue, c.origin);
        if (auto other = file_clusters.find(c.blue); other != file_clusters.end()) {
          ctx.Report(plan, DiagKind::kObjectInTwoDeployments, c.origin,
                     "cluster '" + c.blue + "' is already deployed by deployment '" +
                         std::string(other->second.deployment) + "'",
                     {{other->second.origin, "listed here"}});
        }
      }
      // Record after the whole deployment, so duplicates inside it are not "two deployments".
      // (The keys are distinct, so the order of recording does not matter.)
      for (const auto& [key, origin] : new_schemas) {
        file_schemas.emplace(key, Seen{d.name, origin});
      }
      for (const auto& [name, origin] : new_clusters) {
        file_clusters.emplace(name, Seen{d.name, origin});
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateObjectsPass() { return std::make_unique<ValidateObjectsPass>(); }

}  // namespace bgplan::passes
