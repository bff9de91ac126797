#include "runtime/lock/pg_lock.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "runtime/catalog/pg_catalog.h"
#include "runtime/lock/lock.h"

namespace bgplan::runtime {

int64_t AdvisoryLockKey(const std::string& database, const std::string& deployment) {
  std::string text = "bgplan:" + database + ":" + deployment;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  uint64_t key = 0;
  for (int i = 0; i < 8; ++i) {
    key = (key << 8) | digest[i];
  }
  int64_t out;
  std::memcpy(&out, &key, sizeof(out));
  return out;
}

std::string LockHolder::Describe() const {
  return "held by pid " + std::to_string(pid) + " (application '" + application_name +
         "', client " + client + ", user " + user + ", connected since " + since + ")";
}

Result<LockHolder> FindLockHolder(SqlSession& session, const std::string& database,
                                  const std::string& deployment) {
  int64_t key = AdvisoryLockKey(database, deployment);
  uint64_t ukey;
  std::memcpy(&ukey, &key, sizeof(ukey));
  std::string hi = std::to_string(ukey >> 32);
  std::string lo = std::to_string(ukey & 0xffffffffu);
  BGPLAN_ASSIGN_OR_RETURN(
      Rows rows,
      session.Query("SELECT a.pid::text, coalesce(a.application_name, ''), "
                    "coalesce(host(a.client_addr) || ':' || a.client_port, 'local socket'), "
                    "coalesce(a.usename, ''), "
                    "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
                    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND l.classid = " +
                    hi + " AND l.objid = " + lo + " AND l.objsubid = 1 LIMIT 1"));
  LockHolder holder;
  if (!rows.empty()) {
    holder.pid = std::stoi(rows[0][0]);
    holder.application_name = rows[0][1];
    holder.client = rows[0][2];
    holder.user = rows[0][3];
    holder.since = rows[0][4];
  }
  return holder;
}

Status AcquireDeploymentLocks(SqlSession& session, const std::string& database,
                              std::vector<std::string> deployments) {
  std::sort(deployments.begin(), deployments.end());
  deployments.erase(std::unique(deployments.begin(), deployments.end()), deployments.end());
  for (const std::string& deployment : deployments) {
    int64_t key = AdvisoryLockKey(database, deployment);
    BGPLAN_ASSIGN_OR_RETURN(
        Rows rows, session.Query("SELECT pg_try_advisory_lock(" + std::to_string(key) + ")::text"));
    if (rows[0][0] != "true") {
      Result<LockHolder> holder = FindLockHolder(session, database, deployment);
      (void)ReleaseDeploymentLocks(session);
      std::string who = holder.ok() && holder->pid != 0 ? holder->Describe()
                                                        : "held by a session that just ended";
      return Status(StatusCode::kLocked,
                    "deployment '" + deployment + "' is locked by another run: " + who);
    }
  }
  return Status::Ok();
}

Status ReleaseDeploymentLocks(SqlSession& session) {
  return session.Exec("SELECT pg_advisory_unlock_all()");
}

namespace {

class PostgresLock : public DeploymentLock {
 public:
  Status Take(SqlSession& session, const std::string& database,
              const std::vector<std::string>& deployments, EventSink& sink) override {
    BGPLAN_RETURN_IF_ERROR(AcquireDeploymentLocks(session, database, deployments));
    locked_ = true;
    for (const std::string& d : deployments) {
      const std::string what = "advisory lock " + std::to_string(AdvisoryLockKey(database, d));
      sink.Emit({"lock", d,
                 sink.options().verbose > 0 ? "locked deployment '" + d + "' (" + what + ")" : "",
                 {{"state", "acquired"}, {"lock", what}}});
    }
    return Status::Ok();
  }
  Status Refresh(SqlSession&) override { return Status::Ok(); }

  // Re-creating a sinks view takes an ACCESS EXCLUSIVE lock on it (blocked by any lock), reading
  // its definition an ACCESS SHARE lock on every relation it reads (blocked by ACCESS EXCLUSIVE).
  std::string DescribeWait(SqlSession& session, const resolve::ResolvedBatch& batch) override {
    std::vector<std::string> holders;
    for (const resolve::ResolvedStep& step : batch.steps) {
      if (step.step->kind != plans::StepKind::kRepointSinks) {
        continue;
      }
      for (const resolve::Action& a : step.actions) {
        if (a.kind != resolve::Action::Kind::kSql || a.view_oid == 0) {
          continue;
        }
        Result<std::vector<std::string>> on_view = LockHolders(session, {a.view_oid}, false);
        Result<std::vector<uint32_t>> relations = ViewRelations(session, a.view_oid);
        if (on_view.ok()) {
          holders.insert(holders.end(), on_view->begin(), on_view->end());
        }
        if (relations.ok()) {
          relations->erase(relations->begin());  // the view itself, done above
          Result<std::vector<std::string>> on_read = LockHolders(session, *relations, true);
          if (on_read.ok()) {
            holders.insert(holders.end(), on_read->begin(), on_read->end());
          }
        }
      }
    }
    std::sort(holders.begin(), holders.end());
    holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
    std::string list;
    for (const std::string& h : holders) {
      list += (list.empty() ? "" : ", ") + h;
    }
    return list.empty() ? std::string() : " (waiting for locks held by " + list + ")";
  }
  Status Verify(SqlSession&, const std::string&) override { return Status::Ok(); }
  void Release(SqlSession& session) override {
    if (locked_) {
      (void)ReleaseDeploymentLocks(session);
      locked_ = false;
    }
  }

  Status Break(SqlSession& session, const std::string& database,
               const std::vector<std::string>& deployments, bool force,
               EventSink& sink) override {
    for (const std::string& d : deployments) {
      BGPLAN_ASSIGN_OR_RETURN(LockHolder holder, FindLockHolder(session, database, d));
      if (holder.pid == 0) {
        sink.Emit({"lock", d, "deployment '" + d + "' is not locked", {{"state", "free"}}});
        continue;
      }
      if (!force) {
        return Status(StatusCode::kLocked,
                      "deployment '" + d + "' is locked and its holder is still connected: " +
                          holder.Describe() + "; use --force to terminate that session");
      }
      BGPLAN_RETURN_IF_ERROR(
          session.Exec("SELECT pg_terminate_backend(" + std::to_string(holder.pid) + ")"));
      sink.Emit({"lock",
                 d,
                 "deployment '" + d + "': terminated the session that held the lock (" +
                     holder.Describe() + ")",
                 {{"state", "broken"}, {"pid", holder.pid}}});
    }
    return Status::Ok();
  }

 private:
  bool locked_ = false;
};

}  // namespace

std::unique_ptr<DeploymentLock> MakePostgresLock() { return std::make_unique<PostgresLock>(); }

}  // namespace bgplan::runtime
