#include "runtime/fault.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace bgplan::runtime {

const std::vector<std::string>& FaultPoints() {
  static const std::vector<std::string> kPoints = {
      "init:after-lock",       "init:before-commit",  "init:after-commit",
      "await:after-lock",      "promote:after-lock",  "promote:before-commit",
      "promote:after-commit",  "rollback:after-lock", "rollback:before-commit",
      "rollback:after-commit", "cleanup:after-lock",  "cleanup:before-commit",
      "cleanup:after-commit",  "apply:after-init",    "apply:after-deploy-cmd",
      "apply:after-await",     "apply:after-promote",
  };
  return kPoints;
}

const std::vector<std::string>& MzFaultPoints() {
  static const std::vector<std::string> kPoints = {
      "init:lock-pending",                   // pending lock schema created and commented
      "init:after-lock",                     // lock schema taken, nothing else done
      "init:after-mark-green",               // the green schema done, the cluster not yet
      "init:before-journal",                 // every green object exists, journal not updated
      "promote:after-lock",                  //
      "promote:after-intent",                // intent journaled, swap not sent
      "promote:after-swap",                  // swap committed, nothing journaled or tagged
      "promote:after-tag-schemas",           // swap journaled and schemas tagged, no sink yet
      "promote:before-last-repoint-sinks",   // every sink but the last re-pointed
      "rollback:after-swap",                 // swapped back, sinks not re-pointed back
      "cleanup:after-id-check",              // the first drop's identity checked, not sent
      "cleanup:after-drop-green",            // the first green object dropped
  };
  return kPoints;
}

bool FaultArmed(std::string_view phase, std::string_view point) {
  const char* env = std::getenv("BGPLAN_FAULT");
  if (env == nullptr) {
    return false;
  }
  std::string want = std::string(phase) + ":" + std::string(point);
  return want == env;
}

void FaultPoint(std::string_view phase, std::string_view point) {
  if (FaultArmed(phase, point)) {
    kill(getpid(), SIGKILL);
    _exit(137);
  }
}

}  // namespace bgplan::runtime
