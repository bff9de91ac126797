// The libpqxx adapter: the only file that includes libpqxx. Every libpqxx exception is caught
// here and becomes a Status (style.md 7.4, 7.10).
#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

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
      // libpq's lines are sentences ("Connection refused" / "Is the server running ...?"):
      // joined with "; " where the first does not end in punctuation of its own.
      const bool more = i + 1 < text.size();
      const bool punctuated = !out.empty() && std::string_view(".:;,?!").find(out.back()) !=
                                                   std::string_view::npos;
      out += more && !out.empty() && !punctuated ? "; " : " ";
    } else {
      out += text[i];
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

std::string Safe(const char* s) { return s == nullptr ? "" : s; }

// libpqxx 6 keeps the PGconn private but hands it to the connection policy: this is
// connect_direct (the policy of pqxx::connection) remembering it, so that PQconninfo() can read
// the parameters of the live connection.
class RememberingPolicy : public pqxx::connect_direct {
 public:
  using pqxx::connect_direct::connect_direct;
  handle do_startconnect(handle orig) override {
    return handle_ = pqxx::connect_direct::do_startconnect(orig);
  }
  handle do_completeconnect(handle orig) override {
    return handle_ = pqxx::connect_direct::do_completeconnect(orig);
  }
  handle do_dropconnect(handle orig) noexcept override {
    return handle_ = pqxx::connect_direct::do_dropconnect(orig);
  }
  handle do_disconnect(handle orig) noexcept override {
    return handle_ = pqxx::connect_direct::do_disconnect(orig);
  }
  PGconn* get() const { return handle_; }

 private:
  handle handle_ = nullptr;
};

// pqxx::connection (basic_connection_base<connect_direct>) with that policy.
class LiveConnection : public pqxx::connection_base {
 public:
  explicit LiveConnection(const std::string& options)
      : pqxx::connection_base(policy_), options_(options), policy_(options_) {
    init();
  }
  ~LiveConnection() noexcept { close(); }
  LiveConnection(const LiveConnection&) = delete;
  LiveConnection& operator=(const LiveConnection&) = delete;
  PGconn* raw() const { return policy_.get(); }

 private:
  std::string options_;  // before policy_, which keeps a reference to it
  RememberingPolicy policy_;
};

// True if `path` is the password file libpq uses when none is set, which it reports as the live
// `passfile` all the same: ~/.pgpass, the home directory being the user's (libpq 15) or $HOME
// (later libpq); only when both agree, so that a file that differs from either is handed on.
bool IsDefaultPassfile(const std::string& path) {
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (getpwuid_r(geteuid(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return false;
  }
  const std::string home = pw.pw_dir;
  const char* env_home = std::getenv("HOME");
  return path == home + "/.pgpass" && (env_home == nullptr || home == env_home);
}

// The parameters of the live connection `conn` (SqlSession::ConnectionParameters).
std::vector<ConnParam> LiveParameters(PGconn* conn) {
  std::vector<ConnParam> out;
  PQconninfoOption* options = conn == nullptr ? nullptr : PQconninfo(conn);
  if (options == nullptr) {
    return out;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    ConnParam p{o->keyword, Safe(o->val), Safe(o->envvar)};
    // Secrets (libpq marks them with the display character '*'): never handed on.
    if (p.keyword == "password" || p.keyword == "sslpassword" ||
        (o->dispchar != nullptr && std::strchr(o->dispchar, '*') != nullptr)) {
      continue;
    }
    // The server actually connected to, not the list it was chosen from: the deploy must reach
    // the server whose green schemas init created.
    if (p.keyword == "host") {
      p.value = Safe(PQhost(conn));
    } else if (p.keyword == "port") {
      p.value = Safe(PQport(conn));
    } else if (p.keyword == "user") {
      p.value = Safe(PQuser(conn));
    } else if (p.keyword == "dbname") {
      p.value = Safe(PQdb(conn));
    } else if (p.keyword == "hostaddr") {
      if (!p.value.empty() && !Safe(PQhostaddr(conn)).empty()) {
        p.value = Safe(PQhostaddr(conn));
      }
    } else if ((o->compiled != nullptr && p.value == o->compiled) ||
               (p.keyword == "passfile" && IsDefaultPassfile(p.value))) {
      p.value.clear();
    }
    out.push_back(std::move(p));
  }
  PQconninfoFree(options);
  return out;
}

class PqxxSession : public SqlSession {
 public:
  PqxxSession(std::unique_ptr<LiveConnection> conn, std::string password)
      : conn_(std::move(conn)), password_(std::move(password)) {
    pid_ = conn_->backendpid();
    host_ = Safe(conn_->hostname());
    port_ = Safe(conn_->port());
    user_ = Safe(conn_->username());
    database_ = Safe(conn_->dbname());
    params_ = LiveParameters(conn_->raw());
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
  std::vector<ConnParam> ConnectionParameters() const override {
    return params_.empty() ? SqlSession::ConnectionParameters() : params_;
  }

 private:
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

  std::unique_ptr<LiveConnection> conn_;
  std::string password_;
  std::mutex cancel_mu_;
  int pid_ = 0;
  std::string host_, port_, user_, database_;
  std::vector<ConnParam> params_;
};

}  // namespace

Result<std::unique_ptr<SqlSession>> ConnectPqxx(const std::string& conninfo,
                                                const std::string& password) {
  try {
    auto conn = std::make_unique<LiveConnection>(conninfo);
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
