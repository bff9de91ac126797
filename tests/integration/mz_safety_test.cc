// The object-level safety rules on the Materialize path (docs/safety.md) that need more than a
// crash: cleanup's identity check just before each drop, and a journal the role cannot use.
// Both lanes; no sinks (no Kafka needed).
#include <algorithm>
#include <string_view>

#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::RunOptions;

// Blue: schema `app` with a table, cluster C("app"); one deployment.
class MzSafety : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    Exec({"CREATE SCHEMA app", "CREATE CLUSTER " + C("app") + " (" + SizeOpt() + ")",
          "CREATE TABLE app.t (id int)"});
  }
  plans::Plan Plan() { return MzPlan("app", {"app"}, {C("app")}); }
  void BuildGreen() { Exec({"CREATE TABLE app_dbt_deploy.t (id int)"}); }
};

// Materialize has no transactional DDL: between cleanup's preflight and a DROP the name can
// change hands. The id under the name is read again just before each drop; a replaced object
// stops the phase (cleanup-id-mismatch, exit 3) and nothing more is dropped.
TEST_F(MzSafety, CleanupChecksTheIdJustBeforeEachDrop) {
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  BuildGreen();
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kPromote).ok()) << last_diagnostics_;
  auto inner = Connect();
  ASSERT_NE(inner, nullptr);
  CountingSession session(*inner);
  std::string foreign;
  session.before_query = [&](std::string_view sql) {
    // The identity check of the first drop (runtime/catalog ReadMzId), after the preflight:
    // someone replaces the schema under the green name right then.
    if (foreign.empty() &&
        sql.find("SELECT s.id FROM mz_schemas s JOIN mz_databases d ON d.id = s.database_id") ==
            0) {
      Exec({"DROP SCHEMA app_dbt_deploy CASCADE", "CREATE SCHEMA app_dbt_deploy",
            "CREATE TABLE app_dbt_deploy.precious (x int)"});
      foreign = SchemaId("app_dbt_deploy");
    }
  };
  RunOptions options;
  options.overrides.before_keep_blue = true;
  const std::string green_cluster = ClusterId(C("app_dbt_deploy"));
  Status st = RunPhase(Plan(), PhaseKind::kCleanup, options, nullptr, "", &session);
  ASSERT_FALSE(foreign.empty()) << "the identity check never ran";
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_TRUE(Has(last_kinds_, "cleanup-id-mismatch")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("was replaced since the phase was checked"), std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("app_dbt_deploy"), foreign);  // not ours: not dropped
  EXPECT_EQ(ClusterId(C("app_dbt_deploy")), green_cluster);  // nothing more dropped
}

// Materialize applies default privileges ON SCHEMAS and ON CLUSTERS to a new schema or cluster,
// so green can start with grants blue lacks. Init makes green's grants exactly blue's: the
// extra ones are revoked (the copy's REVOKE path), blue's own are kept.
TEST_F(MzSafety, InitRevokesGrantsDefaultPrivilegesGaveGreen) {
  const std::string reader = R("reader"), writer = R("writer");
  const std::string owner = Scalar(
      "SELECT r.name FROM mz_schemas s JOIN mz_roles r ON r.id = s.owner_id WHERE s.name = 'app'");
  Exec({"CREATE ROLE " + reader, "CREATE ROLE " + writer,
        "GRANT USAGE ON SCHEMA app TO " + writer, "GRANT USAGE ON CLUSTER " + C("app") + " TO " +
            writer,
        "ALTER DEFAULT PRIVILEGES FOR ROLE \"" + owner + "\" GRANT USAGE ON SCHEMAS TO " + reader,
        "ALTER DEFAULT PRIVILEGES FOR ROLE \"" + owner + "\" GRANT USAGE ON CLUSTERS TO " +
            reader});
  // The server applies them: a schema created now gets the reader's USAGE.
  Exec({"CREATE SCHEMA probe"});
  ASSERT_EQ(Scalar("SELECT count(*) FROM mz_internal.mz_show_schema_privileges WHERE name = "
                   "'probe' AND grantee = '" + reader + "'"),
            "1");
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  auto grantees = [&](const std::string& relation, const std::string& name) {
    return Column("SELECT DISTINCT grantee || ':' || privilege_type FROM mz_internal." + relation +
                  " WHERE name = '" + name + "' ORDER BY 1");
  };
  EXPECT_EQ(grantees("mz_show_schema_privileges", "app_dbt_deploy"),
            grantees("mz_show_schema_privileges", "app"));
  EXPECT_EQ(grantees("mz_show_cluster_privileges", C("app_dbt_deploy")),
            grantees("mz_show_cluster_privileges", C("app")));
  const auto schema = grantees("mz_show_schema_privileges", "app_dbt_deploy");
  EXPECT_EQ(std::count(schema.begin(), schema.end(), writer + ":USAGE"), 1);
  EXPECT_EQ(std::count(schema.begin(), schema.end(), reader + ":USAGE"), 0);
  Exec({"ALTER DEFAULT PRIVILEGES FOR ROLE \"" + owner + "\" REVOKE USAGE ON SCHEMAS FROM " +
            reader,
        "ALTER DEFAULT PRIVILEGES FOR ROLE \"" + owner + "\" REVOKE USAGE ON CLUSTERS FROM " +
            reader});
}

