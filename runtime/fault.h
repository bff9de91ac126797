// Test-only fault injection: BGPLAN_FAULT=<phase>:<point> makes the process kill itself
// (SIGKILL, no cleanup, like a crash) when it reaches that point. Used by the crash-and-resume
// tests; the points are listed in kFaultPoints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bgplan::runtime {

// Every named point, "<phase>:<point>".
const std::vector<std::string>& FaultPoints();

// True if BGPLAN_FAULT names `phase`:`point`.
bool FaultArmed(std::string_view phase, std::string_view point);

// Kills the process with SIGKILL if BGPLAN_FAULT names `phase`:`point`.
void FaultPoint(std::string_view phase, std::string_view point);

}  // namespace bgplan::runtime
