// Tests of the emulated Materialize version (`mzemu --mz-version`) and of the features of
// Materialize releases v26.34 to v26.40 (issue 13). Each fails on the emulator before issue 13.
#include <string>

#include "tests/mzemu/mzemu_fixture.h"

namespace mzemu_test {
namespace {

class Mzemu2026Test : public MzemuTest {
 protected:
  // Restarts the emulator (same catalog) emulating `version` ("" = the default).
  void Restart(const std::string& version) {
    StopEmulator();
    mz_.set_mz_version(version);
    StartEmulator();
  }
  std::string ShowCreate(const std::string& cluster) {
    Res r = admin_->Exec("SHOW CREATE CLUSTER " + cluster);
    if (!r.ok()) return "ERROR " + r.code + " " + r.message;
    return r.rows.size() == 1 && r.rows[0].size() == 2 ? r.rows[0][1] : "?";
  }
  std::string ReplicaIds(const std::string& cluster) {
    return Scalar(
        "SELECT string_agg(r.id || ':' || r.name || ':' || r.size, ',' ORDER BY r.name) FROM "
        "mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = '" +
        cluster + "'");
  }
  std::string Reconfiguration(const std::string& cluster, const std::string& columns) {
    return Scalar("SELECT " + columns +
                  " FROM mz_internal.mz_cluster_reconfigurations r JOIN mz_clusters c ON c.id = "
                  "r.cluster_id WHERE c.name = '" +
                  cluster + "'");
  }
};

TEST_F(Mzemu2026Test, ReportsTheDefaultVersionLikeMaterialize) {
  Conn c(Dsn());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_STREQ(PQparameterStatus(c.raw(), "mz_version"), "v26.40.0 (mzemu)");
  EXPECT_EQ(c.Scalar("SELECT mz_version()"), "v26.40.0 (mzemu)");
  // BuildInfo::version_num: "{:0>2}{:0>3}{:0>2}" of 26, 40, 0.
  EXPECT_EQ(c.Scalar("SELECT mz_version_num()"), "2604000");
  EXPECT_EQ(c.Scalar("SELECT version()"),
            "PostgreSQL 9.5 on x86_64-unknown-linux-gnu (Materialize 26.40.0)");
}

TEST_F(Mzemu2026Test, VersionOptionIsPerEmulatorEvenOnAReusedCatalog) {
  Restart("v26.34.1");
  EXPECT_STREQ(PQparameterStatus(admin_->raw(), "mz_version"), "v26.34.1 (mzemu)");
  EXPECT_EQ(Scalar("SELECT mz_version()"), "v26.34.1 (mzemu)");
  EXPECT_EQ(Scalar("SELECT mz_version_num()"), "2603401");
  Restart("v0.130.0");
  EXPECT_EQ(Scalar("SELECT mz_version_num()"), "13000");
  EXPECT_EQ(Scalar("SELECT version() LIKE '%(Materialize 0.130.0)'"), "t");
  Restart("");
  EXPECT_EQ(Scalar("SELECT mz_version_num()"), "2604000");
  std::string error;
  bgplan::testing::MzemuProcess bad;
  bad.set_mz_version("26.x");
  EXPECT_FALSE(bad.Start(url_, &error));
}

TEST_F(Mzemu2026Test, OlderVersionsRefuseNewerClusterSyntax) {
  Restart("v26.33.0");
  Res r = admin_->Exec(
      "CREATE CLUSTER a (SIZE = '25cc', AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = "
      "'100cc')))");
  EXPECT_EQ(r.code, "42601") << r.message;
  EXPECT_EQ(r.message, "Expected a cluster option, found identifier \"auto\"");
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER IF NOT EXISTS b (SIZE = '25cc')").code, "42601");
  Restart("v26.34.0");
  Run({"CREATE CLUSTER a (SIZE = '25cc', AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE "
       "= '100cc')))"});
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER c (SIZE = '25cc', EXPERIMENTAL ARRANGEMENT COMPRESSION "
                         "= false)")
                .code,
            "42601");
  Restart("v26.36.0");
  // Shown by SHOW CREATE CLUSTER from v26.35, usable (public preview) from v26.38.
  Run({"CREATE CLUSTER c (SIZE = '25cc', EXPERIMENTAL ARRANGEMENT COMPRESSION = false)"});
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER d (SIZE = '25cc', EXPERIMENTAL ARRANGEMENT COMPRESSION "
                         "= true)")
                .code,
            "42601");
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER IF NOT EXISTS c (SIZE = '25cc')").code, "42601");
}

