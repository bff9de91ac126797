// The catalog snapshot a phase is resolved against: what bgplan knows about the server, the
// journal, and every object of the selected deployments (both sides of each schema and cluster,
// the objects inside them by kind, name, id and owner, the sinks that follow them and every
// dependent outside them). Plain data, filled by a catalog reader per dialect (runtime/catalog)
// in a fixed number of queries whatever the number of objects, or left offline by `compile`,
// where every fact is unknown and resolution describes how it will be decided instead.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "plans/plan.h"
#include "resolve/server_version.h"
#include "sql/cluster_options.h"
#include "sql/statements.h"

namespace bgplan::resolve {

// A column of a relation: its name and type as the catalog spells it (PostgreSQL
// format_type(), Materialize mz_columns.type).
struct CatalogColumn {
  std::string name;
  std::string type;
  auto operator<=>(const CatalogColumn&) const = default;
};

// One object of the catalog.
struct CatalogObject {
  // PostgreSQL: the oid; Materialize: the id ("u12").
  std::string id;
  // "table", "view", "materialized-view", "index", "sequence", "function", "type", "source",
  // "sink", "connection", "secret", ... (Materialize's mz_objects.type spelling on both).
  std::string kind;
  std::string database;  // Materialize; "" on PostgreSQL
  std::string schema;
  std::string name;
  std::string owner;    // role name
  std::string cluster;  // Materialize: the cluster it runs on ("" if none)
  // PostgreSQL materialized views: populated (REFRESH has run); everything else true.
  bool populated = true;
  // PostgreSQL tables and materialized views: the planner's row estimate (pg_class.reltuples;
  // -1 = never analyzed, or not a table). Not compared (it changes with every write).
  int64_t row_estimate = -1;
  // Relations of the deployment's schemas, both sides, when a followed sink exists: the columns
  // in order (incompatible-upstream). Empty otherwise.
  std::vector<CatalogColumn> columns;

  // "<database.>schema.name" (the database on Materialize only)
  std::string QualifiedName() const;
  // "<kind> <database.>schema.name"
  std::string Describe() const;
  auto operator<=>(const CatalogObject&) const = default;
};

// A privilege on a schema or cluster. `grantee` "" = PUBLIC.
struct Grant {
  std::string grantee;
  std::string privilege;  // an upper-case keyword (sql::IsSqlKeyword)
  bool grantable = false;
  auto operator<=>(const Grant&) const = default;
};

// A default privilege of a schema: objects of `object_type` that `role` creates in the schema
// get `privilege` for `grantee`. `role` "" = every role (Materialize FOR ALL ROLES); `grantee`
// "" = PUBLIC. `object_type` is the plural keyword of ALTER DEFAULT PRIVILEGES (TABLES, TYPES,
// SEQUENCES, FUNCTIONS, SECRETS, CONNECTIONS, ...).
struct DefaultPrivilege {
  std::string role;
  std::string object_type;
  std::string grantee;
  std::string privilege;
  bool grantable = false;
  auto operator<=>(const DefaultPrivilege&) const = default;
};

// What is known about one schema or cluster by name (absent: exists = false, the rest empty).
struct ContainerFacts {
  std::string name;
  bool exists = false;
  std::string id;
  std::string owner;
  // The current role owns it, directly or through membership, or is a superuser.
  bool owned = false;
  std::string comment;
  // Known only by projection (resolve/projection.h: `plan` before the phase that makes it): its
  // id may be "(new)" and, for green, what the deploy step builds into it is not known.
  bool projected = false;
  // Sorted; privileges of the owner, the current role and system roles are left out (they are
  // never copied).
  std::vector<Grant> grants;
};

struct SchemaFacts : ContainerFacts {
  std::string database;  // Materialize: the schema's database (resolved); "" on PostgreSQL
  std::vector<DefaultPrivilege> default_privileges;  // sorted
  // The user objects inside, sorted by (kind, name).
  std::vector<CatalogObject> objects;
};

struct ClusterFacts : ContainerFacts {
  bool managed = true;
  std::string size;
  std::optional<int64_t> replication_factor;
  std::string schedule;                 // "" | "manual" | "on-refresh"
  std::string hydration_time_estimate;  // interval text, with on-refresh
  std::string auto_scaling_size;        // ON HYDRATION (HYDRATION SIZE ...), "" = none
  std::string auto_scaling_linger_secs;
  bool introspection_debugging = false;
  std::string introspection_interval;  // interval text; "" = introspection off
  // Materialize, a managed blue whose green does not exist yet: the options SHOW CREATE CLUSTER
  // gives, which init replays under the green name. Empty when not read, or when the server
  // refused the statement or printed something sql::ParseCreateClusterOptions does not accept:
  // the clone then comes from the columns above.
  sql::ClusterOptionList create_options;
  // Materialize v26.35+: the size an in-progress reconfiguration moves the cluster to
  // (mz_internal.mz_cluster_reconfigurations, status in-progress); "" = none.
  std::string reconfiguring_to;
  std::vector<sql::ReplicaSpec> replicas;  // sized replicas of an unmanaged cluster, by name
  std::vector<std::string> unsized;        // replicas without a size
  // User objects running on the cluster (indexes, materialized views, sources, sinks).
  std::vector<CatalogObject> objects;
};

// A dependent that follows the swap: on Materialize a sink reading a relation in a deployment
// schema (re-pointed with ALTER SINK ... SET FROM); on PostgreSQL a view in a `sinks` schema
// reading the blue schemas (re-created with its captured definition and options).
struct SinkFacts {
  CatalogObject object;
  // The relations it reads inside the deployment's schemas (Materialize: its upstream).
  std::vector<CatalogObject> reads;
  // PostgreSQL: pg_get_viewdef() under an empty search_path, and the view's reloptions.
  std::string definition;
  std::vector<std::string> options;
  // PostgreSQL: the columns of `reads` the view references (pg_depend), as (relation name,
  // column name); Materialize: empty, a sink emits every column of its upstream.
  std::vector<std::pair<std::string, std::string>> columns_read;
};

// An object outside a set of schemas that references objects inside them (or runs on a cluster
// of the deployment): orphaned by a swap, or dropped by a cleanup's CASCADE.
struct Dependent {
  CatalogObject object;
  // PostgreSQL: pg_describe_object() ("view sinks.v", "constraint fk on table t", ...);
  // Materialize: CatalogObject::Describe().
  std::string description;
  // What it references inside the schemas ("schema.name"); for objects on a cluster, the cluster.
  std::vector<std::string> references;
  auto operator<=>(const Dependent&) const = default;
};

// The ids a run recorded for one object when it was initialized (and again at the swap intent on
// Materialize).
struct RecordedObject {
  plans::ObjectKind kind = plans::ObjectKind::kSchema;
  std::string database;  // schemas: "" = the connection's database
  std::string blue, green;
  std::string blue_id, green_id;
};

struct RunFacts {
  std::string id;
  // initializing | initialized | deployed | ready | promoted | rolled_back | finished | abandoned
  std::string phase;
  std::string status;  // active | finished
  std::string actor, host, git_commit, fingerprint;
  std::string started_at;
  std::vector<RecordedObject> objects;
  // When it was promoted, as the journal keeps it ("" if never), and how long ago in
  // milliseconds (-1 if never).
  std::string promoted_at;
  int64_t ms_since_promoted = -1;

