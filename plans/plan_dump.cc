#include "plans/plan_dump.h"

#include <string>

namespace bgplan::plans {

static std::string Origin(const SourceRange& range, const DumpOptions& options) {
  if (!options.origins || !range.valid()) {
    return "";
  }
  return " @" + std::to_string(range.begin.line) + ":" + std::to_string(range.begin.column);
}

static std::string Ms(int64_t ms) { return std::to_string(ms) + "ms"; }

static std::string Qualified(const std::string& database, const std::string& name) {
  return database.empty() ? DumpName(name) : DumpName(database) + "." + DumpName(name);
}

// `text` between `quote`s, a quote doubled; with `hex_controls`, control characters as \xNN
// (one item per line of the dump, whatever the text holds).
static std::string Quote(std::string_view text, char quote, bool hex_controls) {
  std::string out(1, quote);
  for (char c : text) {
    if (hex_controls && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xf];
      continue;
    }
    out += c;
    if (c == quote) {
      out += quote;
    }
  }
  return out + quote;
}

static std::string Literal(const std::string& text) { return Quote(text, '\'', false); }

// A literal with control characters as \xNN: SQL over several lines stays on one dump line.
static std::string SqlLiteral(const std::string& text) { return Quote(text, '\'', true); }

static std::string Object(const ObjectRef& o) {
  std::string out = o.kind == ObjectKind::kSchema ? "schema " : "cluster ";
  out += Qualified(o.database, o.blue) + " -> " + DumpName(o.green);
  out += " (" + DumpName(o.deployment) + ")";
  return out;
}

// " size='200cc' replication_factor=2 ..." for the keys set, in the order of ClusterSettings.
static std::string Settings(const ClusterSettings& c) {
  std::string out;
  if (c.size.has_value()) {
    out += " size=" + Literal(*c.size);
  }
  if (c.replication_factor.has_value()) {
    out += " replication_factor=" + std::to_string(*c.replication_factor);
  }
  if (c.introspection_interval_ms.has_value()) {
    out += " introspection_interval=" + Ms(*c.introspection_interval_ms);
  }
  if (c.introspection_debugging.has_value()) {
    out += std::string(" introspection_debugging=") +
           (*c.introspection_debugging ? "true" : "false");
  }
  if (c.hydration_size.has_value()) {
    out += " hydration_size=" + Literal(*c.hydration_size);
  }
  if (c.linger_ms.has_value()) {
    out += " linger=" + Ms(*c.linger_ms);
  }
  return out;
}

static void DumpDeployment(const Deployment& d, const DumpOptions& options, std::string& out) {
  out += "deployment " + DumpName(d.name) + Origin(d.origin, options) + "\n";
  out += "  database " + (d.database.empty() ? std::string("(connection)") : DumpName(d.database)) +
         "\n";
  out += "  suffix " + Literal(d.suffix) + "\n";
  for (const auto& s : d.schemas) {
    out += "  schema " + Qualified(s.database, s.blue) + " -> " + DumpName(s.green) +
           Origin(s.origin, options) + "\n";
  }
  for (const auto& c : d.clusters) {
    out += "  cluster " + DumpName(c.blue) + " -> " + DumpName(c.green) + Settings(c.settings) +
           Origin(c.origin, options) + "\n";
  }
  for (const auto& o : d.cluster_overrides) {
    out += "  cluster-settings " + DumpName(o.name) + Settings(o.settings) +
           Origin(o.origin, options) + "\n";
  }
  for (const auto& s : d.sink_schemas) {
    out += "  sink-schema " + Qualified(s.database, s.name) + Origin(s.origin, options) + "\n";
  }
  for (const auto& c : d.sink_clusters) {
    out += "  sink-cluster " + DumpName(c.name) + Origin(c.origin, options) + "\n";
  }
  out += "  await poll_interval=" + Ms(d.await.poll_interval_ms) +
         " lag_threshold=" + Ms(d.await.lag_threshold_ms) + " timeout=" + Ms(d.await.timeout_ms) +
         " stable_for=" + Ms(d.await.stable_for_ms) +
         (d.await.compare_to_blue ? " compare_to_blue" : "") + "\n";
  out += std::string("  promote wait=") + (d.promote.wait ? "true" : "false") +
         " max_retries=" + std::to_string(d.promote.max_retries) +
         " retry_backoff=" + Ms(d.promote.retry_backoff_ms) +
         " lock_timeout=" + Ms(d.promote.lock_timeout_ms) + "\n";
  out += "  cleanup keep_blue=" + Ms(d.cleanup.keep_blue_ms) + "\n";
  // Only a deployment with a `validate` block (or a hand-built one with settings) has these lines.
  const ValidateSettings& v = d.validate;
  if (v.origin.valid() || !v.empty()) {
    out += "  validate row_count_change=" +
           (v.row_count_change_pct.has_value() ? std::to_string(*v.row_count_change_pct) + "%"
                                               : std::string("off")) +
           Origin(v.origin, options) + "\n";
    for (const auto& a : v.asserts) {
      out += "    assert " + DumpName(a.name) + " " + SqlLiteral(a.sql) +
             Origin(a.origin, options) + "\n";
    }
  }
}

std::string DumpName(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && name[0] != '$';
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) {
      plain = false;
    }
  }
  if (plain) {
    return std::string(name);
  }
  // One item per line: control characters (a quoted name may hold a newline) as \xNN.
  return Quote(name, '"', true);
}

std::string DumpPlan(const Plan& plan) { return DumpPlan(plan, DumpOptions{}); }

std::string DumpPlan(const Plan& plan, const DumpOptions& options) {
  std::string out = "plan target=" + std::string(TargetName(plan.target)) +
                    Origin(plan.target_origin, options) + "\n";
  if (!plan.catalog_fingerprint.empty()) {
    out += "fingerprint " + plan.catalog_fingerprint + "\n";
  }
  for (const auto& d : plan.deployments) {
    DumpDeployment(d, options, out);
  }
  for (const auto& phase : plan.phases) {
    out += "phase " + std::string(PhaseName(phase.kind)) + "\n";
    for (const auto& batch : phase.batches) {
      out += batch.mode == Batch::Mode::kEach ? "  batch each\n" : "  batch transaction\n";
      for (const auto& step : batch.steps) {
        out += "    " + std::string(StepKindName(step.kind));
        if (!step.rule.empty()) {
          out += " " + step.rule;
        }
        if (step.reverse) {
          out += " reverse";
        }
        out += Origin(step.origin, options) + "\n";
        for (const auto& object : step.objects) {
          out += "      " + Object(object) + "\n";
        }
      }
    }
  }
  return out;
}

}  // namespace bgplan::plans
