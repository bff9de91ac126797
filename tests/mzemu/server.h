// Server: the TCP front of the emulator. Accepts PostgreSQL-protocol clients on a loopback
// port, gives each one a thread, a backing libpq connection and a Session, and speaks the simple
// and extended query protocols on its behalf. Also installs the catalog on first start.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "tests/mzemu/interpreter.h"

namespace mzemu {

struct ServerConfig {
  std::string postgres_url;
  std::string listen_host = "127.0.0.1";
  int listen_port = 0;
  std::string superusers = "materialize";
  bool reset_catalog = false;   // drop and recreate the emulated catalog at start
  bool log_statements = false;  // print every query string received to stderr
};

class Server {
 public:
  explicit Server(ServerConfig config) : config_(std::move(config)) {}

  // Installs the catalog (unless present) and binds the socket. Returns false and sets *error.
  bool Start(std::string* error);
  int port() const { return port_; }
  // Accept loop; returns only if accept fails.
  void Run();

 private:
  struct ClientEntry {
    int32_t secret = 0;
    std::shared_ptr<Backend> backend;
  };
  void ServeClient(int fd);
  void HandleCancel(int32_t pid, int32_t secret);

  ServerConfig config_;
  int listen_fd_ = -1;
  int port_ = 0;
  Shared shared_;
  std::mutex clients_mu_;
  std::map<int32_t, ClientEntry> clients_;
  int32_t next_pid_ = 1000;
};

}  // namespace mzemu