// A statement form newer than the server (issue 13): blue's autoscaling strategy, made on a
// v26.34+ server, cannot be cloned once the server runs v26.30. Init refuses at preflight
// (server-too-old, exit 3) with the release needed, and writes nothing.
TEST_F(MzSafety, AStatementNewerThanTheServerIsRefusedBeforeAnyWrite) {
  if (real_) {
    GTEST_SKIP() << "needs an emulated server version";
  }
  Exec({"ALTER CLUSTER " + C("app") +
        " SET (AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '50cc')))"});
  admin_.reset();
  mz_.Stop();
  mz_.set_mz_version("v26.30.0");  // the same catalog, served as an older release
  std::string error;
  ASSERT_TRUE(mz_.Start(pg_->Url(db_), &error)) << error;
  admin_ = Connect();
  ASSERT_NE(admin_, nullptr);
  Status st = RunPhase(Plan(), PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_EQ(last_kinds_, std::vector<std::string>{"server-too-old"}) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("AUTO SCALING STRATEGY, which needs Materialize v26.34.0 or "
                                   "later; the server runs v26.30.0"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("app_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(C("app_dbt_deploy")), "");
}

// A journal another role created, which this role may not read or write: journal-access names
// the GRANTs its owner runs (to this role, by name), before anything is written; exit 3.
TEST_F(MzSafety, AJournalTheRoleCannotUseIsReportedBeforeAnyWrite) {
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;  // makes the journal
  BuildGreen();
  const std::string deployer = R("deployer");
  Exec({"CREATE ROLE " + deployer, "GRANT CREATECLUSTER ON SYSTEM TO " + deployer,
        "GRANT CREATE, USAGE ON DATABASE \"" + db_ + "\" TO " + deployer,
        "ALTER SCHEMA app OWNER TO " + deployer, "ALTER SCHEMA app_dbt_deploy OWNER TO " + deployer,
        "ALTER CLUSTER " + C("app") + " OWNER TO " + deployer,
        "ALTER CLUSTER " + C("app_dbt_deploy") + " OWNER TO " + deployer});
  MZ_REQUIRE_LOGIN(deployer);
  const std::string blue = SchemaId("app");
  Status st = RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, deployer);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_EQ(last_kinds_, std::vector<std::string>{"journal-access"}) << last_diagnostics_;
  const std::string to = " TO \"" + deployer + "\"";
  EXPECT_NE(last_diagnostics_.find("GRANT USAGE ON SCHEMA \"bgplan\"" + to), std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("GRANT SELECT, INSERT, UPDATE ON TABLE \"bgplan\".runs" + to),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("GRANT SELECT, INSERT, DELETE ON TABLE \"bgplan\".run_objects" +
                                   to),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("app"), blue);
  // The owner runs only some of them: the rest are still named.
  Exec({"GRANT USAGE ON SCHEMA bgplan TO " + deployer,
        "GRANT SELECT, INSERT, UPDATE ON TABLE bgplan.runs TO " + deployer});
  st = RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, deployer);
  EXPECT_EQ(last_kinds_, std::vector<std::string>{"journal-access"}) << last_diagnostics_;
  EXPECT_EQ(last_diagnostics_.find("ON SCHEMA"), std::string::npos) << last_diagnostics_;
  EXPECT_EQ(last_diagnostics_.find(".runs "), std::string::npos) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find(".events"), std::string::npos) << last_diagnostics_;
  // All of them: the promote runs.
  Exec({"GRANT SELECT, INSERT, DELETE ON TABLE bgplan.run_objects TO " + deployer,
        "GRANT SELECT, INSERT ON TABLE bgplan.events TO " + deployer});
  st = RunPhase(Plan(), PhaseKind::kPromote, {}, nullptr, deployer);
  EXPECT_TRUE(st.ok()) << st.ToString() << last_diagnostics_;
  EXPECT_NE(SchemaId("app"), blue);
}

}  // namespace
}  // namespace bgplan::testing
