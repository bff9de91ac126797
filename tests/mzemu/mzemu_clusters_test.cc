// Emulator fidelity tests (issue 12): clusters. The rules are Materialize's
// (MaterializeInc/materialize src/sql/src/plan/statement/ddl.rs plan_create_cluster_inner,
// plan_alter_cluster, plan_create_cluster_replica; src/adapter/src/coord/sequencer/inner/cluster.rs
// sequence_alter_cluster_stage and the managed/unmanaged conversions). Their errors are PlanError
// or coord_bail!, which AdapterError::code maps to XX000.
#include <string>
#include <vector>

#include "tests/mzemu/mzemu_fixture.h"

namespace {

using mzemu_test::Conn;
using mzemu_test::MzemuTest;
using mzemu_test::Res;

class MzemuClustersTest : public MzemuTest {
 protected:
  // The statement fails with `code` and exactly `message`.
  void ExpectError(const std::string& sql, const std::string& code, const std::string& message) {
    Res r = admin_->Exec(sql);
    EXPECT_EQ(r.code, code) << sql << ": " << r.message;
    EXPECT_EQ(r.message, message) << sql;
  }
  void ExpectPlanError(const std::string& sql, const std::string& message) {
    ExpectError(sql, "XX000", message);
  }
  // managed|size|replication_factor of a cluster.
  std::string Config(const std::string& cluster) {
    return Scalar(
        "SELECT managed || '|' || coalesce(size, '-') || '|' || "
        "coalesce(replication_factor::text, '-') FROM mz_clusters WHERE name = '" +
        cluster + "'");
  }
  // name:size:id of each replica, by name.
  std::string Replicas(const std::string& cluster) {
    return Scalar(
        "SELECT coalesce(string_agg(r.name || ':' || coalesce(r.size, '-') || ':' || r.id, ',' "
        "ORDER BY r.name), '') FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = "
        "r.cluster_id WHERE c.name = '" +
        cluster + "'");
  }
  std::string Schedule(const std::string& cluster) {
    return Scalar(
        "SELECT coalesce(string_agg(s.type, ','), 'none') FROM mz_internal.mz_cluster_schedules s "
        "JOIN mz_clusters c ON c.id = s.cluster_id WHERE c.name = '" +
        cluster + "'");
  }
  std::string ClusterCount() { return Scalar("SELECT count(*) FROM mz_clusters"); }
};

// Fact 1: SIZE / REPLICATION FACTOR and REPLICAS do not mix; a cluster is managed unless it
// names REPLICAS (or says MANAGED = false), and the options of the other kind are refused.
TEST_F(MzemuClustersTest, CreateClusterRefusesOptionsOfTheOtherKind) {
  std::string before = ClusterCount();
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', REPLICAS (r1 (SIZE '1')))",
                  "SIZE not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c (REPLICATION FACTOR = 2, REPLICAS (r1 (SIZE '1')))",
                  "REPLICATION FACTOR not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c (REPLICAS (), MANAGED)",
                  "REPLICAS not supported for managed clusters");
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', REPLICAS (), MANAGED = true)",
                  "REPLICAS not supported for managed clusters");
  ExpectPlanError("CREATE CLUSTER c (MANAGED = false)",
                  "REPLICAS must be specified for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', MANAGED = false)",
                  "REPLICAS must be specified for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c (REPLICATION FACTOR = 1)",
                  "SIZE must be specified for managed clusters");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (), INTROSPECTION INTERVAL = '1s'",
                  "INTROSPECTION INTERVAL not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (), INTROSPECTION DEBUGGING = true",
                  "INTROSPECTION DEBUGGING not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (), AVAILABILITY ZONES = ('use1-az1')",
                  "AVAILABILITY ZONES not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (), DISK = true",
                  "DISK not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (), SCHEDULE = ON REFRESH",
                  "cluster schedules other than MANUAL are not supported for unmanaged clusters");
  ExpectPlanError("CREATE CLUSTER c (REPLICAS (r1 (AVAILABILITY ZONE 'use1-az1')))",
                  "SIZE option must be specified");
  EXPECT_EQ(ClusterCount(), before);
  // The accepted forms.
  Run({"CREATE CLUSTER u (REPLICAS (), MANAGED = false)", "CREATE CLUSTER m (SIZE = '1', MANAGED)",
       "CREATE CLUSTER s (SIZE = '1', SCHEDULE = MANUAL)"});
  EXPECT_EQ(Config("u"), "false|-|-");
  EXPECT_EQ(Config("m"), "true|1|1");
  EXPECT_EQ(Config("s"), "true|1|1");
}

