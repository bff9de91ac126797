// Facts about where bgplan runs, recorded in the journal, the lock and the deployment tag.
#pragma once

#include <string>

namespace bgplan::runtime {

// `git rev-parse HEAD` in the working directory: the 40-hex commit, or "" outside a repository
// (or when git is missing).
std::string GitCommit();

// This machine's host name.
std::string Hostname();

}  // namespace bgplan::runtime
