// The DDL interpreter: CREATE/ALTER/DROP CLUSTER and cluster replicas, cluster options.
//
// The option rules are Materialize's: MaterializeInc/materialize src/sql/src/plan/statement/ddl.rs
// (plan_create_cluster_inner, plan_alter_cluster, plan_create_cluster_replica, plan_replica_config,
// plan_cluster_schedule) and src/adapter/src/coord/sequencer/inner/cluster.rs
// (sequence_alter_cluster_stage, sequence_alter_cluster_unmanaged_to_managed). Their errors are
// PlanError / coord_bail!, which AdapterError::code maps to XX000 (kPlanError); the replica limit
// is AdapterError::ResourceExhaustion, 53000.
#include "tests/mzemu/ddl_impl.h"

namespace mzemu::ddl_internal {
namespace {

constexpr const char* kPlanError = "XX000";
// The default of the system variable max_replicas_per_cluster.
constexpr int kMaxReplicasPerCluster = 5;

// Sizes whose replicas always have disk, for which DISK may not be given (Materialize's
// is_cluster_size_cc; the cloud's `cc` and `C` sizes).
bool IsCcSize(const std::string& size) {
  auto ends_with = [&](const std::string& suffix) {
    return size.size() > suffix.size() &&
           size.compare(size.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("cc") || ends_with("C");
}

std::string JoinSet(const std::set<std::string>& s) {
  return Join(std::vector<std::string>(s.begin(), s.end()), ", ");
}

}  // namespace

std::string Impl::ParseOptionName() {
  static const std::vector<std::vector<std::string>> kNames = {{"replication", "factor"},
                                                               {"auto", "scaling", "strategy"},
                                                               {"availability", "zones"},
                                                               {"availability", "zone"},
                                                               {"introspection", "interval"},
                                                               {"introspection", "debugging"},
                                                               {"storagectl", "addresses"},
                                                               {"storage", "addresses"},
                                                               {"computectl", "addresses"},
                                                               {"compute", "addresses"},
                                                               {"workload", "class"},
                                                               {"billed", "as"},
                                                               {"hydration", "time", "estimate"},
                                                               {"hydration", "size"},
                                                               {"experimental", "arrangement",
                                                                "compression"},
                                                               {"linger", "duration"},
                                                               {"size"},
                                                               {"schedule"},
                                                               {"managed"},
                                                               {"replicas"},
                                                               {"disk"},
                                                               {"workers"},
                                                               {"internal"},
                                                               {"schedule"}};
  for (const auto& n : kNames) {
    bool match = true;
    for (size_t k = 0; k < n.size(); ++k) {
      if (!c_.PeekWord(n[k], k)) {
        match = false;
        break;
      }
    }
    if (match) {
      c_.set_pos(c_.pos() + n.size());
      c_.Op("=");
      return Join(n, " ");
    }
  }
  c_.Unexpected("unknown option");
}

namespace {

// A flag option: `DISK`, `DISK = true`, `MANAGED = false`.
bool ParseFlag(Cursor& c) {
  const Token* t = c.Peek();
  if (t == nullptr || t->IsOp(",") || t->IsOp(")")) return true;
  std::string v = c.Value();
  return v == "true" || v == "on" || v == "t";
}

// `["a", "b"]`, the Debug rendering of a Rust Vec<String> used in Materialize's message.
std::string DebugList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", \"" : "\"") + items[i] + "\"";
  return out + "]";
}

// Stores an ON HYDRATION strategy: $1 cluster, $2 hydration size, $3 linger duration or NULL.
constexpr const char* kInsertStrategy =
    "INSERT INTO mzemu.auto_scaling_strategies VALUES ($1, "
    "jsonb_build_object('on_hydration', jsonb_strip_nulls(jsonb_build_object("
    "'hydration_size', $2::text, 'linger_duration', CASE WHEN $3::text IS NULL THEN NULL ELSE "
    "jsonb_build_object('secs', floor(extract(epoch FROM $3::interval))::bigint, 'nanos', "
    "((extract(epoch FROM $3::interval) * 1000000000)::numeric % 1000000000)::bigint) "
    "END))))";

// A zero INTROSPECTION INTERVAL disables introspection: mz_clusters shows NULL.
constexpr const char* kIntervalOrNull =
    "CASE WHEN $2::interval = '0'::interval THEN NULL ELSE $2::interval END";

}  // namespace

Impl::ClusterOptions::Replica Impl::ParseReplicaOptions(const std::string& name) {
  ClusterOptions::Replica r;
  r.name = name;
  std::set<std::string> seen;
  bool parens = c_.Op("(");
  while (parens ? !c_.Op(")") : !c_.AtEnd()) {
    std::string opt = ParseOptionName();
    if (!seen.insert(opt).second) Fail(kPlanError, Upper(opt) + " specified more than once");
    if (opt == "size") {
      r.size = c_.Value();
    } else if (opt == "availability zone") {
      r.availability_zone = c_.Value();
    } else if (opt == "disk") {
      r.disk = true;
      ParseFlag(c_);
    } else if (opt == "introspection debugging" || opt == "internal") {
      ParseFlag(c_);
    } else if (opt.find("addresses") != std::string::npos) {
      r.unsized = true;
      if (c_.Peek() != nullptr && (c_.Peek()->IsOp("[") || c_.Peek()->IsOp("("))) {
        // [ 'a', 'b' ] — skip the list
        int depth = 0;
        do {
          if (c_.Op("[") || c_.Op("(")) {
            ++depth;
          } else if (c_.Op("]") || c_.Op(")")) {
            --depth;
          } else {
            c_.set_pos(c_.pos() + 1);
          }
        } while (depth > 0);
      } else {
        c_.Value();
      }
    } else {
      c_.Value();
    }
    c_.Op(",");
  }
  // plan_replica_config
  if (r.unsized && (r.size || r.availability_zone)) {
    Fail(kPlanError, "invalid mixture of orchestrated and unorchestrated replica options");
  }
  if (!r.size && !r.unsized) Fail(kPlanError, "SIZE option must be specified");
  if (r.disk && r.size && IsCcSize(*r.size)) {
    Fail(kPlanError,
         "DISK option not supported for modern cluster sizes because disk is always enabled");
  }
  return r;
}

void Impl::ParseClusterOption(ClusterOptions& o) {
  size_t at = c_.pos();
  std::string opt = ParseOptionName();
  CheckOptionVersion(opt, at);
  if (!o.seen.insert(opt).second) Fail(kPlanError, Upper(opt) + " specified more than once");
  if (opt == "size") {
    o.size = c_.Value();
  } else if (opt == "replication factor") {
    std::string v = c_.Value();
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) {
      Fail(kPlanError, "invalid REPLICATION FACTOR: " + v + " is not a non-negative integer");
    }
    o.replication_factor = std::stoi(v);
  } else if (opt == "schedule") {
    if (c_.Word("manual")) {
      o.schedule = "manual";
    } else if (c_.Words({"on", "refresh"})) {
      o.schedule = "on-refresh";
      if (c_.Op("(")) {
        while (!c_.Op(")")) {
          std::string sub = ParseOptionName();
          if (sub != "hydration time estimate") c_.Unexpected("unknown ON REFRESH option");
          o.hydration_estimate = ParseIntervalValue();
          c_.Op(",");
        }
      }
    } else {
      c_.Unexpected("expected MANUAL or ON REFRESH");
    }
  } else if (opt == "auto scaling strategy") {
    o.has_strategy = true;
    c_.ExpectOp("(");
    if (c_.Words({"on", "hydration"})) {
      c_.ExpectOp("(");
      while (!c_.Op(")")) {
        std::string sub = ParseOptionName();
        if (sub == "hydration size") {
          o.hydration_size = c_.String();
        } else if (sub == "linger duration") {
          o.linger = ParseIntervalValue();
        } else {
          c_.Unexpected("unknown ON HYDRATION option");
        }
        c_.Op(",");
      }
    }
    c_.ExpectOp(")");
  } else if (opt == "managed") {
    o.managed = ParseFlag(c_);
  } else if (opt == "availability zones") {
    std::vector<std::string> zones;
    if (!c_.Op("(")) c_.ExpectOp("[");
    while (!c_.Op(")") && !c_.Op("]")) {
      zones.push_back(c_.String());
      c_.Op(",");
    }
    o.availability_zones = zones;
  } else if (opt == "introspection interval") {
    o.introspection_interval = ParseIntervalValue();
  } else if (opt == "introspection debugging") {
    o.introspection_debugging = ParseFlag(c_);
  } else if (opt == "disk") {
    o.disk = ParseFlag(c_);
  } else if (opt == "experimental arrangement compression") {
    o.arrangement_compression = ParseFlag(c_);
    if (*o.arrangement_compression) {
      RequireMzVersion(26, 38, "EXPERIMENTAL ARRANGEMENT COMPRESSION = true",
                       "EXPERIMENTAL ARRANGEMENT COMPRESSION is not available");
    }
  } else if (opt == "workload class") {
    o.workload_class = true;
    c_.Value();
  } else if (opt == "replicas") {
    std::vector<ClusterOptions::Replica> replicas;
    c_.ExpectOp("(");
    while (!c_.Op(")")) {
      std::string name = c_.Name();
      replicas.push_back(ParseReplicaOptions(name));
      c_.Op(",");
    }
    o.replicas = replicas;
  } else {
    c_.Value();
  }
}

