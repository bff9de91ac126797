// What `bgplan compile` prints is what runs (issue 9): for every golden plan and every example,
// on PostgreSQL and on the emulator, a full cycle (init, await, promote, rollback, promote,
// cleanup) from a blue that matches the plan. For each phase:
//  - every statement `compile --phase P` prints as exact SQL (not a comment) is sent by the
//    phase, verbatim and in the same order (the statements only the catalog decides, journal
//    writes and the transaction prologue may sit between them);
//  - the phase runs as many transactions as compile prints BEGIN; ... COMMIT; blocks;
//  - the `check` lines of compile name exactly the rules the run evaluated, in the same order.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/compile.h"
#include "resolve/render.h"
#include "runtime/execute/executor.h"
#include "sql/quote.h"
#include "tests/integration/mz_fixture.h"

namespace bgplan::testing {
namespace {

namespace fs = std::filesystem;
using plans::PhaseKind;

struct Case {
  std::string name;  // for the test name
  std::string path;  // the .bgplan file
  plans::Target target;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.path; }

// The golden plans (tests/golden/emit/X.bgplan with X.mz.sql / X.pg.sql) and the examples
// (examples/D/*.bgplan with expected.mz.sql / expected.pg.sql), each for the targets it has
// expected SQL for.
std::vector<Case> Cases(plans::Target target) {
  const std::string src = BGPLAN_SOURCE_DIR;
  const std::string ext = target == plans::Target::kMaterialize ? "mz" : "pg";
  std::vector<Case> out;
  for (const auto& e : fs::directory_iterator(src + "/tests/golden/emit")) {
    if (e.path().extension() == ".bgplan" &&
        fs::exists(fs::path(e.path()).replace_extension(ext + ".sql"))) {
      out.push_back({"golden_" + e.path().stem().string(), e.path().string(), target});
    }
  }
  for (const auto& dir : fs::directory_iterator(src + "/examples")) {
    if (!dir.is_directory() || !fs::exists(dir.path() / ("expected." + ext + ".sql"))) {
      continue;
    }
    for (const auto& e : fs::directory_iterator(dir.path())) {
      if (e.path().extension() == ".bgplan") {
        out.push_back({"example_" + dir.path().filename().string(), e.path().string(), target});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

plans::Plan CompileCase(const Case& c) {
  driver::CompileOptions options;
  options.target = c.target;
  driver::CompileOutput out = driver::CompileText(c.path, Slurp(c.path), options);
  EXPECT_TRUE(out.ok()) << driver::RenderDiagnostics(out);
  return out.plan.value_or(plans::Plan{});
}

// What compile prints for one phase: its exact statements (a statement may span lines inside a
// quoted name), the number of BEGIN; ... COMMIT; blocks, and the rules of its check lines.
struct CompiledPhase {
  std::vector<std::string> statements;
  int transactions = 0;
  std::vector<std::string> rules;
};

// True if `text` ends inside "...", '...' or $tag$...$tag$.
bool InsideQuotes(const std::string& text) {
  char quote = 0;
  std::string dollar;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!dollar.empty()) {
      if (text.compare(i, dollar.size(), dollar) == 0) {
        i += dollar.size() - 1;
        dollar.clear();
      }
    } else if (quote != 0) {
      if (c == quote) {
        quote = 0;  // a doubled quote closes and reopens: the same state after both
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '$') {
      size_t end = text.find('$', i + 1);
      if (end != std::string::npos &&
          text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", i + 1) == end) {
        dollar = text.substr(i, end - i + 1);
        i = end;
      }
    }
  }
  return quote != 0 || !dollar.empty();
}

CompiledPhase ParseCompile(const std::string& text) {
  CompiledPhase out;
  std::istringstream lines(text);
  std::string line, pending;
  const std::string kCheck = "-- check (read-only): ";
  while (std::getline(lines, line)) {
    if (pending.empty()) {
      if (line.rfind(kCheck, 0) == 0) {
        std::string rule = line.substr(kCheck.size(), line.find(':', kCheck.size()) - kCheck.size());
        if (std::find(out.rules.begin(), out.rules.end(), rule) == out.rules.end()) {
          out.rules.push_back(rule);
        }
        continue;
      }
      if (line.empty() || line.rfind("--", 0) == 0) {
        continue;
      }
      if (line == "BEGIN;") {
        ++out.transactions;
        continue;
      }
      if (line == "COMMIT;") {
        continue;
      }
    }
    pending += (pending.empty() ? "" : "\n") + line;
    // Complete when it ends in ';' outside a quoted name, literal or dollar-quoted body.
    if (!pending.empty() && pending.back() == ';' && !InsideQuotes(pending)) {
      out.statements.push_back(pending);
      pending.clear();
    }
  }
  EXPECT_TRUE(pending.empty()) << "unterminated statement in compile output: " << pending;
  return out;
}

// What a phase run sent and evaluated, from its events.
struct RunPhaseRecord {
  std::vector<std::string> statements;
  int transactions = 0;
  std::vector<std::string> rules;
};

RunPhaseRecord FromEvents(const RecordingSink& sink) {
  RunPhaseRecord r;
  for (const runtime::Event& e : sink.events) {
    if (e.type == "statement") {
      r.statements.push_back(e.fields.at("sql").get<std::string>());
    } else if (e.type == "transaction") {
      ++r.transactions;
    } else if (e.type == "check") {
      r.rules.push_back(e.fields.at("rule").get<std::string>());
    }
  }
  return r;
}

// Every statement of `expected` appears in `sent`, in order.
void ExpectSubsequence(const std::vector<std::string>& expected,
                       const std::vector<std::string>& sent, const std::string& where) {
  size_t at = 0;
  for (const std::string& s : expected) {
    while (at < sent.size() && sent[at] != s) {
      ++at;
    }
    if (at == sent.size()) {
      std::string all;
      for (const std::string& x : sent) {
        all += "  " + x + "\n";
      }
      ADD_FAILURE() << where << ": compile prints\n  " << s
                    << "\nbut the run did not send it (in this order); it sent:\n"
                    << all;
      return;
    }
    ++at;
  }
}

// Faster waits for the test; none of these settings reaches a statement (lock_timeout does, so
// it is left alone).
void Quicken(plans::Plan& plan) {
  for (plans::Deployment& d : plan.deployments) {
    d.await.poll_interval_ms = 50;
    d.await.stable_for_ms = 0;
    d.await.timeout_ms = 30000;
    d.promote.retry_backoff_ms = 50;
    d.cleanup.keep_blue_ms = 0;
  }
}

bool HasUnreplicatedCluster(const plans::Plan& plan) {
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::ClusterPair& c : d.clusters) {
      if (c.settings.replication_factor.has_value() && *c.settings.replication_factor == 0) {
        return true;
      }
    }
  }
  return false;
}

// The cycle, phase by phase: compile's text of the phase against what the run did.
template <typename RunFn>
void CheckCycle(const plans::Plan& compiled, const std::string& name, RunFn run) {
  plans::Plan plan = compiled;
  Quicken(plan);
  // A cluster with replication factor 0 has no replica, so it is never ready (failing): the
  // cycle skips await for it (promote { wait } is off in that plan).
  const bool skip_await = HasUnreplicatedCluster(plan);
  const std::vector<PhaseKind> cycle = {PhaseKind::kInit,     PhaseKind::kAwait,
                                        PhaseKind::kPromote,  PhaseKind::kRollback,
                                        PhaseKind::kPromote,  PhaseKind::kCleanup};
  int ran = 0;
  size_t exact = 0, rules = 0;
  for (PhaseKind phase : cycle) {
    if (phase == PhaseKind::kAwait && skip_await) {
      continue;
    }
    const std::string where = name + " " + std::string(plans::PhaseName(phase));
    const CompiledPhase expected = ParseCompile(resolve::RenderCompile(compiled, phase));
    RecordingSink sink;
    Status st = run(plan, phase, sink);
    ASSERT_TRUE(st.ok()) << where << ": " << st.ToString() << "\n" << sink.AllDiagnostics();
    const RunPhaseRecord got = FromEvents(sink);
    ExpectSubsequence(expected.statements, got.statements, where);
    EXPECT_EQ(got.transactions, expected.transactions) << where;
    EXPECT_EQ(got.rules, expected.rules) << where;
    exact += expected.statements.size();
    rules += expected.rules.size();
    ++ran;
  }
  EXPECT_GE(ran, 5);
  // Not vacuous: every plan has exact statements (the swaps at least) and checks.
  EXPECT_GE(exact, 2u) << name;
  EXPECT_GE(rules, 10u) << name;
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

class CompileIsWhatRunsPg : public PgTest, public ::testing::WithParamInterface<Case> {};

TEST_P(CompileIsWhatRunsPg, EveryPhase) {
  const Case& c = GetParam();
  plans::Plan plan = CompileCase(c);
  ASSERT_FALSE(plan.phases.empty());
  // A plan naming a database runs connected to it.
  for (const plans::Deployment& d : plan.deployments) {
    if (!d.database.empty() && d.database != db_) {
      ASSERT_EQ(pg_->Exec("postgres", "CREATE DATABASE " + sql::QuoteIdent(d.database)), "");
      db_ = d.database;
    }
  }
  // Blue: each schema with a table; each sinks schema with a view reading the first schema's.
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::SchemaPair& p : d.schemas) {
      Exec("CREATE SCHEMA " + sql::QuoteIdent(p.blue) + "; CREATE TABLE " +
           sql::QuoteIdent(p.blue) + ".t (id int)");
    }
    for (const plans::SinkSchema& s : d.sink_schemas) {
      Exec("CREATE SCHEMA " + sql::QuoteIdent(s.name) + "; CREATE VIEW " +
           sql::QuoteIdent(s.name) + ".v AS SELECT id FROM " +
           sql::QuoteIdent(d.schemas.front().blue) + ".t");
    }
  }
  CheckCycle(plan, c.name, [&](const plans::Plan& p, PhaseKind phase, RecordingSink& sink) {
    auto session = Connect();
    runtime::RunOptions options;
    options.command = std::string(plans::PhaseName(phase));
    runtime::Executor ex(*session, p, {}, options, sink);
    BGPLAN_RETURN_IF_ERROR(ex.Lock());
    Status st = ex.RunPhase(phase);
    ex.Unlock();
    if (st.ok() && phase == PhaseKind::kInit) {
      // The deploy: green gets the table the sinks views read.
      for (const plans::Deployment& d : p.deployments) {
        for (const plans::SchemaPair& pair : d.schemas) {
          Exec("CREATE TABLE " + sql::QuoteIdent(pair.green) + ".t (id int)");
        }
      }
    }
    return st;
  });
}

INSTANTIATE_TEST_SUITE_P(Plans, CompileIsWhatRunsPg,
                         ::testing::ValuesIn(Cases(plans::Target::kPostgres)),
                         [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

// ---- Materialize (the emulator) -------------------------------------------------------------

class CompileIsWhatRunsMz : public MzTest, public ::testing::WithParamInterface<Case> {};

TEST_P(CompileIsWhatRunsMz, EveryPhase) {
  // The golden plans name global objects (clusters) without the real lane's test prefix.
  MZ_EMULATOR_ONLY("the golden plans' cluster names are not prefixed for a shared server");
  const Case& c = GetParam();
  plans::Plan plan = CompileCase(c);
  ASSERT_FALSE(plan.phases.empty());
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::SchemaPair& p : d.schemas) {
      if (!p.database.empty() && p.database != db_) {
        GTEST_SKIP() << "schema " << p.database << "." << p.blue
                     << ": the emulator serves one database per connection";
      }
    }
  }
  // A cluster that exists already (the server's quickstart) is used as it is.
  std::set<std::string> existing;
  for (const std::string& name : Column("SELECT name FROM mz_clusters")) {
    existing.insert(name);
  }
  std::vector<std::string> setup;
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::SchemaPair& p : d.schemas) {
      setup.push_back("CREATE SCHEMA IF NOT EXISTS " + sql::QuoteIdent(p.blue));
    }
    for (const plans::ClusterPair& cl : d.clusters) {
      if (!existing.count(cl.blue)) {
        setup.push_back("CREATE CLUSTER " + sql::QuoteIdent(cl.blue) + " (" + SizeOpt() + ")");
      }
    }
    for (const plans::SinkSchema& s : d.sink_schemas) {
      setup.push_back("CREATE SCHEMA " + sql::QuoteIdent(s.name));
    }
    for (const plans::SinkCluster& s : d.sink_clusters) {
      setup.push_back("CREATE CLUSTER " + sql::QuoteIdent(s.name) + " (" + SizeOpt() + ")");
    }
  }
  Exec(setup);
  CheckCycle(plan, c.name, [&](const plans::Plan& p, PhaseKind phase, RecordingSink& sink) {
    auto session = Connect();
    runtime::RunOptions options;
    options.command = std::string(plans::PhaseName(phase));
    runtime::Executor ex(*session, p, {}, options, sink);
    BGPLAN_RETURN_IF_ERROR(ex.Lock());
    Status st = ex.RunPhase(phase);
    ex.Unlock();
    return st;
  });
  // The fixture wants no unprefixed cluster left behind (a guard for the real lane).
  std::vector<std::string> drop;
  for (const plans::Deployment& d : plan.deployments) {
    for (const plans::ClusterPair& cl : d.clusters) {
      if (!existing.count(cl.blue)) {
        drop.push_back("DROP CLUSTER IF EXISTS " + sql::QuoteIdent(cl.blue) + " CASCADE");
      }
      drop.push_back("DROP CLUSTER IF EXISTS " + sql::QuoteIdent(cl.green) + " CASCADE");
    }
    for (const plans::SinkCluster& k : d.sink_clusters) {
      drop.push_back("DROP CLUSTER IF EXISTS " + sql::QuoteIdent(k.name) + " CASCADE");
    }
  }
  Exec(drop);
}

