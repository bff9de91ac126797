#include "runtime/mz_executor.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "sql/dialect.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "support/terminal_text.h"
#include "plans/fingerprint.h"
#include "runtime/fault.h"
#include "runtime/host_info.h"
#include "runtime/interrupt.h"
#include "runtime/journal.h"

namespace bgplan::runtime {

using plans::ObjectKind;
using plans::PhaseKind;

const std::vector<std::string>& MzFaultPoints() {
  static const std::vector<std::string> kPoints = {
      "init:lock-pending",         // pending lock schema created and commented, not renamed
      "init:after-lock",           // lock schema taken, nothing else done
      "init:after-schemas",        // green schemas created, clusters not yet
      "init:before-journal",       // every green object exists, journal not yet updated
      "promote:after-lock",        //
      "promote:after-intent",      // intent journaled, swap not sent
      "promote:after-swap",        // swap committed, nothing journaled or tagged
      "promote:after-tag",         // swap journaled and schemas tagged, no sink re-pointed
      "promote:before-last-sink",  // every sink but the last re-pointed
      "rollback:after-swap",       // swapped back, sinks not re-pointed back
      "cleanup:after-first-drop",  // the first green object dropped
  };
  return kPoints;
}

std::string MzLockSchemaName(const std::string& deployment) { return "bgplan_lock_" + deployment; }

Result<bool> IsMaterialize(SqlSession& session) {
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query("SELECT version()"));
  return !rows.empty() && !rows[0].empty() && rows[0][0].find("Materialize") != std::string::npos;
}

namespace {

// A lock expires 5 minutes after its last refresh; a running bgplan refreshes it every minute
// (between statements and at every await poll). BGPLAN_TEST_MZ_LOCK_TTL_MS (a test hook, like
// BGPLAN_FAULT) shortens the TTL; the refresh interval is always a third of it at most.
int64_t LockTtlMs() {
  const char* env = std::getenv("BGPLAN_TEST_MZ_LOCK_TTL_MS");
  if (env != nullptr && *env != '\0') {
    int64_t v = std::atoll(env);
    if (v > 0) {
      return v;
    }
  }
  return 5 * 60 * 1000;
}
int64_t LockRefreshMs() { return std::min<int64_t>(60 * 1000, LockTtlMs() / 3); }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Lit(std::string_view s) { return sql::QuoteLiteral(s); }

const sql::Dialect& Mz() {
  static const std::unique_ptr<sql::Dialect> kDialect =
      sql::MakeDialect(plans::Target::kMaterialize);
  return *kDialect;
}

std::string UtcSeconds() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? sep : "") + v[i];
  }
  return s;
}

std::string InList(const std::vector<std::string>& names) {
  if (names.empty()) {
    return "NULL";
  }
  std::vector<std::string> q;
  for (const auto& n : names) {
    q.push_back(Lit(n));
  }
  return Join(q);
}

std::string MarkerPrefix(const std::string& deployment) {
  // MarkerText(d, id) is "bgplan deployment <d> run <id>".
  std::string full = sql::MarkerText(deployment, "X");
  return full.substr(0, full.size() - 1);
}

bool HasMarkerOf(const std::string& comment, const std::string& deployment) {
  return comment.rfind(MarkerPrefix(deployment), 0) == 0;
}

// Lock comment fields: "bgplan lock holder=<u> host=<h> pid=<p> expires_ms=<ms>".
std::string LockField(const std::string& comment, const std::string& key) {
  size_t at = comment.find(" " + key + "=");
  if (at == std::string::npos) {
    return "";
  }
  at += key.size() + 2;
  size_t end = comment.find(' ', at);
  return comment.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

struct Grant {
  std::string grantee;  // "" = PUBLIC
  std::string privilege;
  auto operator<=>(const Grant&) const = default;
};

struct DefaultPriv {
  std::string owner;  // "PUBLIC" = all roles
  std::string object_type;
  std::string grantee;
  std::string privilege;
  auto operator<=>(const DefaultPriv&) const = default;
};

struct ObjInfo {
  bool exists = false;
  std::string id;
  std::string owner_id;
  std::string comment;
  bool owned = false;
  int64_t contents = 0;  // user objects in the schema, dataflow objects on the cluster
  std::set<Grant> grants;
};

struct ClusterInfo : ObjInfo {
  bool managed = true;
  std::string size;
  std::string replication_factor;
  std::string schedule;
  std::string hydration_time_estimate;
  std::string as_size;
  std::string as_linger_secs;
  std::vector<sql::ReplicaSpec> replicas;
  std::vector<std::string> unsized;
};

struct SchemaState {
  plans::SchemaPair pair;
  std::string db;
  ObjInfo blue, green;
  std::set<DefaultPriv> blue_defaults, green_defaults;
};

struct ClusterState {
  plans::ClusterPair pair;
  ClusterInfo blue, green;
};

struct RunInfo {
  std::string id;
  std::string phase;
  std::string promoted_at_ms;
  // kind:blue -> (blue_id, green_id)
  std::map<std::string, std::pair<std::string, std::string>> objects;
};

enum class MzState { kAbsent, kInitialized, kPromoted };

struct DepState {
  const plans::Deployment* d = nullptr;
  std::vector<SchemaState> schemas;
  std::vector<ClusterState> clusters;
  std::optional<RunInfo> run;
  MzState state = MzState::kAbsent;
};

// The schema names of one side of `ds` (blue or green), by database.
using SchemasByDb = std::map<std::string, std::vector<std::string>>;
SchemasByDb SchemasOf(const DepState& ds, bool green) {
  SchemasByDb by_db;
  for (const auto& ss : ds.schemas) {
    by_db[ss.db].push_back(green ? ss.pair.green : ss.pair.blue);
  }
  return by_db;
}

// The cluster names of one side of `ds`.
std::vector<std::string> ClustersOf(const DepState& ds, bool green) {
  std::vector<std::string> names;
  for (const auto& cs : ds.clusters) {
    names.push_back(green ? cs.pair.green : cs.pair.blue);
  }
  return names;
}

struct SinkInfo {
  std::string id, db, schema, name, cluster;
  std::string up_db, up_schema, up_name;  // "" when it reads no relation
};

struct ObjRef {
  std::string id, type, db, schema, name;
  std::string cluster;  // set by OnClusters
  std::string Describe() const { return type + " " + db + "." + schema + "." + name; }
};

struct World {
  std::string user;
  std::string db;
  bool superuser = false;
  std::set<std::string> my_roles;  // ids of the current role and the roles it is a member of
  std::set<std::string> my_role_names;  // their names (not filled for a superuser)
  // The session's active cluster, on which the journal tables are read and written (catalog
  // queries run on mz_catalog_server; user tables need a cluster with replicas).
  std::string cluster;
  bool cluster_exists = false;
  int64_t cluster_replicas = 0;
  bool db_create = false, db_usage = false, createcluster = false;
  std::vector<DepState> deps;
  std::vector<SinkInfo> sinks;
};

// The green object carries this deployment's marker, or the deployment tag of its active run
// (a schema promoted then rolled back carries the tag written at promote).
bool Ours(const std::string& comment, const DepState& ds) {
  if (HasMarkerOf(comment, ds.d->name)) {
    return true;
  }
  std::string tail = "| bgplan " + (ds.run ? ds.run->id : std::string("\x01"));
  return comment.size() >= tail.size() &&
         comment.compare(comment.size() - tail.size(), tail.size(), tail) == 0;
}

std::string DbOf(const World& w, const std::string& db) { return db.empty() ? w.db : db; }

}  // namespace

// The comment of schema `s` in mz_comments `c`. Ids are allocated per kind in Materialize (a
// schema, a cluster and a table can all be u3), so the kind must be part of the match.
constexpr std::string_view kSchemaComment =
    "c.id = s.id AND c.object_type = 'schema' AND c.object_sub_id IS NULL";

struct MzExecutor::Impl {
  MzExecutor& x;
  SqlSession& s;
  explicit Impl(MzExecutor& e) : x(e), s(e.session_) {}

  std::string J(const char* table) const {
    return sql::QuoteIdent(x.options_.journal_schema) + "." + sql::QuoteIdent(table);
  }

  void Emit(const std::string& type, const std::string& dep, const std::string& msg,
            std::map<std::string, std::string> fields = {}) {
    x.sink_.Emit({type, dep, msg, std::move(fields)});
  }

  // A statement about to run (an event), or in --dry-run the statement that would run (the
  // command's product, on stdout in text mode, like the PostgreSQL executor's dry run).
  // `change`: the statement would change the database (plan --detailed-exitcode counts them).
  void Show(const std::string& dep, const std::string& phase, const std::string& sql,
            bool change = true) {
    if (x.options_.dry_run) {
      if (change) {
        ++x.changes_;
      }
      x.sink_.Product("sql", dep, sql);
    } else {
      Emit("statement", dep, "  " + sql, {{"sql", sql}, {"phase", phase}});
    }
  }

  // Refreshes the expiry of our locks when due, after checking they are still ours.
  Status MaybeRefreshLock() {
    if (x.locks_.empty() || NowMs() - x.last_refresh_ms_ < LockRefreshMs()) {
      return Status::Ok();
    }
    BGPLAN_RETURN_IF_ERROR(VerifyLocks("refreshing it"));
    for (const std::string& d : x.locks_) {
      (void)s.Exec(LockCommentSql(d));
    }
    x.last_refresh_ms_ = NowMs();
    return Status::Ok();
  }

