// Starting the built bgplan executable from integration tests: in the background (for signals,
// kill -9 and concurrent runs) or to completion, with stdout and stderr captured in files.
// Shared by the PostgreSQL (runtime_cli_test) and Materialize (mz_fixture) suites.
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bgplan::testing {

// The bgplan executable of this build.
inline std::string Bgplan() { return std::string(BGPLAN_BINARY_DIR) + "/cli/bgplan"; }

// The whole content of `path` ("" when it cannot be read).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A started bgplan process and the files its output goes to.
struct Proc {
  pid_t pid = 0;
  std::string out_path, err_path;
};

struct ProcResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out, err;
};

// Starts `bgplan args...` with stdout in `dir`/out<n> and stderr in `dir`/err<n>. The child
// does not inherit BGPLAN_FAULT or BGPLAN_URL; `env` entries ("K=V") are added.
inline Proc SpawnBgplan(const std::string& dir, int n, std::vector<std::string> args,
                        const std::vector<std::string>& env) {
  Proc p;
  p.out_path = dir + "/out" + std::to_string(n);
  p.err_path = dir + "/err" + std::to_string(n);
  args.insert(args.begin(), Bgplan());
  p.pid = fork();
  if (p.pid == 0) {
    int out = open(p.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(p.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    unsetenv("BGPLAN_FAULT");
    unsetenv("BGPLAN_URL");
    for (const std::string& e : env) {
      putenv(strdup(e.c_str()));
    }
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return p;
}

// Waits for `p` to end and collects its exit code (or signal) and output.
inline ProcResult WaitBgplan(const Proc& p) {
  int status = 0;
  waitpid(p.pid, &status, 0);
  ProcResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  r.out = Slurp(p.out_path);
  r.err = Slurp(p.err_path);
  return r;
}

}  // namespace bgplan::testing
