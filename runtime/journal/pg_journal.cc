// The PostgreSQL journal: runs (the recorded oids as jsonb), events. Its writes are plain SQL
// that reads what it records by name, so they run inside the phase's transaction and commit with
// it or not at all.
#include <nlohmann/json.hpp>

#include "runtime/journal/journal.h"
#include "sql/quote.h"

namespace bgplan::runtime {

using sql::QuoteIdent;
using sql::QuoteLiteral;

std::string Journal::Table(const char* name) const { return QuoteIdent(schema_) + "." + name; }

namespace {

std::string RunColumns() {
  return "SELECT id, deployment, fingerprint, actor, host, git_commit, objects::text, phase, "
         "status, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
         "(extract(epoch FROM clock_timestamp() - promoted_at) * 1000)::bigint::text, "
         "coalesce(to_char(promoted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '') ";
}

resolve::RunFacts ReadRun(const Row& r) {
  resolve::RunFacts run;
  run.id = r[0];
  run.fingerprint = r[2];
  run.actor = r[3];
  run.host = r[4];
  run.git_commit = r[5];
  nlohmann::json objects = nlohmann::json::parse(r[6], nullptr, /*allow_exceptions=*/false);
  if (objects.is_array()) {
    for (const auto& o : objects) {
      resolve::RecordedObject rec;
      rec.kind = plans::ObjectKind::kSchema;
      rec.blue = o.value("blue", "");
      rec.green = o.value("green", "");
      auto id = [&](const char* key) {
        return o.contains(key) && o[key].is_number() ? std::to_string(o[key].get<uint64_t>())
                                                     : std::string();
      };
      rec.blue_id = id("blue_oid");
      rec.green_id = id("green_oid");
      run.objects.push_back(std::move(rec));
    }
  }
  run.phase = r[7];
  run.status = r[8];
  run.started_at = r[9];
  run.ms_since_promoted = r[10].empty() ? -1 : std::stoll(r[10]);
  run.promoted_at = r[11];
  return run;
}

class PostgresJournal : public Journal {
 public:
  explicit PostgresJournal(std::string schema) : Journal(std::move(schema)) {}

  Result<bool> Exists(SqlSession& session) override {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        // By name in the catalog, not to_regclass: a role without USAGE on the schema learns
        // that the journal exists (and journal-access says what it lacks), not an error.
        session.Query("SELECT (count(*) = 2)::text FROM pg_catalog.pg_class c JOIN "
                      "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
                      QuoteLiteral(schema_) +
                      " AND c.relname IN ('runs', 'events') AND c.relkind IN ('r', 'p')"));
    return !rows.empty() && rows[0][0] == "true";
  }

  Result<std::vector<std::string>> MissingGrants(SqlSession& session) override {
    // has_*_privilege with one privilege each (a list is true when any is held).
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query(
            "SELECT has_schema_privilege(n.oid, 'USAGE')::text, "
            "coalesce((SELECT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, "
            "'INSERT') AND has_table_privilege(c.oid, 'UPDATE'))::text FROM pg_class c WHERE "
            "c.relnamespace = n.oid AND c.relname = 'runs'), 'true'), "
            "coalesce((SELECT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, "
            "'INSERT'))::text FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = "
            "'events'), 'true'), "
            "coalesce((SELECT bool_and(has_sequence_privilege(c.oid, 'USAGE'))::text FROM pg_class "
            "c WHERE c.relnamespace = n.oid AND c.relkind = 'S'), 'true'), "
            "current_user FROM pg_namespace n WHERE n.nspname = " + QuoteLiteral(schema_)));
    std::vector<std::string> grants;
    if (rows.empty()) {
      return grants;
    }
    // Granted by the journal's owner to this role (by name: CURRENT_USER would be the owner).
    const std::string s = QuoteIdent(schema_);
    const std::string me = " TO " + QuoteIdent(rows[0][4]);
    if (rows[0][0] != "true") {
      grants.push_back("GRANT USAGE ON SCHEMA " + s + me);
    }
    if (rows[0][1] != "true") {
      grants.push_back("GRANT SELECT, INSERT, UPDATE ON " + s + ".runs" + me);
    }
    if (rows[0][2] != "true") {
      grants.push_back("GRANT SELECT, INSERT ON " + s + ".events" + me);
    }
    if (rows[0][3] != "true") {
      grants.push_back("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + me);
    }
    return grants;
  }

