// Text helpers of resolution and rendering: names made safe for SQL comments, the phrases that
// name a step's objects ("blue schemas "a", "b" and cluster "c""), and the deployments a step
// acts for. Every name reaches comment text through these (CommentSafe), so no name can end a
// comment or start a statement.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plans/plan.h"
#include "sql/dialect.h"

namespace bgplan::resolve {

// Comment-safe renderings: a quoted identifier, a quoted literal, SQL text.
std::string Name(std::string_view name);
std::string Lit(std::string_view text);
std::string Sql(std::string_view sql);
// `quoted` (already quoted and comment-safe) joined with ", ".
std::string JoinQuoted(const std::vector<std::string>& quoted);

// "1 schema", "2 schemas and 1 cluster": what a promote swapped (the journal's event), clusters
// only when there are some.
std::string SwappedText(size_t schemas, size_t clusters);

// The plan's deployments by name, built once per plan, so that finding a step's deployments
// costs a hash lookup per run of objects instead of a scan of every deployment.
class DeploymentIndex {
 public:
  explicit DeploymentIndex(const plans::Plan& plan);
  // The deployments a step's objects belong to, in plan order; every deployment of the plan when
  // the step names none (or only unknown ones).
  std::vector<const plans::Deployment*> Of(const plans::Step& step) const;
  // The first deployment named `name`, or null.
  const plans::Deployment* Find(std::string_view name) const;

 private:
  const plans::Plan& plan_;
  std::unordered_map<std::string_view, std::vector<size_t>> positions_;
};

// The promote settings that govern a step spanning several deployments (one swap transaction):
// the largest max_retries and retry_backoff (no deployment gets less than it asked for), the
// smallest lock_timeout (no deployment blocks its readers longer than it allows); wait if any
// deployment waits. Compile prints these and the executor uses them.
plans::PromoteSettings CombinePromote(const std::vector<const plans::Deployment*>& deployments);

enum class Side { kBlue, kGreen, kBoth };

// Phrases naming objects, memoized per object list: a deployment's steps in every phase share
// the same lists (plans::ObjectList), so each phrase is built once per list, not once per step.
class ObjectPhrases {
 public:
  explicit ObjectPhrases(const sql::Dialect& dialect) : dialect_(dialect) {}

  // "blue schemas "a", "b" and cluster "c"" for `objects` on `side`; kBoth gives
  // "blue ... and green ...". With `only`, objects of the other kind are left out.
  const std::string& List(const plans::ObjectList& objects, Side side,
                          std::optional<plans::ObjectKind> only = std::nullopt);
  // A schema (database-qualified where the dialect qualifies) or cluster name, comment-safe.
  std::string ObjectName(const plans::ObjectRef& o, Side side) const;
  void AppendObjectName(std::string& out, const plans::ObjectRef& o, Side side) const;
  std::string SchemaRef(std::string_view database, std::string_view name) const;

 private:
  std::string Render(const plans::ObjectList& objects, Side side,
                     std::optional<plans::ObjectKind> only) const;

  const sql::Dialect& dialect_;
  struct Phrases {
    plans::ObjectList list;
    std::optional<std::string> phrases[9];
  };
  struct KeyHash {
    size_t operator()(const std::pair<const plans::ObjectRef*, size_t>& key) const {
      return std::hash<const plans::ObjectRef*>()(key.first) ^ key.second;
    }
  };
  std::unordered_map<std::pair<const plans::ObjectRef*, size_t>, Phrases, KeyHash> phrases_;
};

// "deployment "a"" or "deployments "a", "b"".
std::string DeploymentNames(const std::vector<const plans::Deployment*>& deployments);

}  // namespace bgplan::resolve
