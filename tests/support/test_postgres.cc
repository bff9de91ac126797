#include "tests/support/test_postgres.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace bgplan::testing {

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
  local_ = std::make_unique<runtime::LocalPostgres>();
  Status started = local_->Start(
      "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
  if (!started.ok()) {
    *error = started.message();
    local_.reset();
    return false;
  }
  bindir_ = local_->bindir();
  port_ = local_->port();
  running_ = true;
  return true;
}

void TestPostgres::Stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  if (local_ != nullptr) {
    local_->Stop();
  }
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