INSTANTIATE_TEST_SUITE_P(Plans, CompileIsWhatRunsMz,
                         ::testing::ValuesIn(Cases(plans::Target::kMaterialize)),
                         [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });

// ---- catalog reads do not grow with the objects ----------------------------------------------

// Resolving promote reads the catalog in a fixed number of queries (one per kind of fact), the
// same for 1 schema as for 12 schemas of 3 tables with a sinks view on each table.
class CatalogReadsPg : public PgTest {
 protected:
  int Queries(int schemas) {
    std::vector<std::string> names;
    std::string setup = "CREATE SCHEMA IF NOT EXISTS sinks;";
    for (int i = 0; i < schemas; ++i) {
      const std::string s = "n" + std::to_string(schemas) + "_" + std::to_string(i);
      names.push_back(s);
      setup += "CREATE SCHEMA " + s + ";";
      for (int t = 0; t < 3; ++t) {
        const std::string table = s + ".t" + std::to_string(t);
        setup += "CREATE TABLE " + table + " (id int); CREATE VIEW sinks." + s + "_v" +
                 std::to_string(t) + " AS SELECT id FROM " + table + ";";
      }
    }
    Exec(setup);
    plans::Plan plan = Compiled(PgPlan("n" + std::to_string(schemas), names, {"sinks"}));
    auto session = Connect();
    RecordingSink sink;
    {
      runtime::Executor init(*session, plan, {}, {}, sink);
      EXPECT_TRUE(init.RunPhase(PhaseKind::kInit).ok()) << sink.AllDiagnostics();
    }
    std::string deploy;
    for (const std::string& s : names) {
      for (int t = 0; t < 3; ++t) {
        deploy += "CREATE TABLE " + s + "_dbt_deploy.t" + std::to_string(t) + " (id int);";
      }
    }
    Exec(deploy);
    CountingSession counting(*session);
    runtime::Executor ex(counting, plan, {}, {}, sink);
    Result<resolve::ResolvedPhase> promote = ex.Resolve(PhaseKind::kPromote);
    EXPECT_TRUE(promote.ok()) << promote.status().ToString();
    EXPECT_TRUE(promote.ok() && promote->violations.empty()) << sink.AllDiagnostics();
    EXPECT_EQ(promote.ok() ? promote->summary.repointed.size() : 0u, static_cast<size_t>(3 * schemas));
    return counting.queries;
  }
};

