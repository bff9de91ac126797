// Shared fixture of the emulator tests: a real PostgreSQL (TestPostgres) behind an mzemu child
// process, and a small libpq connection wrapper.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/mzemu/mzemu_process.h"
#include "tests/support/test_postgres.h"

namespace mzemu_test {

struct Res {
  std::string code;  // SQLSTATE; empty on success
  std::string message;
  std::vector<std::vector<std::string>> rows;
  bool ok() const { return code.empty(); }
};

class Conn {
 public:
  explicit Conn(const std::string& dsn) : c_(PQconnectdb(dsn.c_str())) {}
  ~Conn() { PQfinish(c_); }
  bool ok() const { return PQstatus(c_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(c_); }
  PGconn* raw() { return c_; }

  // Runs `sql` (possibly several statements) and returns the last result.
  Res Exec(const std::string& sql) { return Collect(PQexec(c_, sql.c_str())); }
  Res Params(const std::string& sql, const std::vector<const char*>& values) {
    return Collect(PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0));
  }
  // First column of the first row; the error message prefixed with "ERROR " on failure.
  std::string Scalar(const std::string& sql) {
    Res r = Exec(sql);
    if (!r.ok()) return "ERROR " + r.code + " " + r.message;
    return r.rows.empty() || r.rows[0].empty() ? "" : r.rows[0][0];
  }
  char TxStatus() {
    switch (PQtransactionStatus(c_)) {
      case PQTRANS_IDLE:
        return 'I';
      case PQTRANS_INTRANS:
        return 'T';
      case PQTRANS_INERROR:
        return 'E';
      default:
        return '?';
    }
  }

  static Res Collect(PGresult* res) {
    Res out;
    if (res == nullptr) {
      out.code = "NORES";
      return out;
    }
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY) {
      const char* code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      out.code = code ? code : "?????";
      const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
      out.message = msg ? msg : "";
    }
    for (int r = 0; r < PQntuples(res); ++r) {
      std::vector<std::string> row;
      for (int f = 0; f < PQnfields(res); ++f) {
        row.push_back(PQgetisnull(res, r, f) ? "<null>" : PQgetvalue(res, r, f));
      }
      out.rows.push_back(row);
    }
    PQclear(res);
    return out;
  }

 private:
  PGconn* c_;
};

// One mzemu child process in front of a fresh database.
class MzemuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    bgplan::testing::TestPostgres* pg = bgplan::testing::TestPostgres::Get(&error);
    ASSERT_NE(pg, nullptr) << error;
    db_ = pg->CreateDatabase("mzemu");
    url_ = pg->Url(db_);
    StartEmulator();
  }
  void TearDown() override { StopEmulator(); }

  // Starts mzemu on port 0 in front of url_ and connects admin_.
  void StartEmulator() {
    std::string error;
    ASSERT_TRUE(mz_.Start(url_, &error)) << error;
    port_ = mz_.port();
    admin_ = std::make_unique<Conn>(Dsn());
    ASSERT_TRUE(admin_->ok()) << admin_->error();
  }
  void StopEmulator() {
    admin_.reset();
    mz_.Stop();
  }
  std::string Dsn(const std::string& user = "materialize") const { return mz_.Dsn(user); }
  // Runs each statement on its own (autocommit) and fails the test on the first error.
  void Run(Conn& c, const std::vector<std::string>& statements) {
    for (const auto& s : statements) {
      Res r = c.Exec(s);
      ASSERT_TRUE(r.ok()) << s << ": " << r.code << " " << r.message;
    }
  }
  void Run(const std::vector<std::string>& statements) { Run(*admin_, statements); }
  std::string Scalar(const std::string& sql) { return admin_->Scalar(sql); }

  std::string db_;
  std::string url_;
  bgplan::testing::MzemuProcess mz_;
  int port_ = 0;
  std::unique_ptr<Conn> admin_;
};

}  // namespace mzemu_test
