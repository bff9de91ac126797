// End-to-end tests of the Materialize emulator: a real PostgreSQL (TestPostgres) behind an
// mzemu child process, driven through libpq (and psql once) like bgplan drives Materialize.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/mzemu/mzemu_fixture.h"

namespace {

using mzemu_test::Conn;
using mzemu_test::MzemuTest;
using mzemu_test::Res;

// --- protocol ----------------------------------------------------------------------------------

TEST_F(MzemuTest, HandshakeReportsParametersAndTransactionStatus) {
  Conn c("host=127.0.0.1 port=" + std::to_string(port_) +
         " user=materialize dbname=materialize sslmode=prefer");
  ASSERT_TRUE(c.ok()) << c.error();  // SSLRequest was answered with 'N'
  EXPECT_STREQ(PQparameterStatus(c.raw(), "server_version"), "9.5.0");
  EXPECT_STREQ(PQparameterStatus(c.raw(), "standard_conforming_strings"), "on");
  EXPECT_STREQ(PQparameterStatus(c.raw(), "client_encoding"), "UTF8");
  EXPECT_GT(PQbackendPID(c.raw()), 0);
  EXPECT_EQ(c.Scalar("SELECT mz_version()"), "v26.40.0 (mzemu)");
  EXPECT_STREQ(PQparameterStatus(c.raw(), "mz_version"), "v26.40.0 (mzemu)");
  EXPECT_EQ(c.Scalar("SELECT current_user()"), "materialize");
  EXPECT_EQ(c.Scalar("SELECT current_role"), "materialize");
  EXPECT_EQ(c.Scalar("SELECT mz_is_superuser()"), "t");
  EXPECT_EQ(c.TxStatus(), 'I');
  ASSERT_TRUE(c.Exec("BEGIN").ok());
  EXPECT_EQ(c.TxStatus(), 'T');
  EXPECT_FALSE(c.Exec("SELECT * FROM no_such_relation").ok());
  EXPECT_EQ(c.TxStatus(), 'E');
  Res aborted = c.Exec("SELECT 1");
  EXPECT_EQ(aborted.code, "25P02");
  EXPECT_TRUE(c.Exec("ROLLBACK").ok());
  EXPECT_EQ(c.TxStatus(), 'I');
  // bgplan's server probe (runtime/catalog.cc) sees Materialize and the emulated role.
  Res info = c.Exec(
      "SELECT current_user, current_database(), "
      "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)::text, "
      "has_database_privilege(current_database(), 'CREATE')::text, version()");
  ASSERT_TRUE(info.ok()) << info.message;
  EXPECT_EQ(info.rows[0][0], "materialize");
  EXPECT_EQ(info.rows[0][1], db_);
  EXPECT_EQ(info.rows[0][2], "true");
  EXPECT_EQ(info.rows[0][3], "true");
  EXPECT_NE(info.rows[0][4].find("Materialize"), std::string::npos);
  // SET LOCAL lasts until the end of the block.
  ASSERT_TRUE(c.Exec("BEGIN; SET LOCAL search_path = ''; SET LOCAL cluster = x").ok());
  EXPECT_EQ(c.Scalar("SHOW search_path"), "");
  EXPECT_TRUE(c.Exec("COMMIT").ok());
  EXPECT_EQ(c.Scalar("SHOW search_path"), "public");
  EXPECT_EQ(c.Scalar("SHOW cluster"), "quickstart");
  // Empty query and multi-statement strings.
  EXPECT_TRUE(c.Exec("").ok());
  EXPECT_EQ(c.Scalar("SELECT 1; SELECT 2"), "2");
}

TEST_F(MzemuTest, RealPsqlClientWorks) {
  std::string cmd = std::string(PSQL_BINARY) + " \"" + Dsn() +
                    "\" -X -At -c \"SELECT name FROM mz_clusters WHERE id LIKE 'u%'\" 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  std::string out;
  while (fgets(buf, sizeof(buf), p) != nullptr) out += buf;
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_EQ(out, "quickstart\n");
}

TEST_F(MzemuTest, ExtendedProtocolWithTextParameters) {
  Res r = admin_->Params("SELECT name, $2::int + 1 FROM mz_clusters WHERE name = $1",
                         {"quickstart", "41"});
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][1], "42");
  PGresult* prep =
      PQprepare(admin_->raw(), "q", "SELECT count(*) FROM mz_schemas WHERE name = $1", 1, nullptr);
  ASSERT_EQ(PQresultStatus(prep), PGRES_COMMAND_OK);
  PQclear(prep);
  const char* v[] = {"public"};
  Res e = Conn::Collect(PQexecPrepared(admin_->raw(), "q", 1, v, nullptr, nullptr, 0));
  ASSERT_TRUE(e.ok()) << e.message;
  EXPECT_EQ(e.rows[0][0], "1");
  // Binary results are refused rather than sent as text.
  Res binary = Conn::Collect(PQexecParams(admin_->raw(), "SELECT 1", 0, nullptr, nullptr, nullptr,
                                          nullptr, /*resultFormat=*/1));
  EXPECT_EQ(binary.code, "0A000");
  // DDL through the extended protocol too.
  Res ddl = admin_->Params("CREATE SCHEMA via_extended", {});
  EXPECT_TRUE(ddl.ok()) << ddl.message;
}

