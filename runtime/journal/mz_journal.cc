// The Materialize journal: runs, run_objects (the recorded ids), events, all text columns.
// Materialize runs no writes inside a DDL transaction, so each write is its own statement; the
// ids a write records are read just before it (an INSERT cannot read the catalog).
#include <chrono>
#include <set>

#include "runtime/events.h"
#include "runtime/journal/journal.h"
#include "sql/quote.h"
#include "support/strings.h"

namespace bgplan::runtime {

using sql::QuoteIdent;
using sql::QuoteLiteral;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string InList(const std::vector<std::string>& items) {
  std::string in;
  for (const std::string& i : items) {
    in += (in.empty() ? "" : ", ") + QuoteLiteral(i);
  }
  return in.empty() ? "NULL" : in;
}

class MaterializeJournal : public Journal {
 public:
  explicit MaterializeJournal(std::string schema) : Journal(std::move(schema)) {}

  Result<bool> Exists(SqlSession& session) override {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query("SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON "
                                 "t.schema_id = s.id JOIN mz_databases d ON s.database_id = d.id "
                                 "WHERE d.name = current_database() AND s.name = " +
                                 QuoteLiteral(schema_) +
                                 " AND t.name IN ('runs', 'run_objects', 'events')"));
    return !rows.empty() && rows[0][0] == "3";
  }

