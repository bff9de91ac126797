// `bgplan apply` of the demo plan (examples/demo) end to end, against psql running the emitted
// SQL: the journal DDL + the init transaction, the deploy script, and the promote transaction,
// each resolved by bgplan's own resolver beforehand (untimed), so the baseline is "just the SQL".
// Reports the ratio and where bgplan's extra time goes (from its --format json events).
//
//   bgplan_apply_bench [repetitions=10]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "runtime/fake_session.h"
#include "runtime/journal/journal.h"
#include "runtime/local_postgres.h"

namespace bgplan::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Must(const Status& st, const char* what) {
  if (!st.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, st.ToString().c_str());
    std::exit(1);
  }
}

std::unique_ptr<runtime::SqlSession> Connect(const std::string& url) {
  runtime::ConnTarget t;
  t.conninfo = url;
  auto s = runtime::ConnectPqxx(runtime::ConninfoForLibpq(t), "");
  Must(s.ok() ? Status::Ok() : s.status(), "connect");
  return std::move(s).value();
}

// Runs `cmd` through the shell; returns wall milliseconds.
double Timed(const std::string& cmd) {
  auto start = Clock::now();
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s\n", cmd.c_str());
    std::exit(1);
  }
  return Ms(Clock::now() - start);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

class QuietSink : public runtime::EventSink {
 public:
  QuietSink() : EventSink(runtime::OutputOptions{}) {}
  void Emit(const runtime::Event&) override {}
  void Product(const std::string&, const std::string&, const std::string&) override {}
};

}  // namespace
}  // namespace bgplan::bench

