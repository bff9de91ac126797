#include "runtime/journal.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

#include "sql/quote.h"

namespace bgplan::runtime {

using sql::QuoteIdent;
using sql::QuoteLiteral;

std::string Journal::Table(const char* name) const { return QuoteIdent(schema_) + "." + name; }

Status Journal::Ensure(SqlSession& session) const {
  std::string s = QuoteIdent(schema_);
  std::string sql =
      "BEGIN; CREATE SCHEMA IF NOT EXISTS " + s +
      "; "
      "COMMENT ON SCHEMA " +
      s +
      " IS 'bgplan journal: deployment runs and their events'; "
      "CREATE TABLE IF NOT EXISTS " +
      s +
      ".runs ("
      " id text PRIMARY KEY, deployment text NOT NULL, database text NOT NULL,"
      " fingerprint text NOT NULL DEFAULT '', actor text NOT NULL, host text NOT NULL,"
      " git_commit text NOT NULL DEFAULT '', objects jsonb NOT NULL,"
      " phase text NOT NULL, status text NOT NULL,"
      " started_at timestamptz NOT NULL DEFAULT now(),"
      " updated_at timestamptz NOT NULL DEFAULT now(), promoted_at timestamptz); "
      "CREATE INDEX IF NOT EXISTS runs_deployment ON " +
      s +
      ".runs (deployment, started_at); "
      "CREATE TABLE IF NOT EXISTS " +
      s +
      ".events ("
      " id bigserial PRIMARY KEY, run_id text, deployment text NOT NULL, phase text NOT NULL,"
      " type text NOT NULL, message text NOT NULL, at timestamptz NOT NULL DEFAULT now()); "
      "COMMIT;";
  Status st = session.Exec(sql);
  if (!st.ok()) {
    (void)session.Exec("ROLLBACK");
    // Two first runs creating the journal at once: the loser sees a unique violation; the
    // winner's tables are there now.
    if (st.sqlstate() == "23505" || st.sqlstate() == "42P07") {
      st = session.Exec(sql);
      if (!st.ok()) {
        (void)session.Exec("ROLLBACK");
      }
    }
  }
  return st;
}

Result<bool> Journal::Exists(SqlSession& session) const {
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT (to_regclass(" + QuoteLiteral(QuoteIdent(schema_) + ".runs") +
                    ") IS NOT NULL AND to_regclass(" +
                    QuoteLiteral(QuoteIdent(schema_) + ".events") + ") IS NOT NULL)::text"));
  return rows[0][0] == "true";
}

namespace {

Result<std::optional<RunRecord>> ReadRun(SqlSession& session, const std::string& sql) {
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query(sql));
  if (rows.empty()) {
    return std::optional<RunRecord>();
  }
  const Row& r = rows[0];
  RunRecord run;
  run.id = r[0];
  run.deployment = r[1];
  run.fingerprint = r[2];
  run.actor = r[3];
  run.host = r[4];
  run.git_commit = r[5];
  nlohmann::json objects = nlohmann::json::parse(r[6], nullptr, /*allow_exceptions=*/false);
  if (objects.is_array()) {
    for (const auto& o : objects) {
      RecordedPair p;
      p.blue = o.value("blue", "");
      p.green = o.value("green", "");
      p.blue_oid = o.value("blue_oid", 0u);
      p.green_oid = o.value("green_oid", 0u);
      run.pairs.push_back(p);
    }
  }
  run.phase = r[7];
  run.status = r[8];
  run.started_at = r[9];
  run.updated_at = r[10];
  run.ms_since_promoted = r[11].empty() ? -1 : std::stoll(r[11]);
  return std::optional<RunRecord>(std::move(run));
}

std::string RunColumns() {
  return "SELECT id, deployment, fingerprint, actor, host, git_commit, objects::text, phase, "
         "status, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
         "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
         "(extract(epoch FROM clock_timestamp() - promoted_at) * 1000)::bigint::text ";
}

}  // namespace