TEST_F(Mzemu2026Test, CreateClusterIfNotExistsSkipsAnExistingCluster) {
  Run({"CREATE CLUSTER c (SIZE = '25cc')",
       "CREATE CLUSTER IF NOT EXISTS c (SIZE = '100cc', REPLICATION FACTOR = 2)",
       "CREATE CLUSTER IF NOT EXISTS fresh (SIZE = '50cc')",
       "CREATE CLUSTER u REPLICAS (r1 (SIZE '1'))",
       "CREATE CLUSTER REPLICA IF NOT EXISTS u.r1 SIZE '2'"});
  EXPECT_EQ(Scalar("SELECT size || '/' || replication_factor FROM mz_clusters WHERE name = 'c'"),
            "25cc/1");
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = 'fresh'"), "50cc");
  EXPECT_EQ(Scalar("SELECT string_agg(r.size, ',') FROM mz_cluster_replicas r JOIN mz_clusters "
                   "c ON c.id = r.cluster_id WHERE c.name = 'u'"),
            "1");
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER c (SIZE = '25cc')").code, "XX000");
}

TEST_F(Mzemu2026Test, ShowCreateClusterRendersLikeMaterialize) {
  Run({"CREATE CLUSTER c (SIZE = '25cc')", "CREATE CLUSTER u REPLICAS (r1 (SIZE '1'))"});
  Res r = admin_->Exec("SHOW CREATE CLUSTER c");
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], "c");
  EXPECT_EQ(r.rows[0][1],
            "CREATE CLUSTER \"c\" (EXPERIMENTAL ARRANGEMENT COMPRESSION = false, INTROSPECTION "
            "DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', MANAGED = true, "
            "REPLICATION FACTOR = 1, SIZE = '25cc', SCHEDULE = MANUAL)");
  Res u = admin_->Exec("SHOW CREATE CLUSTER u");
  EXPECT_EQ(u.code, "XX000");
  EXPECT_EQ(u.message, "SHOW CREATE for unmanaged clusters not yet supported");
  EXPECT_EQ(admin_->Exec("SHOW CREATE CLUSTER nope").code, "42704");
  // Extended protocol: columns name, create_sql.
  PGresult* res = PQexecParams(admin_->raw(), "SHOW CREATE CLUSTER quickstart", 0, nullptr,
                               nullptr, nullptr, nullptr, 0);
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(admin_->raw());
  EXPECT_STREQ(PQfname(res, 0), "name");
  EXPECT_STREQ(PQfname(res, 1), "create_sql");
  EXPECT_NE(std::string(PQgetvalue(res, 0, 1)).find("SIZE = '25cc'"), std::string::npos);
  PQclear(res);
  // A catalog read, also in a read block.
  Run({"SELECT mzemu_reset_query_count()"});
  ShowCreate("c");
  EXPECT_EQ(Scalar("SELECT mzemu_query_count()"), "1");
  EXPECT_EQ(admin_->Exec("BEGIN; SHOW CREATE CLUSTER c; CREATE SCHEMA s").code, "25006");
  Run({"ROLLBACK"});
  // Older renderings: without the compression option before v26.35, with DISK before v0.155.
  Restart("v26.34.0");
  EXPECT_EQ(ShowCreate("c"),
            "CREATE CLUSTER \"c\" (INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = "
            "INTERVAL '00:00:01', MANAGED = true, REPLICATION FACTOR = 1, SIZE = '25cc', "
            "SCHEDULE = MANUAL)");
  Restart("v0.130.0");
  EXPECT_EQ(ShowCreate("c").rfind("CREATE CLUSTER \"c\" (DISK = false, INTROSPECTION", 0), 0u);
}