TEST_F(MzemuTest, CancelRequestCancelsRunningQuery) {
  ASSERT_EQ(PQsendQuery(admin_->raw(), "SELECT pg_sleep(30)"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PGcancel* cancel = PQgetCancel(admin_->raw());
  char err[256];
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(PQcancel(cancel, err, sizeof(err)), 1) << err;
  PQfreeCancel(cancel);
  Res r = Conn::Collect(PQgetResult(admin_->raw()));
  while (PGresult* more = PQgetResult(admin_->raw())) PQclear(more);
  EXPECT_EQ(r.code, "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(MzemuTest, UnknownStatementsAreRejected) {
  Res r = admin_->Exec("FROBNICATE the catalog");
  EXPECT_EQ(r.code, "42601");
  EXPECT_NE(r.message.find("FROBNICATE the catalog"), std::string::npos) << r.message;
  EXPECT_EQ(admin_->Exec("ALTER CLUSTER quickstart FROB").code, "42601");
  EXPECT_EQ(admin_->Exec("CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql").code,
            "42601");
}

// --- clusters ----------------------------------------------------------------------------------

TEST_F(MzemuTest, CreateClusterFormsReadBackLikeDbtReadsThem) {
  Run({"CREATE CLUSTER m (SIZE = 'scale=1,workers=1', REPLICATION FACTOR = 2)",
       "CREATE CLUSTER legacy SIZE = '1'",
       "CREATE CLUSTER sched (SIZE = 'scale=1,workers=1', SCHEDULE = ON REFRESH "
       "(HYDRATION TIME ESTIMATE = '1 hour'))",
       "CREATE CLUSTER auto (SIZE = 'scale=1,workers=1', AUTO SCALING STRATEGY = (ON HYDRATION "
       "(HYDRATION SIZE = 'scale=1,workers=2', LINGER DURATION = '15s')))",
       "CREATE CLUSTER u REPLICAS (r2 (SIZE 'b'), r1 (SIZE 'a', AVAILABILITY ZONE 'use1-az1'))",
       "CREATE CLUSTER empty REPLICAS ()",
       "CREATE CLUSTER unsized REPLICAS (r1 (STORAGECTL ADDRESSES ['a:1'], STORAGE ADDRESSES "
       "['a:2'], COMPUTECTL ADDRESSES ['a:3'], COMPUTE ADDRESSES ['a:4'], WORKERS 1))"});
  // deploy_init's origin-configuration query (§1.1), verbatim.
  auto config = [&](const std::string& name) {
    return admin_
        ->Exec(
            "SELECT c.managed, c.size, c.replication_factor,\n"
            "       cs.type AS schedule_type, cs.refresh_hydration_time_estimate\n"
            "FROM mz_clusters c\n"
            "LEFT JOIN mz_internal.mz_cluster_schedules cs ON cs.cluster_id = c.id\n"
            "WHERE c.name = '" +
            name + "'")
        .rows;
  };
  EXPECT_EQ(
      config("m"),
      (std::vector<std::vector<std::string>>{{"t", "scale=1,workers=1", "2", "manual", "<null>"}}));
  EXPECT_EQ(config("legacy")[0][2], "1");
  EXPECT_EQ(config("sched"), (std::vector<std::vector<std::string>>{
                                 {"t", "scale=1,workers=1", "0", "on-refresh", "01:00:00"}}));
  EXPECT_EQ(config("u"),
            (std::vector<std::vector<std::string>>{{"f", "<null>", "<null>", "<null>", "<null>"}}));
  EXPECT_EQ(Scalar("SELECT string_agg(name || ':' || size, ',' ORDER BY name) FROM "
                   "mz_cluster_replicas WHERE cluster_id = (SELECT id FROM mz_clusters WHERE "
                   "name = 'm')"),
            "r1:scale=1,workers=1,r2:scale=1,workers=1");
  // create_unmanaged_cluster's replica query (§1.1), verbatim.
  auto replicas = [&](const std::string& origin) {
    return admin_
        ->Exec(
            "SELECT cr.name, cr.size, cr.availability_zone\n"
            "FROM mz_cluster_replicas cr\n"
            "JOIN mz_clusters c ON cr.cluster_id = c.id\n"
            "LEFT JOIN mz_internal.mz_internal_cluster_replicas icr ON icr.id = cr.id\n"
            "WHERE c.name = '" +
            origin +
            "' AND icr.id IS NULL\n"
            "ORDER BY cr.name")
        .rows;
  };
  EXPECT_EQ(replicas("u"), (std::vector<std::vector<std::string>>{{"r1", "a", "use1-az1"},
                                                                  {"r2", "b", "<null>"}}));
  EXPECT_TRUE(replicas("empty").empty());
  EXPECT_EQ(replicas("unsized"),
            (std::vector<std::vector<std::string>>{{"r1", "<null>", "<null>"}}));
  // Autoscaling read-back (§1.1 helpers), verbatim.
  EXPECT_EQ(Scalar("SELECT count(*) > 0 FROM mz_objects o JOIN mz_schemas s ON o.schema_id = "
                   "s.id WHERE s.name = 'mz_internal' AND o.name = "
                   "'mz_cluster_auto_scaling_strategies'"),
            "t");
  auto strategy = [&](const std::string& name) {
    return admin_
        ->Exec(
            "SELECT s.strategy->'on_hydration'->>'hydration_size', "
            "(s.strategy->'on_hydration'->'linger_duration'->>'secs')::bigint FROM "
            "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id = "
            "s.cluster_id WHERE c.name = '" +
            name + "'")
        .rows;
  };
  EXPECT_EQ(strategy("auto"), (std::vector<std::vector<std::string>>{{"scale=1,workers=2", "15"}}));
  EXPECT_TRUE(strategy("m").empty());
  // Invalid combinations are refused.
  EXPECT_FALSE(admin_
                   ->Exec("CREATE CLUSTER bad (SIZE = 'x', REPLICATION FACTOR = 1, SCHEDULE = "
                          "ON REFRESH)")
                   .ok());
  EXPECT_FALSE(admin_
                   ->Exec("CREATE CLUSTER bad (SIZE = 'x', AUTO SCALING STRATEGY = (ON "
                          "HYDRATION (HYDRATION SIZE = 'x')))")
                   .ok());
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER m (SIZE = 'x')").code, "XX000");
  // ALTER CLUSTER SET/RESET.
  Run({"ALTER CLUSTER m SET (REPLICATION FACTOR = 1)",
       "ALTER CLUSTER auto RESET (AUTO SCALING STRATEGY)"});
  EXPECT_EQ(config("m")[0][2], "1");
  EXPECT_TRUE(strategy("auto").empty());
}

TEST_F(MzemuTest, CreateClusterRequiresCreateClusterPrivilege) {
  Run({"CREATE ROLE alice"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok()) << alice.error();
  EXPECT_EQ(alice.Scalar("SELECT mz_is_superuser()"), "f");
  EXPECT_EQ(alice.Scalar("SELECT has_system_privilege('CREATECLUSTER')"), "f");
  EXPECT_EQ(alice.Exec("CREATE CLUSTER a (SIZE = '1')").code, "42501");
  Run({"GRANT CREATECLUSTER ON SYSTEM TO alice"});
  EXPECT_EQ(alice.Scalar("SELECT has_system_privilege('CREATECLUSTER')"), "t");
  Res r = alice.Exec("CREATE CLUSTER a (SIZE = '1')");
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(Scalar("SELECT r.name FROM mz_clusters c JOIN mz_roles r ON r.id = c.owner_id WHERE "
                   "c.name = 'a'"),
            "alice");
}

// --- swap --------------------------------------------------------------------------------------

TEST_F(MzemuTest, SwapMovesNamesAndKeepsIdsCommentsAndPrivileges) {
  Run({"CREATE ROLE reader", "CREATE SCHEMA prod", "CREATE SCHEMA prod_dbt_deploy",
       "CREATE TABLE prod_dbt_deploy.t (a int)", "COMMENT ON SCHEMA prod_dbt_deploy IS 'green'",
       "GRANT USAGE ON SCHEMA prod_dbt_deploy TO reader", "CREATE CLUSTER prod (SIZE = '1')",
       "CREATE CLUSTER prod_dbt_deploy (SIZE = '2')",
       "COMMENT ON CLUSTER prod_dbt_deploy IS 'green cluster'",
       "GRANT CREATE ON CLUSTER prod_dbt_deploy TO reader"});
  std::string schema_ids =
      "SELECT string_agg(name || '=' || id, ',' ORDER BY name) FROM "
      "mz_schemas WHERE name LIKE 'prod%'";
  std::string cluster_ids =
      "SELECT string_agg(name || '=' || id, ',' ORDER BY name) FROM "
      "mz_clusters WHERE name LIKE 'prod%'";
  std::string green_schema_id = Scalar("SELECT id FROM mz_schemas WHERE name = 'prod_dbt_deploy'");
  std::string blue_schema_id = Scalar("SELECT id FROM mz_schemas WHERE name = 'prod'");
  std::string green_cluster_id =
      Scalar("SELECT id FROM mz_clusters WHERE name = 'prod_dbt_deploy'");
  // The promote block, one round trip, as bgplan and dbt send it.
  Res r = admin_->Exec(
      "BEGIN; ALTER SCHEMA \"prod\" SWAP WITH \"prod_dbt_deploy\"; ALTER CLUSTER \"prod\" SWAP "
      "WITH \"prod_dbt_deploy\"; COMMIT;");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(admin_->TxStatus(), 'I');
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'prod'"), green_schema_id);
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'prod_dbt_deploy'"), blue_schema_id);
  EXPECT_EQ(Scalar("SELECT id FROM mz_clusters WHERE name = 'prod'"), green_cluster_id);
  EXPECT_EQ(Scalar("SELECT c.comment FROM mz_internal.mz_comments c JOIN mz_schemas s ON "
                   "c.id = s.id WHERE s.name = 'prod'"),
            "green");
  EXPECT_EQ(Scalar("SELECT comment FROM mz_internal.mz_comments JOIN mz_clusters USING (id) "
                   "WHERE mz_clusters.name = 'prod'"),
            "green cluster");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_show_schema_privileges WHERE grantee = "
                   "'reader' AND name = 'prod' AND privilege_type = 'USAGE'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_show_cluster_privileges WHERE grantee = "
                   "'reader' AND name = 'prod' AND privilege_type = 'CREATE'"),
            "1");
  // Contents moved with the id, and the real relation follows the name.
  EXPECT_EQ(Scalar("SELECT count(*) FROM prod.t"), "0");
  EXPECT_EQ(Scalar("SELECT s.name FROM mz_objects o JOIN mz_schemas s ON s.id = o.schema_id "
                   "WHERE o.name = 't'"),
            "prod");
  // Swapping back restores the original pairs.
  Run({"ALTER SCHEMA prod SWAP WITH prod_dbt_deploy"});
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'prod'"), blue_schema_id);
  (void)schema_ids;
  (void)cluster_ids;
  // RENAME is allowed in a block too; errors name the missing object.
  Res missing = admin_->Exec("BEGIN; ALTER SCHEMA nope SWAP WITH prod; COMMIT;");
  EXPECT_EQ(missing.code, "3F000");
  EXPECT_EQ(admin_->TxStatus(), 'E');
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  Run({"BEGIN", "ALTER CLUSTER prod RENAME TO prod_old", "COMMIT"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'prod_old'"), "1");
}

TEST_F(MzemuTest, SwapBlockFailsAt40001AfterConcurrentDdlAndSwapsNothing) {
  Run({"CREATE SCHEMA prod", "CREATE SCHEMA prod_dbt_deploy", "CREATE CLUSTER prod (SIZE = '1')",
       "CREATE CLUSTER prod_dbt_deploy (SIZE = '1')"});
  std::string before = Scalar(
      "SELECT string_agg(name || '=' || id, ',' ORDER BY id) FROM "
      "(SELECT name, id FROM mz_schemas UNION ALL SELECT name, id FROM "
      "mz_clusters) x");
  Conn other(Dsn());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(admin_->Exec("BEGIN").ok());
  ASSERT_TRUE(admin_->Exec("ALTER SCHEMA prod SWAP WITH prod_dbt_deploy").ok());
  ASSERT_TRUE(admin_->Exec("ALTER CLUSTER prod SWAP WITH prod_dbt_deploy").ok());
  // Unrelated DDL from another session while the block is open.
  ASSERT_TRUE(other.Exec("CREATE SCHEMA concurrent_probe").ok());
  Res commit = admin_->Exec("COMMIT");
  EXPECT_EQ(commit.code, "40001") << commit.message;
  EXPECT_EQ(admin_->TxStatus(), 'I');
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  std::string after = Scalar(
      "SELECT string_agg(name || '=' || id, ',' ORDER BY id) FROM "
      "(SELECT name, id FROM mz_schemas UNION ALL SELECT name, id FROM "
      "mz_clusters WHERE name <> 'concurrent_probe') x WHERE name <> "
      "'concurrent_probe'");
  EXPECT_EQ(after, before);
  // A retry without interference succeeds.
  Res retry = admin_->Exec("BEGIN; ALTER SCHEMA prod SWAP WITH prod_dbt_deploy; COMMIT;");
  EXPECT_TRUE(retry.ok()) << retry.message;
}

TEST_F(MzemuTest, TransactionBlocksHoldSwapsOrOneDeferredDdlStatement) {
  Run({"CREATE SCHEMA a", "CREATE SCHEMA b"});
  // One DDL statement other than SWAP/RENAME is deferred to COMMIT (more: mzemu_transactions_test).
  Res r = admin_->Exec("BEGIN; CREATE SCHEMA c; COMMIT;");
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'c'"), "1");
  // DDL that cannot be deferred is refused in a block.
  for (const char* stmt : {"ALTER CLUSTER quickstart SET (REPLICATION FACTOR 2)",
                           "UPDATE mz_schemas SET name = 'x'"}) {
    ASSERT_TRUE(admin_->Exec("BEGIN").ok());
    Res refused = admin_->Exec(stmt);
    EXPECT_EQ(refused.code, "25001") << stmt;
    EXPECT_NE(refused.message.find("cannot be run inside a transaction block"), std::string::npos);
    EXPECT_EQ(admin_->TxStatus(), 'E');
    EXPECT_EQ(admin_->Exec("SELECT 1").code, "25P02");
    EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  }
  // Mixing reads and DDL is refused either way round.
  EXPECT_EQ(admin_->Exec("BEGIN; SELECT * FROM mz_schemas; ALTER SCHEMA a SWAP WITH b").code,
            "25006");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  EXPECT_EQ(admin_->Exec("BEGIN; ALTER SCHEMA a SWAP WITH b; SELECT 1").code, "25000");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  // Rolled back: nothing swapped. Read-only blocks work.
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'a' AND id < (SELECT id FROM "
                   "mz_schemas WHERE name = 'b')"),
            "1");
  EXPECT_EQ(admin_->Exec("BEGIN; SELECT 1; SELECT 2; COMMIT").code, "");
}

TEST_F(MzemuTest, MultiStatementStringsAreImplicitTransactions) {
  // Like Materialize: DDL runs only as a single-statement (implied) transaction.
  Res r = admin_->Exec("CREATE SCHEMA a; CREATE SCHEMA b");
  EXPECT_EQ(r.code, "25001");
  EXPECT_EQ(admin_->TxStatus(), 'I');
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name IN ('a', 'b')"), "0");
  Run({"CREATE SCHEMA a", "CREATE SCHEMA b", "CREATE TABLE a.t (x int)"});
  // Swaps may share an implicit transaction and commit together at the end of the string.
  std::string a_id = Scalar("SELECT id FROM mz_schemas WHERE name = 'a'");
  Res swap = admin_->Exec("ALTER SCHEMA a SWAP WITH b; ALTER SCHEMA b RENAME TO c");
  ASSERT_TRUE(swap.ok()) << swap.message;
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'c'"), a_id);
  // A failure undoes the whole string (writes included).
  Res w = admin_->Exec("INSERT INTO c.t VALUES (1); INSERT INTO c.t VALUES ('x')");
  EXPECT_EQ(w.code, "22P02");
  EXPECT_EQ(Scalar("SELECT count(*) FROM c.t"), "0");
  Res w2 = admin_->Exec("INSERT INTO c.t VALUES (1); INSERT INTO c.t VALUES (2)");
  EXPECT_TRUE(w2.ok()) << w2.message;
  EXPECT_EQ(Scalar("SELECT count(*) FROM c.t"), "2");
  EXPECT_EQ(admin_->Exec("SELECT * FROM c.t; INSERT INTO c.t VALUES (3)").code, "25006");
}

TEST_F(MzemuTest, SwapRequiresOwnershipOfBothObjects) {
  Run({"CREATE ROLE alice", "GRANT CREATE ON DATABASE " + db_ + " TO alice", "CREATE SCHEMA theirs",
       "GRANT CREATECLUSTER ON SYSTEM TO alice", "CREATE CLUSTER theirs_c (SIZE = '1')"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok());
  ASSERT_TRUE(alice.Exec("CREATE SCHEMA mine").ok());
  ASSERT_TRUE(alice.Exec("CREATE CLUSTER mine_c (SIZE = '1')").ok());
  EXPECT_EQ(alice.Exec("ALTER SCHEMA mine SWAP WITH theirs").code, "42501");
  EXPECT_EQ(alice.Exec("BEGIN; ALTER CLUSTER mine_c SWAP WITH theirs_c; COMMIT").code, "42501");
  EXPECT_TRUE(alice.Exec("ROLLBACK").ok());
  // Ownership through role membership counts.
  Run({"ALTER SCHEMA theirs OWNER TO alice"});
  EXPECT_TRUE(alice.Exec("ALTER SCHEMA mine SWAP WITH theirs").ok());
}

// --- sinks and dependencies ------------------------------------------------------------------

TEST_F(MzemuTest, AlterSinkSetFromChangesDependency) {
  Run({"CREATE SCHEMA marts", "CREATE SCHEMA sinks", "CREATE CLUSTER sinks_c (SIZE = '1')",
       "CREATE CONNECTION kafka_conn TO KAFKA (BROKER 'localhost:9092')",
       "CREATE TABLE public.src (val int)",
       "CREATE MATERIALIZED VIEW marts.mv_old IN CLUSTER quickstart AS SELECT val FROM src",
       "CREATE MATERIALIZED VIEW marts.mv_new IN CLUSTER quickstart AS SELECT val + 1 AS val "
       "FROM src",
       "CREATE SINK sinks.out IN CLUSTER sinks_c FROM marts.mv_old INTO KAFKA CONNECTION "
       "kafka_conn (TOPIC 'out') FORMAT JSON ENVELOPE DEBEZIUM"});
  std::string dep_query =
      "SELECT o.name FROM mz_internal.mz_object_dependencies d JOIN mz_objects o ON o.id = "
      "d.referenced_object_id JOIN mz_sinks s ON s.id = d.object_id WHERE s.name = 'out' AND "
      "o.type <> 'connection'";
  EXPECT_EQ(Scalar(dep_query), "mv_old");
  EXPECT_EQ(Scalar("SELECT value_format || '/' || envelope_type || '/' || type FROM mz_sinks"),
            "json/debezium/kafka");
  std::string old_id = Scalar("SELECT id FROM mz_objects WHERE name = 'mv_old'");
  std::string new_id = Scalar("SELECT id FROM mz_objects WHERE name = 'mv_new'");
  EXPECT_NE(Scalar("SELECT create_sql FROM mz_sinks").find(old_id), std::string::npos);
  // ALTER SINK is not allowed in a block.
  EXPECT_EQ(admin_->Exec("BEGIN; ALTER SINK sinks.out SET FROM marts.mv_new").code, "25001");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  std::string full =
      "ALTER SINK \"" + db_ + "\".\"sinks\".\"out\" SET FROM \"" + db_ + "\".\"marts\".\"mv_new\"";
  Run({full});
  EXPECT_EQ(Scalar(dep_query), "mv_new");
  EXPECT_NE(Scalar("SELECT create_sql FROM mz_sinks").find(new_id), std::string::npos);
  EXPECT_EQ(admin_->Exec("ALTER SINK sinks.out SET FROM marts.nope").code, "42P01");
  EXPECT_EQ(Scalar(dep_query), "mv_new");
  // The sink's cluster check used by dbt (§1.0).
  EXPECT_EQ(Scalar("SELECT count(*) > 0 FROM mz_sinks JOIN mz_clusters ON mz_sinks.cluster_id = "
                   "mz_clusters.id WHERE mz_clusters.name = 'sinks_c'"),
            "t");
}

TEST_F(MzemuTest, DropClusterCascadeRemovesObjectsOnItAndDependents) {
  Run({"CREATE SCHEMA marts", "CREATE SCHEMA other", "CREATE CLUSTER c (SIZE = '1')",
       "CREATE CONNECTION kc TO KAFKA (BROKER 'b:9092')", "CREATE TABLE marts.t (a int)",
       "CREATE MATERIALIZED VIEW marts.mv IN CLUSTER c AS SELECT a FROM marts.t",
       "CREATE INDEX mv_idx IN CLUSTER c ON marts.mv (a)",
       "CREATE SOURCE marts.counter IN CLUSTER c FROM LOAD GENERATOR COUNTER",
       "CREATE VIEW other.v AS SELECT a FROM marts.mv",
       "CREATE SINK other.s IN CLUSTER quickstart FROM other.v INTO KAFKA CONNECTION kc "
       "(TOPIC 't') FORMAT JSON ENVELOPE DEBEZIUM"});
  // deploy_init's dataflow count on a cluster (§1.1).
  std::string dataflows =
      "WITH dataflows AS (\n"
      "  SELECT mz_indexes.id FROM mz_indexes JOIN mz_clusters ON mz_indexes.cluster_id = "
      "mz_clusters.id WHERE mz_clusters.name = 'c'\n"
      "  UNION ALL SELECT mz_materialized_views.id FROM mz_materialized_views JOIN mz_clusters ON "
      "mz_materialized_views.cluster_id = mz_clusters.id WHERE mz_clusters.name = 'c'\n"
      "  UNION ALL SELECT mz_sources.id FROM mz_sources JOIN mz_clusters ON mz_sources.cluster_id "
      "= mz_clusters.id WHERE mz_clusters.name = 'c'\n"
      "  UNION ALL SELECT mz_sinks.id FROM mz_sinks JOIN mz_clusters ON mz_sinks.cluster_id = "
      "mz_clusters.id WHERE mz_clusters.name = 'c')\n"
      "SELECT count(*) FROM dataflows WHERE id LIKE 'u%'";
  EXPECT_EQ(Scalar(dataflows), "3");
  // Everything that CASCADE would take along, as bgplan's cleanup preflight can list it.
  EXPECT_EQ(Scalar("SELECT string_agg(DISTINCT f.schema_name || '.' || f.name, ',') FROM "
                   "mz_internal.mz_object_transitive_dependencies t JOIN "
                   "mz_internal.mz_object_fully_qualified_names f ON f.id = t.object_id JOIN "
                   "mz_objects r ON r.id = t.referenced_object_id WHERE r.name = 'mv'"),
            "marts.mv_idx,other.s,other.v");
  EXPECT_EQ(admin_->Exec("DROP CLUSTER c").code, "2BP01");
  EXPECT_EQ(admin_->Exec("DROP MATERIALIZED VIEW marts.mv").code, "2BP01");
  Run({"DROP CLUSTER IF EXISTS c CASCADE", "DROP CLUSTER IF EXISTS c CASCADE"});
  EXPECT_EQ(Scalar("SELECT string_agg(name, ',' ORDER BY name) FROM mz_objects WHERE id LIKE "
                   "'u%'"),
            "kc,t");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_object_dependencies"), "0");
  EXPECT_EQ(admin_->Exec("SELECT * FROM other.v").code, "42P01");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'c'"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_cluster_replicas WHERE cluster_id NOT IN (SELECT id "
                   "FROM mz_clusters)"),
            "0");
  // DROP SCHEMA CASCADE likewise.
  EXPECT_EQ(admin_->Exec("DROP SCHEMA marts").code, "2BP01");
  Run({"DROP SCHEMA IF EXISTS \"marts\" CASCADE"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'marts'"), "0");
  EXPECT_EQ(Scalar("SELECT string_agg(name, ',') FROM mz_objects WHERE id LIKE 'u%'"), "kc");
}

// --- readiness -------------------------------------------------------------------------------

// The reference's readiness query (dbt-materialize-behaviour.md §1.2), verbatim, for
// prod_dbt_deploy.
constexpr const char* kReadinessQuery = R"SQL(WITH
problematic_replicas AS (            -- 3+ OOM kills in the last 24h
  SELECT replica_id FROM mz_internal.mz_cluster_replica_status_history
  WHERE occurred_at + INTERVAL '24 hours' > mz_now() AND reason = 'oom-killed'
  GROUP BY replica_id HAVING COUNT(*) >= 3),
cluster_health AS (
  SELECT c.name AS cluster_name, c.id AS cluster_id,
         COUNT(r.id) AS total_replicas, COUNT(pr.replica_id) AS problematic_replicas
  FROM mz_clusters c
  LEFT JOIN mz_cluster_replicas r ON c.id = r.cluster_id
  LEFT JOIN problematic_replicas pr ON r.id = pr.replica_id
  WHERE c.name IN ('prod_dbt_deploy', 'paused') GROUP BY c.name, c.id),
hydration_counts AS (                -- per replica
  SELECT c.name AS cluster_name, r.id AS replica_id,
         COUNT(*) FILTER (WHERE mhs.hydrated) AS hydrated, COUNT(*) AS total
  FROM mz_clusters c JOIN mz_cluster_replicas r ON c.id = r.cluster_id
  LEFT JOIN mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = r.id
  WHERE c.name IN ('prod_dbt_deploy', 'paused') GROUP BY c.name, r.id),
hydration_best AS (
  SELECT cluster_name, MAX(hydrated) AS hydrated, MAX(total) AS total
  FROM hydration_counts GROUP BY cluster_name),
cluster_lag AS (
  SELECT c.name AS cluster_name, MAX(EXTRACT(EPOCH FROM wgl.lag)) AS max_lag_secs
  FROM mz_clusters c JOIN mz_cluster_replicas r ON c.id = r.cluster_id
  JOIN mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = r.id
  JOIN mz_internal.mz_wallclock_global_lag wgl ON wgl.object_id = mhs.object_id
  WHERE c.name IN ('prod_dbt_deploy', 'paused') GROUP BY c.name),
lag_threshold_secs AS (
  SELECT EXTRACT(EPOCH FROM INTERVAL '5s') AS threshold_secs)
SELECT ch.cluster_name, ch.cluster_id,
  CASE WHEN ch.total_replicas = 0 THEN 'failing'
       WHEN ch.total_replicas = ch.problematic_replicas THEN 'failing'
       WHEN COALESCE(hb.hydrated,0) < COALESCE(hb.total,0) THEN 'hydrating'
       WHEN COALESCE(cl.max_lag_secs,0) > (SELECT threshold_secs FROM lag_threshold_secs) THEN 'lagging'
       ELSE 'ready' END AS status,
  CASE WHEN ch.total_replicas = 0 THEN 'no_replicas'
       WHEN ch.total_replicas = ch.problematic_replicas THEN 'all_replicas_problematic' END AS failure_reason,
  COALESCE(hb.hydrated,0), COALESCE(hb.total,0), COALESCE(cl.max_lag_secs,0)::bigint,
  ch.total_replicas, ch.problematic_replicas, (SELECT threshold_secs FROM lag_threshold_secs)::bigint
FROM cluster_health ch
LEFT JOIN hydration_best hb ON ch.cluster_name = hb.cluster_name
LEFT JOIN cluster_lag cl ON ch.cluster_name = cl.cluster_name
ORDER BY ch.cluster_name)SQL";

TEST_F(MzemuTest, ReadinessQueryFollowsTestControlledHealth) {
  Run({"CREATE CLUSTER prod_dbt_deploy (SIZE = '1', REPLICATION FACTOR = 2)",
       "CREATE CLUSTER paused (SIZE = '1', REPLICATION FACTOR = 0)"});
  auto status = [&]() {
    Res r = admin_->Exec(kReadinessQuery);
    EXPECT_TRUE(r.ok()) << r.message;
    std::string out;
    for (const auto& row : r.rows) {
      out += row[0] + ":" + row[2] + ":" + row[3] + ":" + row[4] + "/" + row[5] + ":lag=" + row[6] +
             ";";
    }
    return out;
  };
  // Empty clusters are ready (each replica reports its introspection index hydrated).
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:1/1:lag=0;");
  Run({"CREATE TABLE t (a int)",
       "CREATE MATERIALIZED VIEW mv IN CLUSTER prod_dbt_deploy AS SELECT a FROM t",
       "CREATE DEFAULT INDEX IN CLUSTER prod_dbt_deploy ON mv"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:3/3:lag=0;");
  Run({"SELECT mzemu_set_hydrated('prod_dbt_deploy', false)"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:hydrating:<null>:1/3:lag=0;");
  // One replica hydrated is enough (best replica).
  Run({"SELECT mzemu_set_hydrated('prod_dbt_deploy.r2', true)",
       "SELECT mzemu_clear_hydrated('prod_dbt_deploy')"});
  Run({"SELECT mzemu_set_hydrated('prod_dbt_deploy.r1', false)"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:3/3:lag=0;");
  Run({"SELECT mzemu_set_hydrated('mv', false)"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:hydrating:<null>:2/3:lag=0;");
  Run({"SELECT mzemu_set_hydrated('mv', true)", "SELECT mzemu_set_lag('mv', '5 seconds')"});
  // Equal to the threshold is ready.
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:3/3:lag=5;");
  Run({"SELECT mzemu_set_lag('prod_dbt_deploy', '1 minute')", "SELECT mzemu_clear_lag('mv')"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:lagging:<null>:3/3:lag=60;");
  Run({"SELECT mzemu_clear_lag('prod_dbt_deploy')", "SELECT mzemu_oom('prod_dbt_deploy.r1', 3)",
       "SELECT mzemu_oom('prod_dbt_deploy.r2', 2)"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:3/3:lag=0;");
  Run({"SELECT mzemu_oom('prod_dbt_deploy.r2')"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/"
            "0:lag=0;prod_dbt_deploy:failing:all_replicas_problematic:3/3:lag=0;");
  // A NULL lag is ignored by the query.
  Run({"SELECT mzemu_set_lag('mv', NULL)"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/"
            "0:lag=0;prod_dbt_deploy:failing:all_replicas_problematic:3/3:lag=0;");
  Run({"SELECT mzemu_clear_lag('mv')"});
  // OOM kills older than 24h do not count.
  Run(
      {"UPDATE mz_internal.mz_cluster_replica_status_history SET occurred_at = now() - INTERVAL "
       "'25 hours'"});
  EXPECT_EQ(status(),
            "paused:failing:no_replicas:0/0:lag=0;prod_dbt_deploy:ready:<null>:3/3:lag=0;");
}

// --- privileges --------------------------------------------------------------------------------

TEST_F(MzemuTest, PrivilegeCopyQueriesProduceGrantAndRevokeText) {
  Run({"CREATE ROLE my_role", "GRANT my_role TO materialize", "CREATE SCHEMA blue_schema",
       "CREATE SCHEMA green_schema",
       "ALTER DEFAULT PRIVILEGES FOR ROLE my_role IN SCHEMA blue_schema GRANT SELECT ON TABLES TO "
       "my_role",
       "ALTER DEFAULT PRIVILEGES FOR ALL ROLES IN SCHEMA blue_schema GRANT USAGE ON TYPES TO "
       "PUBLIC",
       "GRANT CREATE ON SCHEMA green_schema TO my_role",
       "GRANT USAGE ON SCHEMA blue_schema TO my_role", "CREATE CLUSTER blue_cluster (SIZE = '1')",
       "CREATE CLUSTER green_cluster (SIZE = '1')",
       "GRANT CREATE ON CLUSTER green_cluster TO my_role",
       "GRANT USAGE ON CLUSTER blue_cluster TO my_role"});
  // internal_copy_schema_default_privs (§1.6).
  Res defaults = admin_->Exec(
      "SELECT 'ALTER DEFAULT PRIVILEGES '\n"
      "  || CASE WHEN object_owner = 'PUBLIC' THEN 'FOR ALL ROLES '\n"
      "          ELSE 'FOR ROLE ' || quote_ident(object_owner) || ' ' END\n"
      "  || 'IN SCHEMA green_schema '\n"
      "  || 'GRANT ' || privilege_type || ' '\n"
      "  || 'ON ' || object_type || 's '\n"
      "  || CASE WHEN grantee = 'PUBLIC' THEN 'TO PUBLIC' ELSE 'TO ' || quote_ident(grantee) END\n"
      "FROM mz_internal.mz_show_default_privileges\n"
      "WHERE database = current_database() AND schema = 'blue_schema'\n"
      "  AND object_owner <> 'none' AND grantee <> 'none'\n"
      "ORDER BY 1");
  ASSERT_TRUE(defaults.ok()) << defaults.message;
  ASSERT_EQ(defaults.rows.size(), 2u);
  EXPECT_EQ(defaults.rows[0][0],
            "ALTER DEFAULT PRIVILEGES FOR ALL ROLES IN SCHEMA green_schema GRANT USAGE ON types "
            "TO PUBLIC");
  EXPECT_EQ(defaults.rows[1][0],
            "ALTER DEFAULT PRIVILEGES FOR ROLE my_role IN SCHEMA green_schema GRANT SELECT ON "
            "tables TO my_role");
  for (const auto& row : defaults.rows) Run({row[0]});
  EXPECT_EQ(Scalar("SELECT count(*) = 1 FROM mz_internal.mz_show_default_privileges WHERE "
                   "database = current_database() AND schema = 'green_schema' AND grantee = "
                   "'my_role' AND object_type = 'table' AND privilege_type = 'SELECT'"),
            "t");
  // internal_copy_schema_grants (§1.6): revoke green's, then grant blue's.
  auto acl_statements = [&](const std::string& verb, const std::string& kind,
                            const std::string& source, const std::string& target) {
    std::string rel = kind == "SCHEMA" ? "mz_schemas" : "mz_clusters";
    return admin_->Exec(
        "WITH p AS (SELECT mz_internal.mz_aclexplode(privileges).* FROM " + rel +
        " WHERE name = '" + source +
        "')\n"
        "SELECT '" +
        verb + " ' || p.privilege_type || ' ON " + kind + " ' || quote_ident('" + target +
        "') || ' " + (verb == "GRANT" ? "TO" : "FROM") +
        " ' || quote_ident(grantee.name)\n"
        "FROM p JOIN mz_roles AS grantee ON p.grantee = grantee.id\n"
        "WHERE grantee.name NOT IN ('none', 'mz_system', 'mz_support', current_role)");
  };
  Res revokes = acl_statements("REVOKE", "SCHEMA", "green_schema", "green_schema");
  ASSERT_TRUE(revokes.ok()) << revokes.message;
  ASSERT_EQ(revokes.rows.size(), 1u);
  EXPECT_EQ(revokes.rows[0][0], "REVOKE CREATE ON SCHEMA green_schema FROM my_role");
  Res grants = acl_statements("GRANT", "SCHEMA", "blue_schema", "green_schema");
  ASSERT_EQ(grants.rows.size(), 1u);
  EXPECT_EQ(grants.rows[0][0], "GRANT USAGE ON SCHEMA green_schema TO my_role");
  Run({revokes.rows[0][0], grants.rows[0][0]});
  EXPECT_EQ(Scalar("SELECT string_agg(privilege_type, ',') FROM "
                   "mz_internal.mz_show_schema_privileges WHERE grantee = 'my_role' AND name = "
                   "'green_schema'"),
            "USAGE");
  Res cluster_revokes = acl_statements("REVOKE", "CLUSTER", "green_cluster", "green_cluster");
  Res cluster_grants = acl_statements("GRANT", "CLUSTER", "blue_cluster", "green_cluster");
  ASSERT_EQ(cluster_revokes.rows.size(), 1u);
  ASSERT_EQ(cluster_grants.rows.size(), 1u);
  Run({cluster_revokes.rows[0][0], cluster_grants.rows[0][0]});
  EXPECT_EQ(Scalar("SELECT string_agg(privilege_type, ',') FROM "
                   "mz_internal.mz_show_cluster_privileges WHERE grantee = 'my_role' AND name = "
                   "'green_cluster'"),
            "USAGE");
  // Permission validation queries (§1.5). A superuser sees every grant: mz_system's UC,
  // mz_support's U, the bootstrap role's UC and PUBLIC's U (initialize.rs).
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_show_my_database_privileges WHERE name = "
                   "current_database() AND privilege_type IN ('CREATE', 'USAGE')"),
            "6");
  EXPECT_EQ(admin_
                ->Exec("SELECT has_system_privilege('CREATECLUSTER') IS FALSE, "
                       "current_user()")
                .rows[0][1],
            "materialize");
}

TEST_F(MzemuTest, RolesMembershipSetRoleAndQualifiedNames) {
  Run({"CREATE ROLE alice", "CREATE ROLE team", "GRANT team TO alice",
       "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO team",
       "CREATE SCHEMA \"" + db_ + "\".\"owned_by_team\"",
       "ALTER SCHEMA owned_by_team OWNER TO team"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok());
  // §1.5 permission validation as a non-superuser: privileges through membership and PUBLIC.
  EXPECT_EQ(alice.Scalar("SELECT string_agg(grantee || ':' || privilege_type, ',' ORDER BY "
                         "grantee, privilege_type) FROM mz_internal.mz_show_my_database_privileges "
                         "WHERE name = current_database()"),
            "PUBLIC:USAGE,team:CREATE,team:USAGE");
  EXPECT_TRUE(alice.Exec("CREATE SCHEMA mine").ok());
  Res c = alice.Exec("COMMENT ON SCHEMA owned_by_team IS 'via membership'");
  EXPECT_TRUE(c.ok()) << c.message;
  EXPECT_EQ(alice.Exec("COMMENT ON SCHEMA public IS 'not mine'").code, "42501");
  EXPECT_EQ(alice.Exec("SET ROLE materialize").code, "42501");
  ASSERT_TRUE(alice.Exec("SET ROLE team").ok());
  EXPECT_EQ(alice.Scalar("SELECT current_role"), "team");
  ASSERT_TRUE(alice.Exec("RESET ROLE").ok());
  EXPECT_EQ(alice.Scalar("SELECT current_user"), "alice");
  Run({"SET ROLE alice"});
  EXPECT_EQ(Scalar("SELECT mz_is_superuser()"), "f");
  Run({"RESET ROLE"});
  EXPECT_EQ(Scalar("SELECT mz_is_superuser()"), "t");
  // Comments can be removed; views can be renamed and stay queryable.
  Run({"COMMENT ON SCHEMA owned_by_team IS NULL", "CREATE VIEW mine.v AS SELECT 1 AS one",
       "ALTER VIEW mine.v RENAME TO w"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_comments"), "0");
  EXPECT_EQ(Scalar("SELECT one FROM mine.w"), "1");
  Run({"DROP SCHEMA IF EXISTS \"" + db_ + "\".\"mine\" CASCADE"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'mine'"), "0");
  EXPECT_EQ(admin_->Exec("CREATE SCHEMA other_db.x").code, "3D000");
  // DROP ROLE: refused while the role owns objects; its grants go with it.
  EXPECT_EQ(admin_->Exec("DROP ROLE team").code, "2BP01");
  Run({"DROP SCHEMA owned_by_team", "DROP ROLE team"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_show_database_privileges WHERE grantee "
                   "NOT IN ('PUBLIC', 'materialize', 'mz_system', 'mz_support')"),
            "0");
  EXPECT_EQ(Scalar("SHOW cluster"), "quickstart");
  Run({"SET cluster = owned_by_nobody"});
  EXPECT_EQ(admin_->Exec("CREATE MATERIALIZED VIEW mv AS SELECT 1").code, "42704");
}

TEST_F(MzemuTest, ReplicaManagementAndSizeChanges) {
  Run({"CREATE CLUSTER u REPLICAS (r1 (SIZE 'a'))", "CREATE CLUSTER REPLICA u.r2 SIZE 'b'",
       "CREATE CLUSTER m (SIZE = 'small', REPLICATION FACTOR = 2)"});
  EXPECT_EQ(admin_->Exec("CREATE CLUSTER REPLICA m.r3 SIZE 'x'").code, "XX000");
  std::string replicas =
      "SELECT string_agg(r.name || ':' || coalesce(r.size, '-'), ',' ORDER BY "
      "r.name) FROM mz_cluster_replicas r JOIN mz_clusters c ON c.id = "
      "r.cluster_id WHERE c.name = ";
  EXPECT_EQ(Scalar(replicas + "'u'"), "r1:a,r2:b");
  Run({"DROP CLUSTER REPLICA u.r1", "ALTER CLUSTER REPLICA u.r2 RENAME TO main"});
  EXPECT_EQ(Scalar(replicas + "'u'"), "main:b");
  std::string old_ids = Scalar(
      "SELECT string_agg(r.id, ',') FROM mz_cluster_replicas r JOIN "
      "mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'm'");
  // Since v26.35 the resize runs in the background; the cluster controller finishing it is a
  // test control (mzemu_2026_test.cc tests the reconfiguration itself).
  Run({"ALTER CLUSTER m SET (SIZE = 'large')",
       "SELECT mzemu_finish_reconfiguration('m', 'finalized')"});
  EXPECT_EQ(Scalar(replicas + "'m'"), "r1:large,r2:large");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_cluster_replicas WHERE id = ANY(string_to_array('" +
                   old_ids + "', ','))"),
            "0");
  Run({"ALTER CLUSTER m SET (REPLICATION FACTOR = 0)"});
  EXPECT_EQ(Scalar(replicas + "'m'"), "<null>");
  Run({"ALTER CLUSTER m SET (SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '10 minutes'))"});
  // The scheduler turns the ON REFRESH cluster on and off (a catalog change).
  std::string version = Scalar("SELECT mzemu_catalog_version()");
  Run({"SELECT mzemu_set_scheduled_on('m', true)"});
  EXPECT_EQ(Scalar(replicas + "'m'"), "r1:large");
  EXPECT_NE(Scalar("SELECT mzemu_catalog_version()"), version);
  Run({"SELECT mzemu_set_scheduled_on('m', false)"});
  EXPECT_EQ(Scalar(replicas + "'m'"), "<null>");
  EXPECT_EQ(admin_->Exec("SELECT mzemu_set_scheduled_on('u', true)").code, "22023");
  EXPECT_EQ(Scalar("SELECT type || ' ' || refresh_hydration_time_estimate FROM "
                   "mz_internal.mz_cluster_schedules s JOIN mz_clusters c ON c.id = s.cluster_id "
                   "WHERE c.name = 'm'"),
            "on-refresh 00:10:00");
}

TEST_F(MzemuTest, CatalogSurvivesEmulatorRestart) {
  Run({"CREATE SCHEMA kept", "CREATE CLUSTER kept_c (SIZE = '1')",
       "SELECT mzemu_set_hydrated('kept_c', false)"});
  std::string ids =
      "SELECT string_agg(id, ',' ORDER BY id) FROM (SELECT id FROM mz_schemas "
      "UNION ALL SELECT id FROM mz_clusters) x";
  std::string before = Scalar(ids);
  std::string version = Scalar("SELECT mzemu_catalog_version()");
  StopEmulator();
  StartEmulator();
  EXPECT_EQ(Scalar(ids), before);
  EXPECT_EQ(Scalar("SELECT mzemu_catalog_version()"), version);
  EXPECT_EQ(Scalar("SELECT hydrated FROM mzemu.hydration"), "f");
  Run({"CREATE SCHEMA after_restart"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE id = ANY(string_to_array('" + before +
                   "', ',')) AND name = 'after_restart'"),
            "0");
  // --reset starts from an empty catalog again.
  StopEmulator();
  std::string error;
  ASSERT_TRUE(mz_.Start(url_, &error, {"--reset"})) << error;
  admin_ = std::make_unique<Conn>(Dsn());
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name IN ('kept', 'after_restart')"), "0");
  Run({"CREATE SCHEMA kept"});
}

// --- counters ------------------------------------------------------------------------------------

TEST_F(MzemuTest, CatalogQueryCounterCountsForwardedReadsPerConnection) {
  Conn poller(Dsn());
  ASSERT_TRUE(poller.ok());
  EXPECT_EQ(poller.Scalar("SELECT mzemu_query_count()"), "0");
  ASSERT_TRUE(poller.Exec("SELECT * FROM mz_clusters").ok());
  ASSERT_TRUE(poller.Exec("SELECT 1; SELECT 2").ok());
  ASSERT_TRUE(poller.Exec("CREATE SCHEMA not_a_read").ok());
  ASSERT_TRUE(poller.Exec("SELECT mzemu_set_default_hydrated(true)").ok());
  EXPECT_EQ(poller.Scalar("SELECT mzemu_query_count()"), "3");
  // Other connections can read everyone's counters.
  std::string pid = std::to_string(PQbackendPID(poller.raw()));
  Res all = admin_->Exec("SELECT * FROM mzemu_connections()");
  ASSERT_TRUE(all.ok());
  bool found = false;
  for (const auto& row : all.rows) {
    if (row[0] == pid) {
      found = true;
      EXPECT_EQ(row[5], "3");
      EXPECT_EQ(row[3], "6");  // round trips: the 6 Query messages so far
    }
  }
  EXPECT_TRUE(found);
  ASSERT_TRUE(poller.Exec("SELECT mzemu_reset_query_count()").ok());
  EXPECT_EQ(poller.Scalar("SELECT mzemu_query_count()"), "0");
}

// --- databases ---------------------------------------------------------------------------------

// CREATE DATABASE makes a backing database with its own catalog; clients reach it by their
// startup `database`; DROP DATABASE removes it (refused while its clients stay connected).
TEST_F(MzemuTest, CreateConnectAndDropDatabase) {
  const std::string x = db_ + "_x";
  auto dsn_on = [&](const std::string& db, const std::string& user = "materialize") {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + user + " dbname=" + db +
           " sslmode=disable connect_timeout=5";
  };
  {
    Conn unknown(dsn_on(x));
    EXPECT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().find("database \"" + x + "\" does not exist"), std::string::npos)
        << unknown.error();
  }
  Run({"CREATE DATABASE \"" + x + "\""});
  Res again = admin_->Exec("CREATE DATABASE \"" + x + "\"");
  EXPECT_EQ(again.code, "XX000");
  EXPECT_EQ(again.message, "database '" + x + "' already exists");
  Run({"CREATE DATABASE IF NOT EXISTS \"" + x + "\""});
  EXPECT_EQ(admin_->Exec("BEGIN; CREATE DATABASE y").code, "");  // deferred to COMMIT
  Run({"ROLLBACK"});

  {
    Conn c(dsn_on(x));
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(c.Scalar("SELECT current_database()"), x);
    EXPECT_EQ(c.Scalar("SELECT name FROM mz_databases"), x);
    EXPECT_EQ(c.Scalar("SHOW database"), x);
    // Its own catalog: a cluster made there is not in the backing database's catalog.
    Run(c, {"CREATE CLUSTER only_in_x SIZE = '25cc'", "CREATE SCHEMA s",
            "CREATE TABLE s.t (a int)", "INSERT INTO s.t VALUES (1)"});
    EXPECT_EQ(c.Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'only_in_x'"), "1");
    EXPECT_EQ(Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'only_in_x'"), "0");
    // A session cannot drop the database it is connected to.
    EXPECT_EQ(c.Exec("DROP DATABASE \"" + x + "\"").code, "55006");
    // Another client's DROP waits for it (5 s, like PostgreSQL), then refuses.
    Res busy = admin_->Exec("DROP DATABASE \"" + x + "\"");
    EXPECT_EQ(busy.code, "55006");
    EXPECT_EQ(busy.message, "database \"" + x + "\" is being accessed by other users");
    EXPECT_EQ(admin_->Exec("DROP DATABASE \"" + x + "\" RESTRICT").code, "2BP01");
  }
  // Not the owner and not a superuser: refused.
  {
    Conn bob(Dsn("bob"));
    ASSERT_TRUE(bob.ok()) << bob.error();
    EXPECT_EQ(bob.Exec("CREATE DATABASE bobs").code, "42501");
    EXPECT_EQ(bob.Exec("DROP DATABASE \"" + x + "\"").code, "42501");
  }
  Run({"DROP DATABASE \"" + x + "\" CASCADE"});
  {
    Conn gone(dsn_on(x));
    EXPECT_FALSE(gone.ok());
  }
  EXPECT_EQ(admin_->Exec("DROP DATABASE \"" + x + "\"").code, "3D000");
  Run({"DROP DATABASE IF EXISTS \"" + x + "\""});
  EXPECT_EQ(admin_->Exec("DROP DATABASE materialize").code, "0A000");

  // Created again, it starts from a fresh catalog; a restarted emulator still knows it.
  Run({"CREATE DATABASE \"" + x + "\""});
  StopEmulator();
  StartEmulator();
  {
    Conn c(dsn_on(x));
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(c.Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'only_in_x'"), "0");
  }
  Run({"DROP DATABASE \"" + x + "\""});
}

}  // namespace

// --- fidelity points from the Materialize SQL audit (F1, F2, F4, F7, F10) ----------------------

// F1: ids are allocated per kind (each rendered u<N>), so a schema, a cluster, a role and a table
// share ids; comments, hydration and lag overrides are told apart by kind.
TEST_F(MzemuTest, IdsArePerKindAndLookupsDiscriminateByKind) {
  EXPECT_EQ(Scalar("SELECT id FROM mz_clusters WHERE name = 'quickstart'"), "u1");
  EXPECT_EQ(Scalar("SELECT id FROM mz_roles WHERE name = 'materialize'"), "u1");
  EXPECT_EQ(Scalar("SELECT id FROM mz_databases"), "u1");
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'public'"), "u3");
  EXPECT_EQ(Scalar("SELECT id FROM mz_cluster_replicas WHERE name = 'r1' AND id LIKE 'u%'"), "u1");
  Run({"CREATE TABLE t1 (a int)", "CREATE CLUSTER c1 (SIZE = '1')",
       "CREATE MATERIALIZED VIEW mv IN CLUSTER quickstart AS SELECT a FROM t1",
       "CREATE SCHEMA s4", "CREATE ROLE r2"});
  EXPECT_EQ(Scalar("SELECT id FROM mz_tables WHERE name = 't1'"), "u1");
  EXPECT_EQ(Scalar("SELECT id FROM mz_materialized_views WHERE name = 'mv'"), "u2");
  EXPECT_EQ(Scalar("SELECT id FROM mz_clusters WHERE name = 'c1'"), "u2");
  EXPECT_EQ(Scalar("SELECT id FROM mz_roles WHERE name = 'r2'"), "u2");
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 's4'"), "u4");
  // Dependencies link items only.
  EXPECT_EQ(Scalar("SELECT object_id || '->' || referenced_object_id FROM "
                   "mz_internal.mz_object_dependencies"),
            "u2->u1");

  // Comments of different kinds on the same id coexist; each COMMENT/DROP touches its own.
  Run({"COMMENT ON CLUSTER quickstart IS 'cluster'", "COMMENT ON TABLE t1 IS 'table'",
       "COMMENT ON ROLE materialize IS 'role'", "COMMENT ON CLUSTER REPLICA quickstart.r1 IS 'rep'",
       "COMMENT ON DATABASE " + db_ + " IS 'db'"});
  auto comments = [&] {
    return Scalar(
        "SELECT string_agg(object_type || '=' || comment, ',' ORDER BY object_type) FROM "
        "mz_internal.mz_comments WHERE id = 'u1' AND object_sub_id IS NULL");
  };
  EXPECT_EQ(comments(), "cluster=cluster,cluster-replica=rep,database=db,role=role,table=table");
  Run({"COMMENT ON TABLE t1 IS 'table2'", "COMMENT ON ROLE materialize IS NULL"});
  EXPECT_EQ(comments(), "cluster=cluster,cluster-replica=rep,database=db,table=table2");
  Run({"DROP TABLE t1 CASCADE"});
  EXPECT_EQ(comments(), "cluster=cluster,cluster-replica=rep,database=db");
  Run({"COMMENT ON CLUSTER c1 IS 'c1'", "COMMENT ON ROLE r2 IS 'r2'", "DROP ROLE r2"});
  EXPECT_EQ(Scalar("SELECT string_agg(object_type, ',') FROM mz_internal.mz_comments "
                   "WHERE id = 'u2'"),
            "cluster");
  Run({"COMMENT ON SCHEMA s4 IS 's4'", "CREATE CLUSTER c3 (SIZE = '1')", "CREATE CLUSTER c4 (SIZE = '1')",
       "COMMENT ON CLUSTER c4 IS 'c4'", "DROP SCHEMA s4"});
  EXPECT_EQ(Scalar("SELECT string_agg(object_type, ',') FROM mz_internal.mz_comments "
                   "WHERE id = 'u4'"),
            "cluster");

  // Hydration and lag overrides of cluster u2 do not touch item u2 (on another cluster).
  Run({"CREATE TABLE t2 (a int)",
       "CREATE MATERIALIZED VIEW mv2 IN CLUSTER quickstart AS SELECT a FROM t2"});
  std::string mv2 = Scalar("SELECT id FROM mz_materialized_views WHERE name = 'mv2'");
  std::string c_same = Scalar("SELECT name FROM mz_clusters WHERE id = '" + mv2 + "'");
  ASSERT_FALSE(c_same.empty()) << mv2;
  Run({"SELECT mzemu_set_hydrated('" + c_same + "', false)",
       "SELECT mzemu_set_lag('" + c_same + "', '1 minute')"});
  EXPECT_EQ(Scalar("SELECT bool_and(hydrated) FROM mz_internal.mz_hydration_statuses "
                   "WHERE object_id = '" + mv2 + "'"),
            "t");
  EXPECT_EQ(Scalar("SELECT lag FROM mz_internal.mz_wallclock_global_lag WHERE object_id = '" +
                   mv2 + "'"),
            "00:00:00");
  // An explicit kind prefix picks the item.
  Run({"SELECT mzemu_set_hydrated('item:" + mv2 + "', false)"});
  EXPECT_EQ(Scalar("SELECT bool_and(hydrated) FROM mz_internal.mz_hydration_statuses "
                   "WHERE object_id = '" + mv2 + "'"),
            "f");
}

// F2: "already exists" is a catalog error: SQLSTATE XX000 on Materialize, also on RENAME.
TEST_F(MzemuTest, DuplicateNamesAreInternalErrors) {
  Run({"CREATE SCHEMA x", "CREATE SCHEMA y", "CREATE CLUSTER cx (SIZE = '1')",
       "CREATE CLUSTER cy (SIZE = '1')", "CREATE TABLE tx (a int)", "CREATE TABLE ty (a int)",
       "CREATE ROLE rx"});
  auto expect = [&](const std::string& sql, const std::string& message) {
    Res r = admin_->Exec(sql);
    EXPECT_EQ(r.code, "XX000") << sql;
    EXPECT_EQ(r.message, message) << sql;
  };
  expect("CREATE SCHEMA x", "schema 'x' already exists");
  expect("ALTER SCHEMA y RENAME TO x", "schema 'x' already exists");
  expect("CREATE CLUSTER cx (SIZE = '1')", "cluster 'cx' already exists");
  expect("ALTER CLUSTER cy RENAME TO cx", "cluster 'cx' already exists");
  expect("CREATE TABLE tx (a int)", "catalog item 'tx' already exists");
  expect("CREATE VIEW tx AS SELECT 1", "catalog item 'tx' already exists");
  expect("ALTER TABLE ty RENAME TO tx", "catalog item 'tx' already exists");
  expect("CREATE ROLE rx", "role 'rx' already exists");
  Run({"CREATE SCHEMA IF NOT EXISTS x"});
}

// F7: ALTER DEFAULT PRIVILEGES needs membership in the target role; FOR ALL ROLES and a PUBLIC
// target need a superuser.
TEST_F(MzemuTest, AlterDefaultPrivilegesNeedsMembershipOrSuperuser) {
  Run({"CREATE ROLE alice LOGIN", "CREATE ROLE bob", "CREATE ROLE team", "GRANT team TO alice",
       "CREATE SCHEMA s"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok()) << alice.error();
  const std::string tail = " IN SCHEMA s GRANT SELECT ON TABLES TO bob";
  EXPECT_EQ(alice.Exec("ALTER DEFAULT PRIVILEGES FOR ROLE bob" + tail).code, "42501");
  EXPECT_EQ(alice.Exec("ALTER DEFAULT PRIVILEGES FOR ALL ROLES" + tail).code, "42501");
  EXPECT_EQ(alice.Exec("ALTER DEFAULT PRIVILEGES FOR ROLE PUBLIC" + tail).code, "42501");
  Run(alice, {"ALTER DEFAULT PRIVILEGES FOR ROLE alice" + tail,
              "ALTER DEFAULT PRIVILEGES FOR ROLE team" + tail,
              "ALTER DEFAULT PRIVILEGES" + tail});
  Run({"ALTER DEFAULT PRIVILEGES FOR ROLE PUBLIC" + tail,
       "ALTER DEFAULT PRIVILEGES FOR ALL ROLES" + tail, "ALTER DEFAULT PRIVILEGES FOR ROLE bob" + tail});
  EXPECT_EQ(Scalar("SELECT string_agg(object_owner, ',' ORDER BY object_owner) FROM "
                   "mz_internal.mz_show_default_privileges WHERE schema = 's'"),
            "PUBLIC,alice,bob,team");
}

// Issue 12: `SET cluster TO DEFAULT` (the keyword) resets the variable, as in Materialize,
// instead of naming a cluster "default"; a quoted 'default' is still a name.
TEST_F(MzemuTest, SetToDefaultResetsTheVariable) {
  Run({"SET cluster = nope"});
  EXPECT_EQ(Scalar("SHOW cluster"), "nope");
  Run({"SET cluster TO DEFAULT"});
  EXPECT_EQ(Scalar("SHOW cluster"), "quickstart");
  Run({"SET cluster = nope", "SET cluster = DEFAULT"});
  EXPECT_EQ(Scalar("SHOW cluster"), "quickstart");
  Run({"SET cluster = 'default'"});
  EXPECT_EQ(Scalar("SHOW cluster"), "default");
  Run({"SET search_path TO DEFAULT"});
  EXPECT_EQ(Scalar("SHOW search_path"), "public");
}

// F4: reads of user relations (and UPDATE/DELETE) run on the active cluster; catalog-only
// queries and INSERT ... VALUES do not need it.
TEST_F(MzemuTest, UserRelationQueriesNeedAnActiveClusterWithReplicas) {
  Run({"CREATE TABLE t (a int)", "CREATE VIEW v AS SELECT a FROM t",
       "CREATE CLUSTER empty (SIZE = '1', REPLICATION FACTOR = 0)",
       "CREATE CLUSTER bare REPLICAS ()"});
  EXPECT_EQ(Scalar("SHOW cluster"), "quickstart");
  EXPECT_EQ(Scalar("SELECT current_setting('cluster')"), "quickstart");
  Run({"SET cluster = nope"});
  EXPECT_EQ(Scalar("SHOW cluster"), "nope");
  EXPECT_EQ(Scalar("SELECT current_setting('cluster')"), "nope");
  Res r = admin_->Exec("SELECT * FROM t");
  EXPECT_EQ(r.code, "XX000");
  EXPECT_EQ(r.message, "unknown cluster 'nope'");
  EXPECT_EQ(admin_->Exec("SELECT a FROM public.v").code, "XX000");
  EXPECT_EQ(admin_->Exec("UPDATE t SET a = 2").code, "XX000");
  EXPECT_EQ(admin_->Exec("DELETE FROM \"t\"").code, "XX000");
  EXPECT_EQ(admin_->Exec("INSERT INTO t SELECT a FROM t").code, "XX000");
  Run({"INSERT INTO t VALUES (1)", "INSERT INTO public.t (a) VALUES (2)",
       "SELECT count(*) FROM mz_tables WHERE name = 't'", "SELECT 1",
       "SELECT t.name FROM mz_catalog.mz_tables t",
       "SELECT count(*) FROM mz_internal.mz_hydration_statuses"});
  Run({"SET cluster = empty"});
  r = admin_->Exec("SELECT * FROM t");
  EXPECT_EQ(r.code, "0A000");
  EXPECT_EQ(r.message, "CLUSTER \"empty\" has no replicas available to service request");
  Run({"SET cluster = bare"});
  EXPECT_EQ(admin_->Exec("SELECT * FROM t").code, "0A000");
  Run({"RESET cluster"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), "2");
  // The connection option sets the active cluster too.
  Conn other(Dsn() + " options='--cluster=empty'");
  ASSERT_TRUE(other.ok()) << other.error();
  EXPECT_EQ(other.Scalar("SHOW cluster"), "empty");
  EXPECT_EQ(other.Exec("SELECT * FROM t").code, "0A000");
  // A role without USAGE on the active cluster is refused.
  Run({"CREATE ROLE carol LOGIN", "GRANT SELECT ON TABLE t TO carol",
       "CREATE CLUSTER priv (SIZE = '1')"});
  Conn carol(Dsn("carol") + " options='--cluster=priv'");
  ASSERT_TRUE(carol.ok()) << carol.error();
  EXPECT_EQ(carol.Exec("SELECT * FROM t").code, "42501");
}

// F10: every replica reports a system introspection index with an `s` id; a test can make it
// not hydrated, so a readiness query counting system objects never becomes ready.
TEST_F(MzemuTest, SystemIntrospectionIndexHydrationIsControllable) {
  Run({"CREATE CLUSTER prod_dbt_deploy (SIZE = '1', REPLICATION FACTOR = 2)"});
  const std::string sys =
      "SELECT string_agg(DISTINCT h.object_id || ':' || h.hydrated, ',') FROM "
      "mz_internal.mz_hydration_statuses h JOIN mz_cluster_replicas r ON r.id = h.replica_id "
      "JOIN mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'prod_dbt_deploy'";
  std::string green = Scalar("SELECT id FROM mz_clusters WHERE name = 'prod_dbt_deploy'");
  std::string idx = "s" + std::to_string(20000 + std::stoi(green.substr(1)));
  EXPECT_EQ(Scalar(sys), idx + ":true");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_hydration_statuses h JOIN "
                   "mz_cluster_replicas r ON r.id = h.replica_id JOIN mz_clusters c ON c.id = "
                   "r.cluster_id WHERE c.name = 'prod_dbt_deploy'"),
            "2");
  EXPECT_EQ(Scalar("SELECT mzemu_set_system_hydrated('prod_dbt_deploy', false)"), idx);
  EXPECT_EQ(Scalar(sys), idx + ":false");
  // User-object overrides do not touch it, and other clusters keep theirs.
  Run({"SELECT mzemu_set_hydrated('prod_dbt_deploy', true)"});
  EXPECT_EQ(Scalar(sys), idx + ":false");
  EXPECT_EQ(Scalar("SELECT bool_and(hydrated) FROM mz_internal.mz_hydration_statuses WHERE "
                   "object_id LIKE 's%' AND object_id <> '" + idx + "'"),
            "t");
  // The dbt readiness query (which counts system objects) never reads green as ready.
  Res r = admin_->Exec(kReadinessQuery);
  ASSERT_TRUE(r.ok()) << r.message;
  std::string out;
  for (const auto& row : r.rows) out += row[0] + ":" + row[2] + ":" + row[4] + "/" + row[5] + ";";
  EXPECT_NE(out.find("prod_dbt_deploy:hydrating:0/1;"), std::string::npos) << out;
  Run({"SELECT mzemu_set_system_hydrated('prod_dbt_deploy', true)"});
  EXPECT_EQ(Scalar(sys), idx + ":true");
  Run({"DROP CLUSTER prod_dbt_deploy"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mzemu.hydration"), "0");
}

// --- catalog shape (issue 12): columns, order and types as in Materialize's builtin.rs --------

// The columns of an emulated catalog relation, in order, as "name type" (PostgreSQL's names).
static std::string Columns(Conn& c, const std::string& relation) {
  return c.Scalar(
      "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY "
      "attnum) FROM pg_catalog.pg_attribute WHERE attrelid = '" + relation +
      "'::regclass AND attnum > 0 AND NOT attisdropped");
}

// builtin.rs BUILTIN_CLUSTERS: five system clusters; mz_support and mz_analytics own theirs and
// run no replica by default. availability_zones is a list (list_length).
TEST_F(MzemuTest, BuiltInClustersAreListed) {
  EXPECT_EQ(Scalar("SELECT string_agg(c.id || ' ' || c.name || ' ' || r.name || ' ' || "
                   "c.replication_factor || ' ' || (SELECT count(*) FROM mz_cluster_replicas cr "
                   "WHERE cr.cluster_id = c.id), ',' ORDER BY c.id) FROM mz_clusters c JOIN "
                   "mz_roles r ON r.id = c.owner_id WHERE c.id LIKE 's%'"),
            "s1 mz_system mz_system 1 1,s2 mz_catalog_server mz_system 1 1,"
            "s3 mz_probe mz_system 1 1,s4 mz_support mz_support 0 0,"
            "s5 mz_analytics mz_analytics 0 0");
  EXPECT_EQ(Scalar("SELECT string_agg(name, ',' ORDER BY name) FROM (SHOW CLUSTERS)"),
            "mz_analytics,mz_catalog_server,mz_probe,mz_support,mz_system,quickstart");
  Run({"CREATE CLUSTER az (SIZE = '1', AVAILABILITY ZONES = ('use1-az1', 'use1-az2'))"});
  EXPECT_EQ(Scalar("SELECT list_length(availability_zones) FROM mz_clusters WHERE name = 'az'"),
            "2");
  EXPECT_EQ(Scalar("SELECT list_length(availability_zones) FROM mz_clusters WHERE name = "
                   "'quickstart'"),
            "0");
}

TEST_F(MzemuTest, CatalogColumnsHaveMaterializesNamesOrderAndTypes) {
  // builtin.rs MZ_TABLES: owner_id and privileges come before create_sql; source_id last.
  EXPECT_EQ(Columns(*admin_, "mz_catalog.mz_tables"),
            "id text,oid oid,schema_id text,name text,owner_id text,privileges mz_aclitem[],"
            "create_sql text,redacted_create_sql text,source_id text");
  // builtin.rs MZ_SINKS: the deprecated `format` between envelope_type and key_format.
  EXPECT_EQ(Columns(*admin_, "mz_catalog.mz_sinks"),
            "id text,oid oid,schema_id text,name text,type text,connection_id text,size text,"
            "envelope_type text,format text,key_format text,value_format text,cluster_id text,"
            "owner_id text,create_sql text,redacted_create_sql text");
  // builtin.rs MZ_COLUMNS: position is uint8, type_mod int4.
  EXPECT_EQ(Columns(*admin_, "mz_catalog.mz_columns"),
            "id text,name text,position uint8,nullable boolean,type text,default text,"
            "type_oid oid,type_mod integer");
  // Docs (sql/alter-cluster.md "Configure autoscaling"): strategy and the in-flight burst state.
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_cluster_auto_scaling_strategies"),
            "cluster_id text,strategy jsonb,state jsonb");
  // REPLICA_STATUS_HISTORY_DESC has no deployment_generation: the columns stay as they are.
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_cluster_replica_status_history"),
            "replica_id text,process_id uint8,status text,reason text,"
            "occurred_at timestamp with time zone");
  Run({"CREATE CONNECTION k TO KAFKA (BROKER 'localhost:9092')", "CREATE TABLE src (val int)",
       "CREATE SINK out FROM src INTO KAFKA CONNECTION k (TOPIC 'out') FORMAT JSON "
       "ENVELOPE DEBEZIUM",
       "CREATE CLUSTER auto (SIZE = 'scale=1,workers=1', AUTO SCALING STRATEGY = (ON HYDRATION "
       "(HYDRATION SIZE = 'scale=1,workers=2')))"});
  EXPECT_EQ(Scalar("SELECT format || '/' || coalesce(key_format, '-') || '/' || value_format "
                   "FROM mz_sinks WHERE name = 'out'"),
            "json/json/json");  // FORMAT JSON sets both key and value formats
  EXPECT_EQ(Scalar("SELECT s.strategy->'on_hydration'->>'hydration_size' || '/' || "
                   "coalesce(s.state->'burst'->>'burst_size', 'none') FROM "
                   "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id "
                   "= s.cluster_id WHERE c.name = 'auto'"),
            "scale=1,workers=2/none");
  EXPECT_EQ(Scalar("SELECT string_agg(c.name || ':' || c.position || ':' || pg_typeof(c.position), "
                   "',') FROM mz_columns c JOIN mz_tables t ON t.id = c.id WHERE t.name = 'src'"),
            "val:1:uint8");
}

TEST_F(MzemuTest, MzNowReturnsMzTimestampAndStillComparesWithTimestamps) {
  EXPECT_EQ(Scalar("SELECT pg_typeof(mz_now())::text"), "mz_timestamp");
  // The readiness query's comparison (runtime/await/await.cc) keeps working.
  Run({"SELECT mzemu_oom('quickstart.r1', 3)"});
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_cluster_replica_status_history WHERE "
                   "occurred_at + INTERVAL '24 hours' > mz_now() AND reason = 'oom-killed'"),
            "3");
  EXPECT_EQ(Scalar("SELECT mz_now() <= now()"), "t");
}

TEST_F(MzemuTest, WallclockLagHistoryFollowsTheCurrentLag) {
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_wallclock_lag_history"),
            "object_id text,replica_id text,lag interval,occurred_at timestamp with time zone");
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_wallclock_global_lag_history"),
            "object_id text,lag interval,occurred_at timestamp with time zone");
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_wallclock_global_lag_recent_history"),
            "object_id text,lag interval,occurred_at timestamp with time zone");
  Run({"CREATE CLUSTER c2 (SIZE = '1', REPLICATION FACTOR = 2)", "CREATE TABLE t (a int)",
       "CREATE INDEX t_idx IN CLUSTER c2 ON t (a)", "SELECT mzemu_set_lag('t_idx', '7 s')"});
  std::string t = Scalar("SELECT id FROM mz_tables WHERE name = 't'");
  std::string idx = Scalar("SELECT id FROM mz_indexes WHERE name = 't_idx'");
  // A persistent collection has one row without replica; an index one per replica.
  EXPECT_EQ(Scalar("SELECT string_agg(coalesce(replica_id, '-') || ':' || lag, ',') FROM "
                   "mz_internal.mz_wallclock_lag_history WHERE object_id = '" + t + "'"),
            "-:00:00:00");
  EXPECT_EQ(Scalar("SELECT count(DISTINCT replica_id) || ':' || min(lag) FROM "
                   "mz_internal.mz_wallclock_lag_history WHERE object_id = '" + idx + "'"),
            "2:00:00:07");
  // Global history: one minute-aligned row per object with the minimum lag; recent = last day.
  EXPECT_EQ(Scalar("SELECT count(*) || ':' || min(lag) || ':' || bool_and(occurred_at = "
                   "date_trunc('minute', occurred_at)) FROM "
                   "mz_internal.mz_wallclock_global_lag_history WHERE object_id = '" + idx + "'"),
            "1:00:00:07:true");
  EXPECT_EQ(Scalar("SELECT lag FROM mz_internal.mz_wallclock_global_lag_recent_history WHERE "
                   "object_id = '" + idx + "'"),
            "00:00:07");
  Run({"SELECT mzemu_set_lag('t_idx', '2 s')"});
  EXPECT_EQ(Scalar("SELECT lag FROM mz_internal.mz_wallclock_global_lag_recent_history WHERE "
                   "object_id = '" + idx + "'"),
            "00:00:02");
}

TEST_F(MzemuTest, ShowRoleMembersViewsListMembershipsByName) {
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_show_role_members"),
            "role text,member text,grantor text");
  EXPECT_EQ(Columns(*admin_, "mz_internal.mz_show_my_role_members"),
            "role text,member text,grantor text");
  Run({"CREATE ROLE alice", "CREATE ROLE bob", "CREATE ROLE team", "GRANT team TO alice, bob"});
  const std::string all =
      "SELECT string_agg(role || '>' || member || '/' || grantor, ',' ORDER BY member) FROM "
      "mz_internal.mz_show_role_members";
  const std::string mine =
      "SELECT string_agg(role || '>' || member, ',' ORDER BY member) FROM "
      "mz_internal.mz_show_my_role_members";
  EXPECT_EQ(Scalar(all), "team>alice/mz_system,team>bob/mz_system");  // acl.rs: grantor
  EXPECT_EQ(Scalar(mine), "team>alice,team>bob");  // superuser: every row
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice.Scalar(mine), "team>alice");
  Run({"REVOKE team FROM bob"});
  EXPECT_EQ(Scalar(all), "team>alice/mz_system");
}