  // Our locks still carry our comment. Two runs taking over the same expired lock at once can
  // both succeed (Materialize has no compare-and-swap DDL): the later one replaces the earlier
  // one's lock. The earlier run finds out here, at the latest right before its swap, and stops.
  Status VerifyLocks(const std::string& before) {
    for (const std::string& d : x.locks_) {
      BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, LockComment(d));
      if (!comment.has_value() || comment->rfind(LockHolderTag(), 0) != 0) {
        return Status(StatusCode::kLocked,
                      "lost the lock of deployment '" + d + "' before " + before + ": " +
                          (comment.has_value() ? "now held by " + *comment
                                               : std::string("the lock schema is gone")) +
                          " (another run took over the lock after it had expired; raise the "
                          "lock TTL if this run was merely slow)");
      }
    }
    return Status::Ok();
  }

  // One statement, one round trip.
  Status Run(const std::string& dep, const std::string& phase, const std::string& sql) {
    BGPLAN_RETURN_IF_ERROR(MaybeRefreshLock());
    Emit("statement", dep, "  " + sql, {{"sql", sql}, {"phase", phase}});
    return s.Exec(sql);
  }

  // ---- lock ----------------------------------------------------------------------------------

  // The start of this run's lock comment: who holds it.
  std::string LockHolderTag() {
    return "bgplan lock holder=" + x.session_.User() + " host=" + Hostname() +
           " pid=" + std::to_string(getpid()) + " ";
  }
  // The lock comment of `d` on `schema` (default: the lock schema).
  std::string LockCommentSql(const std::string& d, const std::string& schema = "") {
    std::string text = LockHolderTag() + "expires_ms=" + std::to_string(NowMs() + LockTtlMs());
    return sql::CommentOnSql(Mz(), ObjectKind::kSchema, "",
                              schema.empty() ? MzLockSchemaName(d) : schema, text);
  }

  Result<std::optional<std::string>> LockComment(const std::string& d) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT COALESCE((SELECT c.comment FROM mz_internal.mz_comments c WHERE " +
                std::string(kSchemaComment) +
                "), '') FROM mz_schemas s JOIN mz_databases d ON s.database_id = "
                "d.id WHERE d.name = current_database() AND s.name = " +
                Lit(MzLockSchemaName(d))));
    if (rows.empty()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(rows[0][0]);
  }

  // A lock is stale when it expired, or its holder was a process of this host that is gone.
  static bool Stale(const std::string& comment) {
    std::string exp = LockField(comment, "expires_ms");
    if (!exp.empty() && std::stoll(exp) < NowMs()) {
      return true;
    }
    std::string pid = LockField(comment, "pid");
    if (LockField(comment, "host") == Hostname() && !pid.empty()) {
      int p = std::stoi(pid);
      if (p != getpid() && kill(p, 0) != 0 && errno == ESRCH) {
        return true;
      }
    }
    return false;
  }

  // The pending lock schemas of `d` (name, comment): "bgplan_lock_<d>__p<created ms>_<pid>".
  Result<Rows> PendingLocks(const std::string& d) {
    std::string prefix = MzLockSchemaName(d) + "__p";
    return s.Query(
        "SELECT s.name, COALESCE((SELECT c.comment FROM mz_internal.mz_comments c WHERE " +
        std::string(kSchemaComment) +
        "), '') FROM mz_schemas s JOIN mz_databases d ON s.database_id = d.id WHERE "
        "d.name = current_database() AND substr(s.name, 1, " +
        std::to_string(prefix.size()) + ") = " + Lit(prefix) + " ORDER BY s.name");
  }

  // Drops the pending lock schemas of `d` left by crashed runs: those whose creation time (in
  // their name) is older than the lock TTL, or whose comment names a holder that is gone.
  Status DropStalePendingLocks(const std::string& d) {
    BGPLAN_ASSIGN_OR_RETURN(Rows pending, PendingLocks(d));
    const std::string prefix = MzLockSchemaName(d) + "__p";
    for (const Row& r : pending) {
      std::string rest = r[0].substr(prefix.size());
      size_t us = rest.find('_');
      if (us == std::string::npos || us == 0 || us + 1 >= rest.size() ||
          rest.find_first_not_of("0123456789_") != std::string::npos) {
        continue;  // not a pending lock of ours
      }
      int64_t created = std::atoll(rest.substr(0, us).c_str());
      bool stale = created + LockTtlMs() < NowMs() || (!r[1].empty() && Stale(r[1]));
      if (!stale) {
        continue;
      }
      Emit("lock", d, "dropping the pending lock schema " + r[0] + " of a crashed run");
      Status st = s.Exec(sql::DropSchemaSql(Mz(), "", r[0]));
      if (!st.ok() && st.sqlstate() != "3F000") {
        return st;
      }
    }
    return Status::Ok();
  }

  // Taking the lock never leaves a comment-less lock schema: the lock is built under a pending
  // name, commented (holder, host, pid, expiry), then renamed onto the lock name. A rename onto
  // an existing name fails, so the lock stays exclusive; a crash before the rename leaves only
  // a pending schema, which does not block anybody and is dropped by the next run.
  Status TakeLock(const std::string& d) {
    BGPLAN_RETURN_IF_ERROR(DropStalePendingLocks(d));
    const std::string lock = MzLockSchemaName(d);
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::string pending =
          lock + "__p" + std::to_string(NowMs()) + "_" + std::to_string(getpid());
      Status st = s.Exec(sql::CreateSchemaSql(Mz(), "", pending));
      if (st.sqlstate() == "42501") {
        return Status(StatusCode::kPrecondition, "cannot take the lock of deployment '" + d +
                                                     "': creating schema " + pending +
                                                     " needs CREATE on the database " +
                                                     "[missing-privilege]: " + st.message());
      }
      BGPLAN_RETURN_IF_ERROR(st);
      st = s.Exec(LockCommentSql(d, pending));
      if (st.ok()) {
        FaultPoint(x.options_.command, "lock-pending");
        st = s.Exec("ALTER SCHEMA " + sql::QuoteIdent(pending) + " RENAME TO " +
                    sql::QuoteIdent(lock));
      }
      if (st.ok()) {
        Emit("lock", d, "locked deployment '" + d + "' (schema " + lock + ")");
        return Status::Ok();
      }
      (void)s.Exec(sql::DropSchemaSql(Mz(), "", pending));
      BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, LockComment(d));
      if (!comment.has_value()) {
        // The lock went away between our rename and this read (Materialize reports "already
        // exists" as XX000, so the SQLSTATE cannot tell): try once more.
        if (attempt == 0) {
          continue;
        }
        return st;
      }
      if (attempt == 0 && !comment->empty() && Stale(*comment)) {
        Emit("lock", d, "taking over the stale lock of deployment '" + d + "' (" + *comment + ")");
        BGPLAN_RETURN_IF_ERROR(s.Exec(sql::DropSchemaSql(Mz(), "", lock)));
        continue;
      }
      return Status(StatusCode::kLocked,
                    "deployment '" + d + "' is locked by another run: " +
                        (comment->empty() ? std::string("(lock being taken)") : *comment) +
                        " (lock schema " + lock + "; `bgplan unlock` removes a " +
                        "stale lock)");
    }
    return Status(StatusCode::kLocked, "deployment '" + d + "' is locked by another run");
  }

  // ---- journal -------------------------------------------------------------------------------

  Result<bool> JournalExists() {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, s.Query("SELECT count(*) FROM mz_tables t JOIN mz_schemas s ON t.schema_id = "
                           "s.id JOIN mz_databases d ON s.database_id = d.id WHERE d.name = "
                           "current_database() AND s.name = " +
                           Lit(x.options_.journal_schema) +
                           " AND t.name IN ('runs', 'run_objects', 'events')"));
    return rows[0][0] == "3";
  }

  Status EnsureJournal() {
    BGPLAN_ASSIGN_OR_RETURN(bool exists, JournalExists());
    if (exists) {
      return Status::Ok();
    }
    BGPLAN_RETURN_IF_ERROR(
        s.Exec("CREATE SCHEMA IF NOT EXISTS " + sql::QuoteIdent(x.options_.journal_schema)));
    BGPLAN_ASSIGN_OR_RETURN(
        Rows have, s.Query("SELECT t.name FROM mz_tables t JOIN mz_schemas s ON t.schema_id = "
                           "s.id JOIN mz_databases d ON s.database_id = d.id WHERE d.name = "
                           "current_database() AND s.name = " +
                           Lit(x.options_.journal_schema)));
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
        BGPLAN_RETURN_IF_ERROR(s.Exec(std::string("CREATE TABLE ") + J(name) + " " + cols));
      }
    }
    return Status::Ok();
  }

  // True when the runs table has the fingerprint column. A journal made before the column
  // existed gets it with ALTER TABLE ... ADD COLUMN where the server allows that (Materialize
  // only behind the enable_alter_table_add_column flag); otherwise the fingerprint of each run
  // is journaled as its `fingerprint` event (RecordFingerprint, RunFingerprint).
  Result<bool> RunsHaveFingerprint(bool add) {
    if (s.Query("SELECT fingerprint FROM " + J("runs") + " LIMIT 0").ok()) {
      return true;
    }
    if (!add) {
      return false;
    }
    return s.Exec("ALTER TABLE " + J("runs") + " ADD COLUMN fingerprint text").ok();
  }

  Status InsertRun(const std::string& run_id, const std::string& dep, const std::string& user,
                   const std::string& fingerprint) {
    BGPLAN_ASSIGN_OR_RETURN(bool column, RunsHaveFingerprint(true));
    BGPLAN_RETURN_IF_ERROR(s.Exec(
        "INSERT INTO " + J("runs") +
        " (run_id, deployment, phase, status, actor, host, git_commit, started_at, updated_at, "
        "promoted_at_ms" +
        (column ? ", fingerprint" : "") + ") VALUES (" + Lit(run_id) + ", " + Lit(dep) +
        ", 'initializing', 'active', " + Lit(user) + ", " + Lit(Hostname()) + ", " +
        Lit(x.options_.git_commit.empty() ? GitCommit() : x.options_.git_commit) + ", " +
        Lit(UtcNow()) + ", " + Lit(UtcNow()) + ", ''" + (column ? ", " + Lit(fingerprint) : "") +
        ")"));
    if (!column) {
      BGPLAN_RETURN_IF_ERROR(Event(run_id, dep, "init", "fingerprint", fingerprint));
    }
    return Status::Ok();
  }

  // The plan fingerprint journaled for `run_id` ("" when none).
  std::string RunFingerprint(const std::string& run_id) {
    Result<Rows> rows =
        s.Query("SELECT COALESCE(fingerprint, '') FROM " + J("runs") + " WHERE run_id = " +
                Lit(run_id));
    if (rows.ok() && !rows->empty() && !(*rows)[0][0].empty()) {
      return (*rows)[0][0];
    }
    rows = s.Query("SELECT message FROM " + J("events") + " WHERE run_id = " + Lit(run_id) +
                   " AND type = 'fingerprint' ORDER BY at DESC LIMIT 1");
    return rows.ok() && !rows->empty() ? (*rows)[0][0] : "";
  }

  Status Event(const std::string& run, const std::string& dep, const std::string& phase,
               const std::string& type, const std::string& msg) {
    return s.Exec("INSERT INTO " + J("events") + " VALUES (" + Lit(UtcNow()) + ", " + Lit(run) +
                  ", " + Lit(dep) + ", " + Lit(phase) + ", " + Lit(type) + ", " + Lit(msg) + ")");
  }

  Status SetPhase(const std::string& run, const std::string& phase, const std::string& status) {
    std::string sql =
        "UPDATE " + J("runs") + " SET phase = " + Lit(phase) + ", updated_at = " + Lit(UtcNow());
    if (!status.empty()) {
      sql += ", status = " + Lit(status);
    }
    if (phase == "promoted") {
      sql += ", promoted_at_ms = " + Lit(std::to_string(NowMs()));
    }
    return s.Exec(sql + " WHERE run_id = " + Lit(run));
  }

  Result<std::optional<RunInfo>> ActiveRun(const std::string& dep, bool journal) {
    if (!journal) {
      return std::optional<RunInfo>();
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, s.Query("SELECT run_id, phase, COALESCE(promoted_at_ms, '') FROM " + J("runs") +
                           " WHERE deployment = " + Lit(dep) +
                           " AND status = 'active' ORDER BY started_at DESC LIMIT 1"));
    if (rows.empty()) {
      return std::optional<RunInfo>();
    }
    RunInfo run;
    run.id = rows[0][0];
    run.phase = rows[0][1];
    run.promoted_at_ms = rows[0][2];
    BGPLAN_ASSIGN_OR_RETURN(
        Rows objs, s.Query("SELECT kind, blue, blue_id, green_id FROM " + J("run_objects") +
                           " WHERE run_id = " + Lit(run.id)));
    for (const Row& r : objs) {
      run.objects[r[0] + ":" + r[1]] = {r[2], r[3]};
    }
    return std::optional<RunInfo>(run);
  }

  // ---- catalog -------------------------------------------------------------------------------

  Status ReadAcl(const std::string& relation, const std::string& id, std::set<Grant>* out,
                 const World& w) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT a.grantee, COALESCE(r.name, ''), a.privilege_type FROM " + relation +
                " o, mz_internal.mz_aclexplode(o.privileges) a LEFT JOIN "
                "mz_roles r ON a.grantee = r.id WHERE o.id = " +
                Lit(id)));
    for (const Row& r : rows) {
      std::string name = r[1];
      if (name.empty() && r[0] != "p") {
        continue;
      }
      if (name == "none" || name == "mz_system" || name == "mz_support" || name == w.user) {
        continue;
      }
      if (!sql::IsSqlKeyword(r[2])) {
        continue;
      }
      out->insert({name, r[2]});
    }
    return Status::Ok();
  }

  Status ReadSchema(const World& w, const std::string& db, const std::string& name, ObjInfo* o,
                    std::set<DefaultPriv>* defaults) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT s.id, s.owner_id, COALESCE((SELECT c.comment FROM mz_internal.mz_comments "
                "c WHERE " +
                std::string(kSchemaComment) +
                "), ''), (SELECT count(*) FROM mz_objects o WHERE "
                "o.schema_id = s.id AND o.id LIKE 'u%') FROM mz_schemas s JOIN mz_databases d ON "
                "s.database_id = d.id WHERE d.name = " +
                Lit(db) + " AND s.name = " + Lit(name)));
    if (rows.empty()) {
      return Status::Ok();
    }
    o->exists = true;
    o->id = rows[0][0];
    o->owner_id = rows[0][1];
    o->comment = rows[0][2];
    o->contents = std::stoll(rows[0][3]);
    o->owned = w.superuser || w.my_roles.count(o->owner_id) > 0;
    BGPLAN_RETURN_IF_ERROR(ReadAcl("mz_schemas", o->id, &o->grants, w));
    BGPLAN_ASSIGN_OR_RETURN(
        Rows defs, s.Query("SELECT object_owner, object_type, grantee, privilege_type FROM "
                           "mz_internal.mz_show_default_privileges WHERE database = " +
                           Lit(db) + " AND schema = " + Lit(name) +
                           " AND object_owner <> 'none' AND grantee <> 'none'"));
    for (const Row& r : defs) {
      DefaultPriv p{r[0], r[1], r[2], r[3]};
      for (char& c : p.object_type) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      defaults->insert(p);
    }
    return Status::Ok();
  }

  Status ReadCluster(const World& w, const std::string& name, ClusterInfo* c) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT c.id, c.owner_id, COALESCE((SELECT m.comment FROM mz_internal.mz_comments "
                "m WHERE m.id = c.id AND m.object_type = 'cluster' AND m.object_sub_id IS NULL), "
                "''), c.managed::text, COALESCE(c.size, ''), "
                "COALESCE(c.replication_factor::text, ''), COALESCE(cs.type, ''), "
                "COALESCE(cs.refresh_hydration_time_estimate::text, ''), "
                "(SELECT count(*) FROM mz_indexes i WHERE i.cluster_id = c.id AND i.id LIKE 'u%') "
                "+ (SELECT count(*) FROM mz_materialized_views i WHERE i.cluster_id = c.id AND "
                "i.id LIKE 'u%') + (SELECT count(*) FROM mz_sources i WHERE i.cluster_id = c.id "
                "AND i.id LIKE 'u%') + (SELECT count(*) FROM mz_sinks i WHERE i.cluster_id = c.id "
                "AND i.id LIKE 'u%') FROM mz_clusters c LEFT JOIN "
                "mz_internal.mz_cluster_schedules cs ON cs.cluster_id = c.id WHERE c.name = " +
                Lit(name)));
    if (rows.empty()) {
      return Status::Ok();
    }
    const Row& r = rows[0];
    c->exists = true;
    c->id = r[0];
    c->owner_id = r[1];
    c->comment = r[2];
    c->managed = r[3] == "true" || r[3] == "t";
    c->size = r[4];
    c->replication_factor = r[5];
    c->schedule = r[6];
    c->hydration_time_estimate = r[7];
    c->contents = std::stoll(r[8]);
    c->owned = w.superuser || w.my_roles.count(c->owner_id) > 0;
    BGPLAN_RETURN_IF_ERROR(ReadAcl("mz_clusters", c->id, &c->grants, w));
    Result<Rows> as = s.Query(
        "SELECT COALESCE(s.strategy->'on_hydration'->>'hydration_size', ''), "
        "COALESCE((s.strategy->'on_hydration'->'linger_duration'->>'secs')::bigint::text, '') "
        "FROM mz_internal.mz_cluster_auto_scaling_strategies s WHERE s.cluster_id = " +
        Lit(c->id));
    if (as.ok() && !as->empty()) {
      c->as_size = (*as)[0][0];
      c->as_linger_secs = (*as)[0][1];
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows reps, s.Query("SELECT cr.name, COALESCE(cr.size, ''), COALESCE(cr.availability_zone, "
                           "'') FROM mz_cluster_replicas cr LEFT JOIN "
                           "mz_internal.mz_internal_cluster_replicas icr ON icr.id = cr.id WHERE "
                           "cr.cluster_id = " +
                           Lit(c->id) + " AND icr.id IS NULL ORDER BY cr.name"));
    for (const Row& rep : reps) {
      if (rep[1].empty()) {
        c->unsized.push_back(rep[0]);
        continue;
      }
      sql::ReplicaSpec spec{rep[0], rep[1], std::nullopt};
      if (!rep[2].empty()) {
        spec.availability_zone = rep[2];
      }
      c->replicas.push_back(spec);
    }
    return Status::Ok();
  }

  Result<World> ReadWorld(bool details = true) {
    World w;
    BGPLAN_ASSIGN_OR_RETURN(
        Rows me, s.Query("SELECT current_user, current_database(), mz_is_superuser()::text, "
                         "(SELECT id FROM mz_roles WHERE name = current_user), "
                         "has_system_privilege('CREATECLUSTER')::text, "
                         "current_setting('cluster'), (SELECT count(*) FROM mz_clusters WHERE "
                         "name = current_setting('cluster'))::text, (SELECT count(*) FROM "
                         "mz_cluster_replicas r JOIN mz_clusters c ON c.id = r.cluster_id WHERE "
                         "c.name = current_setting('cluster'))::text"));
    w.cluster = me[0][5];
    w.cluster_exists = me[0][6] != "0";
    w.cluster_replicas = std::stoll(me[0][7]);
    w.user = me[0][0];
    w.db = me[0][1];
    w.superuser = me[0][2] == "true" || me[0][2] == "t";
    w.createcluster = w.superuser || me[0][4] == "true" || me[0][4] == "t";
    w.my_roles.insert(me[0][3]);
    BGPLAN_ASSIGN_OR_RETURN(Rows members, s.Query("SELECT role_id, member FROM mz_role_members"));
    for (bool grew = true; grew;) {
      grew = false;
      for (const Row& r : members) {
        if (w.my_roles.count(r[1]) && !w.my_roles.count(r[0])) {
          w.my_roles.insert(r[0]);
          grew = true;
        }
      }
    }
    if (!w.superuser) {
      BGPLAN_ASSIGN_OR_RETURN(Rows roles, s.Query("SELECT id, name FROM mz_roles"));
      for (const Row& r : roles) {
        if (w.my_roles.count(r[0])) {
          w.my_role_names.insert(r[1]);
        }
      }
      BGPLAN_ASSIGN_OR_RETURN(Rows privs,
                              s.Query("SELECT privilege_type FROM "
                                      "mz_internal.mz_show_my_database_privileges WHERE name = "
                                      "current_database()"));
      for (const Row& r : privs) {
        w.db_create |= r[0] == "CREATE";
        w.db_usage |= r[0] == "USAGE";
      }
    }
    BGPLAN_ASSIGN_OR_RETURN(bool journal, JournalExists());
    if (journal || !x.options_.dry_run) {
      BGPLAN_RETURN_IF_ERROR(CheckSessionCluster(w));
    }
    for (const auto& d : x.plan_.deployments) {
      if (!x.selected_.empty() &&
          std::find(x.selected_.begin(), x.selected_.end(), d.name) == x.selected_.end()) {
        continue;
      }
      DepState ds;
      ds.d = &d;
      for (const auto& p : d.schemas) {
        SchemaState ss;
        ss.pair = p;
        ss.db = DbOf(w, p.database);
        if (details) {
          BGPLAN_RETURN_IF_ERROR(ReadSchema(w, ss.db, p.blue, &ss.blue, &ss.blue_defaults));
          BGPLAN_RETURN_IF_ERROR(ReadSchema(w, ss.db, p.green, &ss.green, &ss.green_defaults));
        }
        ds.schemas.push_back(ss);
      }
      for (const auto& p : d.clusters) {
        ClusterState cs;
        cs.pair = p;
        if (details) {
          BGPLAN_RETURN_IF_ERROR(ReadCluster(w, p.blue, &cs.blue));
          BGPLAN_RETURN_IF_ERROR(ReadCluster(w, p.green, &cs.green));
        }
        ds.clusters.push_back(cs);
      }
      BGPLAN_ASSIGN_OR_RETURN(ds.run, ActiveRun(d.name, journal));
      ds.state = ds.run ? MzState::kInitialized : MzState::kAbsent;
      if (ds.run && details && !ds.run->objects.empty()) {
        bool all_swapped = true;
        for (const auto& ss : ds.schemas) {
          auto it = ds.run->objects.find("schema:" + ss.pair.blue);
          all_swapped &= it != ds.run->objects.end() && ss.blue.id == it->second.second;
        }
        for (const auto& cs : ds.clusters) {
          auto it = ds.run->objects.find("cluster:" + cs.pair.blue);
          all_swapped &= it != ds.run->objects.end() && cs.blue.id == it->second.second;
        }
        if (all_swapped) {
          ds.state = MzState::kPromoted;
        }
      }
      w.deps.push_back(std::move(ds));
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows sinks,
        s.Query("SELECT k.id, kd.name, ks.name, k.name, COALESCE(c.name, ''), COALESCE(od.name, "
                "''), COALESCE(os.name, ''), COALESCE(o.name, '') FROM mz_sinks k JOIN "
                "mz_schemas ks ON k.schema_id = ks.id JOIN mz_databases kd ON ks.database_id = "
                "kd.id LEFT JOIN mz_clusters c ON c.id = k.cluster_id LEFT JOIN "
                "(mz_internal.mz_object_dependencies dep JOIN mz_objects o ON o.id = "
                "dep.referenced_object_id AND o.type IN ('table', 'view', 'materialized-view', "
                "'source') JOIN mz_schemas os ON o.schema_id = os.id JOIN mz_databases od ON "
                "os.database_id = od.id) ON dep.object_id = k.id ORDER BY kd.name, ks.name, "
                "k.name"));
    for (const Row& r : sinks) {
      w.sinks.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]});
    }
    return w;
  }

  // Objects outside `schemas` (of `db`) referencing objects inside them.
  Result<std::vector<ObjRef>> Dependents(const std::string& db,
                                         const std::vector<std::string>& schemas) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT DISTINCT o.id, o.type, dd.name, ds.name, o.name FROM "
                "mz_internal.mz_object_dependencies dep JOIN mz_objects o ON o.id = "
                "dep.object_id JOIN mz_schemas ds ON o.schema_id = ds.id JOIN mz_databases dd ON "
                "ds.database_id = dd.id JOIN mz_objects r ON r.id = dep.referenced_object_id JOIN "
                "mz_schemas rs ON r.schema_id = rs.id JOIN mz_databases rd ON rs.database_id = "
                "rd.id WHERE rd.name = " +
                Lit(db) + " AND rs.name IN (" + InList(schemas) +
                ") AND NOT (dd.name = " + Lit(db) + " AND ds.name IN (" + InList(schemas) +
                ")) ORDER BY dd.name, ds.name, o.name"));
    std::vector<ObjRef> out;
    for (const Row& r : rows) {
      out.push_back({r[0], r[1], r[2], r[3], r[4], ""});
    }
    return out;
  }

  // User objects living on `clusters` outside the schemas `inside`: DROP CLUSTER ... CASCADE
  // removes them, and a swap of the clusters moves them along (so after promote they run on the
  // cluster renamed to the green name, which cleanup drops). System objects (the introspection
  // indexes every replica has, ids `s...`) are not the user's and never count.
  Result<std::vector<ObjRef>> OnClusters(const SchemasByDb& inside,
                                         const std::vector<std::string>& clusters) {
    if (clusters.empty()) {
      return std::vector<ObjRef>();
    }
    std::string in_schemas = "false";
    for (const auto& [db, schemas] : inside) {
      in_schemas += " OR (d.name = " + Lit(db) + " AND sc.name IN (" + InList(schemas) + "))";
    }
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        s.Query("SELECT o.id, o.type, d.name, sc.name, o.name, c.name FROM mz_objects o JOIN "
                "mz_clusters c ON o.cluster_id = c.id JOIN mz_schemas sc ON o.schema_id = sc.id "
                "JOIN mz_databases d ON sc.database_id = d.id WHERE o.id LIKE 'u%' AND c.name "
                "IN (" +
                InList(clusters) + ") AND NOT (" + in_schemas +
                ") ORDER BY d.name, sc.name, o.name"));
    std::vector<ObjRef> out;
    for (const Row& r : rows) {
      out.push_back({r[0], r[1], r[2], r[3], r[4], r[5]});
    }
    return out;
  }

  // The fingerprint of the facts `phase` reads (hex SHA-256): the plan file of a phase goes
  // stale only when something that phase reads changed (like the PostgreSQL executor's
  // FactsFingerprint, which names the phase too).
  Result<std::string> PhaseFingerprint(const World& w, PhaseKind phase) {
    std::string t = "mz|" + std::string(plans::PhaseName(phase)) + "|" + w.db + "|" + w.user +
                    "|" + (w.superuser ? "su" : "") + "\n";
    auto obj = [&t](const std::string& what, const ObjInfo& o, bool full) {
      t += what + "|" + (o.exists ? "1" : "0") + "|" + o.id + "|" + o.owner_id + "|" +
           (o.owned ? "owned" : "") + "|" + o.comment + "|";
      if (full) {
        t += std::to_string(o.contents) + "|";
        for (const Grant& g : o.grants) {
          t += g.grantee + "=" + g.privilege + ",";
        }
      }
      t += "\n";
    };
    auto refs = [&t](const std::string& tag, const std::vector<ObjRef>& objs) {
      for (const ObjRef& o : objs) {
        t += tag + "|" + o.id + "|" + o.Describe() + "|" + o.cluster + "\n";
      }
    };
    auto sinks = [&]() {
      for (const SinkInfo& k : w.sinks) {
        t += "sink|" + k.id + "|" + k.db + "." + k.schema + "." + k.name + "|" + k.cluster + "|" +
             k.up_db + "." + k.up_schema + "." + k.up_name + "\n";
      }
    };
    const bool init = phase == PhaseKind::kInit;
    const bool swap = phase == PhaseKind::kPromote || phase == PhaseKind::kRollback;
    const bool cleanup = phase == PhaseKind::kCleanup;
    if (init) {
      t += std::string("privileges|") + (w.db_create ? "create" : "") + "|" +
           (w.db_usage ? "usage" : "") + "|" + (w.createcluster ? "createcluster" : "") + "\n";
      sinks();
    }
    if (swap) {
      sinks();
    }
    for (const DepState& ds : w.deps) {
      t += "deployment|" + ds.d->name + "|" + std::to_string(static_cast<int>(ds.state)) + "|" +
           (ds.run ? ds.run->id + "|" + ds.run->phase : std::string("-")) + "\n";
      if (cleanup && ds.run) {
        t += "promoted_at|" + ds.run->promoted_at_ms + "\n";
      }
      const SchemasByDb blues = SchemasOf(ds, false), greens = SchemasOf(ds, true);
      for (const auto& ss : ds.schemas) {
        if (init || swap) {
          obj("schema " + ss.db + "." + ss.pair.blue, ss.blue, init || swap);
        }
        obj("schema " + ss.db + "." + ss.pair.green, ss.green, init || swap);
        if (init) {
          for (const auto* defaults : {&ss.blue_defaults, &ss.green_defaults}) {
            for (const DefaultPriv& p : *defaults) {
              t += "default|" + p.owner + "|" + p.object_type + "|" + p.grantee + "|" +
                   p.privilege + "\n";
            }
          }
        }
      }
      for (const auto& cs : ds.clusters) {
        for (const ClusterInfo* c : {&cs.blue, &cs.green}) {
          if (c == &cs.blue && !(init || swap)) {
            continue;
          }
          obj("cluster " + (c == &cs.blue ? cs.pair.blue : cs.pair.green), *c, init);
          if (!init) {
            continue;
          }
          t += std::string(c->managed ? "managed" : "unmanaged") + "|" + c->size + "|" +
               c->replication_factor + "|" + c->schedule + "|" + c->hydration_time_estimate +
               "|" + c->as_size + "|" + c->as_linger_secs + "|";
          for (const auto& r : c->replicas) {
            t += r.name + ":" + r.size + ":" + r.availability_zone.value_or("") + ",";
          }
          for (const auto& u : c->unsized) {
            t += u + ":unsized,";
          }
          t += "\n";
        }
      }
      if (swap) {
        // What the swap moves (the objects of both sides, by id and name), who would be
        // orphaned by it, and what runs on the blue clusters.
        for (const auto* side : {&blues, &greens}) {
          for (const auto& [db, schemas] : *side) {
            BGPLAN_ASSIGN_OR_RETURN(
                Rows objs,
                s.Query("SELECT o.id, sc.name, o.name FROM mz_objects o JOIN mz_schemas sc ON "
                        "o.schema_id = sc.id JOIN mz_databases d ON sc.database_id = d.id WHERE "
                        "d.name = " +
                        Lit(db) + " AND sc.name IN (" + InList(schemas) +
                        ") ORDER BY o.id"));
            for (const Row& r : objs) {
              t += "object|" + r[0] + "|" + r[1] + "." + r[2] + "\n";
            }
          }
        }
        for (const auto& [db, schemas] : blues) {
          BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> deps, Dependents(db, schemas));
          refs("blue-dependent", deps);
        }
        BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> on, OnClusters(blues, ClustersOf(ds, false)));
        refs("on-blue-cluster", on);
      }
      if (cleanup) {
        for (const auto& [db, schemas] : greens) {
          BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> deps, Dependents(db, schemas));
          refs("green-dependent", deps);
        }
        BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> on, OnClusters(greens, ClustersOf(ds, true)));
        refs("on-green-cluster", on);
      }
    }
    return plans::Sha256Hex(t);
  }

  // ---- diagnostics ---------------------------------------------------------------------------

  struct Violations {
    std::vector<std::tuple<DiagKind, std::string, SourceRange, std::string>> items;
    void Add(DiagKind k, const plans::Deployment& d, SourceRange at, std::string msg) {
      items.emplace_back(k, d.name, at.valid() ? at : d.origin, std::move(msg));
    }
  };

  // The journal tables are read and updated on the session's active cluster (`cluster`
  // session variable; catalog queries do not need one). It must exist, have a replica, and not be
  // a green cluster of the plan (cleanup drops those before its last journal write).
  Status CheckSessionCluster(const World& w) {
    Violations v;
    const std::string hint =
        " (bgplan's journal tables are read on the session's cluster: pick one with replicas "
        "that the deployments do not drop: PGOPTIONS='--cluster=<name>', options=--cluster=<name> "
        "in a keyword/value connection string, options=--cluster%3D<name> in a URL, or ALTER "
        "ROLE " +
        sql::QuoteIdent(w.user) + " SET cluster TO <name>)";
    for (const auto& d : x.plan_.deployments) {
      std::string problem;
      if (!w.cluster_exists) {
        problem = "the session's cluster " + w.cluster + " does not exist";
      } else if (w.cluster_replicas == 0) {
        problem = "the session's cluster " + w.cluster + " has no replicas";
      }
      SourceRange at;
      for (const auto& c : d.clusters) {
        if (problem.empty() && c.green == w.cluster) {
          problem = "the session's cluster " + w.cluster + " is the green cluster of deployment " +
                    d.name + ", which cleanup drops";
          at = c.origin;
        }
      }
      if (!problem.empty()) {
        v.Add(DiagKind::kJournalCluster, d, at, problem + hint);
        break;  // one report: the session is the same for every deployment
      }
    }
    return v.items.empty() ? Status::Ok() : Report(v, x.options_.command);
  }

  Status Report(const Violations& v, const std::string& phase) {
    for (const auto& [kind, dep, at, msg] : v.items) {
      Diagnostic diag;
      diag.severity = Severity::kError;
      diag.kind = kind;
      diag.file = x.plan_.source_file;
      diag.range = at;
      diag.message = msg;
      x.sink_.Diagnose(diag, dep);
    }
    return Status(
        StatusCode::kPrecondition,
        phase + ": " + std::to_string(v.items.size()) + " live precondition(s) failed (first: " +
            std::string(DiagKindName(std::get<0>(v.items.front()))) + "); nothing was changed");
  }

  void CheckBlueExists(const World& w, const DepState& ds, Violations& v) {
    (void)w;
    for (const auto& ss : ds.schemas) {
      if (!ss.blue.exists) {
        v.Add(DiagKind::kBlueMissing, *ds.d, ss.pair.origin,
              "schema " + ss.db + "." + ss.pair.blue + " does not exist");
      }
    }
    for (const auto& cs : ds.clusters) {
      if (!cs.blue.exists) {
        v.Add(DiagKind::kBlueMissing, *ds.d, cs.pair.origin,
              "cluster " + cs.pair.blue + " does not exist");
      }
    }
  }

  void CheckOwnership(const World& w, const DepState& ds, bool green, Violations& v) {
    if (w.superuser) {
      return;
    }
    for (const auto& ss : ds.schemas) {
      for (const ObjInfo* o : {&ss.blue, green ? &ss.green : nullptr}) {
        if (o != nullptr && o->exists && !o->owned) {
          v.Add(DiagKind::kNotOwner, *ds.d, ss.pair.origin,
                "role " + w.user + " does not own schema " + ss.db + "." +
                    (o == &ss.blue ? ss.pair.blue : ss.pair.green) +
                    " (directly or through role membership)");
        }
      }
    }
    for (const auto& cs : ds.clusters) {
      for (const ObjInfo* o : {static_cast<const ObjInfo*>(&cs.blue),
                               green ? static_cast<const ObjInfo*>(&cs.green) : nullptr}) {
        if (o != nullptr && o->exists && !o->owned) {
          v.Add(DiagKind::kNotOwner, *ds.d, cs.pair.origin,
                "role " + w.user + " does not own cluster " +
                    (o == &cs.blue ? cs.pair.blue : cs.pair.green) +
                    " (directly or through role membership)");
        }
      }
    }
  }

  // ---- init ----------------------------------------------------------------------------------

  Status Init() {
    BGPLAN_ASSIGN_OR_RETURN(World w, ReadWorld());
    Violations v;
    std::vector<DepState*> acting;
    for (DepState& ds : w.deps) {
      if (ds.state == MzState::kPromoted) {
        Emit("note", ds.d->name,
             "deployment '" + ds.d->name + "' is already promoted: nothing to initialize");
        continue;
      }
      acting.push_back(&ds);
      CheckBlueExists(w, ds, v);
      for (const auto& ss : ds.schemas) {
        std::vector<std::string> in;
        for (const SinkInfo& k : w.sinks) {
          if (k.db == ss.db && k.schema == ss.pair.blue) {
            in.push_back(k.db + "." + k.schema + "." + k.name);
          }
        }
        if (!in.empty()) {
          v.Add(DiagKind::kBlueContainsSinks, *ds.d, ss.pair.origin,
                "schema " + ss.db + "." + ss.pair.blue + " contains sinks: " + Join(in) +
                    "; sinks must live in a schema and cluster outside the deployment");
        }
      }
      for (const auto& cs : ds.clusters) {
        std::vector<std::string> in;
        for (const SinkInfo& k : w.sinks) {
          if (k.cluster == cs.pair.blue) {
            in.push_back(k.db + "." + k.schema + "." + k.name);
          }
        }
        if (!in.empty()) {
          v.Add(DiagKind::kBlueContainsSinks, *ds.d, cs.pair.origin,
                "cluster " + cs.pair.blue + " contains sinks: " + Join(in) +
                    "; sinks must live in a schema and cluster outside the deployment");
        }
        if (cs.blue.exists && !cs.blue.managed && !cs.blue.unsized.empty() && !cs.green.exists) {
          v.Add(DiagKind::kUnsizedReplicas, *ds.d, cs.pair.origin,
                "cluster " + cs.pair.blue +
                    " has replicas with no SIZE, which cannot be cloned: " + Join(cs.blue.unsized) +
                    " (recreate them with SIZE, or make the cluster managed)");
        }
      }
      if (!w.superuser) {
        if (!w.db_create || !w.db_usage) {
          v.Add(DiagKind::kMissingPrivilege, *ds.d, {},
                "role " + w.user + " needs CREATE and USAGE on database " + w.db +
                    " (GRANT USAGE, CREATE ON DATABASE " + sql::QuoteIdent(w.db) + " TO " +
                    sql::QuoteIdent(w.user) + ")");
        }
        if (!w.createcluster && !ds.clusters.empty()) {
          v.Add(DiagKind::kMissingPrivilege, *ds.d, {},
                "role " + w.user + " needs CREATECLUSTER (GRANT CREATECLUSTER ON SYSTEM TO " +
                    sql::QuoteIdent(w.user) + ")");
        }
        // Copying a default privilege needs membership in its role; FOR ALL ROLES needs a
        // superuser (ALTER DEFAULT PRIVILEGES). Found here, not half-way through init.
        for (const auto& ss : ds.schemas) {
          std::set<std::string> needed;
          for (const DefaultPriv& p : ss.blue_defaults) {
            if (!ss.green_defaults.count(p) && !w.my_role_names.count(p.owner)) {
              needed.insert(p.owner);
            }
          }
          for (const std::string& owner : needed) {
            v.Add(DiagKind::kMissingPrivilege, *ds.d, ss.pair.origin,
                  owner == "PUBLIC"
                      ? "copying the default privileges FOR ALL ROLES of schema " + ss.db + "." +
                            ss.pair.blue + " needs a superuser"
                      : "copying the default privileges of role " + owner + " in schema " +
                            ss.db + "." + ss.pair.blue + " needs membership in " + owner +
                            " (GRANT " + sql::QuoteIdent(owner) + " TO " +
                            sql::QuoteIdent(w.user) + ")");
          }
        }
      }
      CheckOwnership(w, ds, false, v);
      if (!x.options_.ignore_existing) {
        for (const auto& ss : ds.schemas) {
          if (ss.green.exists && ss.green.contents > 0 && !Ours(ss.green.comment, ds)) {
            v.Add(DiagKind::kGreenNotEmpty, *ds.d, ss.pair.origin,
                  "schema " + ss.db + "." + ss.pair.green + " exists, holds " +
                      std::to_string(ss.green.contents) +
                      " object(s) and was not created by this deployment (--ignore-existing "
                      "adopts it)");
          }
        }
        for (const auto& cs : ds.clusters) {
          if (cs.green.exists && cs.green.contents > 0 && !Ours(cs.green.comment, ds)) {
            v.Add(DiagKind::kGreenNotEmpty, *ds.d, cs.pair.origin,
                  "cluster " + cs.pair.green + " exists, holds " +
                      std::to_string(cs.green.contents) +
                      " dataflow object(s) and was not created by this deployment "
                      "(--ignore-existing adopts it)");
          }
        }
      }
    }
    if (!v.items.empty()) {
      return Report(v, "init");
    }
    std::string fingerprint;
    if (!x.options_.dry_run) {
      BGPLAN_RETURN_IF_ERROR(EnsureJournal());
      BGPLAN_ASSIGN_OR_RETURN(fingerprint, PhaseFingerprint(w, PhaseKind::kInit));
    }
    for (DepState* ds : acting) {
      BGPLAN_RETURN_IF_ERROR(InitOne(w, *ds, fingerprint));
    }
    return Status::Ok();
  }

  Status Do(const std::string& dep, const std::string& sql) {
    if (x.options_.dry_run) {
      Show(dep, "init", sql);
      return Status::Ok();
    }
    return Run(dep, "init", sql);
  }

  void GrantDiff(ObjectKind kind, const std::string& db, const std::string& green,
                 const std::set<Grant>& blue_g, const std::set<Grant>& green_g,
                 std::vector<std::string>* out) {
    for (const Grant& g : green_g) {
      if (!blue_g.count(g)) {
        out->push_back(
            sql::RevokeSql(Mz(), kind, db, green, g.privilege, {g.grantee, g.grantee.empty()}));
      }
    }
    for (const Grant& g : blue_g) {
      if (!green_g.count(g)) {
        out->push_back(
            sql::GrantSql(Mz(), kind, db, green, g.privilege, {g.grantee, g.grantee.empty()}));
      }
    }
  }

  Status InitOne(const World& w, DepState& ds, const std::string& init_fingerprint) {
    const std::string& name = ds.d->name;
    std::string run_id = ds.run ? ds.run->id : NewRunId(name);
    std::string marker = sql::MarkerText(name, run_id);
    if (!x.options_.dry_run && !ds.run) {
      BGPLAN_RETURN_IF_ERROR(InsertRun(run_id, name, w.user, init_fingerprint));
    }
    Emit("phase", name, "init: deployment '" + name + "' (run " + run_id + ")",
         {{"phase", "init"}, {"run", run_id}});
    for (const SchemaState& ss : ds.schemas) {
      std::vector<std::string> sql;
      if (!ss.green.exists) {
        sql.push_back(sql::CreateSchemaSql(Mz(), ss.pair.database, ss.pair.green));
      }
      for (const DefaultPriv& p : ss.blue_defaults) {
        if (ss.green_defaults.count(p) || !sql::IsSqlKeyword(p.privilege) ||
            !sql::IsSqlKeyword(p.object_type)) {
          continue;
        }
        std::optional<std::string> role;
        if (p.owner != "PUBLIC") {
          role = p.owner;
        }
        sql.push_back(sql::AlterDefaultPrivilegesSql(Mz(), role, ss.pair.database, ss.pair.green,
                                                      p.privilege, p.object_type + "S",
                                                      {p.grantee, p.grantee == "PUBLIC"}));
      }
      GrantDiff(ObjectKind::kSchema, ss.pair.database, ss.pair.green, ss.blue.grants,
                ss.green.grants, &sql);
      if (ss.green.comment != marker) {
        sql.push_back(
            sql::CommentOnSql(Mz(), ObjectKind::kSchema, ss.pair.database, ss.pair.green, marker));
      }
      for (const std::string& q : sql) {
        BGPLAN_RETURN_IF_ERROR(Do(name, q));
      }
    }
    if (!x.options_.dry_run) {
      FaultPoint("init", "after-schemas");
    }
    for (const ClusterState& cs : ds.clusters) {
      std::vector<std::string> sql;
      if (!cs.green.exists) {
        if (cs.blue.managed) {
          sql::ManagedClusterOptions o;
          o.size = cs.pair.size.value_or(cs.blue.size);
          o.on_refresh = cs.blue.schedule == "on-refresh";
          if (cs.pair.replication_factor) {
            o.replication_factor = *cs.pair.replication_factor;
          } else if (!cs.blue.replication_factor.empty()) {
            o.replication_factor = std::stoll(cs.blue.replication_factor);
          }
          if (o.on_refresh && !cs.blue.hydration_time_estimate.empty()) {
            o.hydration_time_estimate = cs.blue.hydration_time_estimate;
          }
          if (!cs.blue.as_size.empty() && !o.on_refresh && cs.blue.as_size != o.size) {
            sql::AutoScalingStrategy as;
            as.hydration_size = cs.blue.as_size;
            if (!cs.blue.as_linger_secs.empty()) {
              as.linger_duration = cs.blue.as_linger_secs + "s";
            }
            o.auto_scaling = as;
          }
          sql.push_back(sql::CreateClusterSql(cs.pair.green, o));
        } else {
          sql.push_back(sql::CreateUnmanagedClusterSql(cs.pair.green, cs.blue.replicas));
        }
      }
      std::set<Grant> blue_g = cs.blue.grants;
      GrantDiff(ObjectKind::kCluster, "", cs.pair.green, blue_g, cs.green.grants, &sql);
      if (cs.green.comment != marker) {
        sql.push_back(sql::CommentOnSql(Mz(), ObjectKind::kCluster, "", cs.pair.green, marker));
      }
      for (const std::string& q : sql) {
        BGPLAN_RETURN_IF_ERROR(Do(name, q));
      }
    }
    if (x.options_.dry_run) {
      return Status::Ok();
    }
    FaultPoint("init", "before-journal");
    BGPLAN_RETURN_IF_ERROR(RecordIds(w, ds, run_id));
    BGPLAN_RETURN_IF_ERROR(SetPhase(run_id, "initialized", ""));
    BGPLAN_RETURN_IF_ERROR(Event(run_id, name, "init", "phase-done", "green created"));
    Emit("phase", name, "init: deployment '" + name + "' initialized",
         {{"phase", "init"}, {"run", run_id}, {"status", "done"}});
    return Status::Ok();
  }

  // Records the current ids of every blue and green object of `ds` for `run_id`.
  Status RecordIds(const World& w, const DepState& ds, const std::string& run_id) {
    BGPLAN_RETURN_IF_ERROR(
        s.Exec("DELETE FROM " + J("run_objects") + " WHERE run_id = " + Lit(run_id)));
    std::vector<std::string> values;
    for (const auto& ss : ds.schemas) {
      ObjInfo b, g;
      std::set<DefaultPriv> ignore;
      BGPLAN_RETURN_IF_ERROR(ReadSchema(w, ss.db, ss.pair.blue, &b, &ignore));
      BGPLAN_RETURN_IF_ERROR(ReadSchema(w, ss.db, ss.pair.green, &g, &ignore));
      values.push_back("(" + Lit(run_id) + ", 'schema', " + Lit(ss.pair.blue) + ", " +
                       Lit(ss.pair.green) + ", " + Lit(b.id) + ", " + Lit(g.id) + ")");
    }
    for (const auto& cs : ds.clusters) {
      BGPLAN_ASSIGN_OR_RETURN(
          Rows ids,
          s.Query("SELECT COALESCE((SELECT id FROM mz_clusters WHERE name = " + Lit(cs.pair.blue) +
                  "), ''), COALESCE((SELECT id FROM mz_clusters "
                  "WHERE name = " +
                  Lit(cs.pair.green) + "), '')"));
      values.push_back("(" + Lit(run_id) + ", 'cluster', " + Lit(cs.pair.blue) + ", " +
                       Lit(cs.pair.green) + ", " + Lit(ids[0][0]) + ", " + Lit(ids[0][1]) + ")");
    }
    if (values.empty()) {
      return Status::Ok();
    }
    return s.Exec("INSERT INTO " + J("run_objects") + " VALUES " + Join(values));
  }

  // ---- await ---------------------------------------------------------------------------------

  // The reference's readiness query (dbt-materialize are_clusters_ready), with two fixes: only
  // user objects count (system introspection indexes sometimes never hydrate; Materialize's own
  // console filters them out), and a replica without objects counts 0/0, not "1 not hydrated"
  // (COUNT(*) over the LEFT JOIN counted the NULL row), so a cluster with no dataflows is ready.
  std::string ReadinessSql(const std::vector<std::string>& clusters, int64_t lag_ms) {
    std::string in = InList(clusters);
    char lag[64];
    std::snprintf(lag, sizeof(lag), "%lld milliseconds", static_cast<long long>(lag_ms));
    return "WITH problematic_replicas AS (SELECT replica_id FROM "
           "mz_internal.mz_cluster_replica_status_history WHERE occurred_at + INTERVAL '24 hours' "
           "> mz_now() AND reason = 'oom-killed' GROUP BY replica_id HAVING COUNT(*) >= 3), "
           "cluster_health AS (SELECT c.name AS cluster_name, c.id AS cluster_id, COUNT(r.id) AS "
           "total_replicas, COUNT(pr.replica_id) AS problematic_replicas FROM mz_clusters c LEFT "
           "JOIN mz_cluster_replicas r ON c.id = r.cluster_id LEFT JOIN problematic_replicas pr "
           "ON r.id = pr.replica_id WHERE c.name IN (" +
           in +
           ") GROUP BY c.name, c.id), hydration_counts AS (SELECT c.name AS cluster_name, r.id "
           "AS replica_id, COUNT(mhs.object_id) FILTER (WHERE mhs.hydrated) AS hydrated, "
           "COUNT(mhs.object_id) AS total FROM mz_clusters c JOIN mz_cluster_replicas r ON c.id "
           "= r.cluster_id LEFT JOIN mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = "
           "r.id AND mhs.object_id LIKE 'u%' WHERE c.name IN (" +
           in +
           ") GROUP BY c.name, r.id), hydration_best AS (SELECT cluster_name, MAX(hydrated) AS "
           "hydrated, MAX(total) AS total FROM hydration_counts GROUP BY cluster_name), "
           "cluster_lag AS (SELECT c.name AS cluster_name, MAX(EXTRACT(EPOCH FROM wgl.lag)) AS "
           "max_lag_secs FROM mz_clusters c JOIN mz_cluster_replicas r ON c.id = r.cluster_id "
           "JOIN mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = r.id AND "
           "mhs.object_id LIKE 'u%' JOIN mz_internal.mz_wallclock_global_lag wgl ON "
           "wgl.object_id = mhs.object_id WHERE "
           "c.name IN (" +
           in + ") GROUP BY c.name), lag_threshold_secs AS (SELECT EXTRACT(EPOCH FROM INTERVAL '" +
           lag +
           "') AS threshold_secs) SELECT ch.cluster_name, CASE WHEN ch.total_replicas = 0 THEN "
           "'failing' WHEN ch.total_replicas = ch.problematic_replicas THEN 'failing' WHEN "
           "COALESCE(hb.hydrated, 0) < COALESCE(hb.total, 0) THEN 'hydrating' WHEN "
           "COALESCE(cl.max_lag_secs, 0) > (SELECT threshold_secs FROM lag_threshold_secs) THEN "
           "'lagging' ELSE 'ready' END AS status, CASE WHEN ch.total_replicas = 0 THEN "
           "'no_replicas' WHEN ch.total_replicas = ch.problematic_replicas THEN "
           "'all_replicas_problematic' ELSE '' END, COALESCE(hb.hydrated, 0)::text, "
           "COALESCE(hb.total, 0)::text, COALESCE(cl.max_lag_secs, 0)::text, "
           "ch.total_replicas::text, ch.problematic_replicas::text, COALESCE((SELECT cs.type "
           "FROM mz_internal.mz_cluster_schedules cs WHERE cs.cluster_id = ch.cluster_id), '') "
           "FROM cluster_health ch LEFT JOIN hydration_best hb ON ch.cluster_name = "
           "hb.cluster_name LEFT JOIN cluster_lag cl ON ch.cluster_name = cl.cluster_name";
  }

  Status Await(const std::vector<const DepState*>& deps) {
    std::vector<std::string> clusters;
    int64_t poll = 0, lag = 0, timeout = 0, stable = 0;
    std::string names;
    for (const DepState* ds : deps) {
      names += (names.empty() ? "" : ",") + ds->d->name;
      const auto& a = ds->d->await;
      poll = poll == 0 ? a.poll_interval_ms : std::min(poll, a.poll_interval_ms);
      lag = std::max(lag, a.lag_threshold_ms);
      timeout = std::max(timeout, a.timeout_ms);
      stable = std::max(stable, a.stable_for_ms);
      for (const auto& c : ds->d->clusters) {
        clusters.push_back(c.green);
      }
    }
    if (clusters.empty()) {
      Emit("await", names, "await: no clusters to wait for: ready", {{"status", "ready"}});
      return Status::Ok();
    }
    std::string sql = ReadinessSql(clusters, lag);
    if (x.options_.dry_run) {
      Show(names, "await", sql + ";", false);  // a read
      return Status::Ok();
    }
    // On a terminal: one live line per cluster, rewritten in place each poll. Otherwise (a
    // pipe, a CI log) one line per change, never a cursor-control code; JSON: one event per poll.
    const bool live = !x.sink_.options().json && !x.sink_.options().quiet &&
                      isatty(fileno(stderr)) != 0 && std::getenv("TERM") != nullptr &&
                      std::string(std::getenv("TERM")) != "dumb";
    size_t live_lines = 0;
    auto start = std::chrono::steady_clock::now();
    int64_t ready_since = -1;  // elapsed ms when every cluster became ready
    std::map<std::string, std::string> last;
    std::set<std::string> warned;
    for (int64_t n = 1;; ++n) {
      BGPLAN_RETURN_IF_ERROR(MaybeRefreshLock());
      BGPLAN_ASSIGN_OR_RETURN(Rows rows, s.Query(sql));
      int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      std::map<std::string, Row> by;
      for (const Row& r : rows) {
        by[r[0]] = r;
      }
      bool all_ready = true;
      std::vector<std::string> failing;
      std::string summary;
      std::string live_text;
      for (const std::string& c : clusters) {
        std::string state, line;
        auto it = by.find(c);
        if (it == by.end()) {
          state = "failing";
          line = c + ": failing (cluster_not_found)";
        } else {
          const Row& r = it->second;
          state = r[1];
          if (state == "failing" && r[2] == "no_replicas" && r[8] == "on-refresh") {
            if (!warned.count(c)) {
              Emit("warning", names,
                   "await: cluster " + c +
                       " has SCHEDULE = ON REFRESH and is currently off: skipped");
              warned.insert(c);
            }
            state = "skipped";
          }
          line = c + ": " + state + " (hydrated " + r[3] + "/" + r[4] + ", lag " + r[5] +
                 " s, replicas " + r[6] + (r[2].empty() ? "" : ", " + r[2]) + ")";
        }
        if (state == "failing") {
          failing.push_back(line);
        }
        if (state != "ready" && state != "skipped") {
          all_ready = false;
        }
        summary += (summary.empty() ? "" : "; ") + line;
        if (live) {
          live_text += "\x1b[2K  " + EscapeControls(line) + " [" +
                       std::to_string(elapsed / 1000) + " s]\n";
        } else if (!x.sink_.options().json && last[c] != state) {
          Emit("await", names, "  " + line + " [" + std::to_string(elapsed / 1000) + " s]");
        }
        last[c] = state;
      }
      if (live) {
        if (live_lines > 0) {
          std::fprintf(stderr, "\x1b[%zuA", live_lines);
        }
        std::fputs(live_text.c_str(), stderr);
        std::fflush(stderr);
        live_lines = clusters.size();
      }
      if (x.sink_.options().json) {
        Emit("poll", names, summary,
             {{"poll", std::to_string(n)},
              {"elapsed_ms", std::to_string(elapsed)},
              {"ready", all_ready ? "true" : "false"}});
      }
      if (!failing.empty() && !x.options_.tolerate_failing) {
        return Status(StatusCode::kFailing, "await: green cluster failing: " + Join(failing, "; ") +
                                                " (--tolerate-failing keeps waiting)");
      }
      if (all_ready) {
        if (ready_since < 0) {
          ready_since = elapsed;
        }
        if (elapsed - ready_since >= stable) {
          Emit("await", names,
               "await: all " + std::to_string(clusters.size()) + " cluster(s) are ready",
               {{"status", "ready"}});
          return Status::Ok();
        }
      } else {
        ready_since = -1;
      }
      if (elapsed >= timeout) {
        return Status(StatusCode::kTimeout,
                      "await: timed out after " + sql::FormatDuration(timeout) + ": " + summary);
      }
      if (!InterruptibleSleep(
              static_cast<long>(std::min(poll, std::max<int64_t>(timeout - elapsed, 1))))) {
        return Status(StatusCode::kInterrupted, "await interrupted");
      }
    }
  }

  Status AwaitPhase() {
    BGPLAN_ASSIGN_OR_RETURN(World w, ReadWorld(false));
    std::vector<const DepState*> deps;
    for (const DepState& ds : w.deps) {
      deps.push_back(&ds);
    }
    return Await(deps);
  }

  // ---- promote / rollback --------------------------------------------------------------------

  // Sinks that read from a green-named schema of `ds` and the statement pointing each to the
  // same-named object of the blue-named schema (after a swap, the blue name holds what the sinks
  // must follow). `pre_swap`: the statements a swap would need (sinks reading blue now).
  std::vector<std::pair<std::string, std::string>> SinkStatements(const World& w,
                                                                  const DepState& ds,
                                                                  bool pre_swap) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const SinkInfo& k : w.sinks) {
      if (!SinkInPlan(w, k, ds)) {
        continue;
      }
      for (const auto& ss : ds.schemas) {
        if (k.up_db != ss.db || k.up_schema != (pre_swap ? ss.pair.blue : ss.pair.green)) {
          continue;
        }
        sql::RelationName sink{k.db, k.schema, k.name};
        sql::RelationName up{ss.db, ss.pair.blue, k.up_name};
        out.push_back({k.db + "." + k.schema + "." + k.name, sql::AlterSinkSetFromSql(sink, up)});
      }
    }
    return out;
  }

  // The sinks bgplan re-points: those in the plan's `sinks` schemas or clusters; with no
  // `sinks` block, every sink in the catalog (semantics.md section 3: catalog-driven). A sink
  // outside a declared `sinks` block is never altered (section 5): it is an orphaned dependent.
  static bool SinkInPlan(const World& w, const SinkInfo& k, const DepState& ds) {
    if (ds.d->sink_schemas.empty() && ds.d->sink_clusters.empty()) {
      return true;
    }
    for (const auto& s : ds.d->sink_schemas) {
      if (DbOf(w, s.database) == k.db && s.name == k.schema) {
        return true;
      }
    }
    for (const auto& c : ds.d->sink_clusters) {
      if (c.name == k.cluster) {
        return true;
      }
    }
    return false;
  }

  Status Swap(const std::vector<const DepState*>& deps, const std::string& phase) {
    std::string block = "BEGIN;";
    int64_t retries = -1, backoff = 0;
    std::string names;
    for (const DepState* ds : deps) {
      names += (names.empty() ? "" : ",") + ds->d->name;
      retries =
          retries < 0 ? ds->d->promote.max_retries : std::min(retries, ds->d->promote.max_retries);
      backoff = std::max(backoff, ds->d->promote.retry_backoff_ms);
    }
    for (const DepState* ds : deps) {
      for (const auto& ss : ds->schemas) {
        block += "\n" + sql::SwapSchemaSql(Mz(), ss.pair.database, ss.pair.blue, ss.pair.green);
      }
    }
    for (const DepState* ds : deps) {
      for (const auto& cs : ds->clusters) {
        block += "\n" + sql::SwapClusterSql(cs.pair.blue, cs.pair.green);
      }
    }
    block += "\nCOMMIT;";
    Show(names, phase, block);
    if (x.options_.dry_run) {
      return Status::Ok();
    }
    BGPLAN_RETURN_IF_ERROR(VerifyLocks("the swap"));
    BGPLAN_RETURN_IF_ERROR(MaybeRefreshLock());
    for (int64_t attempt = 0;; ++attempt) {
      if (attempt > retries) {
        return Status(StatusCode::kDatabaseError,
                      phase + ": the swap failed after " + std::to_string(attempt) +
                          " attempt(s) because other sessions changed the catalog meanwhile "
                          "(SQLSTATE 40001); nothing was swapped. Raise max_retries or retry "
                          "later",
                      "40001");
      }
      if (attempt > 0) {
        Emit("retry", names,
             "retrying the swap (attempt " + std::to_string(attempt + 1) + " of " +
                 std::to_string(retries + 1) + ") after a concurrent-DDL conflict");
        if (!InterruptibleSleep(static_cast<long>(backoff))) {
          return Status(StatusCode::kInterrupted, phase + " interrupted before the swap");
        }
      }
      Status st = s.Exec(block);
      if (st.ok()) {
        return Status::Ok();
      }
      (void)s.Exec("ROLLBACK");
      if (st.sqlstate() != kSqlstateSerialization) {
        return Status(st.code(), phase + ": the swap failed, nothing was swapped: " + st.message(),
                      st.sqlstate());
      }
    }
  }

  Status Promote(bool rollback) {
    const std::string phase = rollback ? "rollback" : "promote";
    BGPLAN_ASSIGN_OR_RETURN(World w, ReadWorld());
    Violations v;
    std::vector<const DepState*> to_swap, acting;
    for (const DepState& ds : w.deps) {
      bool swapped = ds.state == MzState::kPromoted;
      if (!ds.run) {
        if (rollback) {
          v.Add(DiagKind::kNothingToRollBack, *ds.d, {},
                "deployment '" + ds.d->name +
                    "' has no active run (never promoted, or already cleaned up): nothing to "
                    "roll back");
        } else {
          v.Add(DiagKind::kGreenNotOurs, *ds.d, {},
                "deployment '" + ds.d->name + "' has no active run: run `bgplan init` first");
        }
        continue;
      }
      if (rollback && !swapped) {
        if (ds.run->phase == "promoted" || ds.run->phase == "rolled_back") {
          acting.push_back(&ds);  // swapped back already: the sinks and the journal remain
        } else {
          v.Add(DiagKind::kNotPromoted, *ds.d, {},
                "deployment '" + ds.d->name + "' is not promoted: nothing to roll back");
        }
        continue;
      }
      acting.push_back(&ds);
      if (!rollback && swapped) {
        Emit("note", ds.d->name,
             "deployment '" + ds.d->name + "' is already swapped: finishing its promote");
        continue;
      }
      to_swap.push_back(&ds);
      CheckBlueExists(w, ds, v);
      for (const auto& ss : ds.schemas) {
        if (!ss.green.exists) {
          v.Add(DiagKind::kGreenMissing, *ds.d, ss.pair.origin,
                "schema " + ss.db + "." + ss.pair.green + " does not exist (run init)");
        }
      }
      for (const auto& cs : ds.clusters) {
        if (!cs.green.exists) {
          v.Add(DiagKind::kGreenMissing, *ds.d, cs.pair.origin,
                "cluster " + cs.pair.green + " does not exist (run init)");
        }
      }
      CheckOwnership(w, ds, true, v);
      if (rollback) {
        continue;
      }
      if (!x.options_.force) {
        for (const auto& ss : ds.schemas) {
          if (ss.green.exists && !Ours(ss.green.comment, ds)) {
            v.Add(DiagKind::kGreenNotOurs, *ds.d, ss.pair.origin,
                  "schema " + ss.db + "." + ss.pair.green +
                      " does not carry this deployment's marker (--force promotes it anyway)");
          }
        }
        for (const auto& cs : ds.clusters) {
          if (cs.green.exists && !Ours(cs.green.comment, ds)) {
            v.Add(DiagKind::kGreenNotOurs, *ds.d, cs.pair.origin,
                  "cluster " + cs.pair.green +
                      " does not carry this deployment's marker (--force promotes it anyway)");
          }
        }
      }
      for (const auto& ss : ds.schemas) {
        for (const SinkInfo& k : w.sinks) {
          if (k.up_db != ss.db || k.up_schema != ss.pair.blue || !ss.green.exists) {
            continue;
          }
          BGPLAN_ASSIGN_OR_RETURN(Rows found,
                                  s.Query("SELECT count(*) FROM mz_objects WHERE schema_id = " +
                                          Lit(ss.green.id) + " AND name = " + Lit(k.up_name)));
          if (found[0][0] == "0") {
            v.Add(DiagKind::kSinkUpstreamMissing, *ds.d, ss.pair.origin,
                  "sink " + k.db + "." + k.schema + "." + k.name + " reads " + ss.db + "." +
                      ss.pair.blue + "." + k.up_name + " but " + ss.db + "." + ss.pair.green +
                      " has no object named " + k.up_name);
          }
        }
      }
      if (!x.options_.allow_orphans) {
        const SchemasByDb blues = SchemasOf(ds, false);
        for (const auto& [db, schemas] : blues) {
          BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> deps, Dependents(db, schemas));
          std::vector<std::string> orphans;
          for (const ObjRef& o : deps) {
            bool followed = false;  // a sink of the plan's sinks, re-pointed after the swap
            for (const SinkInfo& k : w.sinks) {
              followed |= o.type == "sink" && k.id == o.id && SinkInPlan(w, k, ds);
            }
            if (!followed) {
              orphans.push_back(o.Describe() + (o.type == "sink"
                                                    ? " (outside the plan's sinks schemas and "
                                                      "clusters)"
                                                    : ""));
            }
          }
          if (!orphans.empty()) {
            v.Add(DiagKind::kOrphanedDependents, *ds.d, {},
                  "objects outside the deployment depend on " + Join(schemas) +
                      " and would keep reading the old objects after the swap: " + Join(orphans) +
                      " (--allow-orphans swaps anyway)");
          }
        }
        BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> on, OnClusters(blues, ClustersOf(ds, false)));
        if (!on.empty()) {
          std::vector<std::string> items;
          for (const ObjRef& o : on) {
            items.push_back(o.Describe() + " (type " + o.type + ", schema " + o.schema +
                            ", cluster " + o.cluster + ")");
          }
          v.Add(DiagKind::kOrphanedDependents, *ds.d, {},
                "objects outside the deployment's schemas run on its blue cluster(s); after the "
                "swap they would run on the cluster renamed to the green name, which cleanup "
                "drops with CASCADE: " +
                    Join(items) + " (--allow-orphans swaps anyway)");
        }
      }
    }
    if (!v.items.empty()) {
      return Report(v, phase);
    }
    if (!rollback) {
      bool wait = false;
      for (const DepState* ds : to_swap) {
        wait |= ds->d->promote.wait;
      }
      if (wait && !x.options_.dry_run && !to_swap.empty()) {
        BGPLAN_RETURN_IF_ERROR(Await(to_swap));
      }
    }
    if (x.options_.dry_run) {
      for (const DepState* ds : to_swap) {
        std::vector<std::string> ids;
        for (const auto& ss : ds->schemas) {
          ids.push_back("schema " + ss.pair.blue + "=" + ss.blue.id + "/" + ss.pair.green + "=" +
                        ss.green.id);
        }
        for (const auto& cs : ds->clusters) {
          ids.push_back("cluster " + cs.pair.blue + "=" + cs.blue.id + "/" + cs.pair.green + "=" +
                        cs.green.id);
        }
        Show(ds->d->name, phase,
             "-- journal " + sql::CommentSafe(x.options_.journal_schema) + ": " + phase +
                 " intent of run " + sql::CommentSafe(ds->run->id) +
                 " with the pre-swap ids: " + sql::CommentSafe(Join(ids)));
      }
    } else {
      BGPLAN_RETURN_IF_ERROR(EnsureJournal());
      for (const DepState* ds : to_swap) {
        if (!rollback) {
          BGPLAN_RETURN_IF_ERROR(RecordIds(w, *ds, ds->run->id));
        }
        BGPLAN_RETURN_IF_ERROR(Event(ds->run->id, ds->d->name, phase, "intent", "swap"));
      }
      FaultPoint(phase, "after-intent");
    }
    if (!to_swap.empty()) {
      BGPLAN_RETURN_IF_ERROR(Swap(to_swap, phase));
      if (!x.options_.dry_run) {
        FaultPoint(phase, "after-swap");
      }
    }
    // Journal, tag, sinks: for every acting deployment (resumes after a crash).
    for (const DepState* ds : acting) {
      bool was_swapped = std::find(to_swap.begin(), to_swap.end(), ds) != to_swap.end();
      const std::string done = rollback ? "rolled_back" : "promoted";
      if (!x.options_.dry_run && ds->run && ds->run->phase != done) {
        BGPLAN_RETURN_IF_ERROR(SetPhase(ds->run->id, done, ""));
        BGPLAN_RETURN_IF_ERROR(Event(ds->run->id, ds->d->name, phase, "swapped", "swap committed"));
      }
      if (!rollback) {
        std::string tag =
            sql::TagText(w.user, UtcSeconds(),
                          x.options_.git_commit.empty() ? GitCommit() : x.options_.git_commit,
                          ds->run ? ds->run->id : "");
        for (const auto& ss : ds->schemas) {
          std::string current = was_swapped ? ss.green.comment : ss.blue.comment;
          if (!was_swapped && ds->run &&
              current.find("bgplan " + ds->run->id) != std::string::npos) {
            continue;  // tagged before a crash
          }
          std::string sql =
              sql::CommentOnSql(Mz(), ObjectKind::kSchema, ss.pair.database, ss.pair.blue, tag);
          if (x.options_.dry_run) {
            Show(ds->d->name, phase, sql);
          } else {
            BGPLAN_RETURN_IF_ERROR(Run(ds->d->name, phase, sql));
          }
        }
        if (!x.options_.dry_run) {
          FaultPoint(phase, "after-tag");
        }
      }
      auto sinks = SinkStatements(w, *ds, was_swapped);
      for (size_t i = 0; i < sinks.size(); ++i) {
        if (x.options_.dry_run) {
          Show(ds->d->name, phase, sinks[i].second);
          continue;
        }
        if (i + 1 == sinks.size()) {
          FaultPoint(phase, "before-last-sink");
        }
        BGPLAN_RETURN_IF_ERROR(Run(ds->d->name, phase, sinks[i].second));
        BGPLAN_RETURN_IF_ERROR(
            Event(ds->run ? ds->run->id : "", ds->d->name, phase, "sink", sinks[i].second));
      }
      Emit("phase", ds->d->name,
           phase + ": deployment '" + ds->d->name + "' " +
               (x.options_.dry_run ? "(dry run: nothing was executed)" : done),
           {{"phase", phase}, {"status", x.options_.dry_run ? "dry-run" : "done"}});
    }
    return Status::Ok();
  }

  // ---- cleanup -------------------------------------------------------------------------------

  Status Cleanup() {
    BGPLAN_ASSIGN_OR_RETURN(World w, ReadWorld());
    Violations v;
    for (const DepState& ds : w.deps) {
      if (ds.state == MzState::kPromoted && ds.run && !x.options_.force &&
          !ds.run->promoted_at_ms.empty() &&
          NowMs() - std::stoll(ds.run->promoted_at_ms) < ds.d->cleanup.keep_blue_ms) {
        v.Add(DiagKind::kKeepBlueNotElapsed, *ds.d, {},
              "deployment '" + ds.d->name + "' was promoted less than keep_blue (" +
                  sql::FormatDuration(ds.d->cleanup.keep_blue_ms) + ") ago (--force drops now)");
      }
      if (x.options_.force) {
        continue;
      }
      const SchemasByDb greens = SchemasOf(ds, true);
      std::vector<std::string> all;
      std::set<std::string> seen;
      for (const auto& [db, schemas] : greens) {
        BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> deps, Dependents(db, schemas));
        for (const auto& o : deps) {
          if (seen.insert(o.id).second) {
            all.push_back(o.Describe());
          }
        }
      }
      BGPLAN_ASSIGN_OR_RETURN(std::vector<ObjRef> on, OnClusters(greens, ClustersOf(ds, true)));
      for (const auto& o : on) {
        if (seen.insert(o.id).second) {
          all.push_back(o.Describe() + " (on a dropped cluster)");
        }
      }
      if (!all.empty()) {
        v.Add(DiagKind::kCleanupDropsDependents, *ds.d, {},
              "DROP ... CASCADE of the green objects would also remove: " + Join(all) +
                  " (--force drops them)");
      }
    }
    if (!v.items.empty()) {
      return Report(v, "cleanup");
    }
    for (const DepState& ds : w.deps) {
      std::vector<std::string> sql;
      std::vector<bool> exists;  // DROP ... IF EXISTS of an absent object changes nothing
      for (const auto& ss : ds.schemas) {
        sql.push_back(sql::DropSchemaSql(Mz(), ss.pair.database, ss.pair.green));
        exists.push_back(ss.green.exists);
      }
      for (const auto& cs : ds.clusters) {
        sql.push_back(sql::DropClusterSql(cs.pair.green));
        exists.push_back(cs.green.exists);
      }
      for (size_t i = 0; i < sql.size(); ++i) {
        if (x.options_.dry_run) {
          Show(ds.d->name, "cleanup", sql[i], exists[i]);
          continue;
        }
        BGPLAN_RETURN_IF_ERROR(Run(ds.d->name, "cleanup", sql[i]));
        if (i == 0) {
          FaultPoint("cleanup", "after-first-drop");
        }
      }
      if (!x.options_.dry_run && ds.run) {
        BGPLAN_RETURN_IF_ERROR(SetPhase(ds.run->id, "finished", "finished"));
        BGPLAN_RETURN_IF_ERROR(Event(ds.run->id, ds.d->name, "cleanup", "phase-done", "dropped"));
      }
      Emit("phase", ds.d->name, "cleanup: deployment '" + ds.d->name + "' done",
           {{"phase", "cleanup"}, {"status", x.options_.dry_run ? "dry-run" : "done"}});
    }
    return Status::Ok();
  }
};

