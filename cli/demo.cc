// `bgplan demo`: a full blue/green cycle on a throwaway local PostgreSQL, narrated. Starts the
// server (LocalPostgres), loads examples/demo/schema.sql, compiles examples/demo/demo.bgplan and
// runs init -> deploy (psql via the deploy command) -> await -> promote -> status -> rollback ->
// promote -> cleanup, showing what the users of the database see after each step.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "support/exit_codes.h"
#include "cli/live_options.h"
#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "runtime/interrupt.h"
#include "runtime/local_postgres.h"
#include "runtime/session.h"


namespace bgplan::runtime {
namespace {

std::string FindExamples() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("BGPLAN_EXAMPLES_DIR"); env != nullptr) {
    candidates.push_back(std::string(env) + "/demo");
  }
  candidates.push_back("examples/demo");
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (std::filesystem::path p = exe.parent_path(); !p.empty() && p != p.root_path();
       p = p.parent_path()) {
    candidates.push_back((p / "examples" / "demo").string());
  }
  // An installed tree (cmake --install, the Debian package): bin/bgplan and
  // share/bgplan/examples/demo.
  if (!exe.empty()) {
    candidates.push_back(
        (exe.parent_path().parent_path() / "share" / "bgplan" / "examples" / "demo").string());
  }
#ifdef BGPLAN_SOURCE_DIR
  candidates.push_back(std::string(BGPLAN_SOURCE_DIR) + "/examples/demo");
#endif
  for (const std::string& c : candidates) {
    if (std::filesystem::exists(c + "/demo.bgplan", ec)) {
      return std::filesystem::absolute(c, ec).string();
    }
  }
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Table(const Rows& rows, const std::vector<std::string>& header) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    width[i] = header[i].size();
  }
  for (const Row& r : rows) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], r[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = "      ";
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i] + std::string(width[i] - cells[i].size() + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') {
      s.pop_back();
    }
    return s + "\n";
  };
  std::string out = line(header);
  for (const Row& r : rows) {
    out += line(r);
  }
  return out;
}

// Compiles a .bgplan file (the executable's compiler): the plan, or nullopt after diagnostics.
using Compile = std::function<std::optional<plans::Plan>(const std::string&)>;

class Demo {
 public:
  Demo(EventSink& sink, Compile compile) : sink_(sink), compile_(std::move(compile)) {}

  int Run();

 private:
  // One event per line: an event's message is one line (events escape control characters).
  void Say(const std::string& text) {
    size_t from = 0;
    for (size_t nl = text.find('\n'); ; nl = text.find('\n', from)) {
      sink_.Emit({"demo", "shop", text.substr(from, nl - from), {}});
      if (nl == std::string::npos) {
        break;
      }
      from = nl + 1;
    }
  }
  void Step(int n, const std::string& title, const std::string& why) {
    Say("\n== " + std::to_string(n) + ". " + title + "\n   " + why);
  }
  void Show(const std::string& what, const std::string& sql, const std::vector<std::string>& hdr) {
    Result<Rows> rows = session_->Query(sql);
    if (!rows.ok()) {
      Say("   (" + what + ": " + rows.status().message() + ")");
      return;
    }
    Say("   " + what + ":\n" + Table(*rows, hdr));
  }
  void ShowUsersView() {
    Show("what the analyst sees in reporting.daily_revenue",
         "SET ROLE analyst; SELECT order_date::text, revenue::text FROM reporting.daily_revenue "
         "ORDER BY 1",
         {"order_date", "revenue"});
    (void)session_->Exec("RESET ROLE");
  }
  void ShowOids() {
    Show("schemas (oid moves with the code; names move on a swap)",
         "SELECT nspname, oid::text, coalesce(obj_description(oid, 'pg_namespace'), '') FROM "
         "pg_namespace WHERE nspname IN ('marts', 'marts_dbt_deploy') ORDER BY 1",
         {"schema", "oid", "comment"});
  }
  int Fail(const Status& st) {
    sink_.Error(st.ToString());
    return ExitCodeFor(st);
  }

  EventSink& sink_;
  Compile compile_;
  LocalPostgres pg_;
  std::unique_ptr<SqlSession> session_;
};

