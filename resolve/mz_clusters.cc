// Materialize clusters: green as an exact clone of blue. Blue's SHOW CREATE CLUSTER (read by the
// catalog reader before init) is replayed under the green name, option for option, so whatever
// a release adds (arrangement compression, availability zones, ...) is cloned too; where the
// server did not give it, the clone is built from the catalog columns. The plan's
// `cluster X { }` settings then replace single options, and a blue being resized (v26.35+) is
// cloned at the size it moves to. Unmanaged blues are cloned replica by replica.
#include <string>
#include <vector>

#include "resolve/resolver_impl.h"
#include "sql/cluster_options.h"
#include "sql/statements.h"

namespace bgplan::resolve {

using plans::ClusterSettings;
using plans::ObjectKind;
using plans::ObjectRef;
using Dep = Resolver::Impl::Dep;

namespace {

bool OnRefresh(const sql::ClusterOptionList& options) {
  const sql::ClusterOption* schedule = sql::FindClusterOption(options, "SCHEDULE");
  return schedule != nullptr && schedule->value.rfind("ON REFRESH", 0) == 0;
}

// The options of a managed blue from the catalog columns, when SHOW CREATE CLUSTER was not read.
sql::ClusterOptionList CatalogOptions(const ClusterFacts& blue) {
  sql::ClusterOptionList options;
  const bool on_refresh = blue.schedule == "on-refresh";
  options.push_back({"SIZE", Lit(blue.size)});
  if (!on_refresh && blue.replication_factor.has_value()) {
    options.push_back({"REPLICATION FACTOR", std::to_string(*blue.replication_factor)});
  }
  if (on_refresh) {
    options.push_back({"SCHEDULE", blue.hydration_time_estimate.empty()
                                       ? std::string("ON REFRESH")
                                       : "ON REFRESH (HYDRATION TIME ESTIMATE = " +
                                             Lit(blue.hydration_time_estimate) + ")"});
  }
  if (!blue.auto_scaling_size.empty() && !on_refresh && blue.auto_scaling_size != blue.size) {
    sql::AutoScalingStrategy strategy{blue.auto_scaling_size, std::nullopt};
    if (!blue.auto_scaling_linger_secs.empty()) {
      strategy.linger_duration = blue.auto_scaling_linger_secs + "s";
    }
    options.push_back({"AUTO SCALING STRATEGY", sql::AutoScalingStrategyValue(strategy)});
  }
  options.push_back({"INTROSPECTION DEBUGGING", blue.introspection_debugging ? "true" : "false"});
  options.push_back({"INTROSPECTION INTERVAL",
                     Lit(blue.introspection_interval.empty() ? "0s" : blue.introspection_interval)});
  return options;
}

// The plan's settings over `options`; `notes` says what differs from blue and why.
void ApplySettings(const ClusterSettings& want, sql::ClusterOptionList& options,
                   std::vector<std::string>& notes) {
  if (want.size.has_value()) {
    sql::SetClusterOption(options, "SIZE", Lit(*want.size));
  }
  if (want.replication_factor.has_value()) {
    if (OnRefresh(options)) {
      // The schedule owns an ON REFRESH cluster's replicas: a fixed factor makes it manual.
      sql::SetClusterOption(options, "SCHEDULE", "MANUAL");
      notes.push_back("the plan's replication_factor gives green a manual schedule (blue's is ON "
                      "REFRESH)");
    }
    sql::SetClusterOption(options, "REPLICATION FACTOR", std::to_string(*want.replication_factor));
  }
  if (want.introspection_interval_ms.has_value()) {
    sql::SetClusterOption(options, "INTROSPECTION INTERVAL",
                          Lit(sql::IntervalText(*want.introspection_interval_ms)));
  }
  if (want.introspection_debugging.has_value()) {
    sql::SetClusterOption(options, "INTROSPECTION DEBUGGING",
                          *want.introspection_debugging ? "true" : "false");
  }
  if (want.hydration_size.has_value()) {
    sql::AutoScalingStrategy burst{*want.hydration_size, std::nullopt};
    if (want.linger_ms.has_value()) {
      burst.linger_duration = sql::IntervalText(*want.linger_ms);
    }
    sql::SetClusterOption(options, "AUTO SCALING STRATEGY", sql::AutoScalingStrategyValue(burst));
    notes.push_back("green only: a hydration burst replica of size " + Lit(*want.hydration_size) +
                    " while green hydrates; promote gives the cluster blue's own strategy back "
                    "before the swap");
  }
}

bool HasStrategy(const sql::ClusterOptionList& options) {
  const sql::ClusterOption* strategy = sql::FindClusterOption(options, "AUTO SCALING STRATEGY");
  return strategy != nullptr && strategy->value != "()";
}

void DescribeCreateCluster(Resolver::Impl& r, const ObjectRef& o, const ClusterSettings& want,
                           ActionSink& out) {
  const std::string green = Name(o.green);
  std::vector<std::string> lines = {
      "resolved at apply time: create green cluster " + green + " as an exact clone of blue " +
          Name(o.blue) + ":",
      "managed blue: replay SHOW CREATE CLUSTER " + Name(o.blue) + " under the name " + green +
          ", every option as blue has it:",
      "CREATE CLUSTER " + green +
          " (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, "
          "AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);",
      "(where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, "
      "mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)",
      "a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at "
      "the size it moves to (warning blue-reconfiguring)"};
  sql::ClusterOptionList fixed;
  std::vector<std::string> notes;
  ApplySettings(want, fixed, notes);
  if (!fixed.empty()) {
    std::string text;
    for (const sql::ClusterOption& option : fixed) {
      text += (text.empty() ? "" : ", ") + option.key + " = " + option.value;
    }
    lines.push_back("set by the plan: " + text + ";");
    for (const std::string& note : notes) {
      lines.push_back(note + ";");
    }
  }
  lines.push_back(
      "unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, "
      "availability_zone; internal replicas skipped), ordered by replica name:");
  lines.push_back("CREATE CLUSTER " + green +
                  " REPLICAS (\"<replica>\" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);");
  if (want.size.has_value() && want.replication_factor.has_value()) {
    lines.push_back("(with both size and replication_factor in the plan, an unmanaged blue gets a "
                    "managed green: CREATE CLUSTER " + green + " (SIZE = " + Lit(*want.size) +
                    ", REPLICATION FACTOR = " + std::to_string(*want.replication_factor) +
                    ", ...))");
  }
  r.Pending(out, std::move(lines));
}

}  // namespace

void CreateGreenMzCluster(Resolver::Impl& r, const plans::ClusterPair* pair, const ObjectRef& o,
                          ActionSink& out) {
  const ClusterSettings none;
  const ClusterSettings& want = pair != nullptr ? pair->settings : none;
  if (!r.live()) {
    DescribeCreateCluster(r, o, want, out);
    return;
  }
  Dep* d = r.Acting(o.deployment);
  const ClusterPairFacts* c = d != nullptr ? r.ClusterPair(*d, o) : nullptr;
  if (c == nullptr || c->green.exists) {
    return;
  }
  const ClusterFacts& blue = c->blue;
  std::vector<std::string> notes;
  sql::ClusterOptionList options;
  if (!blue.managed) {
    if (!want.size.has_value() || !want.replication_factor.has_value()) {
      // cluster-settings-unsupported refuses any other setting on an unmanaged blue.
      r.Sql(out, d, sql::CreateUnmanagedClusterSql(o.green, blue.replicas));
      ++r.result.summary.clusters_created;
      return;
    }
    notes.push_back("blue cluster " + Name(o.blue) +
                    " is unmanaged; green is managed, sized by the plan");
  } else {
    options = blue.create_options.empty() ? CatalogOptions(blue) : blue.create_options;
    if (!blue.reconfiguring_to.empty() && !want.size.has_value()) {
      sql::SetClusterOption(options, "SIZE", Lit(blue.reconfiguring_to));
      r.Warning(DiagKind::kBlueReconfiguring, *d->facts->deployment, c->pair->origin,
                "blue cluster '" + blue.name + "' is being resized from '" + blue.size +
                    "' to '" + blue.reconfiguring_to +
                    "' (mz_internal.mz_cluster_reconfigurations: in-progress); green cluster '" +
                    o.green + "' is created at '" + blue.reconfiguring_to +
                    "', the size production is moving to",
                {"cluster " + blue.name});
    }
  }
  ApplySettings(want, options, notes);
  if (HasStrategy(options) &&
      !r.RequireServer(*d, c->pair->origin, kAutoScalingStrategy,
                       "creating green cluster " + Name(o.green))) {
    return;
  }
  if (!notes.empty()) {
    for (std::string& note : notes) {
      note = "green cluster " + Name(o.green) + ": " + note;
    }
    r.Note(out, std::move(notes));
  }
  r.Sql(out, d, sql::CreateClusterFromOptions(o.green, options));
  ++r.result.summary.clusters_created;
}

void EndHydrationBurst(Resolver::Impl& r, const plans::Step& step, ActionSink& out) {
  for (const ObjectRef& o : step.objects) {
    if (!r.live()) {
      r.Pending(out, {"resolved at apply time: end green cluster " + Name(o.green) +
                          "'s hydration burst: give it blue " + Name(o.blue) +
                          "'s auto scaling strategy (mz_internal.mz_cluster_auto_scaling_"
                          "strategies), so nothing of the deployment stays with production:",
                      "ALTER CLUSTER " + Name(o.green) +
                          " SET (AUTO SCALING STRATEGY = <blue's>);  or, blue having none:",
                      "ALTER CLUSTER " + Name(o.green) + " RESET (AUTO SCALING STRATEGY);"});
      continue;
    }
    Dep* d = r.Acting(o.deployment);
    const ClusterPairFacts* c = d != nullptr ? r.ClusterPair(*d, o) : nullptr;
    if (c == nullptr || !c->green.exists) {
      continue;  // green-missing reports it
    }
    sql::AutoScalingStrategy blues{c->blue.auto_scaling_size, std::nullopt};
    if (!c->blue.auto_scaling_linger_secs.empty()) {
      blues.linger_duration = c->blue.auto_scaling_linger_secs + "s";
    }
    if (c->green.auto_scaling_size == c->blue.auto_scaling_size &&
        c->green.auto_scaling_linger_secs == c->blue.auto_scaling_linger_secs) {
      r.Note(out, {"green cluster " + Name(o.green) + " already has blue's auto scaling strategy"});
      continue;
    }
    r.Sql(out, d, sql::AlterAutoScalingStrategySql(o.green, blues));
  }
}

void ClusterSettingsUnsupported(Resolver::Impl& r, Dep& d) {
  for (const ClusterPairFacts& c : d.facts->clusters) {
    const ClusterSettings& want = c.pair->settings;
    if (!c.blue.exists || c.green.exists || want == ClusterSettings{}) {
      continue;
    }
    std::string problem;
    if (!c.blue.managed && (!want.size.has_value() || !want.replication_factor.has_value())) {
      problem = "blue cluster '" + c.blue.name +
                "' is unmanaged: green is cloned replica by replica, which these settings cannot "
                "change; give both size and replication_factor for a managed green, or remove "
                "the settings";
    } else if (want.hydration_size.has_value() && c.blue.schedule == "on-refresh" &&
               !want.replication_factor.has_value()) {
      problem = "hydration_size on cluster '" + c.blue.name +
                "', whose schedule is ON REFRESH: Materialize allows AUTO SCALING STRATEGY only "
                "with a manual schedule (give replication_factor for a manual green, or remove "
                "hydration_size)";
    }
    if (!problem.empty()) {
      r.Violation(DiagKind::kClusterSettingsUnsupported, *d.facts->deployment, c.pair->origin,
                  problem, {"cluster " + c.blue.name});
    }
  }
}

}  // namespace bgplan::resolve
