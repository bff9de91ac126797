// Backend: one libpq connection to the backing PostgreSQL, owned by one emulated client session.
// Results are copied out of libpq into plain structs so the wire layer never sees PGresult.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;
typedef struct pg_cancel PGcancel;

namespace mzemu {

struct SqlError {
  std::string code = "XX000";  // SQLSTATE
  std::string message;
  std::string detail;
  std::string hint;
};

struct Field {
  std::string name;
  uint32_t type_oid = 25;
  int16_t type_len = -1;
  int32_t type_mod = -1;
};

using Row = std::vector<std::optional<std::string>>;

// The outcome of one statement as the client will see it.
struct Outcome {
  std::optional<SqlError> error;
  bool has_rows = false;  // a RowDescription is sent (even for zero rows)
  std::vector<Field> fields;
  std::vector<Row> rows;
  std::string tag;     // CommandComplete tag
  bool empty = false;  // EmptyQueryResponse

  static Outcome Error(std::string code, std::string message, std::string hint = "") {
    Outcome o;
    o.error = SqlError{std::move(code), std::move(message), "", std::move(hint)};
    return o;
  }
  static Outcome Tag(std::string tag) {
    Outcome o;
    o.tag = std::move(tag);
    return o;
  }
  bool ok() const { return !error.has_value(); }
  // Value of row r column c, "" for NULL or out of range.
  std::string Get(size_t r, size_t c = 0) const {
    if (r >= rows.size() || c >= rows[r].size() || !rows[r][c]) return "";
    return *rows[r][c];
  }
};

class Backend {
 public:
  Backend() = default;
  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // Connects to `url`; returns false and sets *error on failure.
  bool Connect(const std::string& url, std::string* error);
  // Runs one statement (text parameters, NULL for nullopt). Never throws.
  Outcome Exec(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});
  // Column types and parameter count of `sql` without running it (unnamed prepared statement).
  Outcome Describe(const std::string& sql, std::vector<uint32_t>* param_types);
  // Requests cancellation of the statement running on this connection. Thread-safe.
  void Cancel();
  bool InTransaction() const;

 private:
  PGconn* conn_ = nullptr;
  PGcancel* cancel_ = nullptr;
};

}  // namespace mzemu
