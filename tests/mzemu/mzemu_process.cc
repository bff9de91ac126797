#include "tests/mzemu/mzemu_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace bgplan::testing {

const char* MzemuBinary() { return MZEMU_BINARY; }

bool MzemuProcess::Start(const std::string& postgres_url, std::string* error,
                         const std::vector<std::string>& extra_args) {
  Stop();
  int out[2];
  if (pipe(out) != 0) {
    *error = "pipe failed";
    return false;
  }
  std::vector<std::string> args = {MzemuBinary(), "--postgres", postgres_url, "--listen",
                                   "127.0.0.1:0"};
  if (!mz_version_.empty()) {
    args.push_back("--mz-version");
    args.push_back(mz_version_);
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    // The emulator must not outlive a crashed test binary.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {0};
  bool got = fgets(line, sizeof(line), f) != nullptr;
  fclose(f);
  std::string s(line);
  const std::string prefix = "listening on 127.0.0.1:";
  if (!got || s.rfind(prefix, 0) != 0) {
    *error = "mzemu did not start (" + std::string(MzemuBinary()) + "): " + s;
    Stop();
    return false;
  }
  port_ = std::stoi(s.substr(prefix.size()));
  return true;
}

void MzemuProcess::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

std::string MzemuProcess::Dsn(const std::string& user) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + user +
         " dbname=materialize sslmode=disable connect_timeout=5";
}

std::string MzemuProcess::Url(const std::string& user) const {
  return "postgresql://" + user + "@127.0.0.1:" + std::to_string(port_) +
         "/materialize?sslmode=disable";
}

}  // namespace bgplan::testing