  const RecordedObject* Find(plans::ObjectKind kind, const std::string& blue) const;
};

// Where a deployment stands (the live catalog decides: a swap happened iff every blue name now
// carries the green id the run recorded).
enum class DeployState { kAbsent, kInitialized, kPromoted, kRolledBack };
std::string_view DeployStateName(DeployState state);

struct PairFacts {
  const plans::SchemaPair* pair = nullptr;
  SchemaFacts blue, green;
  // A schema exists under the name the PostgreSQL swap parks blue under (plans::SwapTempName).
  bool swap_name_taken = false;
};

struct ClusterPairFacts {
  const plans::ClusterPair* pair = nullptr;
  ClusterFacts blue, green;
};

struct DeploymentFacts {
  const plans::Deployment* deployment = nullptr;
  std::vector<PairFacts> schemas;       // parallel to deployment->schemas
  std::vector<ClusterPairFacts> clusters;  // parallel to deployment->clusters
  // The active run; absent when none, or when its objects vanished (then stale_run_id names it).
  std::optional<RunFacts> run;
  std::optional<std::string> stale_run_id;
  DeployState state = DeployState::kAbsent;
  // Sinks (Materialize: in the plan's sinks schemas or clusters, or every sink when the plan
  // names none) and sinks views (PostgreSQL) reading a deployment schema, blue or green side.
  std::vector<SinkFacts> sinks;
  // Sinks of any schema that live in a blue schema or on a blue cluster (blue-contains-sinks).
  std::vector<CatalogObject> sinks_inside;
  // Objects outside the deployment's schemas (and sinks schemas) that reference the blue side:
  // orphaned by a swap. Sinks that follow the swap are not in it.
  std::vector<Dependent> blue_dependents;
  // Objects outside the green schemas that DROP ... CASCADE of the green side would remove,
  // objects on the green clusters included.
  std::vector<Dependent> green_dependents;
  // PostgreSQL: the sinks schemas in which the role lacks CREATE (re-creating a view there
  // needs it; repoint-not-owner).
  std::vector<std::string> sink_schemas_without_create;
};

struct ServerFacts {
  std::string user;
  std::string database;
  bool superuser = false;
  bool is_materialize = false;
  std::string version;  // version()
  // Materialize: the release parsed from `version`; nullopt on PostgreSQL or when unparsable.
  std::optional<ServerVersion> materialize_version;
  // PostgreSQL: CREATE on the database. Materialize: CREATE and USAGE on the database.
  bool can_create_in_database = false;
  bool createcluster = false;  // Materialize: CREATECLUSTER (or superuser)
  // Roles the current role is a member of (itself included); copying a default privilege of a
  // role needs membership in it.
  std::set<std::string> member_of;
  // Materialize: the session's cluster, on which the journal tables are read and written.
  std::string session_cluster;
  bool session_cluster_exists = true;
  int64_t session_cluster_replicas = 1;
};

// The sinks of `f` (Materialize sinks, PostgreSQL sinks views) that read an object under one of
// its green schema names: after promote the old objects (the cut-over is unfinished: promote
// finishes it), before it green's. Cleanup's DROP ... CASCADE would drop them with green.
std::vector<const SinkFacts*> SinksReadingGreen(const DeploymentFacts& f);

struct Snapshot {
  // False for `compile`: nothing is known, resolution describes what apply will read.
  bool live = false;
  ServerFacts server;
  bool journal_exists = false;
  // The GRANTs the role needs to read and write the existing journal (journal-access); while
  // any is missing the journal's runs are not read.
  std::vector<std::string> journal_missing_grants;
  // The selected deployments, in plan order.
  std::vector<DeploymentFacts> deployments;

  const DeploymentFacts* Find(const std::string& deployment) const;
};

}  // namespace bgplan::resolve
