#include "tests/support/test_postgres.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

namespace bgplan::testing {

std::string FindPostgresBinDir() {
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

int FindFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
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

int RunAsPostgresUser(const std::vector<std::string>& argv, const std::string& log_path) {
  std::vector<std::string> full;
  if (geteuid() == 0) {
    full = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  }
  full.insert(full.end(), argv.begin(), argv.end());
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(log_path.empty() ? "/dev/null" : log_path.c_str(),
                   O_WRONLY | O_CREAT | O_APPEND, 0644);
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

TestPostgres* TestPostgres::Get(std::string* error) {
  static std::mutex mu;
  static TestPostgres* instance = nullptr;
  static std::string start_error;
  std::lock_guard<std::mutex> lock(mu);
  if (instance == nullptr && start_error.empty()) {
    auto* candidate = new TestPostgres();
    if (candidate->Start(&start_error)) {
      instance = candidate;
      std::atexit([] {
        if (instance != nullptr) {
          instance->Stop();
        }
      });
    } else {
      delete candidate;
      if (start_error.empty()) {
        start_error = "could not start PostgreSQL";
      }
    }
  }
  if (instance == nullptr && error != nullptr) {
    *error = start_error;
  }
  return instance;
}

bool TestPostgres::Start(std::string* error) {
  if (const char* dsn = std::getenv("BGPLAN_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
    external_dsn_ = dsn;
    PGconn* conn = PQconnectdb(external_dsn_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      *error = std::string("BGPLAN_TEST_PG_DSN: ") + PQerrorMessage(conn);
      PQfinish(conn);
      return false;
    }
    host_ = PQhost(conn);
    port_ = std::atoi(PQport(conn));
    user_ = PQuser(conn);
    PQfinish(conn);
    running_ = true;
    return true;
  }
  bindir_ = FindPostgresBinDir();
  if (bindir_.empty()) {
    *error = "no PostgreSQL server installed (apt-get install postgresql)";
    return false;
  }
  char tmpl[] = "/tmp/bgplan-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    *error = "mkdtemp failed";
    return false;
  }
  dir_ = tmpl;
  if (geteuid() == 0) {
    if (passwd* pw = getpwnam("postgres"); pw != nullptr) {
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        *error = "chown of " + dir_ + " failed";
        return false;
      }
    } else {
      *error = "running as root but there is no 'postgres' system user";
      return false;
    }
  }
  chmod(dir_.c_str(), 0755);
  std::string data = dir_ + "/data";
  std::string log = dir_ + "/server.log";
  if (RunAsPostgresUser({bindir_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale=C", "--no-sync"},
                        dir_ + "/initdb.log") != 0) {
    *error = "initdb failed; see " + dir_ + "/initdb.log";
    return false;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FindFreePort();
    std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                          " -c listen_addresses=127.0.0.1 -c fsync=off"
                          " -c synchronous_commit=off -c full_page_writes=off"
                          " -c max_connections=200";
    if (RunAsPostgresUser({bindir_ + "/pg_ctl", "-D", data, "-o", options, "-l", log, "-w",
                           "-t", "60", "start"},
                          dir_ + "/pg_ctl.log") == 0) {
      running_ = true;
      return true;
    }
  }
  *error = "pg_ctl start failed; see " + log;
  return false;
}

void TestPostgres::Stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  if (!external_dsn_.empty()) {
    return;
  }
  RunAsPostgresUser({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestPostgres::Dsn(std::string_view dbname) const {
  if (!external_dsn_.empty()) {
    return external_dsn_ + " dbname=" + std::string(dbname);
  }
  return "host=" + host_ + " port=" + std::to_string(port_) + " user=" + user_ +
         " dbname=" + std::string(dbname);
}

std::string TestPostgres::Url(std::string_view dbname) const {
  return "postgresql://" + user_ + "@" + host_ + ":" + std::to_string(port_) + "/" +
         std::string(dbname);
}

std::string TestPostgres::CreateDatabase(std::string_view prefix) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::string name = std::string(prefix) + "_" + std::to_string(getpid()) + "_" +
                     std::to_string(++next_db_);
  std::string err = Exec("postgres", "CREATE DATABASE \"" + name + "\"");
  return err.empty() ? name : "";
}

std::string TestPostgres::Exec(std::string_view dbname, std::string_view sql) {
  PGconn* conn = PQconnectdb(Dsn(dbname).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string err = PQerrorMessage(conn);
    PQfinish(conn);
    return err.empty() ? "connection failed" : err;
  }
  PGresult* res = PQexec(conn, std::string(sql).c_str());
  std::string err;
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    err = PQresultErrorMessage(res);
    if (err.empty()) {
      err = "query failed";
    }
  }
  PQclear(res);
  PQfinish(conn);
  return err;
}

std::vector<std::vector<std::string>> TestPostgres::Query(std::string_view dbname,
                                                          std::string_view sql,
                                                          std::string* error) {
  std::vector<std::vector<std::string>> rows;
  PGconn* conn = PQconnectdb(Dsn(dbname).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    if (error != nullptr) {
      *error = PQerrorMessage(conn);
    }
    PQfinish(conn);
    return rows;
  }
  PGresult* res = PQexec(conn, std::string(sql).c_str());
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    if (error != nullptr) {
      *error = PQresultErrorMessage(res);
    }
  } else {
    for (int r = 0; r < PQntuples(res); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(res); ++c) {
        row.push_back(PQgetisnull(res, r, c) ? "<null>" : PQgetvalue(res, r, c));
      }
      rows.push_back(std::move(row));
    }
  }
  PQclear(res);
  PQfinish(conn);
  return rows;
}

std::string TestPostgres::Scalar(std::string_view dbname, std::string_view sql) {
  auto rows = Query(dbname, sql);
  if (rows.empty() || rows[0].empty()) {
    return "";
  }
  return rows[0][0];
}

}  // namespace bgplan::testing