// Fact 6: option values and combinations Materialize's planner refuses.
TEST_F(MzemuClustersTest, CreateClusterValidatesOptionValues) {
  std::string before = ClusterCount();
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', SIZE = '2')", "SIZE specified more than once");
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', REPLICATION FACTOR = 1, REPLICATION FACTOR = 2)",
                  "REPLICATION FACTOR specified more than once");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (r1 (SIZE '1', SIZE '2'))",
                  "SIZE specified more than once");
  ExpectPlanError("CREATE CLUSTER c (SIZE = '25cc', DISK = true)",
                  "DISK option not supported for modern cluster sizes because disk is always "
                  "enabled");
  ExpectPlanError("CREATE CLUSTER c REPLICAS (r1 (SIZE '3200C', DISK))",
                  "DISK option not supported for modern cluster sizes because disk is always "
                  "enabled");
  ExpectPlanError(
      "CREATE CLUSTER c (SIZE = '1', INTROSPECTION INTERVAL = 0, INTROSPECTION DEBUGGING = true)",
      "INTROSPECTION DEBUGGING cannot be specified without INTROSPECTION INTERVAL");
  ExpectPlanError(
      "CREATE CLUSTER c (SIZE = '1', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '1 month'))",
      "HYDRATION TIME ESTIMATE must not involve units larger than days");
  Res negative = admin_->Exec(
      "CREATE CLUSTER c (SIZE = '1', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '-1 "
      "hour'))");
  EXPECT_EQ(negative.code, "XX000");
  EXPECT_EQ(negative.message.rfind("HYDRATION TIME ESTIMATE must be non-negative; got: ", 0), 0u)
      << negative.message;
  // These were refused before, but with codes Materialize does not send (planner errors: XX000).
  ExpectPlanError("CREATE CLUSTER c (SIZE = '1', REPLICATION FACTOR = 1, SCHEDULE = ON REFRESH)",
                  "REPLICATION FACTOR cannot be given together with any SCHEDULE other than "
                  "MANUAL");
  EXPECT_EQ(admin_
                ->Exec("CREATE CLUSTER c (SIZE = '1', SCHEDULE = ON REFRESH, AUTO SCALING "
                       "STRATEGY = (ON HYDRATION (HYDRATION SIZE = '2')))")
                .code,
            "XX000");
  EXPECT_EQ(admin_
                ->Exec("CREATE CLUSTER c (SIZE = '1', AUTO SCALING STRATEGY = (ON HYDRATION "
                       "(HYDRATION SIZE = '1')))")
                .code,
            "XX000");
  // max_replicas_per_cluster (default 5): AdapterError::ResourceExhaustion, 53000.
  ExpectError("CREATE CLUSTER c (SIZE = '1', REPLICATION FACTOR = 6)", "53000",
              "creating cluster replica would violate max_replicas_per_cluster limit (desired: 6, "
              "limit: 5, current: 0)");
  ExpectError(
      "CREATE CLUSTER c REPLICAS (r1 (SIZE '1'), r2 (SIZE '1'), r3 (SIZE '1'), r4 (SIZE '1'), r5 "
      "(SIZE '1'), r6 (SIZE '1'))",
      "53000",
      "creating cluster replica would violate max_replicas_per_cluster limit (desired: 6, limit: "
      "5, current: 0)");
  EXPECT_EQ(ClusterCount(), before);
  // DISK on a legacy size is accepted (Materialize only sends a deprecation notice).
  Run({"CREATE CLUSTER legacy (SIZE = 'small', DISK = true)",
       "CREATE CLUSTER five (SIZE = '1', REPLICATION FACTOR = 5)"});
  EXPECT_EQ(Config("five"), "true|1|5");
  ExpectError("ALTER CLUSTER five SET (REPLICATION FACTOR = 7)", "53000",
              "creating cluster replica would violate max_replicas_per_cluster limit (desired: 7, "
              "limit: 5, current: 5)");
  EXPECT_EQ(Config("five"), "true|1|5");
}

