// Server: the TCP front of the emulator. Accepts PostgreSQL-protocol clients on a loopback
// port, gives each one a thread, a backing libpq connection and a Session, and speaks the simple
// and extended query protocols on its behalf. Also installs the catalog on first start.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "tests/mzemu/interpreter.h"
#include "tests/mzemu/mz_version.h"

namespace mzemu {

struct ServerConfig {
  std::string postgres_url;
  std::string listen_host = "127.0.0.1";
  int listen_port = 0;
  std::string superusers = "materialize";
  bool reset_catalog = false;   // drop and recreate the emulated catalog at start
  bool log_statements = false;  // print every query string received to stderr
  MzVersion mz_version;         // the emulated Materialize version (--mz-version)
};

// Databases: the backing database serves the clients that connect with database=materialize,
// with no database, or with the backing database's own name; CREATE DATABASE x creates the
// backing PostgreSQL database x with its own emulated catalog (recorded in the backing
// database's mzemu.databases), and clients connecting with database=x are served from it.
class Server : public DatabaseOps {
 public:
  explicit Server(ServerConfig config) : config_(std::move(config)) {
    shared_.databases = this;
    shared_.mz_version = config_.mz_version;
  }

  Outcome CreateDatabase(const std::string& name, bool if_not_exists,
                         const std::string& role) override;
  Outcome DropDatabase(const std::string& name, bool if_exists, bool restrict,
                       const std::string& role, bool superuser,
                       const std::string& session_db) override;

  // Installs the catalog (unless present) and binds the socket. Returns false and sets *error.
  bool Start(std::string* error);
  int port() const { return port_; }
  // Accept loop; returns only if accept fails.
  void Run();

 private:
  struct ClientEntry {
    int32_t secret = 0;
    std::shared_ptr<Backend> backend;
    std::string database;  // backing database name
  };
  // Connection string of backing database `db` ("" = the configured one).
  std::string BackingUrl(const std::string& db) const;
  // Emulated clients connected to backing database `db`.
  int ClientsOn(const std::string& db);
  void ServeClient(int fd);
  void HandleCancel(int32_t pid, int32_t secret);

  ServerConfig config_;
  int listen_fd_ = -1;
  int port_ = 0;
  Shared shared_;
  std::mutex clients_mu_;
  std::map<int32_t, ClientEntry> clients_;
  int32_t next_pid_ = 1000;
  std::string base_db_;  // name of the configured backing database
  std::mutex databases_mu_;  // serializes CREATE/DROP DATABASE
  std::set<std::string> databases_;  // created by CREATE DATABASE (guarded by clients_mu_)
};

}  // namespace mzemu
