// SqlSession: the runtime's only way to talk to a database (style.md rule 8). The libpqxx
// implementation lives in pqxx_session.cc; unit tests use the recording FakeSession
// (fake_session.h). Every error is a Status carrying the server's SQLSTATE when there is one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace bgplan::runtime {

// Rows of a result, each value as text; SQL NULL is the empty string.
using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

// One libpq connection parameter of a live connection (for the deploy command's environment).
struct ConnParam {
  std::string keyword;  // libpq's keyword: "host", "sslmode", "connect_timeout", ...
  // The value the connection uses; "" when it uses libpq's built-in default or nothing.
  std::string value;
  // The environment variable libpq reads the parameter from ("PGSSLMODE"); "" if none.
  std::string envvar;
};

// One database connection. Not thread-safe, except Cancel(), which may be called from another
// thread (the signal thread) while a statement runs.
class SqlSession {
 public:
  virtual ~SqlSession() = default;

  // Runs `sql` (one or several statements, sent in ONE round trip with the simple query
  // protocol; an explicit BEGIN ... COMMIT inside it makes it one transaction). Returns the
  // rows of the last statement. On failure returns kDatabaseError with the SQLSTATE
  // (kConnectionError when the connection broke); if the text opened a transaction block, the
  // session is left in an aborted transaction and the caller must send ROLLBACK.
  virtual Result<Rows> Query(std::string_view sql) = 0;
  // Query() without the rows.
  Status Exec(std::string_view sql) {
    Result<Rows> r = Query(sql);
    return r.ok() ? Status::Ok() : r.status();
  }
  // Asks the server to cancel the statement running now (no-op when idle). Thread-safe.
  virtual void Cancel() = 0;
  // Closes the connection; later calls fail with kConnectionError.
  virtual void Close() = 0;
  // Server process id of this session (for pg_stat_activity), 0 if unknown.
  virtual int BackendPid() const = 0;
  // Connection parameters actually used (for deploy-cmd environment). Never includes the password.
  virtual std::string Host() const = 0;
  virtual std::string Port() const = 0;
  virtual std::string User() const = 0;
  virtual std::string Database() const = 0;
  // Every connection parameter of the live connection, in libpq's order (PQconninfo): host,
  // port, user and dbname are those of the server actually connected to (one host of a list,
  // the socket directory for a Unix socket), the others as the connection uses them, "" where
  // that is libpq's built-in default. Never a secret: password and sslpassword are left out.
  // This default (for sessions that are not libpq connections) gives the four above.
  virtual std::vector<ConnParam> ConnectionParameters() const {
    return {{"host", Host(), "PGHOST"},
            {"port", Port(), "PGPORT"},
            {"user", User(), "PGUSER"},
            {"dbname", Database(), "PGDATABASE"}};
  }
};

// SQLSTATEs the runtime treats specially.
inline constexpr std::string_view kSqlstateLockTimeout = "55P03";
inline constexpr std::string_view kSqlstateSerialization = "40001";
inline constexpr std::string_view kSqlstateDeadlock = "40P01";
inline constexpr std::string_view kSqlstateQueryCanceled = "57014";

// True for the errors on which a swap transaction is rolled back and retried on PostgreSQL.
bool IsRetryable(const Status& status);

// Opens a PostgreSQL (or Materialize) connection with libpq connection string `conninfo`
// (keyword/value or URL; application_name must already be set in it). `password`, when not
// empty, is used as the password and scrubbed from every error message. Error messages never
// contain the password.
Result<std::unique_ptr<SqlSession>> ConnectPqxx(const std::string& conninfo,
                                                const std::string& password);

}  // namespace bgplan::runtime
