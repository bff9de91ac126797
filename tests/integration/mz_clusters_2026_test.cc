// Materialize as it is in 2026 (issue 13) on the Materialize path: green clusters as exact
// clones of blue (SHOW CREATE CLUSTER replayed), the plan's cluster settings, the green-only
// hydration burst, and readiness that follows resizes, impossible lag readings and blue's lag.
// Emulator lane only where a test needs an option a real deployment may not offer (availability
// zones, arrangement compression) or an emulator control.
#include <string>

#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;

// Blue: schema `app` with a table; each test makes the cluster C("app") it needs.
class MzClusters2026 : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    Exec({"CREATE SCHEMA app", "CREATE TABLE app.t (id int)"});
  }

  plans::Plan Plan() {
    plans::Plan plan = MzPlan("app", {"app"}, {C("app")});
    plan.deployments[0].await.poll_interval_ms = 100;
    plan.deployments[0].await.timeout_ms = 1500;
    return plan;
  }
  std::string Green() const { return C("app_dbt_deploy"); }

  // SHOW CREATE CLUSTER's create_sql, with the cluster's name replaced by `as`.
  std::string ShowCreate(const std::string& cluster, const std::string& as = "X") {
    Result<runtime::Rows> rows = admin_->Query("SHOW CREATE CLUSTER \"" + cluster + "\"");
    if (!rows.ok() || rows->size() != 1) {
      return "error: " + (rows.ok() ? std::string("no row") : rows.status().ToString());
    }
    std::string sql = (*rows)[0][1];
    const std::string named = "CREATE CLUSTER \"" + cluster + "\"";
    return sql.rfind(named, 0) == 0 ? "CREATE CLUSTER \"" + as + "\"" + sql.substr(named.size())
                                    : sql;
  }

  // The burst state of `cluster` ("none" without a strategy or a burst).
  std::string Burst(const std::string& cluster) {
    return Scalar("SELECT coalesce((SELECT s.state->'burst'->>'burst_size' FROM "
                  "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id = "
                  "s.cluster_id WHERE c.name = '" + cluster + "'), 'none')");
  }
  std::string Strategy(const std::string& cluster) {
    return Scalar("SELECT coalesce((SELECT s.strategy->'on_hydration'->>'hydration_size' FROM "
                  "mz_internal.mz_cluster_auto_scaling_strategies s JOIN mz_clusters c ON c.id = "
                  "s.cluster_id WHERE c.name = '" + cluster + "'), 'none')");
  }

  // Green's deploy: a materialized view on the green cluster.
  void BuildGreen() {
    Exec({"CREATE TABLE app_dbt_deploy.t (id int)",
          "CREATE MATERIALIZED VIEW app_dbt_deploy.mv IN CLUSTER \"" + Green() +
              "\" AS SELECT count(*) AS n FROM app_dbt_deploy.t"});
  }
};

// A blue with every option set is cloned option for option: SHOW CREATE CLUSTER of green is
// blue's with the name replaced (the cloner before issue 13 dropped availability zones,
// introspection and compression).
TEST_F(MzClusters2026, GreenIsAnExactCloneOfBlue) {
  MZ_EMULATOR_ONLY("availability zones and arrangement compression are deployment-specific");
  Exec({"CREATE CLUSTER \"" + C("app") +
        "\" (SIZE = '25cc', REPLICATION FACTOR = 2, AVAILABILITY ZONES = ('use1-az1', "
        "'use1-az2'), INTROSPECTION INTERVAL = '2s', INTROSPECTION DEBUGGING = true, "
        "EXPERIMENTAL ARRANGEMENT COMPRESSION = true, AUTO SCALING STRATEGY = (ON HYDRATION "
        "(HYDRATION SIZE = '50cc', LINGER DURATION = '5m')))"});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  const std::string blue = ShowCreate(C("app"));
  for (const char* option :
       {"AVAILABILITY ZONES = ('use1-az1', 'use1-az2')", "INTROSPECTION DEBUGGING = true",
        "INTROSPECTION INTERVAL = INTERVAL '00:00:02'", "EXPERIMENTAL ARRANGEMENT COMPRESSION = true",
        "REPLICATION FACTOR = 2", "HYDRATION SIZE = '50cc'"}) {
    EXPECT_NE(blue.find(option), std::string::npos) << option << " in " << blue;
  }
  EXPECT_EQ(ShowCreate(Green()), blue);
}

