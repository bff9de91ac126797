#include "runtime/lock/mz_lock.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "runtime/fault.h"
#include "runtime/host_info.h"
#include "runtime/lock/lock.h"
#include "sql/dialect.h"
#include "sql/quote.h"
#include "sql/statements.h"

namespace bgplan::runtime {

std::string MzLockSchemaName(const std::string& deployment) { return "bgplan_lock_" + deployment; }

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

const sql::Dialect& Mz() {
  static const std::unique_ptr<sql::Dialect> kDialect =
      sql::MakeDialect(plans::Target::kMaterialize);
  return *kDialect;
}

// The comment of schema `s` in mz_comments `c`. Ids are allocated per kind in Materialize (a
// schema, a cluster and a table can all be u3), so the kind must be part of the match.
constexpr std::string_view kSchemaComment =
    "c.id = s.id AND c.object_type = 'schema' AND c.object_sub_id IS NULL";

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

// The lock comment for people: "held by u on host h (pid p) until 2026-12-07 02:00:00 UTC".
std::string Describe(const std::string& comment) {
  const std::string holder = LockField(comment, "holder");
  if (holder.empty()) {
    return comment;
  }
  std::string out = "held by " + holder + " on host " + LockField(comment, "host") + " (pid " +
                    LockField(comment, "pid") + ")";
  const std::string exp = LockField(comment, "expires_ms");
  if (!exp.empty() && exp.find_first_not_of("0123456789") == std::string::npos) {
    const std::time_t at = static_cast<std::time_t>(std::stoll(exp) / 1000);
    std::tm tm{};
    gmtime_r(&at, &tm);
    char buf[40];
    std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
    out += " until " + std::string(buf);
  }
  return out;
}

// A lock is stale when it expired, or its holder was a process of this host that is gone.
bool Stale(const std::string& comment) {
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

class MaterializeLock : public DeploymentLock {
 public:
  explicit MaterializeLock(std::string command) : command_(std::move(command)) {}

  Status Take(SqlSession& session, const std::string&, const std::vector<std::string>& deployments,
              EventSink& sink) override {
    std::vector<std::string> sorted = deployments;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& d : sorted) {
      Status st = TakeOne(session, d, sink);
      if (!st.ok()) {
        Release(session);
        return st;
      }
      locks_.push_back(d);
    }
    last_refresh_ms_ = NowMs();
    return Status::Ok();
  }

  Status Refresh(SqlSession& session) override {
    if (locks_.empty() || NowMs() - last_refresh_ms_ < LockRefreshMs()) {
      return Status::Ok();
    }
    BGPLAN_RETURN_IF_ERROR(Verify(session, "refreshing it"));
    for (const std::string& d : locks_) {
      (void)session.Exec(LockCommentSql(session, d));
    }
    last_refresh_ms_ = NowMs();
    return Status::Ok();
  }

  // Our locks still carry our comment. Two runs taking over the same expired lock at once can
  // both succeed (Materialize has no compare-and-swap DDL): the later one replaces the earlier
  // one's lock. The earlier run finds out here, at the latest right before its swap, and stops.
  Status Verify(SqlSession& session, const std::string& before) override {
    for (const std::string& d : locks_) {
      BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, LockComment(session, d));
      if (!comment.has_value() || comment->rfind(HolderTag(session), 0) != 0) {
        return Status(StatusCode::kLocked,
                      "lost the lock of deployment '" + d + "' before " + before + ": " +
                          (comment.has_value() ? "now " + Describe(*comment)
                                               : std::string("the lock schema is gone")) +
                          " (another run took over the lock after it had expired; raise the "
                          "lock TTL if this run was merely slow)");
      }
    }
    return Status::Ok();
  }

  std::string DescribeWait(SqlSession&, const resolve::ResolvedBatch&) override { return ""; }

  void Release(SqlSession& session) override {
    for (const std::string& d : locks_) {
      // A cancel request sent on SIGINT may land on this statement instead of the one it was
      // meant for (cancellation is asynchronous): try again before leaving the lock behind.
      for (int attempt = 0; attempt < 3; ++attempt) {
        // Never drop a lock another run took over (see Verify).
        Result<std::optional<std::string>> comment = LockComment(session, d);
        if (!comment.ok()) {
          continue;
        }
        if (!comment->has_value() || (*comment)->rfind(HolderTag(session), 0) != 0) {
          break;
        }
        if (session.Exec(sql::DropSchemaSql(Mz(), "", MzLockSchemaName(d))).ok()) {
          break;
        }
      }
    }
    locks_.clear();
  }

