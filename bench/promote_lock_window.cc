// Promote lock window: how long the PostgreSQL swap transaction holds its locks, for 1, 10 and
// 100 schemas with 10 dependent views each in a sinks schema, bgplan (the whole transaction in
// one round trip) side by side with psql executing the same transaction text from a file
// (psql sends one statement per round trip).
//
// The window is measured on the server, the same way for both: the promote text updates the
// journal row with now() (the transaction's start) and the server records the commit time
// (track_commit_timestamp = on), so window = pg_xact_commit_timestamp(xmin) - updated_at.
//
//   bgplan_promote_lock_window [repetitions=15]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "compiler/passes/pipeline.h"
#include "runtime/execute/executor.h"
#include "runtime/local_postgres.h"
#include "runtime/session.h"

namespace bgplan::bench {
namespace {

using runtime::SqlSession;

class QuietSink : public runtime::EventSink {
 public:
  QuietSink() : EventSink(runtime::OutputOptions{}) {}
  void Emit(const runtime::Event&) override {}
  void Product(const std::string&, const std::string&, const std::string&) override {}
  void Diagnose(const Diagnostic& d, const std::string&) override {
    std::fprintf(stderr, "%s\n", d.message.c_str());
  }
};

std::unique_ptr<SqlSession> Connect(const std::string& url) {
  runtime::ConnTarget t;
  t.conninfo = url;
  auto s = runtime::ConnectPqxx(runtime::ConninfoForLibpq(t), "");
  if (!s.ok()) {
    std::fprintf(stderr, "connect: %s\n", s.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(s).value();
}

void Must(const Status& st, const char* what) {
  if (!st.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, st.ToString().c_str());
    std::exit(1);
  }
}

double WindowMs(SqlSession& s) {
  auto rows = s.Query(
      "SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin) - updated_at) * 1000 FROM "
      "bgplan.runs");
  if (!rows.ok() || rows->empty()) {
    Must(rows.ok() ? Status::Internal("no journal row") : rows.status(), "window");
  }
  return std::stod((*rows)[0][0]);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace
}  // namespace bgplan::bench

int main(int argc, char** argv) {
  using namespace bgplan;
  using bench::Median;
  int reps = argc > 1 ? std::atoi(argv[1]) : 15;
  runtime::LocalPostgres pg;
  bench::Must(pg.Start("-c track_commit_timestamp=on -c max_locks_per_transaction=1024"), "start");
  std::printf(
      "| schemas | views | statements | bgplan window ms (median) | psql -f window ms (median) | "
      "ratio bgplan/psql |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  for (int n : {1, 10, 100}) {
    std::string db = "lw" + std::to_string(n);
    bench::Must(bench::Connect(pg.Url("postgres"))->Exec("CREATE DATABASE " + db), "db");
    std::string url = pg.Url(db);
    auto s = bench::Connect(url);
    plans::Plan plan;
    plan.target = plans::Target::kPostgres;
    plans::Deployment d;
    d.name = "bench";
    d.sink_schemas.push_back({"", "sinks", {}});
    d.promote.lock_timeout_ms = 5000;
    std::string setup = "CREATE SCHEMA sinks;";
    for (int i = 0; i < n; ++i) {
      std::string b = "s" + std::to_string(i);
      d.schemas.push_back({"", b, b + "_dbt_deploy", {}});
      setup += "CREATE SCHEMA " + b + "; CREATE TABLE " + b + ".t (id int, v text);";
      for (int v = 0; v < 10; ++v) {
        setup += "CREATE VIEW sinks.v" + std::to_string(i) + "_" + std::to_string(v) +
                 " AS SELECT id, v FROM " + b + ".t;";
      }
    }
    plan.deployments.push_back(d);
    {
      // Phases built by the compiler's passes, as `bgplan` does.
      DiagnosticEngine diags;
      if (!passes::RunPipeline(plan, {}, diags)) {
        std::fprintf(stderr, "the plan does not compile\n");
        return 1;
      }
    }
    bench::Must(s->Exec(setup), "setup");
    bench::QuietSink sink;
    runtime::Executor ex(*s, plan, {}, {}, sink);
    bench::Must(ex.RunPhase(plans::PhaseKind::kInit), "init");
    std::string deploy;
    for (int i = 0; i < n; ++i) {
      deploy += "CREATE TABLE s" + std::to_string(i) + "_dbt_deploy.t (id int, v text);";
    }
    bench::Must(s->Exec(deploy), "deploy");
    std::vector<double> ours, theirs;
    size_t statements = 0;
    std::string file = "/tmp/bgplan-lock-window-" + std::to_string(getpid()) + ".sql";
    for (int r = 0; r < reps; ++r) {
      // bgplan: promote (one round trip), then swap back.
      bench::Must(ex.RunPhase(plans::PhaseKind::kPromote), "promote");
      ours.push_back(bench::WindowMs(*s));
      bench::Must(ex.RunPhase(plans::PhaseKind::kRollback), "rollback");
      // psql: the same promote text, resolved against the same catalog, from a file.
      auto resolved = ex.Resolve(plans::PhaseKind::kPromote);
      bench::Must(resolved.ok() ? Status::Ok() : resolved.status(), "resolve");
      std::string text = "BEGIN;\n";
      statements = 0;
      for (const auto& batch : resolved->batches) {
        if (batch.mode == plans::Batch::Mode::kTransaction && batch.HasWrites()) {
          auto sql = ex.TransactionStatements(batch);
          bench::Must(sql.ok() ? Status::Ok() : sql.status(), "statements");
          for (const std::string& line : *sql) {
            text += line + "\n";
          }
          statements += sql->size();
        }
      }
      std::ofstream(file) << text << "COMMIT;\n";
      std::string cmd = "'" + pg.bindir() + "/psql' -X -q -v ON_ERROR_STOP=1 -d '" + url + "' -f " +
                        file + " >/dev/null";
      if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "psql failed\n");
        return 1;
      }
      theirs.push_back(bench::WindowMs(*s));
      bench::Must(ex.RunPhase(plans::PhaseKind::kRollback), "rollback");
    }
    std::remove(file.c_str());
    double a = Median(ours), b = Median(theirs);
    std::printf("| %d | %d | %zu | %.2f | %.2f | %.2f |\n", n, n * 10, statements, a, b, a / b);
    std::fflush(stdout);
  }
  pg.Stop();
  return 0;
}
