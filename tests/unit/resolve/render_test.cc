#include "resolve/render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "resolve/text.h"
#include "tests/unit/resolve/plan_fixtures.h"
#include "tests/unit/resolve/sql_lexer.h"

namespace bgplan::resolve {

using namespace ::bgplan::sql;  // NOLINT(google-build-using-namespace)
namespace {

using testing::ExpectOnlyQuotedNames;
using ::testing::HasSubstr;
using testing::MakeDeployment;
using testing::MakePlan;
using ::testing::Not;

std::string Emit(const plans::Plan& plan, std::optional<plans::PhaseKind> phase = std::nullopt) {
  return RenderCompile(plan, phase);
}

plans::Plan AnalyticsPlan() {
  plans::Deployment d = MakeDeployment("analytics", {"marts", "staging"}, {"compute", "serving"});
  d.clusters[0].settings.size = "200cc";
  d.clusters[0].settings.replication_factor = 2;
  d.sink_schemas.push_back({"", "sink_schema", {}});
  d.sink_clusters.push_back({"sink_cluster", {}});
  d.await.timeout_ms = 2 * 3'600'000;
  return MakePlan(plans::Target::kMaterialize, {d});
}

// The journal's promoted event: counted nouns, no "0 cluster(s)" on PostgreSQL.
TEST(RenderTextTest, SwappedText) {
  EXPECT_EQ(SwappedText(1, 0), "1 schema");
  EXPECT_EQ(SwappedText(2, 1), "2 schemas and 1 cluster");
  EXPECT_EQ(SwappedText(0, 3), "3 clusters");
  EXPECT_EQ(SwappedText(0, 0), "0 schemas");
}

TEST(RenderCompileTest, MaterializePromoteSwapIsOneTransaction) {
  const std::string sql = Emit(AnalyticsPlan(), plans::PhaseKind::kPromote);
  EXPECT_THAT(sql, HasSubstr("\nBEGIN;\n"
                             "ALTER SCHEMA \"marts\" SWAP WITH \"marts_dbt_deploy\";\n"
                             "ALTER SCHEMA \"staging\" SWAP WITH \"staging_dbt_deploy\";\n"
                             "ALTER CLUSTER \"compute\" SWAP WITH \"compute_dbt_deploy\";\n"
                             "ALTER CLUSTER \"serving\" SWAP WITH \"serving_dbt_deploy\";\n"
                             "COMMIT;\n"));
  EXPECT_THAT(sql, HasSubstr("-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, "
                             "at most max_retries 3 retries"));
  EXPECT_THAT(sql, HasSubstr("--   COMMENT ON SCHEMA \"marts\" IS 'Deployment by <user> on <time> "
                             "| Commit SHA: <sha> | bgplan <run-id>';\n"));
  EXPECT_THAT(sql, HasSubstr("mz_internal.mz_object_dependencies joined to mz_sinks"));
  EXPECT_THAT(sql, HasSubstr("--   ALTER SINK \"<db>\".\"<sink schema>\".\"<sink>\" SET FROM "
                             "\"<db>\".\"marts\".\"<upstream>\";\n"));
  EXPECT_THAT(sql, HasSubstr("-- phase promote: deployment \"analytics\": "));
  EXPECT_THAT(sql, Not(HasSubstr("phase init")));
  EXPECT_EQ(1u, sql.find("bgplan compile") == std::string::npos ? 0u : 1u);
}

TEST(RenderCompileTest, MaterializeInit) {
  const std::string sql = Emit(AnalyticsPlan(), plans::PhaseKind::kInit);
  EXPECT_THAT(sql, HasSubstr("\nCREATE SCHEMA \"marts_dbt_deploy\";\n"));
  // Both clusters are exact clones of blue, read at apply time; compute's override is named.
  EXPECT_THAT(sql, HasSubstr("-- resolved at apply time: create green cluster "
                             "\"compute_dbt_deploy\" as an exact clone of blue \"compute\":"));
  EXPECT_THAT(sql, HasSubstr("--   set by the plan: SIZE = '200cc', REPLICATION FACTOR = 2;\n"));
  EXPECT_THAT(sql, HasSubstr("-- resolved at apply time: create green cluster "
                             "\"serving_dbt_deploy\" as an exact clone of blue \"serving\":"));
  EXPECT_THAT(sql, HasSubstr("replay SHOW CREATE CLUSTER \"serving\" under the name "
                             "\"serving_dbt_deploy\""));
  EXPECT_THAT(sql, HasSubstr("mz_internal.mz_cluster_schedules"));
  EXPECT_THAT(sql, HasSubstr("REPLICAS (\"<replica>\""));
  EXPECT_THAT(sql, HasSubstr("mz_internal.mz_show_default_privileges"));
  EXPECT_THAT(sql, HasSubstr("mz_internal.mz_aclexplode(mz_schemas.privileges)"));
  EXPECT_THAT(sql, HasSubstr("grantees none, mz_system, mz_support and the current role"));
  EXPECT_THAT(sql, HasSubstr("-- check (read-only): blue-missing: the blue schemas \"marts\", "
                             "\"staging\" and clusters \"compute\", \"serving\" exist\n"));
  EXPECT_THAT(sql, HasSubstr("--   COMMENT ON SCHEMA \"marts_dbt_deploy\" IS 'bgplan deployment "
                             "analytics run <run-id>';\n"));
  EXPECT_THAT(sql, Not(HasSubstr("BEGIN;")));
}

TEST(RenderCompileTest, PartialClusterOverrideNamesWhatIsFixed) {
  plans::Plan plan = AnalyticsPlan();
  plan.deployments[0].clusters[1].settings.size = "50cc";
  std::string sql = Emit(plan, plans::PhaseKind::kInit);
  EXPECT_THAT(sql, HasSubstr("--   set by the plan: SIZE = '50cc';\n"));
  plan.deployments[0].clusters[1].settings.size.reset();
  plan.deployments[0].clusters[1].settings.replication_factor = 0;
  plan.deployments[0].clusters[1].settings.hydration_size = "400cc";
  plan.deployments[0].clusters[1].settings.linger_ms = 90'000;
  sql = Emit(plan, plans::PhaseKind::kInit);
  EXPECT_THAT(sql, HasSubstr("--   set by the plan: REPLICATION FACTOR = 0, AUTO SCALING STRATEGY = "
                             "(ON HYDRATION (HYDRATION SIZE = '400cc', LINGER DURATION = "
                             "'90s'));\n"));
  EXPECT_THAT(sql, HasSubstr("--   green only: a hydration burst replica of size '400cc'"));
}

TEST(RenderCompileTest, MaterializeAwaitNamesSettings) {
  const std::string sql = Emit(AnalyticsPlan(), plans::PhaseKind::kAwait);
  EXPECT_THAT(sql, HasSubstr("one query per poll over all green clusters"));
  EXPECT_THAT(sql, HasSubstr("--   deployment \"analytics\": clusters \"compute_dbt_deploy\", "
                             "\"serving_dbt_deploy\"; poll_interval 15s, lag_threshold 1s, "
                             "timeout 2h, stable_for 0s\n"));
}

TEST(RenderCompileTest, ConsecutiveAwaitStepsAreOnePoll) {
  plans::Deployment a = MakeDeployment("a", {"s"}, {"ca"});
  plans::Deployment b = MakeDeployment("b", {"t"}, {});
  b.await.poll_interval_ms = 500;
  plans::Plan plan = MakePlan(plans::Target::kMaterialize, {a, b});
  plans::Phase& await = plan.phases[1];
  await.batches = {testing::MakeBatch(
      plans::Batch::Mode::kEach,
      {testing::MakeStep(plans::StepKind::kAwaitReady, testing::Objects({a}, true, true)),
       testing::MakeStep(plans::StepKind::kAwaitReady, testing::Objects({b}, true, true))})};
  const std::string sql = Emit(plan, plans::PhaseKind::kAwait);
  EXPECT_EQ(sql.find("poll readiness"), sql.rfind("poll readiness"));
  EXPECT_THAT(sql,
              HasSubstr("--   deployment \"a\": cluster \"ca_dbt_deploy\"; poll_interval 15s"));
  EXPECT_THAT(sql, HasSubstr("--   deployment \"b\": no green clusters: ready at once; "
                             "poll_interval 500ms"));
}

TEST(RenderCompileTest, MaterializeRollbackAndCleanup) {
  const std::string rollback = Emit(AnalyticsPlan(), plans::PhaseKind::kRollback);
  EXPECT_THAT(rollback, HasSubstr("-- swap back in one atomic round trip"));
  EXPECT_THAT(rollback, HasSubstr("BEGIN;\nALTER SCHEMA \"marts\" SWAP WITH "
                                  "\"marts_dbt_deploy\";\n"));
  EXPECT_THAT(rollback, HasSubstr("point sinks back"));
  const std::string cleanup = Emit(AnalyticsPlan(), plans::PhaseKind::kCleanup);
  // Materialize: each drop preceded by its identity check (no transactional DDL).
  const std::string check =
      "-- resolved at apply time: just before the drop, the %s still has the id the journal "
      "recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)\n";
  auto checked = [&](const std::string& what, const std::string& drop) {
    std::string line = check;
    line.replace(line.find("%s"), 2, what);
    return line + drop + "\n";
  };
  EXPECT_THAT(cleanup,
              HasSubstr(checked("schema \"marts_dbt_deploy\"",
                                "DROP SCHEMA IF EXISTS \"marts_dbt_deploy\" CASCADE;") +
                        checked("schema \"staging_dbt_deploy\"",
                                "DROP SCHEMA IF EXISTS \"staging_dbt_deploy\" CASCADE;") +
                        checked("cluster \"compute_dbt_deploy\"",
                                "DROP CLUSTER IF EXISTS \"compute_dbt_deploy\" CASCADE;") +
                        checked("cluster \"serving_dbt_deploy\"",
                                "DROP CLUSTER IF EXISTS \"serving_dbt_deploy\" CASCADE;")));
}

TEST(RenderCompileTest, DatabaseQualifiedSchemas) {
  const plans::Plan plan =
      MakePlan(plans::Target::kMaterialize, {MakeDeployment("d", {"marts"}, {}, "analytics")});
  const std::string sql = Emit(plan);
  EXPECT_THAT(sql, HasSubstr("\nCREATE SCHEMA \"analytics\".\"marts_dbt_deploy\";\n"));
  EXPECT_THAT(sql, HasSubstr("\nALTER SCHEMA \"analytics\".\"marts\" SWAP WITH "
                             "\"marts_dbt_deploy\";\n"));
  EXPECT_THAT(sql, HasSubstr("\nDROP SCHEMA IF EXISTS \"analytics\".\"marts_dbt_deploy\" "
                             "CASCADE;\n"));
  EXPECT_THAT(sql, HasSubstr("database = 'analytics' and schema = 'marts'"));
  EXPECT_THAT(sql, HasSubstr("SET FROM \"analytics\".\"marts\".\"<upstream>\";"));
}

TEST(RenderCompileTest, MultipleDeploymentsShareOneSwapTransaction) {
  plans::Deployment a = MakeDeployment("a", {"a1"}, {"ca"});
  plans::Deployment b = MakeDeployment("b", {"b1"}, {"cb"});
  a.promote.max_retries = 1;
  b.promote.max_retries = 7;
  b.promote.retry_backoff_ms = 2500;
  const plans::Plan plan = MakePlan(plans::Target::kMaterialize, {a, b});
  const std::string sql = Emit(plan, plans::PhaseKind::kPromote);
  EXPECT_THAT(sql, HasSubstr("BEGIN;\n"
                             "ALTER SCHEMA \"a1\" SWAP WITH \"a1_dbt_deploy\";\n"
                             "ALTER SCHEMA \"b1\" SWAP WITH \"b1_dbt_deploy\";\n"
                             "ALTER CLUSTER \"ca\" SWAP WITH \"ca_dbt_deploy\";\n"
                             "ALTER CLUSTER \"cb\" SWAP WITH \"cb_dbt_deploy\";\n"
                             "COMMIT;\n"));
  EXPECT_EQ(sql.find("BEGIN;"), sql.rfind("BEGIN;"));
  EXPECT_THAT(sql, HasSubstr("-- phase promote: deployments \"a\", \"b\":"));
  EXPECT_THAT(sql, HasSubstr("sleep retry_backoff 2s500ms, retry, at most max_retries 7"));
}

TEST(RenderCompileTest, CombinedPromoteSettingsLargestRetriesSmallestLockTimeout) {
  plans::Deployment a = MakeDeployment("a", {"a1"}, {});
  plans::Deployment b = MakeDeployment("b", {"b1"}, {});
  a.promote.lock_timeout_ms = 2000;
  b.promote.max_retries = 9;
  b.promote.wait = true;
  const plans::Plan plan = MakePlan(plans::Target::kPostgres, {a, b});
  const plans::Step& swap = plan.FindPhase(plans::PhaseKind::kPromote)->batches[1].steps[0];
  ASSERT_EQ(plans::StepKind::kSwap, swap.kind);
  const plans::PromoteSettings s = CombinePromote(DeploymentIndex(plan).Of(swap));
  EXPECT_EQ(2000, s.lock_timeout_ms);
  EXPECT_TRUE(s.wait);
  EXPECT_EQ(9, s.max_retries);
  EXPECT_THAT(Emit(plan, plans::PhaseKind::kPromote),
              HasSubstr("BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET LOCAL search_path = '';\n"));
}

TEST(RenderCompileTest, PostgresPhases) {
  plans::Deployment d = MakeDeployment("app", {"marts"}, {});
  d.sink_schemas.push_back({"", "sinks", {}});
  d.promote.lock_timeout_ms = 1500;
  const plans::Plan plan = MakePlan(plans::Target::kPostgres, {d});
  const std::string init = Emit(plan, plans::PhaseKind::kInit);
  EXPECT_THAT(init, HasSubstr("\nBEGIN;\nCREATE SCHEMA \"marts_dbt_deploy\";\n"));
  EXPECT_THAT(init, HasSubstr("aclexplode(pg_namespace.nspacl)"));
  EXPECT_THAT(init, HasSubstr("pg_default_acl"));
  EXPECT_THAT(init, HasSubstr("\nCOMMIT;\n"));
  const std::string promote = Emit(plan, plans::PhaseKind::kPromote);
  EXPECT_THAT(promote,
              HasSubstr("BEGIN;\n"
                        "SET LOCAL lock_timeout = '1500ms';\n"
                        "SET LOCAL search_path = '';\n"
                        "-- resolved at apply time: the views in sinks schema \"sinks\" that "
                        "depend on the blue schema \"marts\" (pg_depend, pg_rewrite), their "
                        "definitions (pg_get_viewdef(oid), under the empty search_path, so every "
                        "name is schema-qualified) and options (pg_class.reloptions) are read "
                        "before this transaction, each read waiting at most lock_timeout;\n"
                        "--   here, before renaming, they are read again: if one changed, SQLSTATE "
                        "40001 is raised and the transaction retried\n"
                        "-- exchange \"marts\" and \"marts_dbt_deploy\" through "
                        "\"marts_bgplan_swap\"\n"
                        "ALTER SCHEMA \"marts\" RENAME TO \"marts_bgplan_swap\";\n"
                        "ALTER SCHEMA \"marts_dbt_deploy\" RENAME TO \"marts\";\n"
                        "ALTER SCHEMA \"marts_bgplan_swap\" RENAME TO \"marts_dbt_deploy\";\n"
                        "-- resolved at apply time: re-create each captured view"));
  EXPECT_THAT(promote, HasSubstr("CREATE OR REPLACE VIEW \"<sinks schema>\".\"<view>\" [WITH "
                                 "(<option> = '<value>', ...)] AS <definition>;"));
  EXPECT_THAT(promote, HasSubstr("On SQLSTATE 40001, 40P01 or 55P03 only"));
  const std::string await = Emit(plan, plans::PhaseKind::kAwait);
  EXPECT_THAT(await, HasSubstr("pg_matviews.ispopulated"));
  const std::string cleanup = Emit(plan, plans::PhaseKind::kCleanup);
  // Each DROP SCHEMA is preceded, in its transaction, by the identity guard of
  // cleanup-id-mismatch (resolved at apply time: the recorded id comes from the journal).
  EXPECT_THAT(cleanup, HasSubstr("BEGIN;\n"
                                 "-- resolved at apply time: in this transaction, the schema "
                                 "\"marts_dbt_deploy\" still has the id the journal recorded for "
                                 "it (else SQLSTATE 40001: read again, and cleanup-id-mismatch "
                                 "refuses)\n"
                                 "DROP SCHEMA IF EXISTS \"marts_dbt_deploy\" CASCADE;\n"));
  // Each cleanup override names its own flag.
  EXPECT_THAT(cleanup, HasSubstr("(pg_depend) (unless --drop-dependents)\n"));
  EXPECT_THAT(cleanup, HasSubstr("keep_blue 0s (unless --before-keep-blue)\n"));
  EXPECT_THAT(cleanup, Not(HasSubstr("--force")));
  EXPECT_THAT(Emit(plan), Not(HasSubstr("CLUSTER")));
}

TEST(RenderCompileTest, PostgresNamesTheDatabaseInsteadOfQualifying) {
  const plans::Plan plan =
      MakePlan(plans::Target::kPostgres, {MakeDeployment("app", {"marts"}, {}, "shop")});
  const std::string sql = Emit(plan, plans::PhaseKind::kInit);
  EXPECT_THAT(sql, HasSubstr("-- deployment \"app\" works in database \"shop\": the connection "
                             "must be to that database\n"));
  EXPECT_THAT(sql, HasSubstr("\nCREATE SCHEMA \"marts_dbt_deploy\";\n"));
}

TEST(RenderCompileTest, OddNamesAreAlwaysQuotedAndNeverEndAComment) {
  const std::vector<std::string> odd = {"we\"ird; DROP TABLE x", "it's", "a b", "Märts_ü", "select",
                                        "x\nDROP SCHEMA y;--",   "semi;"};
  for (plans::Target target : {plans::Target::kMaterialize, plans::Target::kPostgres}) {
    const bool mz = target == plans::Target::kMaterialize;
    plans::Deployment d =
        MakeDeployment("dep\nDROP TABLE z; '\"", odd, mz ? odd : std::vector<std::string>{},
                       mz ? "d\"b'; x" : "", "_g\"';\n");
    d.sink_schemas.push_back({"", "sink\n\"';", {}});
    if (mz) {
      d.clusters[0].settings.size = "x'); DROP CLUSTER y; --";
      d.clusters[0].settings.replication_factor = 1;
    }
    const plans::Plan plan = MakePlan(target, {d});
    const std::string sql = Emit(plan);
    std::set<std::string> names = {d.database};
    auto dialect = MakeDialect(target);
    for (const std::string& n : odd) {
      names.insert(n);
      names.insert(n + d.suffix);
      names.insert(SwapTempName(n, *dialect));
    }
    ExpectOnlyQuotedNames(sql, names);
    // A newline in a name inside a comment would turn the rest of the name into code, which the
    // lexer above would report as unexpected words: comments always escape it.
    EXPECT_THAT(sql, HasSubstr("\"x\\nDROP SCHEMA y;--\""));
    EXPECT_THAT(sql, HasSubstr("CREATE SCHEMA " + std::string(mz ? "\"d\"\"b'; x\"." : "") +
                               "\"we\"\"ird; DROP TABLE x_g\"\"';\n\";\n"));
  }
}

// Random names over the bytes that matter to SQL and comment lexing: whatever a name holds, the
// output outside quotes and comments is only the emitter's own keywords.
TEST(RenderCompileTest, RandomNamesNeverEscapeTheirQuotes) {
  std::mt19937 rng(20261124);
  const std::string alphabet = "ab_\"'\n\r;-/*\\ .$\t\x7f\xc3\xa4(),=";
  auto random_name = [&] {
    std::string name;
    const size_t length = 1 + rng() % 10;
    for (size_t i = 0; i < length; ++i) {
      name += alphabet[rng() % alphabet.size()];
    }
    return name;
  };
  for (int iteration = 0; iteration < 200; ++iteration) {
    const bool mz = iteration % 2 == 0;
    std::vector<std::string> schemas;
    std::vector<std::string> clusters;
    for (size_t i = 0, n = 1 + rng() % 3; i < n; ++i) {
      schemas.push_back(random_name());
    }
    for (size_t i = 0, n = mz ? rng() % 3 : 0; i < n; ++i) {
      clusters.push_back(random_name());
    }
    plans::Deployment d = MakeDeployment(random_name(), schemas, clusters,
                                         rng() % 2 == 0 ? random_name() : "", random_name());
    d.sink_schemas.push_back({"", random_name(), {}});
    if (mz && !d.clusters.empty()) {
      d.clusters[0].settings.size = random_name();
      d.clusters[0].settings.replication_factor = 1;
    }
    const plans::Plan plan =
        MakePlan(mz ? plans::Target::kMaterialize : plans::Target::kPostgres, {d});
    auto dialect = MakeDialect(plan.target);
    std::set<std::string> names = {d.database};
    for (const plans::SchemaPair& pair : d.schemas) {
      names.insert({pair.blue, pair.green, SwapTempName(pair.blue, *dialect)});
    }
    for (const plans::ClusterPair& pair : d.clusters) {
      names.insert({pair.blue, pair.green});
    }
    ExpectOnlyQuotedNames(Emit(plan), names);
    if (::testing::Test::HasFailure()) {
      break;
    }
  }
}

TEST(RenderCompileTest, DeterministicWithOneTrailingNewline) {
  const plans::Plan plan = AnalyticsPlan();
  const std::string a = Emit(plan);
  const std::string b = Emit(plan);
  EXPECT_EQ(a, b);
  ASSERT_GE(a.size(), 2u);
  EXPECT_EQ('\n', a.back());
  EXPECT_NE('\n', a[a.size() - 2]);
  EXPECT_EQ(std::string::npos, a.find('\r'));
  EXPECT_EQ(std::string::npos, a.find("test.bgplan"));
  for (plans::PhaseKind k :
       {plans::PhaseKind::kInit, plans::PhaseKind::kAwait, plans::PhaseKind::kPromote,
        plans::PhaseKind::kRollback, plans::PhaseKind::kCleanup}) {
    const std::string one = Emit(plan, k);
    EXPECT_EQ('\n', one.back());
    EXPECT_NE('\n', one[one.size() - 2]);
    EXPECT_THAT(a, HasSubstr(one.substr(one.find("\n-- phase "))));
  }
}

TEST(RenderCompileTest, EveryStatementEndsWithSemicolon) {
  for (const std::string& sql :
       {Emit(AnalyticsPlan()),
        Emit(MakePlan(plans::Target::kPostgres, {MakeDeployment("a", {"m"}, {})}))}) {
    size_t start = 0;
    while (start < sql.size()) {
      const size_t end = sql.find('\n', start);
      const std::string line = sql.substr(start, end - start);
      if (!line.empty() && line.rfind("--", 0) != 0) {
        EXPECT_EQ(';', line.back()) << line;
      }
      start = end + 1;
    }
  }
}

TEST(RenderCompileTest, MissingPhase) {
  plans::Plan plan = AnalyticsPlan();
  plan.phases.clear();
  const std::string sql = Emit(plan, plans::PhaseKind::kPromote);
  EXPECT_THAT(sql, HasSubstr("\n-- phase promote: not in this plan\n"));
}

TEST(RenderCompileTest, EmptyPhaseSaysSo) {
  plans::Plan plan = AnalyticsPlan();
  plan.phases[1].batches.clear();
  EXPECT_THAT(Emit(plan, plans::PhaseKind::kAwait), HasSubstr("-- nothing to do in this phase\n"));
}

TEST(RenderCompileDeathTest, MaterializeRejectsNonSwapStepsInATransaction) {
  plans::Plan plan = AnalyticsPlan();
  plan.phases[0].batches[1].mode = plans::Batch::Mode::kTransaction;
  EXPECT_DEATH(Emit(plan), "internal error");
}

}  // namespace
}  // namespace bgplan::resolve
