// The libpqxx adapter: the only file that includes libpqxx. Every libpqxx exception is caught
// here and becomes a Status (style.md 7.4, 7.10).
#include <atomic>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>

#include "runtime/conninfo.h"
#include "runtime/session.h"

namespace bgplan::runtime {

bool IsRetryable(const Status& status) {
  return status.sqlstate() == kSqlstateLockTimeout || status.sqlstate() == kSqlstateSerialization ||
         status.sqlstate() == kSqlstateDeadlock;
}

namespace {

// libpq's and the server's messages span lines ("ERROR: ...\nHINT: ...", "connection ...
// failed: ...\n\tIs the server running ...?\n"): one line, each line break and the indentation
// after it a space, nothing trailing.
std::string OneLine(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      while (i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r' ||
                                     text[i + 1] == '\t' || text[i + 1] == ' ')) {
        ++i;
      }
      out += ' ';
    } else {
      out += text[i];
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

class PqxxSession : public SqlSession {
 public:
  PqxxSession(std::unique_ptr<pqxx::connection> conn, std::string password)
      : conn_(std::move(conn)), password_(std::move(password)) {
    pid_ = conn_->backendpid();
    host_ = Safe(conn_->hostname());
    port_ = Safe(conn_->port());
    user_ = Safe(conn_->username());
    database_ = Safe(conn_->dbname());
  }
  ~PqxxSession() override { Close(); }

  Result<Rows> Query(std::string_view sql) override {
    if (conn_ == nullptr) {
      return Status(StatusCode::kConnectionError, "the connection is closed");
    }
    try {
      pqxx::nontransaction tx(*conn_);
      pqxx::result result = tx.exec(std::string(sql));
      Rows rows;
      rows.reserve(result.size());
      for (const auto& row : result) {
        Row out;
        out.reserve(row.size());
        for (const auto& field : row) {
          out.push_back(field.is_null() ? std::string() : std::string(field.c_str()));
        }
        rows.push_back(std::move(out));
      }
      return rows;
    } catch (const pqxx::broken_connection& e) {
      return Lost(e.what());
    } catch (const pqxx::sql_error& e) {
      std::string state = e.sqlstate();
      if (state.empty() && !conn_->is_open()) {
        return Lost(e.what());
      }
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())), state);
    } catch (const pqxx::serialization_failure& e) {
      // libpqxx 6 derives the transaction_rollback family from failure, not sql_error, and
      // drops the SQLSTATE: restore it, the executor's retry rule depends on it.
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())), "40001");
    } catch (const pqxx::deadlock_detected& e) {
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())), "40P01");
    } catch (const pqxx::statement_completion_unknown& e) {
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())), "40003");
    } catch (const pqxx::transaction_rollback& e) {
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())), "40000");
    } catch (const pqxx::in_doubt_error& e) {
      return Lost(e.what());
    } catch (const pqxx::failure& e) {
      if (!conn_->is_open()) {
        return Lost(e.what());
      }
      return Status(StatusCode::kDatabaseError, Scrub(OneLine(e.what())));
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, Scrub(OneLine(e.what())));
    } catch (...) {
      return Status(StatusCode::kInternal, "unknown exception from libpqxx");
    }
  }

  void Cancel() override {
    std::lock_guard<std::mutex> lock(cancel_mu_);
    if (conn_ == nullptr) {
      return;
    }
    try {
      conn_->cancel_query();
    } catch (...) {
      // Best effort: the statement may have finished meanwhile.
    }
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(cancel_mu_);
    if (conn_ == nullptr) {
      return;
    }
    try {
      conn_->disconnect();
    } catch (...) {
    }
    conn_.reset();
  }

  int BackendPid() const override { return pid_; }
  std::string Host() const override { return host_; }
  std::string Port() const override { return port_; }
  std::string User() const override { return user_; }
  std::string Database() const override { return database_; }

 private:
  static std::string Safe(const char* s) { return s == nullptr ? "" : s; }

  std::string Scrub(const std::string& text) const { return ScrubSecrets(text, password_); }
  // The server closed the connection (pg_terminate_backend, a restart, the network): say so.
  // libpqxx reports it in its own words at the next statement ("Could not obtain client
  // encoding: not connected"), which names the symptom, not the cause; libpq's own text (the
  // server's FATAL message, "server closed the connection unexpectedly") is kept.
  Status Lost(const std::string& detail) const {
    std::string text = OneLine(detail);
    bool useful = !text.empty() && text.find("client encoding") == std::string::npos &&
                  text.find("not connected") == std::string::npos;
    return Status(StatusCode::kConnectionError,
                  "lost the connection to the server (the session was terminated, the server "
                  "restarted or the network failed)" +
                      (useful ? ": " + Scrub(text) : std::string()),
                  "08006");
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::string password_;
  std::mutex cancel_mu_;
  int pid_ = 0;
  std::string host_, port_, user_, database_;
};

}  // namespace

Result<std::unique_ptr<SqlSession>> ConnectPqxx(const std::string& conninfo,
                                                const std::string& password) {
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo);
    return std::unique_ptr<SqlSession>(new PqxxSession(std::move(conn), password));
  } catch (const pqxx::broken_connection& e) {
    return Status(StatusCode::kConnectionError,
                  "cannot connect: " + ScrubSecrets(OneLine(e.what()), password), "08001");
  } catch (const std::exception& e) {
    return Status(StatusCode::kConnectionError,
                  "cannot connect: " + ScrubSecrets(OneLine(e.what()), password), "08001");
  } catch (...) {
    return Status(StatusCode::kConnectionError, "cannot connect", "08001");
  }
}

}  // namespace bgplan::runtime