// The plan's settings replace single options; everything else stays blue's.
TEST_F(MzClusters2026, PlanSettingsReplaceSingleOptions) {
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() +
        ", INTROSPECTION INTERVAL = '2s', INTROSPECTION DEBUGGING = true)"});
  plans::Plan plan = Plan();
  plan.deployments[0].clusters[0].settings.size = Size2();
  plan.deployments[0].clusters[0].settings.introspection_debugging = false;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  std::string expected = ShowCreate(C("app"));
  auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = expected.find(from);
    ASSERT_NE(at, std::string::npos) << from << " in " << expected;
    expected.replace(at, from.size(), to);
  };
  replace("SIZE = '" + Size() + "'", "SIZE = '" + Size2() + "'");
  replace("INTROSPECTION DEBUGGING = true", "INTROSPECTION DEBUGGING = false");
  EXPECT_EQ(ShowCreate(Green()), expected);
}

// hydration_size gives green a burst replica while it hydrates; promote gives the cluster
// blue's own strategy (here none) before the swap, so production never keeps it.
TEST_F(MzClusters2026, HydrationBurstIsGreenOnlyAndEndsAtPromote) {
  MZ_EMULATOR_ONLY("hydration is driven by emulator controls");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")"});
  plans::Plan plan = Plan();
  plan.deployments[0].clusters[0].settings.hydration_size = "50cc";
  plan.deployments[0].clusters[0].settings.linger_ms = 60'000;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Strategy(Green()), "50cc");
  EXPECT_NE(ShowCreate(Green()).find("LINGER DURATION = '00:01:00'"), std::string::npos)
      << ShowCreate(Green());
  EXPECT_EQ(Strategy(C("app")), "none");
  BuildGreen();
  Exec({"SELECT mzemu_set_hydrated('" + Green() + "', false)"});
  EXPECT_EQ(Burst(Green()), "50cc");  // green hydrates with a burst replica
  EXPECT_EQ(Burst(C("app")), "none");
  Exec({"SELECT mzemu_clear_hydrated('" + Green() + "')"});
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kAwait).ok()) << last_diagnostics_;
  const std::string production = ClusterId(Green());
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote).ok()) << last_diagnostics_;
  ASSERT_EQ(ClusterId(C("app")), production);  // the swap happened
  EXPECT_EQ(Strategy(C("app")), "none");
  EXPECT_EQ(ShowCreate(C("app")).find("AUTO SCALING STRATEGY"), std::string::npos)
      << ShowCreate(C("app"));
  EXPECT_EQ(Strategy(Green()), "none");  // the old blue, as it was
}

// Blue's own strategy is what production keeps: promote gives it back to green.
TEST_F(MzClusters2026, PromoteGivesBackBluesOwnStrategy) {
  MZ_EMULATOR_ONLY("hydration is driven by emulator controls");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() +
        ", AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '100cc')))"});
  plans::Plan plan = Plan();
  plan.deployments[0].clusters[0].settings.hydration_size = "800cc";
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_EQ(Strategy(Green()), "800cc");
  BuildGreen();
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_EQ(Strategy(C("app")), "100cc");
  EXPECT_EQ(ShowCreate(C("app")), ShowCreate(Green()));  // production is blue's shape again
}

// A burst on an unmanaged blue cannot be honoured: refused at preflight, nothing written.
TEST_F(MzClusters2026, BurstOnAnUnmanagedBlueIsRefusedBeforeAnyWrite) {
  Exec({"CREATE CLUSTER \"" + C("app") + "\" REPLICAS (r1 (SIZE '" + Size() + "'))"});
  plans::Plan plan = Plan();
  plan.deployments[0].clusters[0].settings.hydration_size = "50cc";
  Status st = RunPhase(plan, PhaseKind::kInit);
  EXPECT_EQ(st.code(), StatusCode::kPrecondition) << st.ToString();
  EXPECT_EQ(last_kinds_, std::vector<std::string>{"cluster-settings-unsupported"})
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("app_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(Green()), "");
}

// v26.35+: a green being resized is not ready until the resize is done.
TEST_F(MzClusters2026, AReconfiguringGreenIsNotReady) {
  MZ_EMULATOR_ONLY("the resize is finished by an emulator control");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")"});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  Exec({"ALTER CLUSTER \"" + Green() + "\" SET (SIZE = '50cc')"});
  RecordingSink sink;
  Status st = RunPhase(Plan(), PhaseKind::kAwait, {}, &sink);
  EXPECT_EQ(st.code(), StatusCode::kTimeout) << st.ToString();
  EXPECT_NE(st.message().find(Green() + ": reconfiguring ("), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("resizing to 50cc"), std::string::npos) << st.message();
  Exec({"SELECT mzemu_finish_reconfiguration('" + Green() + "', 'finalized')"});
  EXPECT_TRUE(RunPhase(Plan(), PhaseKind::kAwait).ok()) << last_diagnostics_;
}