MzExecutor::MzExecutor(SqlSession& session, const plans::Plan& plan,
                       std::vector<std::string> selected, RunOptions options, EventSink& sink)
    : session_(session),
      plan_(plan),
      selected_(std::move(selected)),
      options_(std::move(options)),
      sink_(sink) {
  if (selected_.empty()) {
    for (const auto& d : plan_.deployments) {
      selected_.push_back(d.name);
    }
  }
}

Status MzExecutor::Lock() {
  if (options_.dry_run) {
    return Status::Ok();
  }
  Impl impl(*this);
  std::vector<std::string> sorted = selected_;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& d : sorted) {
    Status st = impl.TakeLock(d);
    if (!st.ok()) {
      Unlock();
      return st;
    }
    locks_.push_back(d);
  }
  last_refresh_ms_ = NowMs();
  return Status::Ok();
}

void MzExecutor::Unlock() {
  Impl impl(*this);
  for (const std::string& d : locks_) {
    // A cancel request sent on SIGINT may land on this statement instead of the one it was
    // meant for (cancellation is asynchronous): try again before leaving the lock behind.
    for (int attempt = 0; attempt < 3; ++attempt) {
      // Never drop a lock another run took over (see VerifyLocks).
      Result<std::optional<std::string>> comment = impl.LockComment(d);
      if (!comment.ok()) {
        continue;
      }
      if (!comment->has_value() || (*comment)->rfind(impl.LockHolderTag(), 0) != 0) {
        break;
      }
      if (session_.Exec(sql::DropSchemaSql(Mz(), "", MzLockSchemaName(d))).ok()) {
        break;
      }
    }
  }
  locks_.clear();
}

