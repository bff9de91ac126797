// The DDL interpreter: CREATE/ALTER/DROP CLUSTER and cluster replicas, cluster options.
#include "tests/mzemu/ddl_impl.h"

namespace mzemu::ddl_internal {

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

Impl::ClusterOptions::Replica Impl::ParseReplicaOptions(const std::string& name) {
  ClusterOptions::Replica r;
  r.name = name;
  c_.ExpectOp("(");
  while (!c_.Op(")")) {
    std::string opt = ParseOptionName();
    if (opt == "size") {
      r.size = c_.Value();
    } else if (opt == "availability zone") {
      r.availability_zone = c_.Value();
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
  return r;
}

void Impl::ParseClusterOption(ClusterOptions& o) {
  std::string opt = ParseOptionName();
  if (opt == "size") {
    o.size = c_.Value();
  } else if (opt == "replication factor") {
    o.replication_factor = std::stoi(c_.Value());
  } else if (opt == "schedule") {
    if (c_.Word("manual")) {
      o.schedule = "manual";
    } else if (c_.Words({"on", "refresh"})) {
      o.schedule = "on-refresh";
      if (c_.Op("(")) {
        while (!c_.Op(")")) {
          std::string sub = ParseOptionName();
          if (sub != "hydration time estimate") c_.Unexpected("unknown ON REFRESH option");
          o.hydration_estimate = c_.String();
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
          o.linger = c_.String();
        } else {
          c_.Unexpected("unknown ON HYDRATION option");
        }
        c_.Op(",");
      }
    }
    c_.ExpectOp(")");
  } else if (opt == "managed") {
    o.managed = !(c_.Word("false"));
    if (o.managed.value()) c_.Word("true");
  } else if (opt == "availability zones") {
    std::vector<std::string> zones;
    if (!c_.Op("(")) c_.ExpectOp("[");
    while (!c_.Op(")") && !c_.Op("]")) {
      zones.push_back(c_.String());
      c_.Op(",");
    }
    o.availability_zones = zones;
  } else if (opt == "introspection interval") {
    o.introspection_interval = c_.Value();
  } else if (opt == "introspection debugging") {
    o.introspection_debugging = c_.Value() == "true";
  } else if (opt == "disk") {
    o.disk = c_.Value() == "true";
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

void Impl::AddReplica(const std::string& cluster_id, const std::string& owner,
                      const ClusterOptions::Replica& r) {
  if (!r.size && !r.unsized) Fail("42601", "mzemu: replica " + r.name + " needs SIZE");
  Q("INSERT INTO mz_catalog.mz_cluster_replicas VALUES (mzemu.new_id('replica'), $1, $2, $3, $4, $5, false)",
    {r.name, cluster_id, r.size, r.availability_zone, owner});
}

void Impl::SyncManagedReplicas(const std::string& cluster_id) {
  Outcome c =
      Q("SELECT size, coalesce(replication_factor, 0), owner_id FROM "
        "mz_catalog.mz_clusters WHERE id = $1",
        {cluster_id});
  std::string size = c.Get(0, 0);
  int rf = std::stoi(c.Get(0, 1));
  // Replicas of another size are replaced (new ids), like a managed size change.
  Q("DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND (size IS DISTINCT FROM "
    "$2 OR name !~ '^r[0-9]+$' OR substr(name, 2)::int > $3)",
    {cluster_id, size, std::to_string(rf)});
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

void Impl::ApplyClusterOptions(const ClusterRef& cluster, const ClusterOptions& o, bool create) {
  bool managed = create ? !o.replicas.has_value() && o.managed.value_or(true) : cluster.managed;
  if (!create && o.replicas)
    Fail("0A000", "mzemu: ALTER CLUSTER ... SET (REPLICAS) is not supported");
  if (managed) {
    std::string current_schedule =
        create ? "manual"
               : Q1("SELECT type FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1",
                    {cluster.id});
    std::string schedule =
        o.schedule.value_or(current_schedule.empty() ? "manual" : current_schedule);
    if (create && !o.size)
      Fail("42601", "mzemu: CREATE CLUSTER requires SIZE for a managed cluster");
    if (o.replication_factor && schedule != "manual") {
      Fail("22023",
           "REPLICATION FACTOR cannot be given together with any SCHEDULE other than MANUAL");
    }
    if (o.has_strategy && o.hydration_size) {
      if (schedule != "manual") {
        Fail("22023", "AUTO SCALING STRATEGY requires SCHEDULE = MANUAL");
      }
      std::string size = o.size.value_or(
          Q1("SELECT size FROM mz_catalog.mz_clusters WHERE id = $1", {cluster.id}));
      if (*o.hydration_size == size) {
        Fail("22023", "HYDRATION SIZE must differ from the cluster SIZE");
      }
    }
    if (o.size)
      Q("UPDATE mz_catalog.mz_clusters SET size = $2 WHERE id = $1", {cluster.id, *o.size});
    if (o.schedule) {
      Q("DELETE FROM mz_internal.mz_cluster_schedules WHERE cluster_id = $1", {cluster.id});
      Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, $2, $3::interval)",
        {cluster.id, schedule, o.hydration_estimate});
    }
    if (schedule == "on-refresh") {
      // The scheduler keeps an ON REFRESH cluster off (no replicas) between refreshes.
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = 0 WHERE id = $1", {cluster.id});
    } else if (o.replication_factor) {
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = $2 WHERE id = $1",
        {cluster.id, std::to_string(*o.replication_factor)});
    } else if (o.schedule && !create) {
      Q("UPDATE mz_catalog.mz_clusters SET replication_factor = 1 WHERE id = $1", {cluster.id});
    }
    if (o.has_strategy) {
      Q("DELETE FROM mz_internal.mz_cluster_auto_scaling_strategies WHERE cluster_id = $1",
        {cluster.id});
      if (o.hydration_size) {
        Q("INSERT INTO mz_internal.mz_cluster_auto_scaling_strategies VALUES ($1, "
          "jsonb_build_object('on_hydration', jsonb_strip_nulls(jsonb_build_object("
          "'hydration_size', $2::text, 'linger_duration', CASE WHEN $3::text IS NULL THEN NULL "
          "ELSE "
          "jsonb_build_object('secs', floor(extract(epoch FROM $3::interval))::bigint, 'nanos', "
          "((extract(epoch FROM $3::interval) * 1000000000)::numeric % 1000000000)::bigint) "
          "END))))",
          {cluster.id, *o.hydration_size, o.linger});
      }
    }
    SyncManagedReplicas(cluster.id);
  } else {
    if (o.size || o.replication_factor || o.schedule || o.has_strategy) {
      Fail("0A000",
           "mzemu: SIZE/REPLICATION FACTOR/SCHEDULE/AUTO SCALING STRATEGY need a "
           "managed cluster");
    }
    if (o.replicas) {
      for (const auto& r : *o.replicas) AddReplica(cluster.id, cluster.owner_id, r);
    }
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
    Q("UPDATE mz_catalog.mz_clusters SET introspection_interval = $2::interval WHERE id = $1",
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
}

std::string Impl::CreateCluster() {
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
  if (FindCluster(name)) Fail(kAlreadyExists, "cluster '" + name + "' already exists");
  if (!True("SELECT mz_catalog.has_system_privilege('CREATECLUSTER')")) {
    Fail("42501", "permission denied for SYSTEM",
         "The '" + session_.role() + "' role needs CREATECLUSTER privileges on SYSTEM");
  }
  std::string owner = RoleId();
  bool managed = !o.replicas.has_value() && o.managed.value_or(true);
  std::string id =
      Q1("INSERT INTO mz_catalog.mz_clusters VALUES (mzemu.new_id('cluster'), $1, $2, "
         "ARRAY[$2 || '=UC/' || $2]::mz_catalog.mz_aclitem[], $3, NULL, $4::bigint, false, '{}', "
         "false, '1 s') RETURNING id",
         {name, owner, managed ? "true" : "false",
          managed ? std::optional<std::string>("1") : std::nullopt});
  if (managed && !o.schedule) {
    Q("INSERT INTO mz_internal.mz_cluster_schedules VALUES ($1, 'manual', NULL)", {id});
  }
  ApplyClusterOptions(ClusterRef{id, name, owner, managed}, o, /*create=*/true);
  return "CREATE CLUSTER";
}

std::string Impl::CreateClusterReplica() {
  std::vector<std::string> parts = c_.QualifiedName();
  if (parts.size() != 2) Fail("42601", "mzemu: CREATE CLUSTER REPLICA needs cluster.replica");
  ClusterRef cluster = GetCluster(parts[0]);
  if (cluster.managed) {
    Fail("0A000", "cannot create more replicas in a managed cluster",
         "Use ALTER CLUSTER to adjust the replication factor of the cluster.");
  }
  RequireOwner(cluster.owner_id, "CLUSTER " + cluster.name);
  ClusterOptions::Replica r;
  if (c_.Peek() != nullptr && c_.Peek()->IsOp("(")) {
    r = ParseReplicaOptions(parts[1]);
  } else {
    r.name = parts[1];
    while (!c_.AtEnd()) {
      std::string opt = ParseOptionName();
      if (opt == "size") {
        r.size = c_.Value();
      } else if (opt == "availability zone") {
        r.availability_zone = c_.Value();
      } else {
        c_.Value();
      }
      c_.Op(",");
    }
  }
  if (!Q1("SELECT id FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = $1 AND name = $2",
          {cluster.id, r.name})
           .empty()) {
    Fail(kAlreadyExists, "cluster replica '" + parts[0] + "." + r.name + "' already exists");
  }
  AddReplica(cluster.id, cluster.owner_id, r);
  return "CREATE CLUSTER REPLICA";
}


std::string Impl::AlterClusterOptions(const std::vector<std::string>& a, bool reset) {
  ClusterRef cl = GetCluster(a.back());
  RequireOwner(cl.owner_id, "CLUSTER " + cl.name);
  ClusterOptions o;
  c_.ExpectOp("(");
  while (!c_.Op(")")) {
    if (reset) {
      std::string opt = ParseOptionName();
      if (opt == "auto scaling strategy") {
        o.has_strategy = true;
      } else if (opt == "schedule") {
        o.schedule = "manual";
      } else if (opt == "replication factor") {
        o.replication_factor = 1;
      } else {
        Fail("0A000", "mzemu: RESET (" + Upper(opt) + ") is not supported");
      }
    } else {
      ParseClusterOption(o);
    }
    c_.Op(",");
  }
  c_.ExpectEnd();
  ApplyClusterOptions(cl, o, /*create=*/false);
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
  Q("DELETE FROM mz_internal.mz_cluster_auto_scaling_strategies WHERE cluster_id = $1", {cl->id});
  Q("DELETE FROM mz_catalog.mz_clusters WHERE id = $1", {cl->id});
  return "DROP CLUSTER";
}
}  // namespace mzemu::ddl_internal
