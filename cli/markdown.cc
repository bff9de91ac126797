#include "cli/markdown.h"

#include <algorithm>
#include <map>
#include <vector>

#include "resolve/render.h"
#include "support/diagnostic.h"
#include "support/markdown_text.h"

namespace bgplan::cli {

namespace {

using ::bgplan::markdown::Code;
using ::bgplan::markdown::Plain;
using ::bgplan::markdown::SqlBlock;

std::string JoinCodes(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) {
    out += (out.empty() ? "" : ", ") + Code(i);
  }
  return out;
}

// The SQL of one phase: RenderCompile's text without its 3-line header (said once above).
std::string PhaseSql(const plans::Plan& plan, plans::PhaseKind phase) {
  std::string text = resolve::RenderCompile(plan, phase);
  size_t at = 0;
  for (int line = 0; line < 3 && at != std::string::npos; ++line) {
    at = text.find('\n', at);
    at = at == std::string::npos ? at : at + 1;
  }
  text = at == std::string::npos ? text : text.substr(at);
  return text.substr(std::min(text.size(), text.find_first_not_of('\n')));
}

// Per deployment: the steps that write and the live rules the phase checks, in order.
std::string PhaseSteps(const plans::Phase& phase) {
  struct Lists {
    std::vector<std::string> writes, rules;
  };
  std::vector<std::string> order;
  std::map<std::string, Lists> by;
  auto add = [](std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) {
      list.push_back(item);
    }
  };
  for (const plans::Batch& batch : phase.batches) {
    for (const plans::Step& step : batch.steps) {
      std::vector<std::string> deployments;
      for (const plans::ObjectRef& o : step.objects) {
        add(deployments, o.deployment);
      }
      if (deployments.empty()) {
        deployments.push_back("");
      }
      for (const std::string& d : deployments) {
        if (!by.contains(d)) {
          order.push_back(d);
        }
        Lists& l = by[d];
        if (step.kind == plans::StepKind::kCheck) {
          add(l.rules, step.rule);
        } else {
          add(l.writes, std::string(plans::StepKindName(step.kind)) +
                            (step.rule.empty() ? "" : " " + step.rule));
        }
      }
    }
  }
  std::string out;
  for (const std::string& d : order) {
    const Lists& l = by[d];
    out += "- deployment " + (d.empty() ? std::string("(all)") : Code(d)) + ": " +
           (l.writes.empty() ? std::string("no writes") : "steps " + JoinCodes(l.writes)) +
           (l.rules.empty() ? "" : "; live rules checked first: " + JoinCodes(l.rules)) + "\n";
  }
  return out;
}

}  // namespace

bool IsMarkdownCommand(std::string_view command) {
  return command == "compile" || command == "plan" || command == "validate" ||
         command == "status";
}

std::string CompileMarkdown(const driver::CompileOutput& compiled, const std::string& file,
                            std::optional<plans::PhaseKind> only) {
  const plans::Plan& plan = *compiled.plan;
  std::string out = "## bgplan compile: " + Code(file) + " (" +
                    std::string(plans::TargetName(plan.target)) + ")\n\n";
  out += "SQL for review; nothing has run. Statements that depend on the live catalog appear as "
         "`-- resolved at apply time` comments: `bgplan plan --format markdown` resolves them.\n";
  out += "\n| deployment | schemas | clusters |\n|---|---|---|\n";
  for (const plans::Deployment& d : plan.deployments) {
    std::vector<std::string> schemas, clusters;
    for (const plans::SchemaPair& s : d.schemas) {
      schemas.push_back(s.blue + " -> " + s.green);
    }
    for (const plans::ClusterPair& c : d.clusters) {
      clusters.push_back(c.blue + " -> " + c.green);
    }
    out += "| " + Code(d.name) + " | " + JoinCodes(schemas) + " | " + JoinCodes(clusters) + " |\n";
  }
  int warnings = 0;
  std::string listed;
  for (const Diagnostic& d : compiled.diagnostics) {
    if (d.severity == Severity::kWarning) {
      ++warnings;
      listed += "- warning " + Code(std::string(DiagKindName(d.kind))) +
                (d.range.valid() ? " (line " + std::to_string(d.range.begin.line) + ")" : "") +
                ": " + Plain(d.message) + "\n";
    }
  }
  out += "\n**Static rules:** passed (no errors), " + std::to_string(warnings) +
         " warning(s).\n" + (listed.empty() ? "" : "\n" + listed);
  for (const plans::Phase& phase : plan.phases) {
    if (only.has_value() && phase.kind != *only) {
      continue;
    }
    const std::string name(plans::PhaseName(phase.kind));
    out += "\n### Phase " + Code(name) + "\n\n" + PhaseSteps(phase) + "\n";
    out += "<details><summary>SQL of " + name + "</summary>\n\n" +
           SqlBlock(PhaseSql(plan, phase.kind)) + "\n</details>\n";
  }
  return out;
}

}  // namespace bgplan::cli