// The checks every managed configuration gets: the ON REFRESH hydration estimate
// (plan_cluster_schedule) and the autoscaling strategy (validate_auto_scaling_strategy).
void Impl::CheckManagedCommon(const ClusterOptions& o, const std::string& size,
                              const std::string& schedule) {
  if (o.hydration_estimate) {
    Outcome e =
        Q("SELECT $1::interval < '0'::interval, extract(year FROM $1::interval) * 12 + "
          "extract(month FROM $1::interval) <> 0, $1::interval::text",
          {*o.hydration_estimate});
    if (e.Get(0, 0) == "t") {
      Fail(kPlanError, "HYDRATION TIME ESTIMATE must be non-negative; got: " + e.Get(0, 2));
    }
    if (e.Get(0, 1) == "t") {
      Fail(kPlanError, "HYDRATION TIME ESTIMATE must not involve units larger than days");
    }
  }
  if (o.hydration_size) {
    if (schedule != "manual") Fail(kPlanError, "AUTO SCALING STRATEGY requires SCHEDULE = MANUAL");
    if (*o.hydration_size == size) {
      Fail(kPlanError, "HYDRATION SIZE must differ from the cluster SIZE");
    }
  }
  if (o.linger) Q("SELECT $1::interval", {*o.linger});
}