Result<std::optional<RunRecord>> Journal::NewestRun(SqlSession& session,
                                                    const std::string& deployment,
                                                    const std::string& condition) const {
  BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
  if (!exists) {
    return std::optional<RunRecord>();
  }
  return ReadRun(session, RunColumns() + "FROM " + Table("runs") +
                              " WHERE deployment = " + QuoteLiteral(deployment) + condition +
                              " ORDER BY started_at DESC, id DESC LIMIT 1");
}

Result<std::optional<RunRecord>> Journal::ActiveRun(SqlSession& session,
                                                    const std::string& deployment) const {
  return NewestRun(session, deployment, " AND status = 'active'");
}

Result<std::optional<RunRecord>> Journal::LatestRun(SqlSession& session,
                                                    const std::string& deployment) const {
  return NewestRun(session, deployment, "");
}

Result<std::vector<JournalEvent>> Journal::Events(SqlSession& session,
                                                  const std::string& deployment, int limit) const {
  std::vector<JournalEvent> events;
  BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
  if (!exists) {
    return events;
  }
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT * FROM (SELECT to_char(at AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(run_id, ''), phase, type, "
                    "message, id FROM " +
                    Table("events") + " WHERE deployment = " + QuoteLiteral(deployment) +
                    " ORDER BY id DESC LIMIT " + std::to_string(limit) + ") e ORDER BY id"));
  for (const Row& r : rows) {
    events.push_back({r[0], r[1], r[2], r[3], r[4]});
  }
  return events;
}

std::string Journal::InsertRunSql(const RunRecord& run) const {
  // The oids are read by name inside the phase's transaction, after the green schemas were
  // created: they are the ids that decide the deployment's state from then on.
  auto oid_of = [](const std::string& name) {
    return "(SELECT oid::bigint FROM pg_namespace WHERE nspname = " + QuoteLiteral(name) + ")";
  };
  std::string objects = "jsonb_build_array(";
  for (size_t i = 0; i < run.pairs.size(); ++i) {
    const RecordedPair& p = run.pairs[i];
    objects += std::string(i ? ", " : "") + "jsonb_build_object('blue', " + QuoteLiteral(p.blue) +
               ", 'green', " + QuoteLiteral(p.green) + ", 'blue_oid', " + oid_of(p.blue) +
               ", 'green_oid', " + oid_of(p.green) + ")";
  }
  objects += ")";
  return "INSERT INTO " + Table("runs") +
         " (id, deployment, database, fingerprint, actor, host, git_commit, objects, phase, "
         "status) VALUES (" +
         QuoteLiteral(run.id) + ", " + QuoteLiteral(run.deployment) + ", current_database(), " +
         QuoteLiteral(run.fingerprint) + ", " + QuoteLiteral(run.actor) + ", " +
         QuoteLiteral(run.host) + ", " + QuoteLiteral(run.git_commit) + ", " + objects + ", " +
         QuoteLiteral(run.phase) + ", 'active');";
}

std::string Journal::UpdatePhaseSql(const std::string& run_id, const std::string& phase,
                                    const std::string& status) const {
  std::string sql =
      "UPDATE " + Table("runs") + " SET phase = " + QuoteLiteral(phase) + ", updated_at = now()";
  if (!status.empty()) {
    sql += ", status = " + QuoteLiteral(status);
  }
  if (phase == "promoted") {
    sql += ", promoted_at = now()";
  }
  return sql + " WHERE id = " + QuoteLiteral(run_id) + ";";
}

std::string Journal::EventSql(const std::string& run_id, const std::string& deployment,
                              const std::string& phase, const std::string& type,
                              const std::string& message) const {
  return "INSERT INTO " + Table("events") + " (run_id, deployment, phase, type, message) VALUES (" +
         (run_id.empty() ? std::string("NULL") : QuoteLiteral(run_id)) + ", " +
         QuoteLiteral(deployment) + ", " + QuoteLiteral(phase) + ", " + QuoteLiteral(type) + ", " +
         QuoteLiteral(message) + ");";
}

std::string NewRunId(const std::string& deployment) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
  std::random_device rd;
  char hex[16];
  std::snprintf(hex, sizeof(hex), "%08x", rd());
  return deployment + "-" + stamp + "-" + hex;
}

}  // namespace bgplan::runtime