Status MzExecutor::BreakLock(bool force) {
  Impl impl(*this);
  for (const std::string& d : selected_) {
    BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, impl.LockComment(d));
    if (!comment.has_value()) {
      impl.Emit("lock", d, "deployment '" + d + "' is not locked");
      continue;
    }
    if (!force && !Impl::Stale(*comment)) {
      return Status(StatusCode::kLocked, "deployment '" + d + "' is locked by a live run: " +
                                             *comment + " (--force removes the lock anyway)");
    }
    BGPLAN_RETURN_IF_ERROR(session_.Exec(sql::DropSchemaSql(Mz(), "", MzLockSchemaName(d))));
    impl.Emit("lock", d, "removed the lock of deployment '" + d + "' (" + *comment + ")");
  }
  return Status::Ok();
}

Status MzExecutor::RunPhase(PhaseKind phase) {
  Impl impl(*this);
  std::string name(plans::PhaseName(phase));
  if (options_.expected_fingerprint.has_value()) {
    // Only the facts this phase reads count: a promote plan stays valid when something only
    // cleanup reads changed.
    const std::string& planned = *options_.expected_fingerprint;
    BGPLAN_ASSIGN_OR_RETURN(std::string now, Fingerprint(phase));
    if (now != planned) {
      Diagnostic d;
      d.kind = DiagKind::kStalePlan;
      d.file = plan_.source_file;
      d.message = "the catalog changed since this plan file was made (" + name +
                  " fingerprint " + (planned.empty() ? std::string("(none)") : planned.substr(0, 12)) +
                  " planned, " + now.substr(0, 12) + " now); run `bgplan plan` again";
      sink_.Diagnose(d, Join(selected_));
      return Status(StatusCode::kPrecondition, name + ": stale-plan: the plan file is stale");
    }
  }
  FaultPoint(name, "after-lock");
  switch (phase) {
    case PhaseKind::kInit:
      return impl.Init();
    case PhaseKind::kAwait:
      return impl.AwaitPhase();
    case PhaseKind::kPromote:
      return impl.Promote(false);
    case PhaseKind::kRollback:
      return impl.Promote(true);
    case PhaseKind::kCleanup:
      return impl.Cleanup();
  }
  return Status::Internal("unknown phase");
}