  Status Ensure(SqlSession& session) override {
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (exists) {
      return Status::Ok();
    }
    const std::string s = QuoteIdent(schema_);
    const std::string sql =
        "BEGIN; CREATE SCHEMA IF NOT EXISTS " + s + "; COMMENT ON SCHEMA " + s +
        " IS 'bgplan journal: deployment runs and their events'; CREATE TABLE IF NOT EXISTS " + s +
        ".runs ( id text PRIMARY KEY, deployment text NOT NULL, database text NOT NULL,"
        " fingerprint text NOT NULL DEFAULT '', actor text NOT NULL, host text NOT NULL,"
        " git_commit text NOT NULL DEFAULT '', objects jsonb NOT NULL,"
        " phase text NOT NULL, status text NOT NULL,"
        " started_at timestamptz NOT NULL DEFAULT now(),"
        " updated_at timestamptz NOT NULL DEFAULT now(), promoted_at timestamptz); "
        "CREATE INDEX IF NOT EXISTS runs_deployment ON " + s +
        ".runs (deployment, started_at); CREATE TABLE IF NOT EXISTS " + s +
        ".events ( id bigserial PRIMARY KEY, run_id text, deployment text NOT NULL, phase text "
        "NOT NULL, type text NOT NULL, message text NOT NULL, at timestamptz NOT NULL DEFAULT "
        "now()); COMMIT;";
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

  Result<std::map<std::string, resolve::RunFacts>> ActiveRuns(
      SqlSession& session, const std::vector<std::string>& deployments) override {
    std::map<std::string, resolve::RunFacts> out;
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (!exists || deployments.empty()) {
      return out;
    }
    std::string in;
    for (const std::string& d : deployments) {
      in += (in.empty() ? "" : ", ") + QuoteLiteral(d);
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query(RunColumns() + "FROM " + Table("runs") +
                                 " WHERE status = 'active' AND deployment IN (" + in +
                                 ") ORDER BY deployment, started_at DESC, id DESC"));
    for (const Row& r : rows) {
      if (!out.count(r[1])) {
        out.emplace(r[1], ReadRun(r));
      }
    }
    return out;
  }

  Result<std::optional<resolve::RunFacts>> LatestRun(SqlSession& session,
                                                     const std::string& deployment) override {
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (!exists) {
      return std::optional<resolve::RunFacts>();
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query(RunColumns() + "FROM " + Table("runs") + " WHERE deployment = " +
                                 QuoteLiteral(deployment) +
                                 " ORDER BY started_at DESC, id DESC LIMIT 1"));
    if (rows.empty()) {
      return std::optional<resolve::RunFacts>();
    }
    return std::optional<resolve::RunFacts>(ReadRun(rows[0]));
  }

  Result<std::vector<JournalEvent>> Events(SqlSession& session, const std::string& deployment,
                                           int limit) override {
    std::vector<JournalEvent> events;
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (!exists) {
      return events;
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                      "coalesce(run_id, ''), phase, type, message FROM " +
                      Table("events") + " WHERE deployment = " + QuoteLiteral(deployment) +
                      " ORDER BY id DESC LIMIT " + std::to_string(limit)));
    for (const Row& r : rows) {
      events.push_back({r[0], r[1], r[2], r[3], r[4]});
    }
    return events;
  }

  Result<std::vector<std::string>> Statements(SqlSession&,
                                              const resolve::JournalOp& op) override {
    using Kind = resolve::JournalOp::Kind;
    switch (op.kind) {
      case Kind::kStartRun:
        return std::vector<std::string>{
            "INSERT INTO " + Table("runs") +
            " (id, deployment, database, fingerprint, actor, host, git_commit, objects, phase, "
            "status) VALUES (" +
            QuoteLiteral(op.run_id) + ", " + QuoteLiteral(op.deployment) +
            ", current_database(), " + QuoteLiteral(op.fingerprint) + ", " +
            QuoteLiteral(op.actor) + ", " + QuoteLiteral(op.host) + ", " +
            QuoteLiteral(op.git_commit) + ", '[]'::jsonb, " + QuoteLiteral(op.phase) +
            ", 'active');"};
      case Kind::kRecordIds: {
        // The oids are read by name when the statement runs, inside the phase's transaction:
        // they are the ids that decide the deployment's state from then on.
        auto oid_of = [](const std::string& name) {
          return "(SELECT oid::bigint FROM pg_namespace WHERE nspname = " + QuoteLiteral(name) +
                 ")";
        };
        std::string objects = "jsonb_build_array(";
        bool first = true;
        for (const resolve::RecordedObject& o : op.objects) {
          objects += std::string(first ? "" : ", ") + "jsonb_build_object('blue', " +
                     QuoteLiteral(o.blue) + ", 'green', " + QuoteLiteral(o.green) +
                     ", 'blue_oid', " + oid_of(o.blue) + ", 'green_oid', " + oid_of(o.green) + ")";
          first = false;
        }
        return std::vector<std::string>{"UPDATE " + Table("runs") + " SET objects = " + objects +
                                        "), updated_at = now() WHERE id = " +
                                        QuoteLiteral(op.run_id) + ";"};
      }
      case Kind::kSetPhase: {
        std::string sql = "UPDATE " + Table("runs") + " SET phase = " + QuoteLiteral(op.phase) +
                          ", updated_at = now()";
        if (!op.status.empty()) {
          sql += ", status = " + QuoteLiteral(op.status);
        }
        if (op.phase == "promoted") {
          sql += ", promoted_at = now()";
        }
        return std::vector<std::string>{sql + " WHERE id = " + QuoteLiteral(op.run_id) + ";"};
      }
      case Kind::kEvent:
        return std::vector<std::string>{
            "INSERT INTO " + Table("events") +
            " (run_id, deployment, phase, type, message) VALUES (" +
            (op.run_id.empty() ? std::string("NULL") : QuoteLiteral(op.run_id)) + ", " +
            QuoteLiteral(op.deployment) + ", " + QuoteLiteral(op.phase) + ", " +
            QuoteLiteral(op.type) + ", " + QuoteLiteral(op.message) + ");"};
    }
    return std::vector<std::string>{};
  }
};

}  // namespace

std::unique_ptr<Journal> MakePostgresJournal(std::string schema) {
  return std::make_unique<PostgresJournal>(std::move(schema));
}

}  // namespace bgplan::runtime
