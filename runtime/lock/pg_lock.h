// The deployment lock on PostgreSQL: a session advisory lock on a 64-bit hash of
// "bgplan:<database>:<deployment>", held for the whole run and released by the server when the
// session ends, even if bgplan is killed (semantics.md section 2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/status.h"
#include "runtime/session.h"

namespace bgplan::runtime {

// The first 8 bytes of SHA-256("bgplan:<database>:<deployment>") as a signed 64-bit key.
int64_t AdvisoryLockKey(const std::string& database, const std::string& deployment);

struct LockHolder {
  int pid = 0;
  std::string application_name;
  std::string client;  // client address:port, or "local socket"
  std::string user;
  std::string since;  // backend start, UTC
  std::string Describe() const;
};

// Who holds the lock of (database, deployment), if anyone ("" pid 0 = free).
Result<LockHolder> FindLockHolder(SqlSession& session, const std::string& database,
                                  const std::string& deployment);

// Takes the locks of `deployments` (sorted, so two runs never deadlock) without waiting. If one
// is held by another session, releases what was taken and returns kLocked naming the holder.
Status AcquireDeploymentLocks(SqlSession& session, const std::string& database,
                              std::vector<std::string> deployments);

// Releases every advisory lock of this session.
Status ReleaseDeploymentLocks(SqlSession& session);

}  // namespace bgplan::runtime