// plan_create_cluster_inner.
void Impl::CheckCreateClusterOptions(const ClusterOptions& o, bool managed) {
  if (o.workload_class) Fail(kPlanError, "WORKLOAD CLASS not supported for non-system users");
  std::string schedule = o.schedule.value_or("manual");
  if (managed) {
    if (o.replicas) Fail(kPlanError, "REPLICAS not supported for managed clusters");
    if (!o.size) Fail(kPlanError, "SIZE must be specified for managed clusters");
    if (o.disk && IsCcSize(*o.size)) {
      Fail(kPlanError,
           "DISK option not supported for modern cluster sizes because disk is always enabled");
    }
    if (o.introspection_debugging.value_or(false) && o.introspection_interval &&
        True("SELECT $1::interval = '0'::interval", {*o.introspection_interval})) {
      Fail(kPlanError,
           "INTROSPECTION DEBUGGING cannot be specified without INTROSPECTION INTERVAL");
    }
    if (schedule != "manual" && o.replication_factor) {
      Fail(kPlanError,
           "REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL");
    }
    CheckManagedCommon(o, *o.size, schedule);
    return;
  }
  if (!o.replicas) Fail(kPlanError, "REPLICAS must be specified for unmanaged clusters");
  RefuseManagedOnlyOptions(o, schedule != "manual");
  if (o.has_strategy) {
    Fail(kPlanError, "AUTO SCALING STRATEGY not supported for unmanaged clusters");
  }
}

// The options an unmanaged cluster refuses (plan_create_cluster_inner, plan_alter_cluster).
void Impl::RefuseManagedOnlyOptions(const ClusterOptions& o, bool non_manual_schedule) {
  if (o.availability_zones) {
    Fail(kPlanError, "AVAILABILITY ZONES not supported for unmanaged clusters");
  }
  if (o.replication_factor) {
    Fail(kPlanError, "REPLICATION FACTOR not supported for unmanaged clusters");
  }
  if (o.introspection_debugging) {
    Fail(kPlanError, "INTROSPECTION DEBUGGING not supported for unmanaged clusters");
  }
  if (o.introspection_interval) {
    Fail(kPlanError, "INTROSPECTION INTERVAL not supported for unmanaged clusters");
  }
  if (o.size) Fail(kPlanError, "SIZE not supported for unmanaged clusters");
  if (o.disk) Fail(kPlanError, "DISK not supported for unmanaged clusters");
  if (non_manual_schedule) {
    Fail(kPlanError,
         "cluster schedules other than MANUAL are not supported for unmanaged clusters");
  }
}

