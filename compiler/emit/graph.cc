#include "compiler/emit/graph.h"

#include <cstdio>
#include <map>
#include <tuple>
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

// Identity of an object node: kind, deployment, database, blue, green.
using ObjectKey = std::tuple<int, std::string, std::string, std::string, std::string>;

static std::string Quoted(std::string_view text) { return "\"" + DotEscape(text) + "\""; }

static std::string ObjectLabel(const plans::ObjectRef& o) {
  std::string label = o.kind == plans::ObjectKind::kCluster ? "cluster " : "schema ";
  if (!o.database.empty()) {
    label += o.database + ".";
  }
  label += o.blue + "\n" + "green " + o.green + "\n" + "deployment " + o.deployment;
  return label;
}

std::string EmitGraph(const plans::Plan& plan) {
  std::string out = "digraph bgplan {\n";
  out += "  rankdir=LR;\n";
  out += "  label=" +
         Quoted(std::string("bgplan plan, target ") + std::string(plans::TargetName(plan.target))) +
         ";\n";
  out += "  node [shape=box, fontname=\"monospace\"];\n";

  std::map<ObjectKey, std::string> object_ids;
  std::vector<std::string> object_nodes;
  std::vector<std::string> edges;
  auto object_id = [&](const plans::ObjectRef& o) {
    ObjectKey key{static_cast<int>(o.kind), o.deployment, o.database, o.blue, o.green};
    auto it = object_ids.find(key);
    if (it != object_ids.end()) {
      return it->second;
    }
    std::string id = "o" + std::to_string(object_ids.size());
    object_ids.emplace(key, id);
    object_nodes.push_back("  " + id + " [shape=ellipse, label=" + Quoted(ObjectLabel(o)) + "];\n");
    return id;
  };

  for (size_t p = 0; p < plan.phases.size(); ++p) {
    const plans::Phase& phase = plan.phases[p];
    const std::string phase_id = "p" + std::to_string(p);
    out += "  subgraph cluster_" + phase_id + " {\n";
    out += "    label=" + Quoted("phase " + std::string(plans::PhaseName(phase.kind))) + ";\n";
    out += "    " + phase_id +
           " [shape=cds, label=" + Quoted(std::string(plans::PhaseName(phase.kind))) + "];\n";
    std::string previous = phase_id;
    size_t step_index = 0;
    for (size_t b = 0; b < phase.batches.size(); ++b) {
      const plans::Batch& batch = phase.batches[b];
      const bool txn = batch.mode == plans::Batch::Mode::kTransaction;
      std::string indent = "    ";
      if (txn) {
        out += "    subgraph cluster_" + phase_id + "b" + std::to_string(b) +
               " {\n      label=\"transaction\";\n      style=dashed;\n";
        indent = "      ";
      }
      for (const plans::Step& step : batch.steps) {
        const std::string step_id = phase_id + "s" + std::to_string(step_index++);
        std::string label(plans::StepKindName(step.kind));
        if (!step.rule.empty()) {
          label += "\n" + step.rule;
        }
        if (step.reverse) {
          label += "\n(reverse)";
        }
        out += indent + step_id + " [label=" + Quoted(label) +
               (step.IsWrite() ? "" : ", style=dotted") + "];\n";
        edges.push_back("  " + previous + " -> " + step_id + ";\n");
        previous = step_id;
        for (const plans::ObjectRef& o : step.objects) {
          edges.push_back("  " + step_id + " -> " + object_id(o) +
                          " [style=dashed, arrowhead=none];\n");
        }
      }
      if (txn) {
        out += "    }\n";
      }
    }
    out += "  }\n";
  }
  for (const std::string& node : object_nodes) {
    out += node;
  }
  for (const std::string& edge : edges) {
    out += edge;
  }
  out += "}\n";
  return out;
}

}  // namespace bgplan::emit