TEST_F(Mzemu2026Test, ShowCreateClusterReplaysToTheSameCluster) {
  auto round_trip = [&](const std::string& name, const std::string& copy) {
    std::string sql = ShowCreate(name);
    std::string quoted = "\"" + name + "\"";
    size_t at = sql.find(quoted);
    ASSERT_NE(at, std::string::npos) << sql;
    std::string replay = sql;
    replay.replace(at, quoted.size(), "\"" + copy + "\"");
    Run({replay});
    EXPECT_EQ(ShowCreate(copy), replay);
  };
  Run({"CREATE CLUSTER every (SIZE = '50cc', REPLICATION FACTOR = 2, AVAILABILITY ZONES = "
       "('use1-az1', 'use1-az2'), INTROSPECTION INTERVAL = '5s', INTROSPECTION DEBUGGING = true, "
       "EXPERIMENTAL ARRANGEMENT COMPRESSION = true, AUTO SCALING STRATEGY = (ON HYDRATION "
       "(HYDRATION SIZE = '200cc', LINGER DURATION = '15s')), SCHEDULE = MANUAL)",
       "CREATE CLUSTER refresh (SIZE = '25cc', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = "
       "'1 hour'))",
       "CREATE CLUSTER quiet (SIZE = '25cc', INTROSPECTION INTERVAL = 0)"});
  EXPECT_EQ(ShowCreate("every"),
            "CREATE CLUSTER \"every\" (AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = "
            "'200cc', LINGER DURATION = '00:00:15')), AVAILABILITY ZONES = ('use1-az1', "
            "'use1-az2'), EXPERIMENTAL ARRANGEMENT COMPRESSION = true, INTROSPECTION DEBUGGING = "
            "true, INTROSPECTION INTERVAL = INTERVAL '00:00:05', MANAGED = true, REPLICATION "
            "FACTOR = 2, SIZE = '50cc', SCHEDULE = MANUAL)");
  EXPECT_EQ(ShowCreate("refresh"),
            "CREATE CLUSTER \"refresh\" (EXPERIMENTAL ARRANGEMENT COMPRESSION = false, "
            "INTROSPECTION DEBUGGING = false, INTROSPECTION INTERVAL = INTERVAL '00:00:01', "
            "MANAGED = true, SIZE = '25cc', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = "
            "INTERVAL '01:00:00'))");
  round_trip("every", "every_copy");
  round_trip("refresh", "refresh_copy");
  round_trip("quiet", "quiet_copy");
  EXPECT_EQ(Scalar("SELECT introspection_interval IS NULL FROM mz_clusters WHERE name = "
                   "'quiet_copy'"),
            "t");
}

TEST_F(Mzemu2026Test, AlterClusterSizeRunsInTheBackground) {
  Run({"CREATE CLUSTER c (SIZE = '25cc', REPLICATION FACTOR = 2)"});
  std::string before = ReplicaIds("c");
  Run({"ALTER CLUSTER c SET (SIZE = '100cc')"});
  // The realized configuration is unchanged until the controller cuts over.
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = 'c'"), "25cc");
  EXPECT_EQ(ReplicaIds("c"), before);
  EXPECT_EQ(Reconfiguration("c", "status || ' ' || on_timeout || ' ' || (target->>'size') || ' ' "
                                 "|| (changes->'size'->>'to')"),
            "in-progress rollback 100cc 100cc");
  // deadline: milliseconds since the epoch, 24 hours ahead by default.
  EXPECT_EQ(Reconfiguration("c", "abs(deadline::text::numeric / 1000 - extract(epoch FROM now() "
                                 "+ interval '1 day')) < 60"),
            "t");
  EXPECT_EQ(Scalar("SELECT activity FROM (SHOW CLUSTERS) WHERE name = 'c'"),
            "reconfiguring size to 100cc");
  std::string version = Scalar("SELECT mzemu_catalog_version()");
  EXPECT_EQ(Scalar("SELECT mzemu_finish_reconfiguration('c', 'finalized')"),
            Scalar("SELECT id FROM mz_clusters WHERE name = 'c'"));
  EXPECT_NE(Scalar("SELECT mzemu_catalog_version()"), version);
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = 'c'"), "100cc");
  std::string after = ReplicaIds("c");
  EXPECT_NE(after, before);
  EXPECT_NE(after.find(":r2:100cc"), std::string::npos) << after;
  EXPECT_EQ(Reconfiguration("c", "status || ' ' || (target->>'size') || ' ' || changes::text"),
            "finalized 100cc {}");
  EXPECT_EQ(Scalar("SELECT activity FROM (SHOW CLUSTERS) WHERE name = 'c'"), "<null>");
  EXPECT_EQ(admin_->Exec("SELECT mzemu_finish_reconfiguration('c', 'finalized')").code, "22023");
}