// plan_alter_cluster, SET.
void Impl::CheckAlterClusterOptions(const ClusterRef& cl, const ClusterOptions& o) {
  if (o.workload_class) Fail(kPlanError, "WORKLOAD CLASS not supported for non-system users");
  std::string current_schedule;  // a managed cluster's; none for an unmanaged one
  std::string current_size;
  if (cl.managed) {
    current_schedule =
        Q1("SELECT type FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cl.id});
    if (current_schedule.empty()) current_schedule = "manual";
    current_size = Q1("SELECT size FROM mz_catalog.mz_clusters WHERE id = $1", {cl.id});
  }
  bool managed = o.managed.value_or(cl.managed);
  if (managed) {
    if (o.replicas) Fail(kPlanError, "REPLICAS not supported for managed clusters");
    if (o.replication_factor) {
      if (o.schedule && *o.schedule != "manual") {
        Fail(kPlanError,
             "REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL");
      }
      if (cl.managed && current_schedule != "manual") {
        Fail(kPlanError,
             "REPLICATION FACTOR cannot be set if the cluster SCHEDULE is anything other than "
             "MANUAL");
      }
    }
  } else {
    RefuseManagedOnlyOptions(o, o.schedule && *o.schedule != "manual");
    if (cl.managed && current_schedule != "manual" && !o.schedule) {
      Fail(kPlanError,
           "when switching a cluster to unmanaged, if the managed cluster's SCHEDULE is "
           "anything other than MANUAL, you have to explicitly set the SCHEDULE to MANUAL");
    }
    if (o.has_strategy) {
      Fail(kPlanError, "AUTO SCALING STRATEGY not supported for unmanaged clusters");
    }
  }
  std::string size = o.size.value_or(current_size);
  if (o.disk && IsCcSize(size)) {
    Fail(kPlanError,
         "DISK option not supported for modern cluster sizes because disk is always enabled");
  }
  if (!managed) return;
  std::string schedule = o.schedule.value_or(cl.managed ? current_schedule : "manual");
  CheckManagedCommon(o, size, schedule);
  // A strategy the cluster keeps may not be combined with a new non-MANUAL schedule either.
  if (cl.managed && !o.has_strategy && schedule != "manual" &&
      True("SELECT EXISTS (SELECT 1 FROM mz_internal.mz_cluster_auto_scaling_strategies WHERE "
           "cluster_id = $1 AND strategy IS NOT NULL AND strategy <> 'null'::jsonb)",
           {cl.id})) {
    Fail(kPlanError, "AUTO SCALING STRATEGY requires SCHEDULE = MANUAL");
  }
}

// The resource limit checked before replicas are created (validate_resource_limit).
void Impl::CheckReplicaLimit(int current, int desired) {
  if (desired <= current || desired <= kMaxReplicasPerCluster) return;
  Fail("53000", "creating cluster replica would violate max_replicas_per_cluster limit (desired: " +
                    std::to_string(desired) + ", limit: " + std::to_string(kMaxReplicasPerCluster) +
                    ", current: " + std::to_string(current) + ")");
}

void Impl::AddReplica(const std::string& cluster_id, const std::string& owner,
                      const ClusterOptions::Replica& r) {
  if (!r.size && !r.unsized) Fail(kPlanError, "SIZE option must be specified");
  Q("INSERT INTO mz_catalog.mz_cluster_replicas VALUES (mzemu.new_id('replica'), $1, $2, $3, $4, "
    "$5, false)",
    {r.name, cluster_id, r.size, r.availability_zone, owner});
}

void Impl::SyncManagedReplicas(const std::string& cluster_id, bool recreate) {
  Outcome c =
      Q("SELECT size, coalesce(replication_factor, 0), owner_id FROM "
        "mz_catalog.mz_clusters WHERE id = $1",
        {cluster_id});
  std::string size = c.Get(0, 0);
  int rf = std::stoi(c.Get(0, 1));
  // A configuration change (size, availability zones, introspection) replaces every replica
  // (new ids); a replication factor change adds or removes r<n> by name. Internal replicas stay.
  Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND id NOT IN (SELECT id "
    "FROM mz_internal.mz_internal_cluster_replicas) AND ($4 OR size IS DISTINCT FROM $2 OR name "
    "!~ '^r[0-9]+$' OR substr(name, 2)::int > $3)",
    {cluster_id, size, std::to_string(rf), recreate ? "true" : "false"});
  for (int i = 1; i <= rf; ++i) {
    std::string name = "r" + std::to_string(i);
    if (Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
           {cluster_id, name})
            .empty()) {
      ClusterOptions::Replica r;
      r.name = name;
      r.size = size;
      AddReplica(cluster_id, c.Get(0, 2), r);
    }
  }
}