// A blue being resized is cloned at the size it moves to, with a warning.
TEST_F(MzClusters2026, ABlueBeingResizedIsClonedAtItsTargetSize) {
  MZ_EMULATOR_ONLY("the resize stays in progress only on the emulator");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")",
        "ALTER CLUSTER \"" + C("app") + "\" SET (SIZE = '50cc')"});
  ASSERT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = '" + C("app") + "'"), Size());
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  EXPECT_TRUE(Has(last_kinds_, "blue-reconfiguring")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("is being resized from '" + Size() + "' to '50cc'"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(Scalar("SELECT size FROM mz_clusters WHERE name = '" + Green() + "'"), "50cc");
}

// A lag reading longer than the environment has existed (v26.15's start-up artefact: about 56
// years) is unknown, not lag: the cluster waits, labelled lag-unknown, not lagging.
TEST_F(MzClusters2026, AnImpossibleLagReadingIsUnknownNotLag) {
  MZ_EMULATOR_ONLY("lag readings are set by an emulator control");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")"});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  BuildGreen();
  Exec({"SELECT mzemu_set_lag('app_dbt_deploy.mv', INTERVAL '56 years')"});
  Status st = RunPhase(Plan(), PhaseKind::kAwait);
  EXPECT_EQ(st.code(), StatusCode::kTimeout) << st.ToString();
  EXPECT_NE(st.message().find(Green() + ": lag-unknown ("), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("lag unknown for 1"), std::string::npos) << st.message();
  Exec({"SELECT mzemu_set_lag('app_dbt_deploy.mv', INTERVAL '0 seconds')"});
  EXPECT_TRUE(RunPhase(Plan(), PhaseKind::kAwait).ok()) << last_diagnostics_;
}

// compare_to_blue: a green object is judged against the lag of its blue namesake, so a
// deployment whose production always lags some minutes can still be promoted, and a green
// further behind than blue is still lagging.
TEST_F(MzClusters2026, CompareToBlueJudgesGreenAgainstBluesLag) {
  MZ_EMULATOR_ONLY("lag readings are set by an emulator control");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")",
        "CREATE MATERIALIZED VIEW app.mv IN CLUSTER \"" + C("app") +
            "\" AS SELECT count(*) AS n FROM app.t"});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  BuildGreen();
  Exec({"SELECT mzemu_backdate_history(INTERVAL '1 day')",
        "SELECT mzemu_set_lag('app.mv', INTERVAL '10 minutes')",
        "SELECT mzemu_set_lag('app_dbt_deploy.mv', INTERVAL '10 minutes')"});
  plans::Plan plan = Plan();
  Status st = RunPhase(plan, PhaseKind::kAwait);
  EXPECT_EQ(st.code(), StatusCode::kTimeout) << st.ToString();
  EXPECT_NE(st.message().find(Green() + ": lagging ("), std::string::npos) << st.message();
  plan.deployments[0].await.compare_to_blue = true;
  EXPECT_TRUE(RunPhase(plan, PhaseKind::kAwait).ok()) << last_diagnostics_;
  Exec({"SELECT mzemu_set_lag('app_dbt_deploy.mv', INTERVAL '20 minutes')"});
  st = RunPhase(plan, PhaseKind::kAwait);
  EXPECT_EQ(st.code(), StatusCode::kTimeout) << st.ToString();
  EXPECT_NE(st.message().find("1 judged against blue's lag"), std::string::npos) << st.message();
}

// The command line, against a server older than a statement the plan needs: `bgplan init` exits
// 3 at preflight (server-too-old, with the release needed) and creates nothing.
TEST_F(MzClusters2026, AnOldServerRefusesTheBurstAtPreflightWithExit3) {
  MZ_EMULATOR_ONLY("needs an emulated server version");
  Exec({"CREATE CLUSTER \"" + C("app") + "\" (" + SizeOpt() + ")"});
  admin_.reset();
  mz_.Stop();
  mz_.set_mz_version("v26.30.0");
  std::string error;
  ASSERT_TRUE(mz_.Start(pg_->Url(db_), &error)) << error;
  admin_ = Connect();
  ASSERT_NE(admin_, nullptr);
  const std::string file = WriteFile(
      "burst.bgplan", "target materialize;\ndeployment app {\n  schemas app;\n  clusters \"" +
                          C("app") + "\";\n  cluster \"" + C("app") +
                          "\" { hydration_size '50cc'; linger 2m; }\n}\n");
  ProcResult r = Run({"init", file, "--url", Url()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("server-too-old"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("needs Materialize v26.34.0 or later; the server runs v26.30.0"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(SchemaId("app_dbt_deploy"), "");
  EXPECT_EQ(ClusterId(Green()), "");
}

}  // namespace
}  // namespace bgplan::testing