Status MzExecutor::Apply(const std::string& deploy_cmd, bool through_cleanup, Executor* pg_helper) {
  Impl impl(*this);
  BGPLAN_ASSIGN_OR_RETURN(World w, impl.ReadWorld());
  bool all_promoted = true;
  for (const DepState& ds : w.deps) {
    all_promoted &= ds.state == MzState::kPromoted;
  }
  if (!all_promoted) {
    BGPLAN_RETURN_IF_ERROR(impl.Init());  // idempotent: finishes or skips what exists
    FaultPoint("apply", "after-init");
    if (!deploy_cmd.empty() && pg_helper != nullptr) {
      BGPLAN_RETURN_IF_ERROR(pg_helper->RunDeployCmd(deploy_cmd));
      FaultPoint("apply", "after-deploy-cmd");
    }
    BGPLAN_RETURN_IF_ERROR(impl.AwaitPhase());
    FaultPoint("apply", "after-await");
    BGPLAN_RETURN_IF_ERROR(impl.Promote(false));
    FaultPoint("apply", "after-promote");
  } else {
    BGPLAN_RETURN_IF_ERROR(impl.Promote(false));  // finishes an interrupted sink cut-over
  }
  if (through_cleanup) {
    return impl.Cleanup();
  }
  return Status::Ok();
}