// Fact 6: the statements bgplan's clone emits (sql::CreateClusterSql and
// sql::CreateUnmanagedClusterSql render exactly these shapes) are validated like Materialize does:
// a plan that overrides the replication factor beyond the replica limit, or an unmanaged blue
// cloned with too many replicas, fails here as it would there.
TEST_F(MzemuClustersTest, ClusterClonesAreValidatedLikeMaterialize) {
  Run({"CREATE CLUSTER \"g1\" (SIZE = '200cc', REPLICATION FACTOR = 2);",
       "CREATE CLUSTER \"g2\" (SIZE = '200cc', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = "
       "'00:10:00'));",
       "CREATE CLUSTER \"g3\" (SIZE = '200cc', REPLICATION FACTOR = 1, AUTO SCALING STRATEGY = (ON "
       "HYDRATION (HYDRATION SIZE = '400cc', LINGER DURATION = '600s')));",
       "CREATE CLUSTER \"g4\" REPLICAS (\"a\" (SIZE '50cc'), \"b\" (SIZE '100cc', AVAILABILITY "
       "ZONE 'use1-az2'));",
       "CREATE CLUSTER \"g5\" REPLICAS ();"});
  EXPECT_EQ(Config("g1"), "true|200cc|2");
  EXPECT_EQ(Config("g2"), "true|200cc|0");
  EXPECT_EQ(Config("g4"), "false|-|-");
  ExpectError("CREATE CLUSTER \"g6\" (SIZE = '200cc', REPLICATION FACTOR = 8);", "53000",
              "creating cluster replica would violate max_replicas_per_cluster limit (desired: 8, "
              "limit: 5, current: 0)");
  ExpectError(
      "CREATE CLUSTER \"g7\" REPLICAS (\"a\" (SIZE '1'), \"b\" (SIZE '1'), \"c\" (SIZE '1'), \"d\" "
      "(SIZE '1'), \"e\" (SIZE '1'), \"f\" (SIZE '1'));",
      "53000",
      "creating cluster replica would violate max_replicas_per_cluster limit (desired: 6, limit: "
      "5, current: 0)");
  ExpectPlanError("CREATE CLUSTER \"g8\" (SIZE = '200cc', SIZE = '400cc');",
                  "SIZE specified more than once");
}