  Status Break(SqlSession& session, const std::string&, const std::vector<std::string>& deployments,
               bool force, EventSink& sink) override {
    for (const std::string& d : deployments) {
      BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, LockComment(session, d));
      if (!comment.has_value()) {
        sink.Emit({"lock", d, "deployment '" + d + "' is not locked", {{"state", "free"}}});
        continue;
      }
      if (!force && !Stale(*comment)) {
        return Status(StatusCode::kLocked, "deployment '" + d + "' is locked by a live run, " +
                                               Describe(*comment) +
                                               " (--force removes the lock anyway)");
      }
      BGPLAN_RETURN_IF_ERROR(session.Exec(sql::DropSchemaSql(Mz(), "", MzLockSchemaName(d))));
      sink.Emit({"lock",
                 d,
                 "removed the lock of deployment '" + d + "' (" + *comment + ")",
                 {{"state", "broken"}}});
    }
    return Status::Ok();
  }

 private:
  // The start of this run's lock comment: who holds it.
  static std::string HolderTag(SqlSession& session) {
    return "bgplan lock holder=" + session.User() + " host=" + Hostname() +
           " pid=" + std::to_string(getpid()) + " ";
  }
  // The lock comment of `d` on `schema` (default: the lock schema).
  static std::string LockCommentSql(SqlSession& session, const std::string& d,
                                    const std::string& schema = "") {
    std::string text =
        HolderTag(session) + "expires_ms=" + std::to_string(NowMs() + LockTtlMs());
    return sql::CommentOnSql(Mz(), plans::ObjectKind::kSchema, "",
                             schema.empty() ? MzLockSchemaName(d) : schema, text);
  }

  static Result<std::optional<std::string>> LockComment(SqlSession& session,
                                                        const std::string& d) {
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows,
        session.Query("SELECT COALESCE((SELECT c.comment FROM mz_internal.mz_comments c WHERE " +
                      std::string(kSchemaComment) +
                      "), '') FROM mz_schemas s JOIN mz_databases d ON s.database_id = d.id "
                      "WHERE d.name = current_database() AND s.name = " +
                      sql::QuoteLiteral(MzLockSchemaName(d))));
    if (rows.empty()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(rows[0][0]);
  }

  // Drops the pending lock schemas of `d` left by crashed runs: those whose creation time (in
  // their name, "bgplan_lock_<d>__p<created ms>_<pid>") is older than the lock TTL, or whose
  // comment names a holder that is gone.
  Status DropStalePendingLocks(SqlSession& session, const std::string& d, EventSink& sink) {
    const std::string prefix = MzLockSchemaName(d) + "__p";
    BGPLAN_ASSIGN_OR_RETURN(
        Rows pending,
        session.Query("SELECT s.name, COALESCE((SELECT c.comment FROM mz_internal.mz_comments c "
                      "WHERE " +
                      std::string(kSchemaComment) +
                      "), '') FROM mz_schemas s JOIN mz_databases d ON s.database_id = d.id "
                      "WHERE d.name = current_database() AND substr(s.name, 1, " +
                      std::to_string(prefix.size()) + ") = " + sql::QuoteLiteral(prefix) +
                      " ORDER BY s.name"));
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
      sink.Emit({"lock", d, "dropping the pending lock schema " + r[0] + " of a crashed run", {}});
      Status st = session.Exec(sql::DropSchemaSql(Mz(), "", r[0]));
      if (!st.ok() && st.sqlstate() != "3F000") {
        return st;
      }
    }
    return Status::Ok();
  }

  // Taking the lock never leaves a comment-less lock schema: the lock is built under a pending
  // name, commented, then renamed onto the lock name. A rename onto an existing name fails, so
  // the lock stays exclusive; a crash before the rename leaves only a pending schema, which does
  // not block anybody and is dropped by the next run.
  Status TakeOne(SqlSession& session, const std::string& d, EventSink& sink) {
    BGPLAN_RETURN_IF_ERROR(DropStalePendingLocks(session, d, sink));
    const std::string lock = MzLockSchemaName(d);
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::string pending =
          lock + "__p" + std::to_string(NowMs()) + "_" + std::to_string(getpid());
      Status st = session.Exec(sql::CreateSchemaSql(Mz(), "", pending));
      if (st.sqlstate() == "42501") {
        return Status(StatusCode::kPrecondition, "cannot take the lock of deployment '" + d +
                                                     "': creating schema " + pending +
                                                     " needs CREATE on the database " +
                                                     "[missing-privilege]: " + st.message());
      }
      BGPLAN_RETURN_IF_ERROR(st);
      st = session.Exec(LockCommentSql(session, d, pending));
      if (st.ok()) {
        FaultPoint(command_, "lock-pending");
        st = session.Exec("ALTER SCHEMA " + sql::QuoteIdent(pending) + " RENAME TO " +
                          sql::QuoteIdent(lock));
      }
      if (st.ok()) {
        const std::string what = "schema " + lock;
        sink.Emit({"lock", d,
                   sink.options().verbose > 0 ? "locked deployment '" + d + "' (" + what + ")"
                                              : "",
                   {{"state", "acquired"}, {"lock", what}}});
        return Status::Ok();
      }
      (void)session.Exec(sql::DropSchemaSql(Mz(), "", pending));
      BGPLAN_ASSIGN_OR_RETURN(std::optional<std::string> comment, LockComment(session, d));
      if (!comment.has_value()) {
        // The lock went away between our rename and this read (Materialize reports "already
        // exists" as XX000, so the SQLSTATE cannot tell): try once more.
        if (attempt == 0) {
          continue;
        }
        return st;
      }
      if (attempt == 0 && !comment->empty() && Stale(*comment)) {
        sink.Emit({"lock", d,
                   "taking over the stale lock of deployment '" + d + "' (" + Describe(*comment) +
                       ")",
                   {}});
        BGPLAN_RETURN_IF_ERROR(session.Exec(sql::DropSchemaSql(Mz(), "", lock)));
        continue;
      }
      return Status(StatusCode::kLocked,
                    "deployment '" + d + "' is locked by another run, " +
                        (comment->empty() ? std::string("(lock being taken)") : Describe(*comment)) +
                        " (lock schema " + lock + "; `bgplan unlock` removes a stale lock)");
    }
    return Status(StatusCode::kLocked, "deployment '" + d + "' is locked by another run");
  }

  std::string command_;
  std::vector<std::string> locks_;
  int64_t last_refresh_ms_ = 0;
};

}  // namespace

std::unique_ptr<DeploymentLock> MakeMaterializeLock(std::string command) {
  return std::make_unique<MaterializeLock>(std::move(command));
}

}  // namespace bgplan::runtime