Result<std::string> MzExecutor::Fingerprint(PhaseKind phase) {
  Impl impl(*this);
  BGPLAN_ASSIGN_OR_RETURN(World w, impl.ReadWorld());
  return impl.PhaseFingerprint(w, phase);
}

Status MzExecutor::PlanPhase(PhaseKind phase, bool* has_changes) {
  bool was = options_.dry_run;
  options_.dry_run = true;
  changes_ = 0;
  sink_.Product("sql", "",
                "-- phase " + std::string(plans::PhaseName(phase)) +
                    " (resolved against the live catalog; nothing has run)");
  Impl impl(*this);
  Status st;
  switch (phase) {
    case PhaseKind::kInit:
      st = impl.Init();
      break;
    case PhaseKind::kAwait:
      st = impl.AwaitPhase();
      break;
    case PhaseKind::kPromote:
      st = impl.Promote(false);
      break;
    case PhaseKind::kRollback:
      st = impl.Promote(true);
      break;
    case PhaseKind::kCleanup:
      st = impl.Cleanup();
      break;
  }
  options_.dry_run = was;
  if (has_changes != nullptr && st.ok() && changes_ > 0) {
    *has_changes = true;
  }
  return st;
}

Result<PhaseKind> MzExecutor::NextPhase() {
  Impl impl(*this);
  BGPLAN_ASSIGN_OR_RETURN(World w, impl.ReadWorld());
  bool any_absent = false, any_initialized = false;
  for (const DepState& ds : w.deps) {
    any_absent |= ds.state == MzState::kAbsent;
    any_initialized |= ds.state == MzState::kInitialized;
  }
  return any_absent        ? PhaseKind::kInit
         : any_initialized ? PhaseKind::kPromote
                           : PhaseKind::kCleanup;
}