// Fact 2: SET (MANAGED = false) keeps the replicas (names and ids); the cluster then takes only
// the unmanaged options, and its replicas are managed by hand.
TEST_F(MzemuClustersTest, AlterClusterConvertsManagedToUnmanagedKeepingReplicas) {
  Run({"CREATE CLUSTER m (SIZE = '1', REPLICATION FACTOR = 2)"});
  std::string replicas = Replicas("m");
  ExpectPlanError("ALTER CLUSTER m SET (REPLICAS (r3 (SIZE '1')))",
                  "REPLICAS not supported for managed clusters");
  ExpectPlanError("ALTER CLUSTER m SET (MANAGED = false, SIZE = '2')",
                  "SIZE not supported for unmanaged clusters");
  Run({"ALTER CLUSTER m SET (MANAGED = false)"});
  EXPECT_EQ(Config("m"), "false|-|-");
  EXPECT_EQ(Replicas("m"), replicas);
  EXPECT_EQ(Schedule("m"), "none");
  ExpectPlanError("ALTER CLUSTER m SET (SIZE = '2')", "SIZE not supported for unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER m SET (REPLICATION FACTOR = 1)",
                  "REPLICATION FACTOR not supported for unmanaged clusters");
  Run({"CREATE CLUSTER REPLICA m.r3 SIZE '1'", "DROP CLUSTER REPLICA m.r1",
       "ALTER CLUSTER REPLICA m.r2 RENAME TO main"});
  EXPECT_EQ(Scalar("SELECT string_agg(r.name, ',' ORDER BY r.name) FROM mz_cluster_replicas r "
                   "JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'm'"),
            "main,r3");
  // An ON REFRESH cluster must be given SCHEDULE = MANUAL explicitly.
  Run({"CREATE CLUSTER sched (SIZE = '1', SCHEDULE = ON REFRESH)"});
  ExpectPlanError("ALTER CLUSTER sched SET (MANAGED = false)",
                  "when switching a cluster to unmanaged, if the managed cluster's SCHEDULE is "
                  "anything other than MANUAL, you have to explicitly set the SCHEDULE to MANUAL");
  ExpectPlanError("ALTER CLUSTER sched SET (REPLICATION FACTOR = 2)",
                  "REPLICATION FACTOR cannot be set if the cluster SCHEDULE is anything other "
                  "than MANUAL");
  Run({"ALTER CLUSTER sched SET (MANAGED = false, SCHEDULE = MANUAL)"});
  EXPECT_EQ(Config("sched"), "false|-|-");
}