// A managed cluster's new configuration (CREATE CLUSTER, or ALTER CLUSTER of a managed cluster
// that stays managed); the options were checked.
void Impl::ApplyClusterOptions(const ClusterRef& cluster, const ClusterOptions& o, bool create) {
  std::string current_schedule =
      create ? "manual"
             : Q1("SELECT type FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1",
                  {cluster.id});
  if (current_schedule.empty()) current_schedule = "manual";
  std::string schedule = o.schedule.value_or(current_schedule);
  const std::string shape_sql =
      "SELECT concat_ws('|', size, availability_zones::text, introspection_interval::text, "
      "introspection_debugging::text), coalesce(replication_factor, 0) FROM "
      "mz_catalog.mz_clusters WHERE id = $1";
  Outcome before = Q(shape_sql, {cluster.id});
  int old_rf = create ? 0 : std::stoi(before.Get(0, 1));
  int new_rf = create ? 1 : old_rf;
  if (o.schedule && schedule == "on-refresh") {
    new_rf = 0;  // the scheduler keeps an ON REFRESH cluster off between refreshes
  } else if (o.replication_factor) {
    new_rf = *o.replication_factor;
  } else if (o.schedule && !create && current_schedule != "manual") {
    new_rf = 1;
  }
  CheckReplicaLimit(old_rf, new_rf);
  if (o.size) Q("UPDATE mz_catalog.mz_clusters SET size = $2 WHERE id = $1", {cluster.id, *o.size});
  if (o.schedule) {
    Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cluster.id});
    Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, $2, $3::interval)",
      {cluster.id, schedule, o.hydration_estimate});
  }
  Q("UPDATE mz_catalog.mz_clusters SET replication_factor = $2 WHERE id = $1",
    {cluster.id, std::to_string(new_rf)});
  if (o.has_strategy) {
    Q("DELETE FROM mzemu.auto_scaling_strategies WHERE cluster_id = $1",
      {cluster.id});
    if (o.hydration_size) Q(kInsertStrategy, {cluster.id, *o.hydration_size, o.linger});
  }
  if (o.availability_zones) {
    std::string arr = "{";
    for (size_t i = 0; i < o.availability_zones->size(); ++i) {
      arr += (i ? "," : "") + QuoteIdent((*o.availability_zones)[i]);
    }
    Q("UPDATE mz_catalog.mz_clusters SET availability_zones = $2::text[] WHERE id = $1",
      {cluster.id, arr + "}"});
  }
  if (o.introspection_interval) {
    Q(std::string("UPDATE mz_catalog.mz_clusters SET introspection_interval = ") + kIntervalOrNull +
          " WHERE id = $1",
      {cluster.id, *o.introspection_interval});
  }
  if (o.introspection_debugging) {
    Q("UPDATE mz_catalog.mz_clusters SET introspection_debugging = $2 WHERE id = $1",
      {cluster.id, *o.introspection_debugging ? "true" : "false"});
  }
  if (o.disk) {
    Q("UPDATE mz_catalog.mz_clusters SET disk = $2 WHERE id = $1",
      {cluster.id, *o.disk ? "true" : "false"});
  }
  bool recreate = !create && Q(shape_sql, {cluster.id}).Get(0, 0) != before.Get(0, 0);
  SyncManagedReplicas(cluster.id, recreate);
}