  Result<std::vector<std::string>> MissingGrants(SqlSession& session) override {
    // The privileges the role holds on the journal, directly, through a role or PUBLIC (an
    // owner's are in the object's privileges too): from the catalog, which any role may read.
    BGPLAN_ASSIGN_OR_RETURN(Rows me,
                            session.Query("SELECT current_user, mz_is_superuser()::text"));
    if (me.empty() || me[0][1] == "true") {
      return std::vector<std::string>{};
    }
    const std::string user = QuoteIdent(me[0][0]);
    const std::string schema = QuoteLiteral(schema_);
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT '', privilege_type FROM mz_internal.mz_show_my_schema_privileges "
                      "WHERE database = current_database() AND name = " + schema +
                      " UNION ALL SELECT name, privilege_type FROM "
                      "mz_internal.mz_show_my_object_privileges WHERE database = "
                      "current_database() AND schema = " + schema +
                      " AND name IN ('runs', 'run_objects', 'events')"));
    std::set<std::pair<std::string, std::string>> held;
    for (const Row& r : rows) {
      held.insert({r[0], r[1]});
    }
    // What each table's writes need (UPDATE and DELETE read the rows they change).
    const std::pair<const char*, std::vector<const char*>> kNeeds[] = {
        {"", {"USAGE"}},
        {"runs", {"SELECT", "INSERT", "UPDATE"}},
        {"run_objects", {"SELECT", "INSERT", "DELETE"}},
        {"events", {"SELECT", "INSERT"}},
    };
    std::vector<std::string> grants;
    for (const auto& [table, needs] : kNeeds) {
      std::vector<std::string> lacking;
      for (const char* privilege : needs) {
        if (!held.count({table, privilege})) {
          lacking.push_back(privilege);
        }
      }
      if (lacking.empty()) {
        continue;
      }
      grants.push_back(*table == '\0' ? "GRANT USAGE ON SCHEMA " + QuoteIdent(schema_) + " TO " +
                                             user
                                       : "GRANT " + Join(lacking, ", ") + " ON TABLE " +
                                             Table(table) + " TO " + user);
    }
    return grants;
  }

  Status Ensure(SqlSession& session) override {
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (exists) {
      // A journal made before the fingerprint column gets it where the server allows ALTER
      // TABLE ... ADD COLUMN (Materialize: behind enable_alter_table_add_column); otherwise the
      // fingerprint is journaled as the run's `fingerprint` event.
      if (!HasFingerprintColumn(session)) {
        (void)session.Exec("ALTER TABLE " + Table("runs") + " ADD COLUMN fingerprint text;");
      }
      return Status::Ok();
    }
    BGPLAN_RETURN_IF_ERROR(session.Exec("CREATE SCHEMA IF NOT EXISTS " + QuoteIdent(schema_)));
    BGPLAN_ASSIGN_OR_RETURN(
        Rows have, session.Query("SELECT t.name FROM mz_tables t JOIN mz_schemas s ON "
                                 "t.schema_id = s.id JOIN mz_databases d ON s.database_id = d.id "
                                 "WHERE d.name = current_database() AND s.name = " +
                                 QuoteLiteral(schema_)));
    std::set<std::string> names;
    for (const Row& r : have) {
      names.insert(r[0]);
    }
    const std::pair<const char*, const char*> kTables[] = {
        {"runs",
         "(run_id text, deployment text, phase text, status text, actor text, host text, "
         "git_commit text, started_at text, updated_at text, promoted_at_ms text, "
         "fingerprint text)"},
        {"run_objects",
         "(run_id text, kind text, blue text, green text, blue_id text, green_id text)"},
        {"events", "(at text, run_id text, deployment text, phase text, type text, message text)"},
    };
    for (const auto& [name, cols] : kTables) {
      if (!names.count(name)) {
        BGPLAN_RETURN_IF_ERROR(
            session.Exec(std::string("CREATE TABLE ") + Table(name) + " " + cols));
      }
    }
    return Status::Ok();
  }

  Result<std::map<std::string, resolve::RunFacts>> ActiveRuns(
      SqlSession& session, const std::vector<std::string>& deployments) override {
    return Runs(session, deployments, true);
  }

  Result<std::optional<resolve::RunFacts>> LatestRun(SqlSession& session,
                                                     const std::string& deployment) override {
    BGPLAN_ASSIGN_OR_RETURN(auto runs, Runs(session, {deployment}, false));
    if (runs.empty()) {
      return std::optional<resolve::RunFacts>();
    }
    return std::optional<resolve::RunFacts>(runs.begin()->second);
  }

  Result<std::vector<JournalEvent>> Events(SqlSession& session, const std::string& deployment,
                                           int limit) override {
    std::vector<JournalEvent> events;
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (!exists) {
      return events;
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query("SELECT at, COALESCE(run_id, ''), phase, type, message FROM " +
                                 Table("events") + " WHERE deployment = " +
                                 QuoteLiteral(deployment) + " ORDER BY at DESC LIMIT " +
                                 std::to_string(limit)));
    for (const Row& r : rows) {
      events.push_back({r[0], r[1], r[2], r[3], r[4]});
    }
    return events;
  }

  Result<std::vector<std::string>> Statements(SqlSession& session,
                                              const resolve::JournalOp& op) override {
    using Kind = resolve::JournalOp::Kind;
    const std::string now = QuoteLiteral(UtcNow());
    switch (op.kind) {
      case Kind::kStartRun: {
        // Without the fingerprint column (an old journal, see Ensure), the fingerprint is the
        // run's `fingerprint` event.
        const bool column = HasFingerprintColumn(session);
        std::vector<std::string> out = {
            "INSERT INTO " + Table("runs") +
            " (run_id, deployment, phase, status, actor, host, git_commit, started_at, "
            "updated_at, promoted_at_ms" +
            (column ? ", fingerprint" : "") + ") VALUES (" + QuoteLiteral(op.run_id) + ", " +
            QuoteLiteral(op.deployment) + ", " + QuoteLiteral(op.phase) + ", 'active', " +
            QuoteLiteral(op.actor) + ", " + QuoteLiteral(op.host) + ", " +
            QuoteLiteral(op.git_commit) + ", " + now + ", " + now + ", ''" +
            (column ? ", " + QuoteLiteral(op.fingerprint) : "") + ");"};
        if (!column) {
          out.push_back(EventSql(op.run_id, op.deployment, "init", "fingerprint", op.fingerprint));
        }
        return out;
      }
      case Kind::kRecordIds: {
        // The ids under each name now (the objects this run may have just created).
        std::string where = "false";
        std::vector<std::string> clusters;
        for (const resolve::RecordedObject& o : op.objects) {
          if (o.kind == plans::ObjectKind::kSchema) {
            where += " OR (d.name = " + QuoteLiteral(o.database) + " AND s.name IN (" +
                     QuoteLiteral(o.blue) + ", " + QuoteLiteral(o.green) + "))";
          } else {
            clusters.push_back(o.blue);
            clusters.push_back(o.green);
          }
        }
        BGPLAN_ASSIGN_OR_RETURN(
            Rows rows,
            session.Query("SELECT 'schema', d.name, s.name, s.id FROM mz_schemas s JOIN "
                          "mz_databases d ON s.database_id = d.id WHERE " +
                          where + " UNION ALL SELECT 'cluster', '', name, id FROM mz_clusters "
                          "WHERE name IN (" +
                          InList(clusters) + ")"));
        auto id_of = [&rows](const char* kind, const std::string& db, const std::string& name) {
          for (const Row& r : rows) {
            if (r[0] == kind && r[1] == db && r[2] == name) {
              return r[3];
            }
          }
          return std::string();
        };
        std::vector<std::string> out = {"DELETE FROM " + Table("run_objects") +
                                        " WHERE run_id = " + QuoteLiteral(op.run_id) + ";"};
        std::string values;
        for (const resolve::RecordedObject& o : op.objects) {
          const bool schema = o.kind == plans::ObjectKind::kSchema;
          const char* kind = schema ? "schema" : "cluster";
          const std::string db = schema ? o.database : "";
          values += std::string(values.empty() ? "" : ", ") + "(" + QuoteLiteral(op.run_id) +
                    ", '" + kind + "', " + QuoteLiteral(o.blue) + ", " + QuoteLiteral(o.green) +
                    ", " + QuoteLiteral(id_of(kind, db, o.blue)) + ", " +
                    QuoteLiteral(id_of(kind, db, o.green)) + ")";
        }
        if (!values.empty()) {
          out.push_back("INSERT INTO " + Table("run_objects") + " VALUES " + values + ";");
        }
        return out;
      }
      case Kind::kSetPhase: {
        std::string sql =
            "UPDATE " + Table("runs") + " SET phase = " + QuoteLiteral(op.phase) + ", updated_at = " + now;
        if (!op.status.empty()) {
          sql += ", status = " + QuoteLiteral(op.status);
        }
        if (op.phase == "promoted") {
          sql += ", promoted_at_ms = " + QuoteLiteral(std::to_string(NowMs()));
        }
        return std::vector<std::string>{sql + " WHERE run_id = " + QuoteLiteral(op.run_id) + ";"};
      }
      case Kind::kEvent:
        return std::vector<std::string>{
            EventSql(op.run_id, op.deployment, op.phase, op.type, op.message)};
    }
    return std::vector<std::string>{};
  }

 private:
  std::string EventSql(const std::string& run, const std::string& deployment,
                       const std::string& phase, const std::string& type,
                       const std::string& message) const {
    return "INSERT INTO " + Table("events") + " VALUES (" + QuoteLiteral(UtcNow()) + ", " +
           QuoteLiteral(run) + ", " + QuoteLiteral(deployment) + ", " + QuoteLiteral(phase) +
           ", " + QuoteLiteral(type) + ", " + QuoteLiteral(message) + ");";
  }

  bool HasFingerprintColumn(SqlSession& session) {
    return session.Query("SELECT fingerprint FROM " + Table("runs") + " LIMIT 0").ok();
  }

  // The runs of `deployments` (only active ones when `active`), newest per deployment, with
  // their recorded ids and fingerprints: three queries whatever the number of deployments.
  Result<std::map<std::string, resolve::RunFacts>> Runs(SqlSession& session,
                                                        const std::vector<std::string>& deployments,
                                                        bool active) {
    std::map<std::string, resolve::RunFacts> out;
    BGPLAN_ASSIGN_OR_RETURN(bool exists, Exists(session));
    if (!exists || deployments.empty()) {
      return out;
    }
    const bool column = HasFingerprintColumn(session);
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT run_id, deployment, phase, status, COALESCE(promoted_at_ms, ''), "
                      "COALESCE(actor, ''), COALESCE(host, ''), COALESCE(git_commit, ''), "
                      "COALESCE(started_at, ''), " +
                      std::string(column ? "COALESCE(fingerprint, '')" : "''") + " FROM " +
                      Table("runs") + " WHERE deployment IN (" + InList(deployments) + ")" +
                      (active ? " AND status = 'active'" : "") + " ORDER BY started_at DESC"));
    std::vector<std::string> ids;
    for (const Row& r : rows) {
      if (out.count(r[1])) {
        continue;
      }
      resolve::RunFacts run;
      run.id = r[0];
      run.phase = r[2];
      run.status = r[3];
      run.promoted_at = r[4];
      run.ms_since_promoted = r[4].empty() ? -1 : NowMs() - std::stoll(r[4]);
      run.actor = r[5];
      run.host = r[6];
      run.git_commit = r[7];
      run.started_at = r[8];
      run.fingerprint = r[9];
      ids.push_back(run.id);
      out.emplace(r[1], std::move(run));
    }
    if (ids.empty()) {
      return out;
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows objects, session.Query("SELECT run_id, kind, blue, green, blue_id, green_id FROM " +
                                    Table("run_objects") + " WHERE run_id IN (" + InList(ids) +
                                    ")"));
    std::vector<std::string> without_fingerprint;
    for (auto& [deployment, run] : out) {
      for (const Row& o : objects) {
        if (o[0] == run.id) {
          resolve::RecordedObject rec;
          rec.kind = o[1] == "cluster" ? plans::ObjectKind::kCluster : plans::ObjectKind::kSchema;
          rec.blue = o[2];
          rec.green = o[3];
          rec.blue_id = o[4];
          rec.green_id = o[5];
          run.objects.push_back(std::move(rec));
        }
      }
      if (run.fingerprint.empty()) {
        without_fingerprint.push_back(run.id);
      }
    }
    if (!without_fingerprint.empty()) {
      BGPLAN_ASSIGN_OR_RETURN(
          Rows events, session.Query("SELECT run_id, message FROM " + Table("events") +
                                     " WHERE type = 'fingerprint' AND run_id IN (" +
                                     InList(without_fingerprint) + ") ORDER BY at"));
      for (auto& [deployment, run] : out) {
        for (const Row& e : events) {
          if (e[0] == run.id) {
            run.fingerprint = e[1];
          }
        }
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Journal> MakeMaterializeJournal(std::string schema) {
  return std::make_unique<MaterializeJournal>(std::move(schema));
}

}  // namespace bgplan::runtime
