// The DDL interpreter: cluster features of Materialize releases v26.34 to v26.40 (issue 13),
// gated on the emulated version (mz_version.h, `mzemu --mz-version`).
//
// Sources: MaterializeInc/materialize doc/user/content/releases (v26.34 AUTO SCALING STRATEGY,
// v26.35 asynchronous cluster reconfiguration and mz_internal.mz_cluster_reconfigurations,
// v26.36 "an ALTER CLUSTER without WITH (WAIT ...) no longer resets the deadline of an in-flight
// reconfiguration", v26.37 IF NOT EXISTS for CREATE CLUSTER [REPLICA], v26.38 EXPERIMENTAL
// ARRANGEMENT COMPRESSION), doc/user/content/sql/alter-cluster.md ("Resizing process",
// "Cancel a resize": reissuing ALTER CLUSTER with the current size cancels), and
// misc/python/materialize/checks/all_checks/cluster.py (SHOW CREATE CLUSTER shows
// EXPERIMENTAL ARRANGEMENT COMPRESSION from v26.35).
#include "tests/mzemu/ddl_impl.h"

namespace mzemu::ddl_internal {

void Impl::RequireMzVersion(int major, int minor, const std::string& feature,
                            const std::string& message) {
  const MzVersion& v = session_.mz_version();
  if (v.AtLeast(major, minor)) return;
  Fail("42601", message,
       "mzemu: " + feature + " needs Materialize v" + std::to_string(major) + "." +
           std::to_string(minor) + " or later; the emulated version is " + v.Text());
}

void Impl::CheckOptionVersion(const std::string& option, size_t at) {
  const Token& t = c_.stmt().tokens[at];
  // An older parser does not know the option's first word (parser.rs: "Expected one of <the
  // cluster options>, found identifier "x"", SQLSTATE 42601).
  std::string found = "Expected a cluster option, found identifier \"" + t.text + "\"";
  if (option == "auto scaling strategy") {
    RequireMzVersion(26, 34, "AUTO SCALING STRATEGY", found);
  } else if (option == "experimental arrangement compression") {
    RequireMzVersion(26, 35, "EXPERIMENTAL ARRANGEMENT COMPRESSION", found);
  }
}

bool Impl::ParseClusterIfNotExists() {
  if (!c_.PeekWord("if") || !c_.PeekWord("not", 1) || !c_.PeekWord("exists", 2)) return false;
  // Before v26.37 `IF` was taken for the cluster name and NOT was unexpected.
  RequireMzVersion(26, 37, "CREATE CLUSTER [REPLICA] IF NOT EXISTS",
                   "Expected end of statement, found NOT");
  c_.Words({"if", "not", "exists"});
  return true;
}

std::string Impl::ParseIntervalValue() {
  const Token* next = c_.Peek(1);
  if (c_.PeekWord("interval") && next != nullptr && next->kind == TokenKind::kString) {
    c_.Word("interval");
    return c_.String();
  }
  return c_.Value();
}

void Impl::CheckArrangementCompression(const ClusterOptions& o, bool managed) {
  // alter-cluster.md: "Only available on managed clusters". The text follows the planner's
  // other "<OPTION> not supported for unmanaged clusters" errors (not verified; XX000 is).
  if (!managed && o.arrangement_compression) {
    Fail("XX000", "EXPERIMENTAL ARRANGEMENT COMPRESSION not supported for unmanaged clusters");
  }
}

void Impl::ApplyArrangementCompression(const std::string& cluster_id, const ClusterOptions& o,
                                       bool managed, bool create) {
  if (!managed) {
    // Unmanaged: no compression setting, and no resize left in flight (Materialize refuses the
    // conversion while one is; here it ends it).
    Q("DELETE FROM mzemu.cluster_settings WHERE cluster_id = $1", {cluster_id});
    Q("UPDATE mz_internal.mz_cluster_reconfigurations SET status = 'cancelled', changes = '{}' "
      "WHERE cluster_id = $1 AND status = 'in-progress'",
      {cluster_id});
    return;
  }
  if (!o.arrangement_compression) return;
  bool before = True(
      "SELECT coalesce((SELECT arrangement_compression FROM mzemu.cluster_settings WHERE "
      "cluster_id = $1), false)",
      {cluster_id});
  Q("INSERT INTO mzemu.cluster_settings VALUES ($1, $2) ON CONFLICT (cluster_id) DO UPDATE SET "
    "arrangement_compression = excluded.arrangement_compression",
    {cluster_id, *o.arrangement_compression ? "true" : "false"});
  // A replica's compression is fixed when it is created: a change brings a new replica set
  // (alter-cluster.md "Dictionary compression"; here at once, not after hydration).
  if (!create && before != *o.arrangement_compression) SyncManagedReplicas(cluster_id, true);
}

std::optional<std::string> Impl::DeferResize(const ClusterRef& cl, ClusterOptions& o) {
  if (!o.size || !session_.mz_version().AtLeast(26, 35)) return std::nullopt;
  std::string realized = Q1("SELECT size FROM mz_catalog.mz_clusters WHERE id = $1", {cl.id});
  std::string size = *o.size;
  o.size.reset();
  if (size != realized) return size;
  // "To cancel an in-flight resize, reissue ALTER CLUSTER with the cluster's current size."
  Q("UPDATE mz_internal.mz_cluster_reconfigurations SET status = 'cancelled', target = "
    "mzemu.cluster_shape(cluster_id, NULL), changes = '{}' WHERE cluster_id = $1 AND status = "
    "'in-progress'",
    {cl.id});
  return std::nullopt;
}

void Impl::RecordReconfiguration(const ClusterRef& cl, const std::string& size) {
  // One row per cluster: its latest reconfiguration. A new ALTER while one is in flight
  // retargets it and keeps its deadline (v26.36); otherwise a new record with the default
  // deadline (dyncfg default_cluster_reconfiguration_timeout, 24 hours) and ROLLBACK on
  // timeout. The deadline is milliseconds since the epoch (an mz_timestamp in Materialize).
  Q("INSERT INTO mz_internal.mz_cluster_reconfigurations VALUES ($1, 'in-progress', "
    "(extract(epoch FROM now() + interval '1 day') * 1000)::bigint, 'rollback', "
    "mzemu.cluster_shape($1, $2), mzemu.cluster_changes($1, $2)) "
    "ON CONFLICT (cluster_id) DO UPDATE SET status = 'in-progress', target = excluded.target, "
    "changes = excluded.changes, on_timeout = CASE WHEN mz_cluster_reconfigurations.status = "
    "'in-progress' THEN mz_cluster_reconfigurations.on_timeout ELSE excluded.on_timeout END, "
    "deadline = CASE WHEN mz_cluster_reconfigurations.status = 'in-progress' THEN "
    "mz_cluster_reconfigurations.deadline ELSE excluded.deadline END",
    {cl.id, size});
}

}  // namespace mzemu::ddl_internal
