// The exit codes of cli.md, normative: scripts and CI pipelines depend on them.
#pragma once

#include "support/status.h"

namespace bgplan {

enum ExitCode : int {
  kExitOk = 0,
  kExitInputErrors = 1,
  kExitChanges = 2,  // plan --detailed-exitcode: there are changes to apply
  kExitPrecondition = 3,
  kExitAwaitTimeout = 4,
  kExitClusterFailing = 5,
  kExitLocked = 6,
  kExitDatabase = 7,
  kExitInterrupted = 8,
  kExitDeployCommand = 9,  // apply: the --deploy-cmd failed (nothing was promoted)
  kExitUsage = 64,
  kExitInternal = 70,
};

// The exit code for a failed Status (kExitOk for OK).
inline int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kIoError:
      return kExitInputErrors;
    case StatusCode::kConnectionError:
    case StatusCode::kDatabaseError:
      return kExitDatabase;
    case StatusCode::kPrecondition:
      return kExitPrecondition;
    case StatusCode::kLocked:
      return kExitLocked;
    case StatusCode::kTimeout:
      return kExitAwaitTimeout;
    case StatusCode::kFailing:
      return kExitClusterFailing;
    case StatusCode::kInterrupted:
      return kExitInterrupted;
    case StatusCode::kCommandFailed:
      return kExitDeployCommand;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace bgplan