Status MzExecutor::PrintStatus() {
  Impl impl(*this);
  BGPLAN_ASSIGN_OR_RETURN(World w, impl.ReadWorld());
  for (const DepState& ds : w.deps) {
    std::string state = ds.state == MzState::kPromoted      ? "promoted"
                        : ds.state == MzState::kInitialized ? "initialized"
                                                            : "absent";
    if (ds.run && ds.state == MzState::kInitialized && ds.run->phase == "rolled_back") {
      state = "rolled_back";
    }
    std::string text =
        "deployment " + ds.d->name + ": " + state +
        (ds.run ? " (run " + ds.run->id + ", journal phase " + ds.run->phase + ")" : "") + "\n";
    if (ds.run) {
      std::string fp = impl.RunFingerprint(ds.run->id);
      text += "  plan fingerprint " + (fp.empty() ? std::string("(not recorded)") : fp.substr(0, 12)) +
              "\n";
    }
    for (const auto& ss : ds.schemas) {
      text += "  schema " + ss.pair.blue + " id " + (ss.blue.exists ? ss.blue.id : "-") + ", " +
              ss.pair.green + " id " + (ss.green.exists ? ss.green.id : "-") + "\n";
    }
    for (const auto& cs : ds.clusters) {
      text += "  cluster " + cs.pair.blue + " id " + (cs.blue.exists ? cs.blue.id : "-") + ", " +
              cs.pair.green + " id " + (cs.green.exists ? cs.green.id : "-") + "\n";
    }
    if (ds.state != MzState::kPromoted && !ds.clusters.empty()) {
      // Readiness of the green clusters: one poll of the await query (read-only).
      std::vector<std::string> greens;
      for (const auto& cs : ds.clusters) {
        if (cs.green.exists) {
          greens.push_back(cs.pair.green);
        }
      }
      if (!greens.empty()) {
        Result<Rows> rows = session_.Query(impl.ReadinessSql(greens, ds.d->await.lag_threshold_ms));
        if (rows.ok()) {
          for (const Row& r : *rows) {
            text += "  readiness " + r[0] + ": " + r[1] + " (hydrated " + r[3] + "/" + r[4] +
                    ", lag " + r[5] + " s, replicas " + r[6] + ")\n";
          }
        }
      }
    }
    if (ds.run) {
      Result<Rows> events =
          session_.Query("SELECT at, phase, type, message FROM " + impl.J("events") +
                         " WHERE deployment = " + Lit(ds.d->name) + " ORDER BY at DESC LIMIT 5");
      if (events.ok() && !events->empty()) {
        text += "  journal (latest first):\n";
        for (const Row& e : *events) {
          text += "    " + e[0] + " " + e[1] + " " + e[2] + ": " + e[3] + "\n";
        }
      }
    }
    sink_.Product("status", ds.d->name, text);
  }
  return Status::Ok();
}

}  // namespace bgplan::runtime