// Fact 2: SET (MANAGED [, SIZE, REPLICATION FACTOR]) adopts the existing replicas only when they
// are what the managed cluster would have: one size, named r1..rN, no pinned zone outside
// AVAILABILITY ZONES, all orchestrated (sequence_alter_cluster_unmanaged_to_managed).
TEST_F(MzemuClustersTest, AlterClusterConvertsUnmanagedToManagedOnlyWhenReplicasFit) {
  Run({"CREATE CLUSTER u REPLICAS (r2 (SIZE '1'), r3 (SIZE '1'))"});
  ExpectPlanError("ALTER CLUSTER u SET (MANAGED, REPLICATION FACTOR = 3)",
                  "REPLICATION FACTOR 3 does not match number of replicas (2)");
  ExpectPlanError("ALTER CLUSTER u SET (MANAGED, SIZE = '2')",
                  "Cluster replicas of size 1 do not match expected SIZE 2");
  ExpectPlanError("ALTER CLUSTER u SET (MANAGED)",
                  "Cannot convert unmanaged cluster to managed, invalid replica names: r3");
  EXPECT_EQ(Config("u"), "false|-|-");
  Run({"ALTER CLUSTER REPLICA u.r3 RENAME TO r1"});
  std::string replicas = Replicas("u");
  Run({"ALTER CLUSTER u SET (MANAGED, SIZE = '1', REPLICATION FACTOR = 2)"});
  EXPECT_EQ(Config("u"), "true|1|2");
  EXPECT_EQ(Replicas("u"), replicas);  // adopted: same names, same ids
  EXPECT_EQ(Schedule("u"), "manual");

  Run({"CREATE CLUSTER mixed REPLICAS (r1 (SIZE '1'), r2 (SIZE '2'))",
       "CREATE CLUSTER empty REPLICAS ()",
       "CREATE CLUSTER zoned REPLICAS (r1 (SIZE '1', AVAILABILITY ZONE 'use1-az1'))",
       "CREATE CLUSTER unsized REPLICAS (r1 (STORAGECTL ADDRESSES ['a:1'], STORAGE ADDRESSES "
       "['a:2'], COMPUTECTL ADDRESSES ['a:3'], COMPUTE ADDRESSES ['a:4']))"});
  ExpectPlanError("ALTER CLUSTER mixed SET (MANAGED)",
                  "Cannot convert unmanaged cluster to managed, non-unique replica sizes: 1, 2");
  ExpectPlanError("ALTER CLUSTER empty SET (MANAGED)", "Missing SIZE for empty cluster");
  ExpectPlanError("ALTER CLUSTER zoned SET (MANAGED)",
                  "unmanaged replica has availability zone use1-az1 which is not in managed []");
  ExpectPlanError("ALTER CLUSTER unsized SET (MANAGED)",
                  "Cannot convert unmanaged cluster with unmanaged replicas to managed cluster");
  Run({"ALTER CLUSTER empty SET (MANAGED, SIZE = '1')",
       "ALTER CLUSTER zoned SET (MANAGED, AVAILABILITY ZONES = ('use1-az1', 'use1-az2'))"});
  EXPECT_EQ(Config("empty"), "true|1|0");
  EXPECT_EQ(Config("zoned"), "true|1|1");
  // Unmanaged and staying so: REPLICAS is accepted and changes nothing (Materialize's no-op).
  Run({"ALTER CLUSTER mixed SET (REPLICAS (r9 (SIZE '1')))"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_cluster_replicas WHERE name = 'r9'"), "0");
}

// Fact 3: RESET gives each resettable option its default on a managed cluster; SIZE has none;
// an unmanaged cluster refuses the managed options (Materialize's texts, DEGUBBING included).
TEST_F(MzemuClustersTest, AlterClusterResetEachOption) {
  Run(
      {"CREATE CLUSTER m (SIZE = '1', REPLICATION FACTOR = 2, INTROSPECTION INTERVAL = '5s', "
       "INTROSPECTION DEBUGGING = true, AVAILABILITY ZONES = ('use1-az1'), AUTO SCALING STRATEGY "
       "= (ON HYDRATION (HYDRATION SIZE = '2')))"});
  ExpectPlanError("ALTER CLUSTER m RESET (SIZE)", "SIZE has no default value");
  ExpectPlanError("ALTER CLUSTER m RESET (REPLICAS)", "Cannot change REPLICAS of managed clusters");
  ExpectPlanError("ALTER CLUSTER m RESET (WORKLOAD CLASS)",
                  "WORKLOAD CLASS not supported for non-system users");
  EXPECT_EQ(admin_->Exec("ALTER CLUSTER m RESET (HYDRATION SIZE)").code, "42601");
  Run({"ALTER CLUSTER m RESET (REPLICATION FACTOR)"});
  EXPECT_EQ(Config("m"), "true|1|1");
  Run({"ALTER CLUSTER m RESET (INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING)",
       "ALTER CLUSTER m RESET (AVAILABILITY ZONES)", "ALTER CLUSTER m RESET (DISK)",
       "ALTER CLUSTER m RESET (AUTO SCALING STRATEGY)", "ALTER CLUSTER m RESET (MANAGED)"});
  EXPECT_EQ(Scalar("SELECT introspection_interval || '|' || introspection_debugging || '|' || "
                   "availability_zones::text FROM mz_clusters WHERE name = 'm'"),
            "00:00:01|false|{}");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_auto_scaling_strategies s JOIN "
                   "mz_clusters c ON c.id = s.cluster_id WHERE c.name = 'm'"),
            "0");
  EXPECT_EQ(Config("m"), "true|1|1");
  Run({"CREATE CLUSTER r (SIZE = '1', SCHEDULE = ON REFRESH)", "ALTER CLUSTER r RESET (SCHEDULE)"});
  EXPECT_EQ(Schedule("r"), "manual");

  Run({"CREATE CLUSTER u REPLICAS (r1 (SIZE '1'))"});
  ExpectPlanError("ALTER CLUSTER u RESET (REPLICATION FACTOR)",
                  "Cannot change REPLICATION FACTOR of unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER u RESET (SIZE)", "Cannot change SIZE of unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER u RESET (AVAILABILITY ZONES)",
                  "Cannot change AVAILABILITY ZONES of unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER u RESET (INTROSPECTION DEBUGGING)",
                  "Cannot change INTROSPECTION DEGUBBING of unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER u RESET (INTROSPECTION INTERVAL)",
                  "Cannot change INTROSPECTION INTERVAL of unmanaged clusters");
  ExpectPlanError("ALTER CLUSTER u RESET (AUTO SCALING STRATEGY)",
                  "Cannot change AUTO SCALING STRATEGY of unmanaged clusters");
  Run({"ALTER CLUSTER u RESET (SCHEDULE)", "ALTER CLUSTER u RESET (REPLICAS)",
       "ALTER CLUSTER u RESET (DISK)"});
  EXPECT_EQ(Config("u"), "false|-|-");
  // RESET (MANAGED) converts, with the same checks as SET (MANAGED).
  Run({"ALTER CLUSTER u RESET (MANAGED)"});
  EXPECT_EQ(Config("u"), "true|1|1");
}

