// Validation of green before the cut-over on Materialize (issue 11, docs/validation.md): a sink
// whose upstream's green counterpart drops or retypes a column is refused before the swap
// (incompatible-upstream: ALTER SINK ... SET FROM runs after it and would fail or hang,
// MaterializeInc/materialize#28726); the user's checks of a `validate` block run against green.
#include "runtime/execute/executor.h"
#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::RunOptions;

class MzValidation : public MzTest {
 protected:
  void SetUp() override {
    MzTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    Exec({"CREATE SCHEMA prod", "CREATE CLUSTER " + C("prod") + " (" + SizeOpt() + ")",
          "CREATE TABLE prod.t (id int)", "INSERT INTO prod.t SELECT generate_series(1, 10)"});
  }
  plans::Plan Plan() { return MzPlan("prod", {"prod"}, {C("prod")}, {"sinks"}); }
  // `bgplan validate` in process.
  Status Validate(const plans::Plan& plan) {
    auto session = Connect();
    if (session == nullptr) {
      return Status::Internal("no session");
    }
    RecordingSink sink;
    plans::Plan compiled = Compiled(plan);
    runtime::Executor ex(*session, compiled, {}, RunOptions{}, sink);
    Status st = ex.Validate();
    last_diagnostics_ = sink.AllDiagnostics();
    last_kinds_ = sink.Kinds();
    return st;
  }
};

TEST_F(MzValidation, ASinkWhoseUpstreamLosesOrRetypesAColumnIsRefusedBeforeTheSwap) {
  MZ_REQUIRE_KAFKA();
  Exec({KafkaConnection("kafka"), "CREATE SCHEMA sinks",
        "CREATE CLUSTER " + C("sinks") + " (" + SizeOpt() + ")",
        "CREATE MATERIALIZED VIEW prod.a IN CLUSTER " + C("prod") +
            " AS SELECT 1::int AS x, 'a'::text AS y",
        "CREATE SINK sinks.sa IN CLUSTER " + C("sinks") +
            " FROM prod.a INTO KAFKA CONNECTION kafka (TOPIC '" + prefix_ +
            "sa') FORMAT JSON ENVELOPE DEBEZIUM"});
  ASSERT_TRUE(RunPhase(Plan(), PhaseKind::kInit).ok()) << last_diagnostics_;
  Exec({"CREATE TABLE prod_dbt_deploy.t (id int)",
        "INSERT INTO prod_dbt_deploy.t SELECT generate_series(1, 10)",
        "CREATE MATERIALIZED VIEW prod_dbt_deploy.a IN CLUSTER " + C("prod_dbt_deploy") +
            " AS SELECT 1::bigint AS x"});
  const std::string blue = SchemaId("prod");
  EXPECT_EQ(Validate(Plan()).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "incompatible-upstream")) << last_diagnostics_;
  EXPECT_EQ(RunPhase(Plan(), PhaseKind::kPromote).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "incompatible-upstream")) << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find("sinks.sa reads " + db_ +
                                   ".prod.a.x (integer), which " + db_ +
                                   ".prod_dbt_deploy.a has as bigint"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_NE(last_diagnostics_.find(".prod.a.y (text), which " + db_ +
                                   ".prod_dbt_deploy.a lacks (removed or renamed)"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(SchemaId("prod"), blue);
  // The same columns and a new one: promote swaps and re-points the sink.
  Exec({"DROP MATERIALIZED VIEW prod_dbt_deploy.a",
        "CREATE MATERIALIZED VIEW prod_dbt_deploy.a IN CLUSTER " + C("prod_dbt_deploy") +
            " AS SELECT 2::int AS x, 'b'::text AS y, 3::int AS z"});
  EXPECT_TRUE(RunPhase(Plan(), PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_NE(SchemaId("prod"), blue);
}

TEST_F(MzValidation, ValidateBlockChecksGreenBeforeTheSwap) {
  plans::Plan plan = MzPlan("prod", {"prod"}, {C("prod")});
  plan.deployments[0].validate.asserts = {
      {"five_rows", "SELECT count(*) = 5 FROM {prod}.t", {}, {}}};
  plan.deployments[0].validate.row_count_change_pct = 10;
  ASSERT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
  Exec({"CREATE TABLE prod_dbt_deploy.t (id int)",
        "INSERT INTO prod_dbt_deploy.t SELECT generate_series(1, 5)"});
  const std::string blue = SchemaId("prod");
  EXPECT_EQ(Validate(plan).code(), StatusCode::kPrecondition);
  EXPECT_TRUE(Has(last_kinds_, "validation-failed")) << last_diagnostics_;
  EXPECT_EQ(std::count(last_kinds_.begin(), last_kinds_.end(), "validation-failed"), 1)
      << last_diagnostics_;  // the assert passes (five rows in green)
  EXPECT_NE(last_diagnostics_.find("check row_count_change " + db_ +
                                   ".prod_dbt_deploy.t failed: green's row count differs from "
                                   "blue's by more than 10% (returned: blue 10 rows, green 5 "
                                   "rows)"),
            std::string::npos)
      << last_diagnostics_;
  EXPECT_EQ(RunPhase(plan, PhaseKind::kPromote).code(), StatusCode::kPrecondition);
  EXPECT_EQ(SchemaId("prod"), blue);
  // Within 10% and the assert adjusted: promote runs both checks and swaps.
  Exec({"INSERT INTO prod_dbt_deploy.t SELECT generate_series(6, 10)"});
  plan.deployments[0].validate.asserts[0].sql = "SELECT count(*) = 10 FROM {prod}.t";
  EXPECT_TRUE(RunPhase(plan, PhaseKind::kPromote).ok()) << last_diagnostics_;
  EXPECT_NE(SchemaId("prod"), blue);
}

}  // namespace
}  // namespace bgplan::testing
