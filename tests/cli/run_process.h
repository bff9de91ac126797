// Runs a program with arguments (no shell) and captures its exit status, stdout and stderr.
// Test-only helper for process-level tests of the bgplan binary.
#pragma once

#include <string>
#include <vector>

namespace bgplan::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs `argv` with `stdin_text` on standard input and extra environment entries ("K=V").
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                         const std::vector<std::string>& env = {});

}  // namespace bgplan::testing
