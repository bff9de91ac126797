// SHOW CREATE CLUSTER c, as MaterializeInc/materialize src/sql/src/plan/statement/show.rs
// plan_show_create_cluster renders it: columns `name, create_sql` (both text, not null); the
// statement is unplan_create_cluster of the cluster's plan, printed with to_ast_string_stable
// (the name always double-quoted), its options in the order of ClusterOptionExtracted. An
// unmanaged cluster is refused: bail_unsupported!("SHOW CREATE for unmanaged clusters"), a plan
// error (XX000 through AdapterError::code). Verified renderings (misc/python/materialize/checks/
// all_checks/cluster.py, doc/user/content/sql/show-create-cluster.md):
//   before v0.155:  (DISK = b, INTROSPECTION DEBUGGING = b, INTROSPECTION INTERVAL = INTERVAL
//                   '00:00:01', MANAGED = true, REPLICATION FACTOR = n, SIZE = 's', SCHEDULE = MANUAL)
//   v0.155-v26.34:  the same without DISK
//   v26.35 and up:  EXPERIMENTAL ARRANGEMENT COMPRESSION = b first
// Not verified (see README): the place and form of AUTO SCALING STRATEGY and AVAILABILITY ZONES
// (alphabetical, as the extracted-options macro lists them), ON REFRESH's HYDRATION TIME
// ESTIMATE, and a disabled INTROSPECTION INTERVAL (rendered INTERVAL '00:00:00').
#include "tests/mzemu/interpreter.h"

namespace mzemu {

namespace {

std::string AlwaysQuoted(const std::string& name) {
  std::string out = "\"";
  for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

Outcome Session::ShowCreateCluster(const Statement& stmt) {
  const auto& t = stmt.tokens;
  if (t.size() != 4 || !t[3].IsName()) {
    return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  }
  const std::string name = t[3].text;
  const MzVersion& v = mz_version();
  auto run = [&]() -> Outcome {
    Outcome c = backend_.Exec(
        "SELECT c.managed, c.size, c.replication_factor, c.disk, "
        "(SELECT string_agg(quote_literal(z), ', ' ORDER BY n) FROM "
        "unnest(c.availability_zones) WITH ORDINALITY u(z, n)), c.introspection_debugging, "
        "coalesce(c.introspection_interval, '0'::interval)::text, coalesce(sc.type, 'manual'), "
        "nullif(sc.refresh_hydration_time_estimate, '0'::interval)::text, "
        "st.strategy->'on_hydration'->>'hydration_size', "
        "make_interval(secs => (st.strategy->'on_hydration'->'linger_duration'->>'secs')::float8 "
        "+ coalesce((st.strategy->'on_hydration'->'linger_duration'->>'nanos')::float8, 0) / "
        "1e9)::text, coalesce(cs.arrangement_compression, false) "
        "FROM mz_catalog.mz_clusters c "
        "LEFT JOIN mz_internal.mz_cluster_schedules sc ON sc.cluster_id = c.id "
        "LEFT JOIN mz_internal.mz_cluster_auto_scaling_strategies st ON st.cluster_id = c.id "
        "LEFT JOIN mzemu.cluster_settings cs ON cs.cluster_id = c.id WHERE c.name = $1",
        {name});
    if (!c.ok()) return c;
    if (c.rows.empty()) return Outcome::Error("42704", "unknown cluster '" + name + "'");
    if (c.Get(0, 0) != "t") {
      return Outcome::Error("XX000", "SHOW CREATE for unmanaged clusters not yet supported");
    }
    auto flag = [&](int col) { return std::string(c.Get(0, col) == "t" ? "true" : "false"); };
    bool on_refresh = c.Get(0, 7) == "on-refresh";
    std::vector<std::string> options;
    if (c.rows[0][9].has_value()) {
      std::string strategy = "HYDRATION SIZE = " + QuoteLiteral(c.Get(0, 9));
      if (c.rows[0][10].has_value()) strategy += ", LINGER DURATION = " + QuoteLiteral(c.Get(0, 10));
      options.push_back("AUTO SCALING STRATEGY = (ON HYDRATION (" + strategy + "))");
    }
    if (c.rows[0][4].has_value()) options.push_back("AVAILABILITY ZONES = (" + c.Get(0, 4) + ")");
    if (!v.AtLeast(0, 155)) options.push_back("DISK = " + flag(3));
    if (v.AtLeast(26, 35)) options.push_back("EXPERIMENTAL ARRANGEMENT COMPRESSION = " + flag(11));
    options.push_back("INTROSPECTION DEBUGGING = " + flag(5));
    options.push_back("INTROSPECTION INTERVAL = INTERVAL " + QuoteLiteral(c.Get(0, 6)));
    options.push_back("MANAGED = true");
    // An ON REFRESH cluster's replication factor belongs to the scheduler: not rendered.
    if (!on_refresh) options.push_back("REPLICATION FACTOR = " + c.Get(0, 2));
    options.push_back("SIZE = " + QuoteLiteral(c.Get(0, 1)));
    std::string schedule = "MANUAL";
    if (on_refresh) {
      schedule = "ON REFRESH";
      if (c.rows[0][8].has_value()) {
        schedule += " (HYDRATION TIME ESTIMATE = INTERVAL " + QuoteLiteral(c.Get(0, 8)) + ")";
      }
    }
    options.push_back("SCHEDULE = " + schedule);
    std::string sql = "CREATE CLUSTER " + AlwaysQuoted(name) + " (";
    for (size_t i = 0; i < options.size(); ++i) sql += (i ? ", " : "") + options[i];
    Outcome o;
    o.has_rows = true;
    o.fields = {Field{"name", 25, -1, -1}, Field{"create_sql", 25, -1, -1}};
    o.rows.push_back({name, sql + ")"});
    o.tag = "SELECT 1";
    return o;
  };
  // A catalog read (a peek in Materialize), subject to the block's rules like SHOW CLUSTERS.
  ++stats_->catalog_queries;
  if (block_ == Block::kNone) return run();
  Outcome merge = AddOps(Block::kRead);
  if (!merge.ok()) return merge;
  Outcome begin = EnsureBackendTxn();
  if (!begin.ok()) return begin;
  return Isolated(run);
}

}  // namespace mzemu