int main(int argc, char** argv) {
  using namespace bgplan;
  using namespace bgplan::bench;
  int reps = argc > 1 ? std::atoi(argv[1]) : 10;
  std::string src = BGPLAN_SOURCE_DIR;
  std::string demo = src + "/examples/demo";
  std::string bgplan = std::string(BGPLAN_BINARY_DIR) + "/cli/bgplan";
  runtime::LocalPostgres pg;
  Must(pg.Start(), "start");
  std::string psql = "'" + pg.bindir() + "/psql' -X -q -v ON_ERROR_STOP=1";
  std::string schema = Slurp(demo + "/schema.sql");
  // The journal DDL bgplan runs on first use, as text.
  runtime::FakeSession fake;
  fake.On("to_regclass(", {{"false"}});
  Must(runtime::MakePostgresJournal("bgplan")->Ensure(fake), "journal text");
  std::string journal_ddl = fake.sent()[1];
  std::string tmp = "/tmp/bgplan-apply-bench-" + std::to_string(getpid());
  auto admin = Connect(pg.Url("postgres"));
  // The demo plan as bgplan compiles it: read back from a plan file.
  std::vector<double> ours, theirs, deploy_ms, tx_ms, status_ms;
  for (int r = 0; r < reps; ++r) {
    std::string a = "a" + std::to_string(r), b = "b" + std::to_string(r);
    Must(admin->Exec("CREATE DATABASE " + a), "db");
    Must(admin->Exec("CREATE DATABASE " + b), "db");
    if (r == 0) {
      // The demo's role exists once per server.
      Must(Connect(pg.Url(a))->Exec(schema), "schema");
    } else {
      std::string s = schema;
      s.replace(s.find("CREATE ROLE analyst LOGIN;"), 26, "");
      Must(Connect(pg.Url(a))->Exec(s), "schema");
    }
    {
      std::string s = schema;
      s.replace(s.find("CREATE ROLE analyst LOGIN;"), 26, "");
      Must(Connect(pg.Url(b))->Exec(s), "schema");
    }
    // bgplan apply, end to end.
    std::string deploy_cmd =
        psql + " -v green=\"$BGPLAN_GREEN_MARTS\" -f '" + demo + "/deploy_green.sql'";
    std::string events = tmp + ".events";
    std::string cmd = "'" + bgplan + "' --format json apply '" + demo + "/demo.bgplan' --url '" +
                      pg.Url(a) + "' --deploy-cmd '" + deploy_cmd + "' > " + events +
                      " 2>/dev/null";
    double total = Timed(cmd);
    ours.push_back(total);
    std::istringstream lines(Slurp(events));
    std::string line;
    double tx = 0, deploy = 0;
    std::string deploy_start;
    auto ts_ms = [](const std::string& ts) {
      // 2026-11-24T01:02:03.456Z -> ms within the day
      int h = std::stoi(ts.substr(11, 2)), m = std::stoi(ts.substr(14, 2));
      double s = std::stod(ts.substr(17, 6));
      return ((h * 60 + m) * 60 + s) * 1000;
    };
    while (std::getline(lines, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) {
        continue;
      }
      if (j["type"] == "transaction") {
        tx += std::stod(j.value("duration_ms", "0"));
      }
      if (j["type"] == "deploy-cmd" && j.value("state", "") == "started") {
        deploy_start = j["timestamp"];
      }
      if (j["type"] == "deploy-cmd" && j.value("state", "") == "done") {
        deploy = ts_ms(j["timestamp"]) - ts_ms(deploy_start);
      }
    }
    tx_ms.push_back(tx);
    deploy_ms.push_back(deploy);
    status_ms.push_back(Timed("'" + bgplan + "' status '" + demo + "/demo.bgplan' --url '" +
                              pg.Url(a) + "' >/dev/null 2>&1"));

    // psql running the same SQL, resolved beforehand by bgplan's resolver (untimed).
    std::string plan_json = tmp + ".plan.json";
    Timed("'" + bgplan + "' plan '" + demo + "/demo.bgplan' --url '" + pg.Url(b) +
          "' --phase init -o " + plan_json + " >/dev/null 2>&1");
    std::ifstream pin(plan_json);
    std::stringstream pbuf;
    pbuf << pin.rdbuf();
    auto pj = nlohmann::json::parse(pbuf.str());
    std::string init_sql;
    for (const auto& p : pj["phases"]) {
      if (p["phase"] == "init") {
        init_sql = p["sql"];
      }
    }
    std::ofstream(tmp + ".init.sql") << journal_ddl << "\n" << init_sql;
    double t1 = Timed(psql + " -d '" + pg.Url(b) + "' -f " + tmp + ".init.sql >/dev/null");
    double t2 = Timed(psql + " -d '" + pg.Url(b) + "' -v green=marts_dbt_deploy -f '" + demo +
                      "/deploy_green.sql' >/dev/null");
    Timed("'" + bgplan + "' plan '" + demo + "/demo.bgplan' --url '" + pg.Url(b) +
          "' --phase promote -o " + plan_json + " >/dev/null 2>&1");
    std::ifstream pin2(plan_json);
    std::stringstream pbuf2;
    pbuf2 << pin2.rdbuf();
    auto pj2 = nlohmann::json::parse(pbuf2.str());
    std::string promote_sql;
    for (const auto& p : pj2["phases"]) {
      if (p["phase"] == "promote") {
        promote_sql = p["sql"];
      }
    }
    std::ofstream(tmp + ".promote.sql") << promote_sql;
    double t3 = Timed(psql + " -d '" + pg.Url(b) + "' -f " + tmp + ".promote.sql >/dev/null");
    theirs.push_back(t1 + t2 + t3);
  }
  for (const char* ext : {".events", ".plan.json", ".init.sql", ".promote.sql"}) {
    std::remove((tmp + ext).c_str());
  }
  double o = Median(ours), t = Median(theirs);
  std::printf("| measure (median of %d) | ms |\n|---|---:|\n", reps);
  std::printf("| bgplan apply, end to end (process start to exit) | %.1f |\n", o);
  std::printf(
      "| psql running the same SQL (3 psql processes: journal+init, deploy, promote) | %.1f |\n",
      t);
  std::printf("| ratio bgplan / psql | %.2f |\n", o / t);
  std::printf("| of bgplan: the deploy command (psql, same script) | %.1f |\n", Median(deploy_ms));
  std::printf("| of bgplan: its transactions (init, promote; server round trips) | %.1f |\n",
              Median(tx_ms));
  std::printf(
      "| of bgplan: the rest (process start, compile, connect, catalog reads, lock, journal "
      "checks, await poll) | %.1f |\n",
      o - Median(deploy_ms) - Median(tx_ms));
  std::printf("| for scale: `bgplan status` (start, compile, connect, one catalog read) | %.1f |\n",
              Median(status_ms));
  pg.Stop();
  return 0;
}