// sequence_alter_cluster_unmanaged_to_managed: the replicas stay (same ids) and must already be
// what the managed configuration describes.
void Impl::ConvertToManaged(const ClusterRef& cl, const ClusterOptions& o) {
  Outcome reps =
      Q("SELECT name, size, availability_zone FROM mz_catalog.mz_cluster_replicas WHERE "
        "cluster_id = $1 AND id NOT IN (SELECT id FROM mz_internal.mz_internal_cluster_replicas)",
        {cl.id});
  int count = static_cast<int>(reps.rows.size());
  if (o.seen.count("replication factor") && *o.replication_factor != count) {
    Fail(kPlanError, "REPLICATION FACTOR " + std::to_string(*o.replication_factor) +
                         " does not match number of replicas (" + std::to_string(count) + ")");
  }
  std::vector<std::string> zones = o.availability_zones.value_or(std::vector<std::string>{});
  std::set<std::string> names, sizes;
  for (size_t i = 0; i < reps.rows.size(); ++i) {
    names.insert(reps.Get(i, 0));
    if (reps.rows[i][1] == std::nullopt) {
      Fail(kPlanError,
           "Cannot convert unmanaged cluster with unmanaged replicas to managed cluster");
    }
    sizes.insert(reps.Get(i, 1));
    if (reps.rows[i][2] != std::nullopt &&
        std::find(zones.begin(), zones.end(), reps.Get(i, 2)) == zones.end()) {
      Fail(kPlanError, "unmanaged replica has availability zone " + reps.Get(i, 2) +
                           " which is not in managed " + DebugList(zones));
    }
  }
  std::string size;
  if (sizes.empty()) {
    if (!o.size) Fail(kPlanError, "Missing SIZE for empty cluster");
    size = *o.size;
  } else if (sizes.size() == 1) {
    size = *sizes.begin();
    if (o.size && *o.size != size) {
      Fail(kPlanError,
           "Cluster replicas of size " + size + " do not match expected SIZE " + *o.size);
    }
  } else {
    Fail(kPlanError, "Cannot convert unmanaged cluster to managed, non-unique replica sizes: " +
                         JoinSet(sizes));
  }
  for (int i = 1; i <= count; ++i) names.erase("r" + std::to_string(i));
  if (!names.empty()) {
    Fail(kPlanError,
         "Cannot convert unmanaged cluster to managed, invalid replica names: " + JoinSet(names));
  }
  std::string zone_array = "{";
  for (size_t i = 0; i < zones.size(); ++i) zone_array += (i ? "," : "") + QuoteIdent(zones[i]);
  Q(std::string("UPDATE mz_catalog.mz_clusters SET managed = true, size = $3, ") +
        "replication_factor = $4, availability_zones = $5::text[], introspection_interval = " +
        kIntervalOrNull + ", introspection_debugging = $6 WHERE id = $1",
    {cl.id, o.introspection_interval.value_or("1 s"), size, std::to_string(count), zone_array + "}",
     o.introspection_debugging.value_or(false) ? "true" : "false"});
  Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, $2, $3::interval)",
    {cl.id, o.schedule.value_or("manual"), o.hydration_estimate});
  if (o.hydration_size) Q(kInsertStrategy, {cl.id, *o.hydration_size, o.linger});
}

// sequence_alter_cluster_managed_to_unmanaged: the replicas stay, names and ids included.
void Impl::ConvertToUnmanaged(const ClusterRef& cl) {
  Q("UPDATE mz_catalog.mz_clusters SET managed = false, size = NULL, replication_factor = NULL, "
    "disk = false, availability_zones = '{}', introspection_debugging = false, "
    "introspection_interval = '1 s' WHERE id = $1",
    {cl.id});
  Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cl.id});
  Q("DELETE FROM mzemu.auto_scaling_strategies WHERE cluster_id = $1", {cl.id});
}

std::string Impl::CreateCluster() {
  bool if_not_exists = ParseClusterIfNotExists();
  std::string name = c_.Name();
  ClusterOptions o;
  if (c_.Op("(")) {
    while (!c_.Op(")")) {
      ParseClusterOption(o);
      c_.Op(",");
    }
  } else {
    while (!c_.AtEnd()) {
      ParseClusterOption(o);
      c_.Op(",");
    }
  }
  c_.ExpectEnd();
  bool managed = o.managed.value_or(!o.replicas.has_value());
  CheckCreateClusterOptions(o, managed);
  CheckArrangementCompression(o, managed);
  if (FindCluster(name)) {
    if (if_not_exists) return "CREATE CLUSTER";  // Materialize: a NOTICE, "... skipping"
    Fail(kAlreadyExists, "cluster '" + name + "' already exists");
  }
  if (!True("SELECT mz_catalog.has_system_privilege('CREATECLUSTER')")) {
    Fail("42501", "permission denied for SYSTEM",
         "The '" + session_.role() + "' role needs CREATECLUSTER privileges on SYSTEM");
  }
  if (managed) {
    CheckReplicaLimit(
        0, o.schedule.value_or("manual") == "manual" ? o.replication_factor.value_or(1) : 0);
  } else {
    CheckReplicaLimit(0, static_cast<int>(o.replicas->size()));
  }
  std::string owner = RoleId();
  std::string id =
      Q1("INSERT INTO mz_catalog.mz_clusters VALUES (mzemu.new_id('cluster'), $1, $2, "
         "ARRAY[$2 || '=UC/' || $2]::mz_catalog.mz_aclitem[], $3, NULL, $4::bigint, false, '{}', "
         "false, '1 s') RETURNING id",
         {name, owner, managed ? "true" : "false",
          managed ? std::optional<std::string>("1") : std::nullopt});
  if (managed) {
    if (!o.schedule) {
      Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, 'manual', NULL)", {id});
    }
    ApplyClusterOptions(ClusterRef{id, name, owner, managed}, o, /*create=*/true);
    ApplyArrangementCompression(id, o, managed, /*create=*/true);
  } else {
    for (const auto& r : *o.replicas) AddReplica(id, owner, r);
  }
  return "CREATE CLUSTER";
}

