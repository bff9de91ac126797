// Validation of green before the cut-over on PostgreSQL (issue 11, docs/validation.md): the
// always-on incompatible-upstream rule, and the user's checks of a `validate` block, both
// refusing before the swap with everything reported at once.
#include "runtime/execute/executor.h"
#include "tests/integration/runtime_fixture.h"

namespace bgplan::testing {
namespace {

using plans::PhaseKind;
using runtime::Executor;
using runtime::RunOptions;

// The kinds of the errors `sink` received (warnings such as state-not-carried left out).
std::vector<std::string> Errors(const RecordingSink& sink) {
  std::vector<std::string> kinds;
  for (const Diagnostic& d : sink.diagnostics) {
    if (d.severity == Severity::kError) {
      kinds.emplace_back(DiagKindName(d.kind));
    }
  }
  return kinds;
}

class ValidationPg : public PgTest {
 protected:
  // Production: marts.totals (id, total numeric) with 10 rows, read by the sinks view rep.s.
  void SetUp() override {
    PgTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    Exec("CREATE SCHEMA marts; CREATE TABLE marts.totals (id int, total numeric); "
         "INSERT INTO marts.totals SELECT g, g * 10 FROM generate_series(1, 10) g; "
         "CREATE SCHEMA rep; CREATE VIEW rep.s AS SELECT id, total FROM marts.totals;");
    plan_ = PgPlan("shop", {"marts"}, {"rep"});
  }
  // `phase` in process (Validate() for kAwait, which stands for `bgplan validate` here).
  Status Run(PhaseKind phase, RecordingSink* sink, bool validate_only = false) {
    auto session = Connect();
    if (session == nullptr) {
      return Status::Internal("no session");
    }
    plans::Plan compiled = Compiled(plan_);
    Executor ex(*session, compiled, {}, RunOptions{}, *sink);
    if (validate_only) {
      return ex.Validate();
    }
    Status st = ex.Lock();
    return st.ok() ? ex.RunPhase(phase) : st;
  }
  plans::Plan plan_;
};

// The scenario: green renames the column a sinks view reads. plan, validate and promote
// refuse with incompatible-upstream naming the view and the column; nothing is swapped. A new
// column is fine; a retyped one is not.
TEST_F(ValidationPg, IncompatibleUpstreamIsRefusedBeforeTheSwap) {
  RecordingSink init;
  Status initialized = Run(PhaseKind::kInit, &init);
  ASSERT_TRUE(initialized.ok()) << initialized.ToString() << init.AllDiagnostics();
  Exec("CREATE TABLE marts_dbt_deploy.totals (id bigint, amount numeric, extra text)");
  const std::string blue = Oid("marts");
  {  // `plan --phase promote` says it first, read-only.
    auto session = Connect();
    ASSERT_NE(session, nullptr);
    RecordingSink sink;
    plans::Plan compiled = Compiled(plan_);
    Executor ex(*session, compiled, {}, RunOptions{}, sink);
    bool changes = false;
    EXPECT_EQ(ex.PrintPlan({PhaseKind::kPromote}, &changes, nullptr, nullptr).code(),
              StatusCode::kPrecondition);
    EXPECT_EQ(Errors(sink), std::vector<std::string>{"incompatible-upstream"});
  }
  for (bool validate_only : {true, false}) {
    RecordingSink sink;
    EXPECT_EQ(Run(PhaseKind::kPromote, &sink, validate_only).code(), StatusCode::kPrecondition);
    EXPECT_EQ(Errors(sink), std::vector<std::string>{"incompatible-upstream"})
        << sink.AllDiagnostics();
    const std::string text = sink.AllDiagnostics();
    EXPECT_NE(text.find("view rep.s reads marts.totals.total (numeric), which "
                        "marts_dbt_deploy.totals lacks (removed or renamed)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("view rep.s reads marts.totals.id (integer), which "
                        "marts_dbt_deploy.totals has as bigint"),
              std::string::npos)
        << text;
    for (const Diagnostic& d : sink.diagnostics) {
      if (d.kind == DiagKind::kIncompatibleUpstream) {
        EXPECT_EQ(d.objects.size(), 2u);  // one per column
      }
    }
    EXPECT_EQ(Oid("marts"), blue);
  }
  // Green provides the columns with their types (and keeps a new one): promote runs.
  Exec("DROP TABLE marts_dbt_deploy.totals; CREATE TABLE marts_dbt_deploy.totals (id int, "
       "total numeric, extra text); INSERT INTO marts_dbt_deploy.totals SELECT g, g FROM "
       "generate_series(1, 10) g");
  RecordingSink ok;
  EXPECT_TRUE(Run(PhaseKind::kPromote, &ok).ok()) << ok.AllDiagnostics();
  EXPECT_NE(Oid("marts"), blue);
  EXPECT_EQ(Scalar("SELECT sum(total) FROM rep.s"), "55");  // the view reads green now
}

// The user's checks: every failing check is reported at once with its name, query and what it
// returned (a query error included), before anything is swapped; `bgplan validate` says the same.
TEST_F(ValidationPg, ValidateBlockChecksGreenBeforeTheSwap) {
  plans::ValidateSettings& v = plan_.deployments[0].validate;
  v.asserts = {{"no_negative", "SELECT count(*) = 0 FROM {marts}.totals WHERE total < 0", {}, {}},
               {"broken", "SELECT nope FROM {marts}.totals", {}, {}},
               {"two_columns", "SELECT true, true", {}, {}}};
  v.row_count_change_pct = 10;
  RecordingSink init;
  Status initialized = Run(PhaseKind::kInit, &init);
  ASSERT_TRUE(initialized.ok()) << initialized.ToString() << init.AllDiagnostics();
  Exec("CREATE TABLE marts_dbt_deploy.totals (id int, total numeric); "
       "INSERT INTO marts_dbt_deploy.totals SELECT g, -g FROM generate_series(1, 5) g");
  const std::string blue = Oid("marts");
  for (bool validate_only : {true, false}) {
    RecordingSink sink;
    EXPECT_EQ(Run(PhaseKind::kPromote, &sink, validate_only).code(), StatusCode::kPrecondition);
    EXPECT_EQ(Errors(sink), std::vector<std::string>(4, "validation-failed"))
        << sink.AllDiagnostics();
    const std::string text = sink.AllDiagnostics();
    EXPECT_NE(text.find("check no_negative failed: it did not return true (returned: f); query: "
                        "SELECT count(*) = 0 FROM \"marts_dbt_deploy\".totals WHERE total < 0"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("check broken failed: the query failed (returned: "), std::string::npos)
        << text;
    EXPECT_NE(text.find("nope"), std::string::npos) << text;
    EXPECT_NE(text.find("check two_columns failed: an assert must return exactly one column"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("check row_count_change marts_dbt_deploy.totals failed: green's row "
                        "count differs from blue's by more than 10% (returned: blue 10 rows, "
                        "green 5 rows)"),
              std::string::npos)
        << text;
    EXPECT_EQ(Oid("marts"), blue);
  }
  // Fixed green, and checks that pass: promote runs them and swaps.
  v.asserts.erase(v.asserts.begin() + 1, v.asserts.end());
  Exec("TRUNCATE marts_dbt_deploy.totals; INSERT INTO marts_dbt_deploy.totals SELECT g, g FROM "
       "generate_series(1, 11) g");  // 10% more rows: within the limit
  RecordingSink ok;
  EXPECT_TRUE(Run(PhaseKind::kPromote, &ok).ok()) << ok.AllDiagnostics();
  EXPECT_NE(Oid("marts"), blue);
  int passed = 0;
  for (const runtime::Event& e : ok.events) {
    if (e.type == "validation" && e.fields.at("state") == "passed") {
      ++passed;
    }
  }
  EXPECT_EQ(passed, 2);  // the assert and the one relation's row count
}

}  // namespace
}  // namespace bgplan::testing
