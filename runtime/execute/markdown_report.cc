#include "runtime/execute/markdown_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "support/markdown_text.h"
#include "support/diagnostic.h"
#include "support/strings.h"

namespace bgplan::runtime::markdown {

using resolve::Action;

namespace {

using ::bgplan::markdown::Code;
using ::bgplan::markdown::Plain;
using ::bgplan::markdown::SqlBlock;

std::string Deployment(const std::string& name) {
  return name.empty() ? "(all selected)" : Code(name);
}

// "- `create-green`: 2 statement(s), 1 journal write(s)" per step kind, per deployment, in order.
std::string Changes(const resolve::ResolvedPhase& r) {
  struct Count {
    int statements = 0, journal = 0, waits = 0, checks = 0;
  };
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<std::string, Count>>> by_deployment;
  for (const resolve::ResolvedBatch& batch : r.batches) {
    for (const resolve::ResolvedStep& step : batch.steps) {
      const std::string kind =
          step.step != nullptr ? std::string(plans::StepKindName(step.step->kind)) : "step";
      for (const Action& a : step.actions) {
        if (!by_deployment.contains(a.deployment)) {
          order.push_back(a.deployment);
        }
        auto& steps = by_deployment[a.deployment];
        if (steps.empty() || steps.back().first != kind) {
          steps.push_back({kind, {}});
        }
        Count& c = steps.back().second;
        if (a.kind == Action::Kind::kSql && a.changes) {
          ++c.statements;
        } else if (a.kind == Action::Kind::kJournal) {
          ++c.journal;
        } else if (a.kind == Action::Kind::kAwait) {
          ++c.waits;
        } else if (a.kind == Action::Kind::kValidate) {
          ++c.checks;
        }
      }
    }
  }
  std::string out;
  for (const std::string& d : order) {
    std::vector<std::string> items;
    for (const auto& [kind, c] : by_deployment[d]) {
      std::vector<std::string> parts;
      if (c.statements > 0) parts.push_back(std::to_string(c.statements) + " statement(s)");
      if (c.journal > 0) parts.push_back(std::to_string(c.journal) + " journal write(s)");
      if (c.waits > 0) parts.push_back("waits until ready");
      if (c.checks > 0) parts.push_back(std::to_string(c.checks) + " validation check(s)");
      if (!parts.empty()) {
        items.push_back(Code(kind) + " (" + Join(parts) + ")");
      }
    }
    if (!items.empty()) {
      out += "- deployment " + Deployment(d) + ": " + Join(items, ", ") + "\n";
    }
  }
  return out;
}

// The rules a phase evaluated, passed or failed with their messages; `failed` may hold rules
// the phase did not list (the session's).
std::string Rules(const std::vector<std::string>& rules,
                  const std::vector<resolve::Violation>& failed,
                  const std::vector<resolve::Violation>& warnings) {
  std::set<std::string> warned;
  for (const resolve::Violation& w : warnings) {
    warned.insert(std::string(DiagKindName(w.kind)));
  }
  std::map<std::string, std::vector<const resolve::Violation*>> by_rule;
  std::vector<std::string> order = rules;
  for (const resolve::Violation& v : failed) {
    const std::string name(DiagKindName(v.kind));
    if (std::find(order.begin(), order.end(), name) == order.end()) {
      order.push_back(name);
    }
    by_rule[name].push_back(&v);
  }
  if (order.empty()) {
    return "";
  }
  std::set<std::string> seen;
  std::string out = "| rule | result |\n|---|---|\n";
  for (const std::string& rule : order) {
    if (!seen.insert(rule).second) {
      continue;
    }
    auto it = by_rule.find(rule);
    if (it == by_rule.end()) {
      out += "| " + Code(rule) + " | " +
             (warned.contains(rule) ? "passed, with a warning (below)" : "passed") + " |\n";
      continue;
    }
    for (const resolve::Violation* v : it->second) {
      out += "| " + Code(rule) + " | **failed**" +
             (v->deployment.empty() ? "" : " (" + Deployment(v->deployment) + ")") + ": " +
             Plain(v->message) + " |\n";
    }
  }
  return out;
}

// Warnings, and what DROP ... CASCADE removes (cleanup-drops), apart.
std::string Warnings(const std::vector<resolve::Violation>& warnings) {
  std::string victims, others;
  for (const resolve::Violation& w : warnings) {
    if (w.kind == DiagKind::kCleanupDrops) {
      victims += "- deployment " + Deployment(w.deployment) + ": " + Plain(w.message) + "\n";
      for (const std::string& o : w.objects) {
        victims += "  - " + Code(o) + "\n";
      }
    } else {
      others += "- " + Code(std::string(DiagKindName(w.kind))) + " (" +
                Deployment(w.deployment) + "): " + Plain(w.message) + "\n";
    }
  }
  std::string out;
  if (!victims.empty()) {
    out += "\n**Removed by cleanup** (`DROP ... CASCADE`):\n\n" + victims;
  }
  if (!others.empty()) {
    out += "\n**Warnings:**\n\n" + others;
  }
  return out;
}

std::string Notes(const std::vector<std::string>& notes) {
  std::string out;
  for (const std::string& n : notes) {
    out += "- " + Plain(n) + "\n";
  }
  return out.empty() ? "" : "\n**Notes:**\n\n" + out;
}

std::string Summary(const resolve::Summary& s) {
  return "| schemas created | clusters created | grants copied | default privileges copied | "
         "sinks re-pointed | other dependents | dropped |\n|---|---|---|---|---|---|---|\n| " +
         std::to_string(s.schemas_created) + " | " + std::to_string(s.clusters_created) + " | " +
         std::to_string(s.grants_copied) + " | " + std::to_string(s.default_privileges_copied) +
         " | " + std::to_string(s.repointed.size()) + " | " + std::to_string(s.dependents) + " | " +
         std::to_string(s.dropped) + " |\n";
}

std::string Header(const std::string& title, const std::string& server_line,
                   const resolve::ServerFacts* server) {
  std::string out = "## " + title + "\n\n";
  out += "Server: " + Plain(server_line);
  if (server != nullptr && !server->database.empty()) {
    out += ", database " + Code(server->database) + " as " + Code(server->user);
  }
  return out + "\n";
}

}  // namespace

std::string PlanReport(const plans::Plan& plan, const resolve::ServerFacts& server,
                       const std::string& server_line, const std::vector<PlanPhase>& phases,
                       bool has_changes) {
  std::string out = Header("bgplan plan (" + std::string(plans::TargetName(plan.target)) + ")",
                           server_line, &server);
  int refused = 0;
  for (const PlanPhase& p : phases) {
    refused += p.resolved.violations.empty() ? 0 : 1;
  }
  out += "\n**Result:** " +
         std::string(refused > 0 ? std::to_string(refused) + " phase(s) would refuse"
                     : has_changes ? "changes to apply"
                                   : "nothing to do") +
         ". Nothing has run.\n";
  for (const PlanPhase& p : phases) {
    const resolve::ResolvedPhase& r = p.resolved;
    const std::string name(plans::PhaseName(r.kind));
    out += "\n### Phase " + Code(name) + "\n\n";
    if (!r.violations.empty()) {
      out += "**Refused:** " + std::to_string(r.violations.size()) +
             " live rule(s) failed; the phase would change nothing.\n";
    } else if (r.acting.empty()) {
      out += "Nothing to do.\n";
    } else {
      std::vector<std::string> acting;
      for (const std::string& d : r.acting) {
        acting.push_back(Code(d));
      }
      out += "Acts on deployment(s) " + Join(acting) + ".";
      if (p.projected) {
        out += " Resolved against the state the phases before it will leave.";
      }
      out += "\n";
    }
    if (r.violations.empty() && r.HasWrites()) {
      out += "\n**What changes:**\n\n" + Changes(r) + "\n" + Summary(r.summary);
    }
    if (std::string rules = Rules(r.rules, r.violations, r.warnings); !rules.empty()) {
      out += "\n**Rules:**\n\n" + rules;
    }
    out += Warnings(r.warnings) + Notes(r.notes);
    if (!p.sql.empty()) {
      out += "\n<details><summary>SQL of " + name + "</summary>\n\n" + SqlBlock(p.sql) +
             "\n</details>\n";
    }
  }
  return out;
}

std::string ValidateReport(const plans::Plan& plan, const std::string& server_line,
                           const resolve::ResolvedPhase& promote,
                           const std::vector<resolve::Violation>& failed,
                           const std::vector<CheckResult>& checks) {
  std::string out = Header(
      "bgplan validate (" + std::string(plans::TargetName(plan.target)) + ")", server_line,
      nullptr);
  int checks_failed = 0;
  for (const CheckResult& c : checks) {
    checks_failed += c.passed ? 0 : 1;
  }
  const bool ok = failed.empty() && checks_failed == 0;
  out += "\n**Result:** " +
         std::string(ok ? "green passes promote's rules" +
                              std::string(promote.acting.empty() ? " (nothing to promote)"
                                                                 : " and its checks")
                        : "green would not be promoted") +
         ". Nothing was changed.\n";
  if (std::string rules = Rules(promote.rules, failed, promote.warnings); !rules.empty()) {
    out += "\n**Promote's rules:**\n\n" + rules;
  }
  if (!checks.empty()) {
    out += "\n**Checks (`validate` blocks):**\n\n| deployment | check | result | returned |\n"
           "|---|---|---|---|\n";
    for (const CheckResult& c : checks) {
      out += "| " + Deployment(c.deployment) + " | " + Code(c.name) + " | " +
             (c.passed ? std::string("passed") : "**failed**: " + Plain(c.why)) + " | " +
             Plain(c.returned) + " |\n";
    }
  }
  out += Warnings(promote.warnings) + Notes(promote.notes);
  return out;
}

std::string StatusReport(const std::string& server_line,
                         const std::vector<StatusDeployment>& deployments) {
  std::string out = Header("bgplan status", server_line, nullptr);
  for (const StatusDeployment& s : deployments) {
    const resolve::DeploymentFacts& f = *s.facts;
    out += "\n### Deployment " + Code(f.deployment->name) + ": " + Plain(s.state) + "\n\n";
    if (s.run.has_value()) {
      out += "Run " + Code(s.run->id) + ", journal phase " + Code(s.run->phase) + ", by " +
             Code(s.run->actor + "@" + s.run->host) + " since " + Plain(s.run->started_at) +
             (s.run->fingerprint.empty() ? ""
                                         : ", plan fingerprint " +
                                               Code(s.run->fingerprint.substr(0, 12))) +
             ".\n\n";
    }
    out += "| kind | blue | blue id | green | green id | green objects |\n"
           "|---|---|---|---|---|---|\n";
    auto row = [&](const char* kind, const resolve::ContainerFacts& blue,
                   const resolve::ContainerFacts& green, size_t objects) {
      out += std::string("| ") + kind + " | " + Code(blue.name) + " | " +
             (blue.exists ? Code(blue.id) : "absent") + " | " + Code(green.name) + " | " +
             (green.exists ? Code(green.id) : "absent") + " | " +
             (green.exists ? std::to_string(objects) : "") + " |\n";
    };
    for (const resolve::PairFacts& p : f.schemas) {
      row("schema", p.blue, p.green, p.green.objects.size());
    }
    for (const resolve::ClusterPairFacts& c : f.clusters) {
      row("cluster", c.blue, c.green, c.green.objects.size());
    }
    if (s.polled) {
      out += "\n**Readiness:**\n\n";
      if (s.readiness.empty()) {
        out += "- no green object to wait for\n";
      }
      for (const Readiness& r : s.readiness) {
        out += "- " + Code(r.object) + ": " + Plain(r.state) +
               (r.detail.empty() ? "" : " " + Plain(r.detail)) + "\n";
      }
    }
    if (!f.sinks.empty()) {
      out += "\n**Sinks:**\n\n";
      for (const resolve::SinkFacts& k : f.sinks) {
        std::vector<std::string> reads;
        for (const resolve::CatalogObject& r : k.reads) {
          reads.push_back(Code((r.database.empty() ? "" : r.database + ".") + r.schema + "." +
                               r.name));
        }
        out += "- " + Code(k.object.Describe()) + " reads " + Join(reads) + "\n";
      }
    }
    if (f.state == resolve::DeployState::kPromoted) {
      std::vector<std::string> unfinished;
      for (const resolve::SinkFacts* k : resolve::SinksReadingGreen(f)) {
        unfinished.push_back(Code(k->object.Describe()));
      }
      if (!unfinished.empty()) {
        out += "\n**Cut-over unfinished:** " + Join(unfinished) +
               " still read the old objects; run `bgplan promote` to finish it.\n";
      }
    }
    if (!f.blue_dependents.empty()) {
      out += "\n**Dependents (not sinks):**\n\n";
      for (const resolve::Dependent& d : f.blue_dependents) {
        out += "- " + Plain(d.description) + "\n";
      }
    }
    if (!s.history.empty()) {
      out += "\n**History** (latest first):\n\n| at | phase | event | message |\n"
             "|---|---|---|---|\n";
      for (const JournalEvent& e : s.history) {
        out += "| " + Plain(e.at) + " | " + Code(e.phase) + " | " + Code(e.type) + " | " +
               Plain(e.message) + " |\n";
      }
    }
  }
  return out;
}

}  // namespace bgplan::runtime::markdown