std::string Impl::CreateClusterReplica() {
  bool if_not_exists = ParseClusterIfNotExists();
  std::vector<std::string> parts = c_.QualifiedName();
  if (parts.size() != 2) Fail("42601", "mzemu: CREATE CLUSTER REPLICA needs cluster.replica");
  ClusterRef cluster = GetCluster(parts[0]);
  ClusterOptions::Replica r = ParseReplicaOptions(parts[1]);
  c_.ExpectEnd();
  // plan_create_cluster_replica: ensure_cluster_is_not_managed (PlanError::ManagedCluster).
  if (cluster.managed) Fail(kPlanError, "cannot modify managed cluster " + cluster.name);
  RequireOwner(cluster.owner_id, "CLUSTER " + cluster.name);
  if (!Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
          {cluster.id, r.name})
           .empty()) {
    if (if_not_exists) return "CREATE CLUSTER REPLICA";
    Fail(kAlreadyExists, "cluster replica '" + parts[0] + "." + r.name + "' already exists");
  }
  int count = std::stoi(Q1(
      "SELECT count(*) FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1", {cluster.id}));
  CheckReplicaLimit(count, count + 1);
  AddReplica(cluster.id, cluster.owner_id, r);
  return "CREATE CLUSTER REPLICA";
}

void Impl::CheckReplicaDrop(const ClusterRef& cl, const std::string& replica) {
  if (!cl.managed) return;
  std::string id =
      Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
         {cl.id, replica});
  // Internal replicas exist outside the scope of managed clusters.
  if (id.empty() ||
      True("SELECT EXISTS (SELECT 1 FROM mz_internal.mz_internal_cluster_replicas WHERE id = $1)",
           {id})) {
    return;
  }
  Fail(kPlanError, "cannot drop replica of managed cluster");
}

void Impl::CheckReplicaRename(const ClusterRef& cl, const std::string& replica) {
  if (cl.managed &&
      !Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
          {cl.id, replica})
           .empty()) {
    Fail(kPlanError, "cannot modify managed cluster " + cl.name);
  }
}