int Demo::Run() {
  std::string dir = FindExamples();
  if (dir.empty()) {
    sink_.Error("cannot find examples/demo (run from the repository, install bgplan, or set "
                "BGPLAN_EXAMPLES_DIR)");
    return kExitInputErrors;
  }
  Say("bgplan demo: a full blue/green cycle of " + dir + "/demo.bgplan on a throwaway PostgreSQL.");
  Say("Starting a local PostgreSQL server (initdb in a temporary directory; as the 'postgres' "
      "user when run as root)...");
  if (Status st = pg_.Start(); !st.ok()) {
    return Fail(st);
  }
  Say("   server on 127.0.0.1:" + std::to_string(pg_.port()) + ", data in " + pg_.dir());
  {
    ConnTarget admin;
    admin.conninfo = pg_.Url("postgres");
    Result<std::unique_ptr<SqlSession>> s = ConnectPqxx(ConninfoForLibpq(admin), "");
    if (!s.ok()) {
      return Fail(s.status());
    }
    if (Status st = (*s)->Exec("CREATE DATABASE shop"); !st.ok()) {
      return Fail(st);
    }
  }
  ConnTarget target;
  target.conninfo = pg_.Url("shop");
  Result<std::unique_ptr<SqlSession>> s = ConnectPqxx(ConninfoForLibpq(target), "");
  if (!s.ok()) {
    return Fail(s.status());
  }
  session_ = std::move(s).value();
  SqlSession* raw = session_.get();
  SetInterruptCallback([raw] { raw->Cancel(); });
  Say("Loading the production state (schema.sql): schema marts (v1), the report view "
      "reporting.daily_revenue reading marts.order_details, and the role analyst.");
  if (Status st = session_->Exec(ReadFile(dir + "/schema.sql")); !st.ok()) {
    return Fail(st);
  }
  ShowUsersView();

  std::optional<plans::Plan> compiled = compile_(dir + "/demo.bgplan");
  if (!compiled.has_value()) {
    return kExitInputErrors;
  }
  plans::Plan plan = std::move(*compiled);
  RunOptions options;
  options.command = "demo";
  Executor ex(*session_, plan, {}, options, sink_);
  if (Status st = ex.Lock(); !st.ok()) {
    return Fail(st);
  }
  Say("Took the deployment lock (a session advisory lock; another bgplan run on 'shop' would "
      "exit 6 naming this one).");

  Step(1, "init",
       "Create the green schema marts_dbt_deploy next to production, copy marts' grants and "
       "default privileges to it, and mark it as this run's, all in one transaction.");
  if (Status st = ex.RunPhase(plans::PhaseKind::kInit); !st.ok()) {
    return Fail(st);
  }
  Show("green's grants, as the analyst role sees them",
       "SELECT has_schema_privilege('analyst', 'marts_dbt_deploy', 'USAGE')::text, "
       "(SELECT count(*) FROM pg_default_acl d JOIN pg_namespace n ON n.oid = "
       "d.defaclnamespace WHERE n.nspname = 'marts_dbt_deploy')::text",
       {"analyst USAGE", "default privileges"});

  Step(2, "deploy new code into green",
       "Production is untouched while version 2 is built in marts_dbt_deploy: the deploy command "
       "(here psql; in real life dbt) gets the green names in BGPLAN_GREEN_* variables.");
  std::string cmd = "'" + pg_.bindir() +
                    "/psql' -X -q -v ON_ERROR_STOP=1 -v green=\"$BGPLAN_GREEN_MARTS\" -f '" + dir +
                    "/deploy_green.sql'";
  if (Status st = ex.RunDeployCmd(cmd); !st.ok()) {
    return Fail(st);
  }
  ShowUsersView();

  Step(3, "await", "Wait until green is ready: every materialized view in it is populated.");
  if (Status st = ex.RunPhase(plans::PhaseKind::kAwait); !st.ok()) {
    return Fail(st);
  }

  Step(4, "promote",
       "One transaction, sent in one round trip: rename marts -> tmp, marts_dbt_deploy -> marts, "
       "tmp -> marts_dbt_deploy, and re-create reporting.daily_revenue from its definition so it "
       "reads the new objects. Readers see version 1 or version 2, never a mix.");
  ShowOids();
  if (Status st = ex.RunPhase(plans::PhaseKind::kPromote); !st.ok()) {
    return Fail(st);
  }
  ShowOids();
  ShowUsersView();
  Say("   (the refunded order of 2026-11-01 no longer counts: version 2 is live)");

  Step(5, "status",
       "Where the deployment stands, from the catalog and the journal (schema bgplan).");
  if (Status st = ex.PrintStatus(); !st.ok()) {
    return Fail(st);
  }

  Step(6, "rollback",
       "Version 2 turns out wrong: swap back (the same three renames) and re-point the view "
       "again. Possible until cleanup, because the old schema was kept as marts_dbt_deploy.");
  if (Status st = ex.RunPhase(plans::PhaseKind::kRollback); !st.ok()) {
    return Fail(st);
  }
  ShowUsersView();

  Step(7, "promote again", "The fix is in; promote version 2 again.");
  if (Status st = ex.RunPhase(plans::PhaseKind::kPromote); !st.ok()) {
    return Fail(st);
  }
  ShowUsersView();

  Step(8, "cleanup",
       "keep_blue has passed (0s in this demo): drop the old schema, now named marts_dbt_deploy, "
       "after checking that nothing outside it would go with it.");
  if (Status st = ex.RunPhase(plans::PhaseKind::kCleanup); !st.ok()) {
    return Fail(st);
  }
  ShowOids();
  if (Status st = ex.PrintStatus(); !st.ok()) {
    return Fail(st);
  }
  ex.Unlock();
  session_->Close();
  SetInterruptCallback(nullptr);
  Say("\nStopping the server and removing its data directory.");
  pg_.Stop();
  Say("Done: init -> deploy -> await -> promote -> status -> rollback -> promote -> cleanup.");
  return kExitOk;
}

}  // namespace

int RunDemo(const GlobalOptions& global, const Compile& compile) {
  InstallInterruptHandler();
  EventSink sink(ToOutput(global));
  Demo demo(sink, compile);
  int code = demo.Run();
  if (Interrupted() && code != kExitOk) {
    code = kExitInterrupted;
  }
  sink.Result("demo", code);
  return code;
}

}  // namespace bgplan::runtime
