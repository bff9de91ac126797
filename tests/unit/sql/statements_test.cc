#include "sql/statements.h"

#include <gtest/gtest.h>

#include <memory>

namespace bgplan::sql {
namespace {

using plans::ObjectKind;
using plans::ObjectRef;

class StatementsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Dialect> mz_ = MakeDialect(plans::Target::kMaterialize);
  std::unique_ptr<Dialect> pg_ = MakeDialect(plans::Target::kPostgres);
};

TEST_F(StatementsTest, CreateSchema) {
  EXPECT_EQ("CREATE SCHEMA \"db\".\"marts_dbt_deploy\";",
            CreateSchemaSql(*mz_, "db", "marts_dbt_deploy"));
  EXPECT_EQ("CREATE SCHEMA \"marts_dbt_deploy\";", CreateSchemaSql(*mz_, "", "marts_dbt_deploy"));
  EXPECT_EQ("CREATE SCHEMA \"marts_dbt_deploy\";", CreateSchemaSql(*pg_, "db", "marts_dbt_deploy"));
  EXPECT_EQ("CREATE SCHEMA \"we\"\"ird; DROP TABLE x\";",
            CreateSchemaSql(*mz_, "", "we\"ird; DROP TABLE x"));
}

TEST_F(StatementsTest, Drop) {
  EXPECT_EQ("DROP SCHEMA IF EXISTS \"db\".\"m_g\" CASCADE;", DropSchemaSql(*mz_, "db", "m_g"));
  EXPECT_EQ("DROP SCHEMA IF EXISTS \"m_g\" CASCADE;", DropSchemaSql(*pg_, "db", "m_g"));
  EXPECT_EQ("DROP CLUSTER IF EXISTS \"c_g\" CASCADE;", DropClusterSql("c_g"));
  EXPECT_EQ("DROP CLUSTER IF EXISTS \"c_g\" CASCADE;",
            DropSql(*mz_, ObjectRef{ObjectKind::kCluster, "d", "", "c", "c_g"}));
  EXPECT_EQ("DROP SCHEMA IF EXISTS \"db\".\"s_g\" CASCADE;",
            DropSql(*mz_, ObjectRef{ObjectKind::kSchema, "d", "db", "s", "s_g"}));
}

TEST_F(StatementsTest, CreateManagedCluster) {
  ManagedClusterOptions options;
  options.size = "200cc";
  options.replication_factor = 2;
  EXPECT_EQ("CREATE CLUSTER \"compute_dbt_deploy\" (SIZE = '200cc', REPLICATION FACTOR = 2);",
            CreateClusterSql("compute_dbt_deploy", options));

  options.replication_factor.reset();
  EXPECT_EQ("CREATE CLUSTER \"c\" (SIZE = '200cc');", CreateClusterSql("c", options));

  // An ON REFRESH schedule leaves the replication factor to the scheduler.
  options.replication_factor = 1;
  options.on_refresh = true;
  EXPECT_EQ("CREATE CLUSTER \"c\" (SIZE = '200cc', SCHEDULE = ON REFRESH);",
            CreateClusterSql("c", options));
  options.hydration_time_estimate = "10m";
  EXPECT_EQ(
      "CREATE CLUSTER \"c\" (SIZE = '200cc', SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = "
      "'10m'));",
      CreateClusterSql("c", options));

  ManagedClusterOptions scaling;
  scaling.size = "25cc";
  scaling.replication_factor = 1;
  scaling.auto_scaling = AutoScalingStrategy{"800cc", "30s"};
  EXPECT_EQ(
      "CREATE CLUSTER \"c\" (SIZE = '25cc', REPLICATION FACTOR = 1, AUTO SCALING STRATEGY = "
      "(ON HYDRATION (HYDRATION SIZE = '800cc', LINGER DURATION = '30s')));",
      CreateClusterSql("c", scaling));
  scaling.auto_scaling = AutoScalingStrategy{"", std::nullopt};
  EXPECT_EQ(
      "CREATE CLUSTER \"c\" (SIZE = '25cc', REPLICATION FACTOR = 1, AUTO SCALING STRATEGY = ());",
      CreateClusterSql("c", scaling));

  ManagedClusterOptions odd;
  odd.size = "x', REPLICATION FACTOR = 99 --";
  EXPECT_EQ("CREATE CLUSTER \"c\"\"\" (SIZE = 'x'', REPLICATION FACTOR = 99 --');",
            CreateClusterSql("c\"", odd));
}

TEST_F(StatementsTest, CreateUnmanagedClusterSortsReplicasByName) {
  EXPECT_EQ(
      "CREATE CLUSTER \"u_g\" REPLICAS (\"r1\" (SIZE '100cc', AVAILABILITY ZONE 'use1-az1'), "
      "\"r2\" (SIZE '50cc'));",
      CreateUnmanagedClusterSql("u_g",
                                {{"r2", "50cc", std::nullopt}, {"r1", "100cc", "use1-az1"}}));
  EXPECT_EQ("CREATE CLUSTER \"u_g\" REPLICAS ();", CreateUnmanagedClusterSql("u_g", {}));
  EXPECT_EQ("CREATE CLUSTER \"u\" REPLICAS (\"r\"\"1\" (SIZE 'it''s'));",
            CreateUnmanagedClusterSql("u", {{"r\"1", "it's", std::nullopt}}));
}

TEST_F(StatementsTest, MaterializeSwap) {
  EXPECT_EQ("ALTER SCHEMA \"marts\" SWAP WITH \"marts_dbt_deploy\";",
            SwapSchemaSql(*mz_, "", "marts", "marts_dbt_deploy"));
  // The second name is resolved in the first one's database: never qualified.
  EXPECT_EQ("ALTER SCHEMA \"db\".\"marts\" SWAP WITH \"marts_dbt_deploy\";",
            SwapSchemaSql(*mz_, "db", "marts", "marts_dbt_deploy"));
  EXPECT_EQ("ALTER CLUSTER \"compute\" SWAP WITH \"compute_dbt_deploy\";",
            SwapClusterSql("compute", "compute_dbt_deploy"));
  EXPECT_EQ(std::vector<std::string>{"ALTER CLUSTER \"c\" SWAP WITH \"c_g\";"},
            SwapSql(*mz_, ObjectRef{ObjectKind::kCluster, "d", "", "c", "c_g"}));
  EXPECT_EQ(std::vector<std::string>{"ALTER SCHEMA \"db\".\"s\" SWAP WITH \"s_g\";"},
            SwapSql(*mz_, ObjectRef{ObjectKind::kSchema, "d", "db", "s", "s_g"}));
}

TEST_F(StatementsTest, PostgresSwapIsThreeRenames) {
  EXPECT_EQ((std::vector<std::string>{
                "ALTER SCHEMA \"marts\" RENAME TO \"marts_bgplan_swap\";",
                "ALTER SCHEMA \"marts_dbt_deploy\" RENAME TO \"marts\";",
                "ALTER SCHEMA \"marts_bgplan_swap\" RENAME TO \"marts_dbt_deploy\";",
            }),
            SwapSql(*pg_, ObjectRef{ObjectKind::kSchema, "d", "", "marts", "marts_dbt_deploy"}));
}

TEST_F(StatementsTest, SwapTempNameFitsTheLimit) {
  EXPECT_EQ("marts_bgplan_swap", SwapTempName("marts", *pg_));
  // 51 bytes + 12 = 63: still fits.
  const std::string fits(51, 'a');
  EXPECT_EQ(fits + "_bgplan_swap", SwapTempName(fits, *pg_));
  const std::string long_a(60, 'a');
  const std::string long_b = std::string(59, 'a') + "b";
  const std::string tmp_a = SwapTempName(long_a, *pg_);
  const std::string tmp_b = SwapTempName(long_b, *pg_);
  EXPECT_EQ(63u, tmp_a.size());
  EXPECT_EQ(63u, tmp_b.size());
  EXPECT_NE(tmp_a, tmp_b);
  EXPECT_EQ(std::string(42, 'a'), tmp_a.substr(0, 42));
  EXPECT_EQ("_bgplan_swap", tmp_a.substr(51));
  EXPECT_EQ('_', tmp_a[42]);
  // Deterministic.
  EXPECT_EQ(tmp_a, SwapTempName(long_a, *pg_));
  // Materialize's limit is 255 bytes.
  EXPECT_EQ(long_a + "_bgplan_swap", SwapTempName(long_a, *mz_));
}

TEST_F(StatementsTest, SwapTempNameNeverSplitsACodePoint) {
  // "ä" is 2 bytes; 41 ASCII bytes + ä would straddle the 42-byte cut.
  const std::string blue = std::string(41, 'x') + "ää" + std::string(20, 'y');
  const std::string tmp = SwapTempName(blue, *pg_);
  EXPECT_LE(tmp.size(), 63u);
  EXPECT_EQ(std::string(41, 'x') + "_", tmp.substr(0, 42));
}

TEST_F(StatementsTest, LockTimeout) {
  EXPECT_EQ("SET LOCAL lock_timeout = '5s';", SetLockTimeoutSql(5000));
  EXPECT_EQ("SET LOCAL lock_timeout = '1500ms';", SetLockTimeoutSql(1500));
  EXPECT_EQ("120s", FormatLockTimeout(120'000));
  EXPECT_EQ("SET LOCAL search_path = '';", SetLocalEmptySearchPathSql());
}

TEST_F(StatementsTest, Comments) {
  EXPECT_EQ("COMMENT ON SCHEMA \"db\".\"s\" IS 'it''s';",
            CommentOnSql(*mz_, ObjectKind::kSchema, "db", "s", "it's"));
  EXPECT_EQ("COMMENT ON SCHEMA \"s\" IS 'x';",
            CommentOnSql(*pg_, ObjectKind::kSchema, "db", "s", "x"));
  EXPECT_EQ("COMMENT ON CLUSTER \"c\" IS 'x';",
            CommentOnSql(*mz_, ObjectKind::kCluster, "", "c", "x"));
  EXPECT_EQ("bgplan deployment analytics run 42", MarkerText("analytics", "42"));
  EXPECT_EQ("Deployment by me on 2026-01-01 | Commit SHA: abc | bgplan 42",
            TagText("me", "2026-01-01", "abc", "42"));
  EXPECT_EQ("Deployment by me on t | bgplan 42", TagText("me", "t", "", "42"));
}

TEST_F(StatementsTest, Privileges) {
  EXPECT_EQ("GRANT USAGE ON SCHEMA \"db\".\"s_g\" TO \"reader\";",
            GrantSql(*mz_, ObjectKind::kSchema, "db", "s_g", "USAGE", Grantee{"reader", false}));
  EXPECT_EQ("REVOKE CREATE ON CLUSTER \"c_g\" FROM \"x\"\"y\";",
            RevokeSql(*mz_, ObjectKind::kCluster, "", "c_g", "CREATE", Grantee{"x\"y", false}));
  EXPECT_EQ("GRANT USAGE ON SCHEMA \"s_g\" TO PUBLIC;",
            GrantSql(*pg_, ObjectKind::kSchema, "", "s_g", "USAGE", Grantee{"", true}));
  EXPECT_EQ(
      "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"db\".\"s_g\" GRANT SELECT ON "
      "TABLES TO \"reader\";",
      AlterDefaultPrivilegesSql(*mz_, std::string("owner"), "db", "s_g", "SELECT", "TABLES",
                                Grantee{"reader", false}));
  EXPECT_EQ(
      "ALTER DEFAULT PRIVILEGES FOR ALL ROLES IN SCHEMA \"s_g\" GRANT USAGE ON TYPES TO PUBLIC;",
      AlterDefaultPrivilegesSql(*mz_, std::nullopt, "", "s_g", "USAGE", "TYPES",
                                Grantee{"", true}));
}

TEST_F(StatementsTest, IsSqlKeyword) {
  EXPECT_TRUE(IsSqlKeyword("USAGE"));
  EXPECT_TRUE(IsSqlKeyword("ALTER SYSTEM"));
  EXPECT_FALSE(IsSqlKeyword(""));
  EXPECT_FALSE(IsSqlKeyword("usage"));
  EXPECT_FALSE(IsSqlKeyword("USAGE;"));
  EXPECT_FALSE(IsSqlKeyword("USAGE  X"));
  EXPECT_FALSE(IsSqlKeyword(" USAGE"));
  EXPECT_FALSE(IsSqlKeyword("SELECT ON x TO y; DROP"));
}

TEST_F(StatementsTest, SinksAndViews) {
  EXPECT_EQ("ALTER SINK \"db\".\"s\".\"sink\" SET FROM \"db\".\"marts\".\"upstream\";",
            AlterSinkSetFromSql({"db", "s", "sink"}, {"db", "marts", "upstream"}));
  EXPECT_EQ("\"s\".\"v\"", QuoteRelation({"", "s", "v"}));
  EXPECT_EQ("CREATE OR REPLACE VIEW \"sinks\".\"v\" AS SELECT a\n   FROM marts.t;",
            CreateOrReplaceViewSql({"", "sinks", "v"}, " SELECT a\n   FROM marts.t;\n"));
  // The view's options are replayed (CREATE OR REPLACE VIEW resets the ones it does not name).
  EXPECT_EQ(
      "CREATE OR REPLACE VIEW \"sinks\".\"v\" WITH (security_invoker = 'true', check_option = "
      "'cascaded', \"Odd\"\"name\" = 'x') AS SELECT a;",
      CreateOrReplaceViewSql({"", "sinks", "v"}, "SELECT a;",
                             {"security_invoker=true", "check_option=cascaded", "Odd\"name=x"}));
}

TEST_F(StatementsTest, CommentSafe) {
  EXPECT_EQ("plain \"x\" 'y' ; ä", CommentSafe("plain \"x\" 'y' ; ä"));
  EXPECT_EQ("a\\nb\\rc\\x01d\\x7fe\\\\f", CommentSafe("a\nb\rc\x01"
                                                      "d\x7f"
                                                      "e\\f"));
}

}  // namespace
}  // namespace bgplan::sql
