// TestPostgres: a throwaway PostgreSQL server for tests. initdb in a temp directory (as the
// `postgres` system user when running as root, since initdb refuses root), a free loopback port,
// stopped and removed at process exit. BGPLAN_TEST_PG_DSN (keyword/value form, superuser) points
// the tests at an existing server instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/local_postgres.h"

namespace bgplan::testing {

class TestPostgres {
 public:
  // The process-wide server, started on first call. Returns nullptr and sets *error if it
  // cannot start. Thread-safe.
  static TestPostgres* Get(std::string* error = nullptr);

  // libpq keyword/value connection string for `dbname`, as the superuser.
  std::string Dsn(std::string_view dbname = "postgres") const;
  // The same as a URL: postgresql://user@127.0.0.1:port/dbname
  std::string Url(std::string_view dbname = "postgres") const;
  // Creates a new empty database named `prefix` + a unique number; returns its name.
  std::string CreateDatabase(std::string_view prefix);
  // Runs `sql` (may hold several statements) in `dbname` as the superuser. Returns "" on success,
  // else the server's error message.
  std::string Exec(std::string_view dbname, std::string_view sql);
  // Runs a query; returns its rows as text (NULL as "<null>"). On error returns {} and sets *error.
  std::vector<std::vector<std::string>> Query(std::string_view dbname, std::string_view sql,
                                              std::string* error = nullptr);
  // First column of the first row, or "" (convenience for catalog assertions).
  std::string Scalar(std::string_view dbname, std::string_view sql);

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& superuser() const { return user_; }
  // The bin directory of the PostgreSQL installation (initdb, pg_ctl, psql live there or in PATH).
  const std::string& bindir() const { return bindir_; }
  // Stops the server now (also done at exit).
  void Stop();

 private:
  TestPostgres() = default;
  bool Start(std::string* error);

  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string user_ = "postgres";
  std::string bindir_;
  std::string external_dsn_;
  // The server when we started one (the same code `bgplan demo` uses).
  std::unique_ptr<runtime::LocalPostgres> local_;
  bool running_ = false;
  int next_db_ = 0;
};

}  // namespace bgplan::testing
