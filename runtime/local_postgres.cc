#include "runtime/local_postgres.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "runtime/interrupt.h"

namespace bgplan::runtime {

std::string FindPostgresBin() {
  std::error_code ec;
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    if (std::filesystem::exists(entry.path() / "bin" / "initdb", ec)) {
      found.push_back(entry.path() / "bin");
    }
  }
  if (found.empty()) {
    return "";
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::atoi(a.parent_path().filename().c_str()) <
           std::atoi(b.parent_path().filename().c_str());
  });
  return found.back().string();
}

static int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return 0;
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

int RunAsPostgres(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<std::string> full;
  if (geteuid() == 0) {
    full = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  }
  full.insert(full.end(), argv.begin(), argv.end());
  pid_t pid = fork();
  if (pid == 0) {
    UnblockSignalsInChild();
    signal(SIGPIPE, SIG_DFL);
    // Its own process group: a Ctrl-C on the terminal reaches bgplan, which stops the server.
    setpgid(0, 0);
    int out = open(log.empty() ? "/dev/null" : log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    std::vector<char*> args;
    for (auto& a : full) {
      args.push_back(a.data());
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

LocalPostgres::~LocalPostgres() { Stop(); }

Status LocalPostgres::Start(const std::string& extra_options) {
  bindir_ = FindPostgresBin();
  if (bindir_.empty()) {
    return Status::NotFound(
        "no PostgreSQL server is installed (scripts/setup installs it: apt-get install "
        "postgresql)");
  }
  char tmpl[] = "/tmp/bgplan-demo-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    return Status::IoError("mkdtemp failed");
  }
  dir_ = tmpl;
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return Status::Internal("running as root but there is no 'postgres' system user");
    }
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return Status::IoError("chown of " + dir_ + " failed");
    }
  }
  chmod(dir_.c_str(), 0755);
  std::string data = dir_ + "/data";
  if (RunAsPostgres({bindir_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C", "--no-sync"},
                    dir_ + "/initdb.log") != 0) {
    return Status::Internal("initdb failed; see " + dir_ + "/initdb.log");
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                          " -c listen_addresses=127.0.0.1 -c fsync=off " + extra_options;
    if (RunAsPostgres({bindir_ + "/pg_ctl", "-D", data, "-o", options, "-l", dir_ + "/server.log",
                       "-w", "-t", "60", "start"},
                      dir_ + "/pg_ctl.log") == 0) {
      running_ = true;
      return Status::Ok();
    }
  }
  return Status::Internal("pg_ctl start failed; see " + dir_ + "/server.log");
}

void LocalPostgres::Stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  RunAsPostgres({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}, "");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string LocalPostgres::Url(const std::string& dbname) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

}  // namespace bgplan::runtime