TEST_F(CatalogReadsPg, PromoteReadsDoNotGrowWithObjects) {
  const int one = Queries(1), twelve = Queries(12);
  std::printf("catalog queries to resolve promote (PostgreSQL): 1 schema %d, 12 schemas %d\n", one,
              twelve);
  EXPECT_EQ(one, twelve);
  // 15, and 2 for incompatible-upstream (the columns sinks views read, and those relations'
  // columns on both sides), read only when the deployments have sinks views.
  EXPECT_LE(one, 17);
}

class CatalogReadsMz : public MzTest {
 protected:
  int Queries(int schemas) {
    const std::string cluster = C("c" + std::to_string(schemas));
    std::vector<std::string> names, setup = {"CREATE CLUSTER " + cluster + " (" + SizeOpt() + ")"};
    for (int i = 0; i < schemas; ++i) {
      const std::string s = "n" + std::to_string(schemas) + "_" + std::to_string(i);
      names.push_back(s);
      setup.push_back("CREATE SCHEMA " + s);
      for (int t = 0; t < 3; ++t) {
        setup.push_back("CREATE MATERIALIZED VIEW " + s + ".mv" + std::to_string(t) +
                        " IN CLUSTER " + cluster + " AS SELECT " + std::to_string(t) + " AS n");
      }
    }
    Exec(setup);
    plans::Plan plan = Compiled(MzPlan("n" + std::to_string(schemas), names, {cluster}));
    EXPECT_TRUE(RunPhase(plan, PhaseKind::kInit).ok()) << last_diagnostics_;
    std::vector<std::string> deploy;  // green gets blue's objects (missing-in-green)
    for (const std::string& s : names) {
      for (int t = 0; t < 3; ++t) {
        deploy.push_back("CREATE MATERIALIZED VIEW " + s + "_dbt_deploy.mv" + std::to_string(t) +
                         " IN CLUSTER " + cluster + "_dbt_deploy AS SELECT " + std::to_string(t) +
                         " AS n");
      }
    }
    Exec(deploy);
    auto session = Connect();
    CountingSession counting(*session);
    RecordingSink sink;
    runtime::Executor ex(counting, plan, {}, {}, sink);
    Result<resolve::ResolvedPhase> promote = ex.Resolve(PhaseKind::kPromote);
    EXPECT_TRUE(promote.ok()) << promote.status().ToString();
    EXPECT_TRUE(promote.ok() && promote->violations.empty()) << sink.AllDiagnostics();
    return counting.queries;
  }
};

TEST_F(CatalogReadsMz, PromoteReadsDoNotGrowWithObjects) {
  const int one = Queries(1), twelve = Queries(12);
  std::printf("catalog queries to resolve promote (Materialize): 1 schema %d, 12 schemas %d\n",
              one, twelve);
  EXPECT_EQ(one, twelve);
  EXPECT_LE(one, 24);
}

}  // namespace
}  // namespace bgplan::testing