TEST_F(Mzemu2026Test, ReconfigurationsEndWithoutApplyingOrAreRetargeted) {
  Run({"CREATE CLUSTER c (SIZE = '25cc')", "ALTER CLUSTER c SET (SIZE = '50cc')"});
  std::string before = ReplicaIds("c");
  std::string deadline = Reconfiguration("c", "deadline");
  // A second ALTER retargets the in-flight reconfiguration and keeps its deadline (v26.36).
  Run({"ALTER CLUSTER c SET (SIZE = '200cc')"});
  EXPECT_EQ(Reconfiguration("c", "status || ' ' || (target->>'size')"), "in-progress 200cc");
  EXPECT_EQ(Reconfiguration("c", "deadline"), deadline);
  Run({"SELECT mzemu_finish_reconfiguration('c', 'timed-out')"});
  EXPECT_EQ(Reconfiguration("c", "status || ' ' || (target->>'size')"), "timed-out 25cc");
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = 'c'"), "25cc");
  EXPECT_EQ(ReplicaIds("c"), before);
  // Reissuing the realized size cancels an in-flight resize.
  Run({"ALTER CLUSTER c SET (SIZE = '50cc')", "ALTER CLUSTER c SET (SIZE = '25cc')"});
  EXPECT_EQ(Reconfiguration("c", "status"), "cancelled");
  EXPECT_EQ(ReplicaIds("c"), before);
  EXPECT_EQ(admin_->Exec("SELECT mzemu_finish_reconfiguration('c', 'done')").code, "22023");
  Run({"DROP CLUSTER c"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_reconfigurations"), "0");
  // Before v26.35 a resize replaces the replicas at once and records nothing.
  Restart("v26.34.0");
  Run({"CREATE CLUSTER old (SIZE = '25cc')", "ALTER CLUSTER old SET (SIZE = '50cc')"});
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = 'old'"), "50cc");
  EXPECT_NE(ReplicaIds("old").find(":r1:50cc"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_reconfigurations"), "0");
  EXPECT_EQ(admin_->Exec("SELECT activity FROM (SHOW CLUSTERS) s").code, "42703");
}

TEST_F(Mzemu2026Test, ArrangementCompressionIsAManagedClusterSetting) {
  Run({"CREATE CLUSTER c (SIZE = '25cc', EXPERIMENTAL ARRANGEMENT COMPRESSION = true)"});
  EXPECT_NE(ShowCreate("c").find("EXPERIMENTAL ARRANGEMENT COMPRESSION = true"),
            std::string::npos);
  std::string before = ReplicaIds("c");
  // A replica's compression is fixed at creation: a change brings new replicas.
  Run({"ALTER CLUSTER c RESET (EXPERIMENTAL ARRANGEMENT COMPRESSION)"});
  EXPECT_NE(ShowCreate("c").find("EXPERIMENTAL ARRANGEMENT COMPRESSION = false"),
            std::string::npos);
  EXPECT_NE(ReplicaIds("c"), before);
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER u (REPLICAS (r1 (SIZE '1')), EXPERIMENTAL ARRANGEMENT "
                         "COMPRESSION = true)")
                .code,
            "XX000");
}

TEST_F(Mzemu2026Test, ObjectLifetimesDateTheLagArtefactOfANewObject) {
  Run({"CREATE CLUSTER c (SIZE = '25cc')", "CREATE SCHEMA s", "CREATE TABLE s.t (a int)",
       "CREATE MATERIALIZED VIEW s.mv IN CLUSTER c AS SELECT a FROM s.t"});
  EXPECT_EQ(Scalar("SELECT string_agg(object_type, ',' ORDER BY object_type) FROM "
                   "mz_internal.mz_object_lifetimes l WHERE event_type = 'create' AND id IN "
                   "((SELECT id FROM mz_clusters WHERE name = 'c'), (SELECT id FROM mz_schemas "
                   "WHERE name = 's')) AND object_type IN ('cluster', 'schema')"),
            "cluster,schema");
  // Materialize reported lags of ~56 years at replica start-up (fixed in v26.16): a reading
  // older than the object itself is the artefact, and the object's create event tells.
  Run({"SELECT mzemu_set_lag('s.mv', interval '56 years')"});
  EXPECT_EQ(Scalar("SELECT g.lag > now() - l.occurred_at FROM mz_internal.mz_wallclock_global_lag "
                   "g JOIN mz_objects o ON o.id = g.object_id JOIN mz_internal.mz_object_lifetimes "
                   "l ON l.id = o.id AND l.event_type = 'create' AND l.object_type = "
                   "'materialized-view' WHERE o.name = 'mv'"),
            "t");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_object_lifetimes WHERE object_type = "
                   "'cluster-replica' AND event_type = 'create'"),
            "2");  // quickstart's r1 and c's r1
  Run({"DROP TABLE s.t CASCADE"});
  EXPECT_EQ(Scalar("SELECT string_agg(object_type, ',' ORDER BY object_type) FROM "
                   "mz_internal.mz_object_lifetimes WHERE event_type = 'drop'"),
            "materialized-view,table");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_object_lifetimes WHERE id LIKE 's%'"),
            "0");
}

}  // namespace
// clusters/autoscaling.md: an ON HYDRATION cluster runs a burst replica while one of its objects
// is not hydrated on any replica; a cluster without objects never bursts. `state` shows it.
TEST_F(Mzemu2026Test, HydrationBurstRunsWhileAnObjectIsUnhydrated) {
  Run({"CREATE CLUSTER c (SIZE = '25cc', AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE "
       "= '100cc')))",
       "CREATE CLUSTER plain (SIZE = '25cc')", "CREATE SCHEMA s", "CREATE TABLE s.t (a int)"});
  const std::string burst =
      "SELECT coalesce(s.state->'burst'->>'burst_size', 'none') FROM "
      "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id = s.cluster_id "
      "WHERE c.name = 'c'";
  EXPECT_EQ(Scalar(burst), "none");  // no objects: vacuously nothing to hydrate
  Run({"CREATE MATERIALIZED VIEW s.mv IN CLUSTER c AS SELECT a FROM s.t",
       "CREATE MATERIALIZED VIEW s.mv2 IN CLUSTER plain AS SELECT a FROM s.t",
       "SELECT mzemu_set_hydrated('c', false)", "SELECT mzemu_set_hydrated('plain', false)"});
  EXPECT_EQ(Scalar(burst), "100cc");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_auto_scaling_strategies s JOIN "
                   "mz_clusters c ON c.id = s.cluster_id WHERE c.name = 'plain'"),
            "0");  // no strategy, no burst
  Run({"SELECT mzemu_set_hydrated('c', true)"});
  EXPECT_EQ(Scalar(burst), "none");
  Run({"SELECT mzemu_set_hydrated('c', false)", "ALTER CLUSTER c RESET (AUTO SCALING STRATEGY)"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_auto_scaling_strategies s JOIN "
                   "mz_clusters c ON c.id = s.cluster_id WHERE c.name = 'c'"),
            "0");
}

}  // namespace mzemu_test
