#include "compiler/emit/graph.h"

#include <cstdio>
#include <vector>

namespace bgplan::emit {

std::string DotEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7F) {
      // Written as "\\xNN" text: DOT has no numeric escapes, and a bare backslash would start one.
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\\\x%02x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

static std::string Quoted(std::string_view text) { return "\"" + DotEscape(text) + "\""; }

// Ends a line of a label built below: not '\n', which a name may hold (DotEscape shows it).
constexpr char kLine = '\x1f';

// `text`, lines separated by kLine, as a DOT string whose lines are left-justified (\l).
static std::string LeftQuoted(std::string_view text) {
  std::string out = "\"";
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(kLine, start);
    out += DotEscape(text.substr(start, end == std::string_view::npos ? end : end - start)) + "\\l";
    if (end == std::string_view::npos) {
      return out + "\"";
    }
    start = end + 1;
  }
}

namespace {

// The objects of each deployment, once: "schema marts -> marts_dbt_deploy" lines.
std::string DeploymentLabel(const plans::Deployment& d) {
  std::string label = "deployment " + d.name;
  for (const plans::SchemaPair& s : d.schemas) {
    label += kLine + std::string("schema ") + (s.database.empty() ? std::string() : s.database + ".") + s.blue +
             " -> " + s.green;
  }
  for (const plans::ClusterPair& c : d.clusters) {
    label += kLine + std::string("cluster ") + c.blue + " -> " + c.green;
  }
  return label;
}

// A batch's steps for people, one line each, in order: runs of checks become one line
// ("checks: blue-missing, not-owner, ..."); a step's deployments are named when the plan has
// several.
std::string BatchLabel(const plans::Batch& batch, bool several_deployments) {
  std::vector<std::string> lines;
  std::string checks;
  auto flush = [&] {
    if (!checks.empty()) {
      lines.push_back("checks: " + checks);
      checks.clear();
    }
  };
  for (const plans::Step& step : batch.steps) {
    if (step.kind == plans::StepKind::kCheck) {
      // One line per about 60 characters of rule names.
      const size_t line_break = checks.rfind(kLine);
      const size_t line_start = line_break == std::string::npos ? 0 : line_break + 1;
      if (!checks.empty()) {
        checks += checks.size() - line_start > 50 ? std::string(",") + kLine + "  " : ", ";
      }
      checks += step.rule;
      continue;
    }
    flush();
    std::string line(plans::StepKindName(step.kind));
    if (!step.rule.empty()) {
      line += " (" + step.rule + ")";
    }
    if (step.reverse) {
      line += " (reverse)";
    }
    std::vector<std::string> names;
    for (const plans::ObjectRef& o : step.objects) {
      names.push_back(o.blue);
    }
    if (names.size() == 1) {
      line += ": " + names.front();
    }
    if (several_deployments && !step.objects.empty()) {
      line += " [" + step.objects.front().deployment + "]";
    }
    lines.push_back(line);
  }
  flush();
  std::string label;
  for (const std::string& line : lines) {
    label += (label.empty() ? "" : std::string(1, kLine)) + line;
  }
  return label;
}

}  // namespace

std::string EmitGraph(const plans::Plan& plan) {
  std::string out = "digraph bgplan {\n";
  out += "  rankdir=TB;\n  newrank=true;\n";
  out += "  label=" +
         Quoted(std::string("bgplan plan, target ") + std::string(plans::TargetName(plan.target))) +
         ";\n";
  out += "  node [shape=box, fontname=\"monospace\"];\n";
  // The objects, once per deployment, above the phases.
  out += "  subgraph cluster_objects {\n    label=\"objects\";\n";
  for (size_t i = 0; i < plan.deployments.size(); ++i) {
    out += "    d" + std::to_string(i) + " [shape=note, label=" +
           LeftQuoted(DeploymentLabel(plan.deployments[i])) + "];\n";
  }
  out += "  }\n";
  const bool several = plan.deployments.size() > 1;
  std::string previous;  // the last node of the phase before
  if (!plan.deployments.empty()) {
    previous = "d0";
  }
  std::vector<std::string> edges;
  for (size_t p = 0; p < plan.phases.size(); ++p) {
    const plans::Phase& phase = plan.phases[p];
    const std::string phase_id = "p" + std::to_string(p);
    out += "  subgraph cluster_" + phase_id + " {\n";
    out += "    label=" + Quoted("phase " + std::string(plans::PhaseName(phase.kind))) + ";\n";
    out += "    " + phase_id + " [shape=cds, label=" +
           Quoted(std::to_string(p + 1) + ". " + std::string(plans::PhaseName(phase.kind))) +
           "];\n";
    if (!previous.empty()) {
      // Phases run in order, top to bottom.
      edges.push_back("  " + previous + " -> " + phase_id + " [style=bold];\n");
    }
    previous = phase_id;
    for (size_t b = 0; b < phase.batches.size(); ++b) {
      const plans::Batch& batch = phase.batches[b];
      const bool txn = batch.mode == plans::Batch::Mode::kTransaction;
      const std::string batch_id = phase_id + "b" + std::to_string(b);
      bool writes = false;
      for (const plans::Step& step : batch.steps) {
        writes = writes || step.IsWrite();
      }
      out += "    " + batch_id + " [label=" +
             LeftQuoted((txn ? "transaction (one round trip)" + std::string(1, kLine) : "") +
                        BatchLabel(batch, several)) +
             (txn ? ", style=\"bold,dashed\"" : writes ? "" : ", style=dotted") + "];\n";
      edges.push_back("  " + previous + " -> " + batch_id + ";\n");
      previous = batch_id;
    }
    out += "  }\n";
  }
  for (const std::string& edge : edges) {
    out += edge;
  }
  out += "}\n";
  return out;
}

}  // namespace bgplan::emit