// Fact 4: the replicas of a managed cluster are the cluster's business: no CREATE/DROP CLUSTER
// REPLICA and no renaming one.
TEST_F(MzemuClustersTest, ManagedClusterReplicasCannotBeChangedOneByOne) {
  Run({"CREATE CLUSTER m (SIZE = '1', REPLICATION FACTOR = 2)"});
  std::string replicas = Replicas("m");
  ExpectPlanError("DROP CLUSTER REPLICA m.r1", "cannot drop replica of managed cluster");
  ExpectPlanError("ALTER CLUSTER REPLICA m.r2 RENAME TO other", "cannot modify managed cluster m");
  ExpectPlanError("CREATE CLUSTER REPLICA m.r3 SIZE '1'", "cannot modify managed cluster m");
  ExpectPlanError("CREATE CLUSTER REPLICA m.r3 (SIZE '1')", "cannot modify managed cluster m");
  EXPECT_EQ(Replicas("m"), replicas);
  Run({"DROP CLUSTER REPLICA IF EXISTS m.missing"});
  // Once unmanaged, they are the user's.
  Run({"ALTER CLUSTER m SET (MANAGED = false)", "DROP CLUSTER REPLICA m.r1"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = "
                   "r.cluster_id WHERE c.name = 'm'"),
            "1");
  // The replica limit also holds for CREATE CLUSTER REPLICA.
  Run(
      {"CREATE CLUSTER u REPLICAS (r1 (SIZE '1'), r2 (SIZE '1'), r3 (SIZE '1'), r4 (SIZE '1'), "
       "r5 (SIZE '1'))"});
  ExpectError("CREATE CLUSTER REPLICA u.r6 SIZE '1'", "53000",
              "creating cluster replica would violate max_replicas_per_cluster limit (desired: 6, "
              "limit: 5, current: 5)");
}

// Fact 5: since 2025-07 Materialize no longer limits clusters with sources or sinks to one
// replica (dyncfg enable_multi_replica_sources, default true: contains_single_replica_objects is
// false), so none of these is refused. This pins that the emulator does not enforce the old rule.
TEST_F(MzemuClustersTest, SourcesAndSinksMayRunOnSeveralReplicas) {
  Run({"CREATE CLUSTER two (SIZE = '1', REPLICATION FACTOR = 2)",
       "CREATE SOURCE counter IN CLUSTER two FROM LOAD GENERATOR COUNTER",
       "ALTER CLUSTER two SET (REPLICATION FACTOR = 3)",
       "CREATE CONNECTION kc TO KAFKA (BROKER 'k:9092')", "CREATE TABLE t (a int)",
       "CREATE CLUSTER u REPLICAS (r1 (SIZE '1'))",
       "CREATE SINK s IN CLUSTER u FROM t INTO KAFKA CONNECTION kc (TOPIC 't') FORMAT JSON "
       "ENVELOPE DEBEZIUM",
       "CREATE CLUSTER REPLICA u.r2 SIZE '1'"});
  EXPECT_EQ(Config("two"), "true|1|3");
}

}  // namespace
