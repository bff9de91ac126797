// Test-only fault injection: BGPLAN_FAULT=<phase>:<point> makes the process kill itself
// (SIGKILL, no cleanup, like a crash) when it reaches that point. Used by the crash-and-resume
// tests. The executor (runtime/execute/executor.h) reaches the same points on both dialects;
// the lists below are the ones each dialect's crash test walks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bgplan::runtime {

// The points the PostgreSQL crash test walks, "<phase>:<point>": around each phase's
// transaction, and between apply's phases.
const std::vector<std::string>& FaultPoints();
// The points the Materialize crash test walks: its resumable places (statement by statement,
// the lock schema, the journal), in the order reached.
const std::vector<std::string>& MzFaultPoints();

// True if BGPLAN_FAULT names `phase`:`point`.
bool FaultArmed(std::string_view phase, std::string_view point);

// Kills the process with SIGKILL if BGPLAN_FAULT names `phase`:`point`.
void FaultPoint(std::string_view phase, std::string_view point);

}  // namespace bgplan::runtime