std::string Impl::AlterClusterOptions(const std::vector<std::string>& a, bool reset) {
  static const std::set<std::string> kResettable = {
      "size",     "replication factor",     "schedule",
      "managed",  "auto scaling strategy",  "availability zones",
      "replicas", "introspection interval", "introspection debugging",
      "disk",     "workload class",         "experimental arrangement compression"};
  ClusterRef cl = GetCluster(a.back());
  ClusterOptions o;
  c_.ExpectOp("(");
  while (!c_.Op(")")) {
    if (reset) {
      size_t at = c_.pos();
      std::string opt = ParseOptionName();
      if (!kResettable.count(opt)) {
        c_.set_pos(at);
        c_.Unexpected("expected a cluster option");
      }
      o.reset.insert(opt);
    } else {
      ParseClusterOption(o);
    }
    c_.Op(",");
  }
  c_.ExpectEnd();
  if (o.reset.count("workload class")) {
    Fail(kPlanError, "WORKLOAD CLASS not supported for non-system users");
  }
  if (!reset) CheckAlterClusterOptions(cl, o);
  if (o.reset.count("experimental arrangement compression")) o.arrangement_compression = false;
  RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
  // sequence_alter_cluster_stage: the new configuration, then the conversion if any.
  auto given = [&](const std::string& opt) { return o.seen.count(opt) || o.reset.count(opt); };
  bool managed = cl.managed ? !(o.managed.has_value() && !*o.managed)
                            : o.reset.count("managed") || o.managed.value_or(false);
  if (managed) {
    if (o.reset.count("size")) Fail(kPlanError, "SIZE has no default value");
    if (given("replicas")) Fail(kPlanError, "Cannot change REPLICAS of managed clusters");
  } else if (!cl.managed) {
    static const std::vector<std::pair<std::string, std::string>> kUnmanagedFixed = {
        {"size", "SIZE"},
        {"availability zones", "AVAILABILITY ZONES"},
        {"introspection debugging", "INTROSPECTION DEGUBBING"},  // sic, Materialize's text
        {"introspection interval", "INTROSPECTION INTERVAL"},
        {"replication factor", "REPLICATION FACTOR"},
        {"auto scaling strategy", "AUTO SCALING STRATEGY"}};
    for (const auto& [opt, text] : kUnmanagedFixed) {
      if (given(opt)) Fail(kPlanError, "Cannot change " + text + " of unmanaged clusters");
    }
  }
  // RESET gives each option its default (REPLICATION FACTOR: default_cluster_replication_factor).
  if (o.reset.count("availability zones")) o.availability_zones = std::vector<std::string>{};
  if (o.reset.count("introspection interval")) o.introspection_interval = "1 s";
  if (o.reset.count("introspection debugging")) o.introspection_debugging = false;
  if (o.reset.count("replication factor")) o.replication_factor = 1;
  if (o.reset.count("schedule")) o.schedule = "manual";
  if (o.reset.count("auto scaling strategy")) o.has_strategy = true;
  CheckArrangementCompression(o, managed);
  if (cl.managed && managed) {
    std::optional<std::string> resize = DeferResize(cl, o);  // v26.35+: in the background
    ApplyClusterOptions(cl, o, /*create=*/false);
    if (resize) RecordReconfiguration(cl, *resize);
  } else if (managed) {
    ConvertToManaged(cl, o);
  } else if (cl.managed) {
    ConvertToUnmanaged(cl);
  }
  ApplyArrangementCompression(cl.id, o, managed, /*create=*/false);
  // Unmanaged and staying so: REPLICAS and SCHEDULE leave the configuration as it is, and
  // Materialize answers such a no-op ALTER with success.
  return "ALTER CLUSTER";
}

std::string Impl::DropCluster(const std::string& name, bool if_exists, bool cascade) {
  auto cl = FindCluster(name);
  if (!cl) {
    if (if_exists) return "DROP CLUSTER";
    Fail("42704", "unknown cluster '" + name + "'");
  }
  if (cl->id[0] != 'u') Fail("42832", "cannot drop system cluster '" + name + "'");
  RequireOwner(cl->owner_id, "CLUSTER " + QuoteIdent(cl->name));
  Outcome items = Q("SELECT id FROM mzemu.objects WHERE cluster_id = $1", {cl->id});
  std::vector<std::string> ids;
  for (size_t r = 0; r < items.rows.size(); ++r) ids.push_back(items.Get(r));
  if (!ids.empty() && !cascade) {
    Fail("2BP01", "cannot drop cluster \"" + name + "\" with active objects",
         "Use DROP CLUSTER ... CASCADE to drop the objects too.");
  }
  DropItemsChecked(ids, /*cascade=*/true, "");
  Q("DELETE FROM mz_internal.mz_comments WHERE (object_type = 'cluster' AND id = $1) OR "
    "(object_type = 'cluster-replica' AND id IN (SELECT id FROM "
    "mz_catalog.mz_cluster_replicas WHERE cluster_id = $1))",
    {cl->id});
  Q("DELETE FROM mz_internal.mz_internal_cluster_replicas WHERE id IN (SELECT id FROM "
    "mz_catalog.mz_cluster_replicas WHERE cluster_id = $1)",
    {cl->id});
  Q("DELETE FROM mzemu.hydration WHERE (kind IN ('cluster', 'system') AND target_id = $1) OR "
    "(kind = 'replica' AND target_id IN (SELECT id FROM mz_catalog.mz_cluster_replicas "
    "WHERE cluster_id = $1))",
    {cl->id});
  Q("DELETE FROM mzemu.lag WHERE kind = 'cluster' AND target_id = $1", {cl->id});
  Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mzemu.auto_scaling_strategies WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_catalog.mz_clusters WHERE id = $1", {cl->id});
  return "DROP CLUSTER";
}
}  // namespace mzemu::ddl_internal
