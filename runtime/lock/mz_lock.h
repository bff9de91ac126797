// The deployment lock on Materialize: a schema bgplan_lock_<deployment> in the connection's
// database whose comment names its holder (user, host, pid) and expiry. It is built under a
// pending name, commented, then renamed onto the lock name, so a lock never exists without its
// holder; the holder refreshes the expiry while it runs and re-checks the comment before the swap
// (two runs taking over one expired lock at once: the later one wins, the earlier one stops).
#pragma once

#include <string>

namespace bgplan::runtime {

// The name of the lock schema of `deployment`.
std::string MzLockSchemaName(const std::string& deployment);

}  // namespace bgplan::runtime
