// LocalPostgres: a throwaway PostgreSQL server for `bgplan demo` (the same approach as
// tests/support/test_postgres: initdb in a temporary directory, as the `postgres` system user
// when running as root, a free loopback port, trust authentication), stopped and removed by
// Stop() or the destructor.
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace bgplan::runtime {

class LocalPostgres {
 public:
  LocalPostgres() = default;
  ~LocalPostgres();
  LocalPostgres(const LocalPostgres&) = delete;
  LocalPostgres& operator=(const LocalPostgres&) = delete;

  // initdb + pg_ctl start. kNotFound when no server is installed. `extra_options` are added to
  // the server's command line (e.g. "-c track_commit_timestamp=on").
  Status Start(const std::string& extra_options = "");
  void Stop();

  // postgresql://postgres@127.0.0.1:PORT/dbname
  std::string Url(const std::string& dbname) const;
  const std::string& bindir() const { return bindir_; }
  const std::string& dir() const { return dir_; }
  int port() const { return port_; }

 private:
  std::string bindir_;
  std::string dir_;
  int port_ = 0;
  bool running_ = false;
};

// The highest installed /usr/lib/postgresql/<v>/bin, or "".
std::string FindPostgresBin();
// Runs argv (no shell) as the `postgres` user when root, else as ourselves; output to `log`.
int RunAsPostgres(const std::vector<std::string>& argv, const std::string& log);

}  // namespace bgplan::runtime
