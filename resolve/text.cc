#include "resolve/text.h"

#include <algorithm>

#include "sql/quote.h"
#include "sql/statements.h"
#include "support/strings.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using plans::ObjectRef;

std::string Name(std::string_view name) { return sql::CommentSafe(sql::QuoteIdent(name)); }
std::string Lit(std::string_view text) { return sql::CommentSafe(sql::QuoteLiteral(text)); }
std::string Sql(std::string_view text) { return sql::CommentSafe(text); }

std::string JoinQuoted(const std::vector<std::string>& quoted) {
  std::string out;
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += quoted[i];
  }
  return out;
}

DeploymentIndex::DeploymentIndex(const plans::Plan& plan) : plan_(plan) {
  positions_.reserve(plan.deployments.size());
  for (size_t i = 0; i < plan.deployments.size(); ++i) {
    positions_[plan.deployments[i].name].push_back(i);
  }
}

std::vector<const plans::Deployment*> DeploymentIndex::Of(const plans::Step& step) const {
  std::vector<size_t> found;
  const std::string* last = nullptr;
  for (const ObjectRef& o : step.objects) {
    // Objects of one deployment are usually adjacent: look each run up once.
    if (last != nullptr && *last == o.deployment) {
      continue;
    }
    last = &o.deployment;
    if (auto it = positions_.find(o.deployment); it != positions_.end()) {
      found.insert(found.end(), it->second.begin(), it->second.end());
    }
  }
  std::vector<const plans::Deployment*> out;
  if (found.empty()) {
    out.reserve(plan_.deployments.size());
    for (const plans::Deployment& d : plan_.deployments) {
      out.push_back(&d);
    }
    return out;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  out.reserve(found.size());
  for (size_t i : found) {
    out.push_back(&plan_.deployments[i]);
  }
  return out;
}

const plans::Deployment* DeploymentIndex::Find(std::string_view name) const {
  auto it = positions_.find(name);
  return it == positions_.end() ? nullptr : &plan_.deployments[it->second.front()];
}

plans::PromoteSettings CombinePromote(const std::vector<const plans::Deployment*>& deployments) {
  if (deployments.empty()) {
    return plans::PromoteSettings{};
  }
  plans::PromoteSettings out = deployments.front()->promote;
  for (const plans::Deployment* d : deployments) {
    out.wait = out.wait || d->promote.wait;
    out.max_retries = std::max(out.max_retries, d->promote.max_retries);
    out.retry_backoff_ms = std::max(out.retry_backoff_ms, d->promote.retry_backoff_ms);
    out.lock_timeout_ms = std::min(out.lock_timeout_ms, d->promote.lock_timeout_ms);
  }
  return out;
}

std::string ObjectPhrases::SchemaRef(std::string_view database, std::string_view name) const {
  return sql::CommentSafe(dialect_.SchemaRef(database, name));
}

std::string ObjectPhrases::ObjectName(const ObjectRef& o, Side side) const {
  std::string out;
  AppendObjectName(out, o, side);
  return out;
}

void ObjectPhrases::AppendObjectName(std::string& out, const ObjectRef& o, Side side) const {
  const std::string& name = side == Side::kGreen ? o.green : o.blue;
  sql::AppendCommentSafe(out, o.kind == ObjectKind::kCluster ? sql::QuoteIdent(name)
                                                              : dialect_.SchemaRef(o.database, name));
}

const std::string& ObjectPhrases::List(const plans::ObjectList& objects, Side side,
                                       std::optional<ObjectKind> only) {
  Phrases& entry = phrases_[{objects.begin(), objects.size()}];
  if (entry.list.begin() != objects.begin()) {
    entry.list = objects;  // a new entry: keep the list's storage (and address) taken
  }
  const size_t key =
      static_cast<size_t>(side) * 3 + (only.has_value() ? 1 + static_cast<size_t>(*only) : 0);
  std::optional<std::string>& phrase = entry.phrases[key];
  if (!phrase.has_value()) {
    phrase = Render(objects, side, only);
  }
  return *phrase;
}

std::string ObjectPhrases::Render(const plans::ObjectList& objects, Side side,
                                  std::optional<ObjectKind> only) const {
  // Names are appended in place (no string per name): large plans render long lists.
  auto list = [&](std::string& text, ObjectKind kind, Side s, const char* one, const char* many) {
    if (only.has_value() && *only != kind) {
      return;
    }
    size_t count = 0;
    for (const ObjectRef& o : objects) {
      count += o.kind == kind ? 1 : 0;
    }
    if (count == 0) {
      return;
    }
    if (!text.empty()) {
      text += " and ";
    }
    text += count == 1 ? one : many;
    bool first = true;
    for (const ObjectRef& o : objects) {
      if (o.kind != kind) {
        continue;
      }
      text += first ? "" : ", ";
      first = false;
      AppendObjectName(text, o, s);
    }
  };
  auto phrase = [&](Side s) {
    std::string text;
    list(text, ObjectKind::kSchema, s, "schema ", "schemas ");
    list(text, ObjectKind::kCluster, s, "cluster ", "clusters ");
    if (text.empty() && only.has_value()) {
      return std::string(*only == ObjectKind::kSchema ? "schemas" : "clusters") +
             " (none in this deployment)";
    }
    return text.empty() ? std::string("(no objects)") : text;
  };
  if (side == Side::kBoth) {
    return "blue " + phrase(Side::kBlue) + " and green " + phrase(Side::kGreen);
  }
  return (side == Side::kBlue ? "blue " : "green ") + phrase(side);
}

std::string DeploymentNames(const std::vector<const plans::Deployment*>& deployments) {
  std::vector<std::string> names;
  for (const plans::Deployment* d : deployments) {
    names.push_back(Name(d->name));
  }
  return (names.size() == 1 ? "deployment " : "deployments ") + JoinQuoted(names);
}

std::string SwappedText(size_t schemas, size_t clusters) {
  auto count = [](size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  std::vector<std::string> parts;
  if (schemas > 0 || clusters == 0) {
    parts.push_back(count(schemas, "schema"));
  }
  if (clusters > 0) {
    parts.push_back(count(clusters, "cluster"));
  }
  return Join(parts, " and ");
}

}  // namespace bgplan::resolve
