#include "tests/mzemu/server.h"

#include "tests/support/conninfo_with.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <thread>

#include "tests/mzemu/catalog_schema.h"
#include "tests/mzemu/wire.h"

namespace mzemu {

namespace {

constexpr int32_t kSslRequest = 80877103;
constexpr int32_t kGssEncRequest = 80877104;
constexpr int32_t kCancelRequest = 80877102;
constexpr int32_t kProtocol3 = 196608;

struct Prepared {
  Statement stmt;
  bool empty = true;
  std::vector<uint32_t> param_types;
};

struct Portal {
  Prepared prepared;
  std::vector<std::optional<std::string>> params;
  bool executed = false;
  Outcome result;
};

}  // namespace

bool Server::Start(std::string* error) {
  Backend admin;
  if (!admin.Connect(config_.postgres_url, error)) return false;
  if (config_.reset_catalog) {
    // Databases made by CREATE DATABASE go with the catalog that records them.
    Outcome made = admin.Exec("SELECT name FROM mzemu.databases");
    for (size_t i = 0; made.ok() && i < made.rows.size(); ++i) {
      admin.Exec("DROP DATABASE IF EXISTS " + QuoteIdent(made.Get(i)));
    }
    // User schemas are real PostgreSQL schemas too; drop them with the catalog.
    admin.Exec(
        "DO $$ DECLARE r record; BEGIN "
        "FOR r IN SELECT name FROM mz_catalog.mz_schemas WHERE id LIKE 'u%' LOOP "
        "EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', r.name); END LOOP; END $$");
    admin.Exec("DROP SCHEMA IF EXISTS mzemu, mz_catalog, mz_internal CASCADE");
    admin.Exec("CREATE SCHEMA IF NOT EXISTS public");
  }
  Outcome present = admin.Exec("SELECT format FROM mzemu.state");
  if (!present.ok()) {
    Outcome db = admin.Exec("SELECT current_database()");
    std::string sql = "BEGIN;\n" + CatalogBootstrapSql(db.Get(0), config_.superusers) + "COMMIT;";
    Outcome boot = admin.Exec(sql);
    if (!boot.ok()) {
      *error = "installing the catalog failed: " + boot.error->message;
      return false;
    }
  } else if (present.Get(0) != std::to_string(kCatalogFormat)) {
    *error = "catalog format mismatch; restart with --reset";
    return false;
  }
  base_db_ = admin.Exec("SELECT current_database()").Get(0);
  Outcome table = admin.Exec(
      "CREATE TABLE IF NOT EXISTS mzemu.databases (name text PRIMARY KEY, owner text NOT NULL)");
  Outcome made = admin.Exec("SELECT name FROM mzemu.databases");
  if (!table.ok() || !made.ok()) {
    *error = "mzemu.databases: " + (table.ok() ? made : table).error->message;
    return false;
  }
  for (size_t i = 0; i < made.rows.size(); ++i) databases_.insert(made.Get(i));

  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(config_.listen_port));
  if (inet_pton(AF_INET, config_.listen_host.c_str(), &addr.sin_addr) != 1) {
    *error = "bad listen address " + config_.listen_host;
    return false;
  }
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0) {
    *error = "cannot listen on " + config_.listen_host + ":" + std::to_string(config_.listen_port);
    return false;
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  return true;
}

void Server::Run() {
  while (true) {
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::thread([this, fd] {
      // A bug in one session must not take the whole emulator (and every other test client)
      // down; the client just loses its connection.
      try {
        ServeClient(fd);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "mzemu: session crashed: %s\n", e.what());
      }
      close(fd);
    }).detach();
  }
}

std::string Server::BackingUrl(const std::string& db) const {
  if (db.empty() || db == base_db_) return config_.postgres_url;
  return bgplan::testing::ConninfoWith(config_.postgres_url, {{"dbname", db}});
}

int Server::ClientsOn(const std::string& db) {
  std::lock_guard<std::mutex> lock(clients_mu_);
  int n = 0;
  for (const auto& [pid, c] : clients_) n += c.database == db ? 1 : 0;
  return n;
}

Outcome Server::CreateDatabase(const std::string& name, bool if_not_exists,
                               const std::string& role) {
  std::lock_guard<std::mutex> ops(databases_mu_);
  bool exists = name == base_db_ || name == "materialize";
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    exists = exists || databases_.count(name) > 0;
  }
  Outcome already = Outcome::Error("XX000", "database '" + name + "' already exists");
  if (exists) return if_not_exists ? Outcome::Tag("CREATE DATABASE") : already;
  Backend admin;
  std::string error;
  if (!admin.Connect(BackingUrl(""), &error)) return Outcome::Error("08006", error);
  Outcome created = admin.Exec("CREATE DATABASE " + QuoteIdent(name));
  if (!created.ok()) {
    // A PostgreSQL database of that name that this emulator did not make.
    return created.error->code == "42P04" ? already : created;
  }
  auto db = std::make_unique<Backend>();
  Outcome boot;
  if (!db->Connect(BackingUrl(name), &error)) {
    boot = Outcome::Error("08006", error);
  } else {
    boot = db->Exec("BEGIN;\n" + CatalogBootstrapSql(name, config_.superusers) + "COMMIT;");
  }
  db.reset();  // the emulator's own connection goes before the database is used or dropped
  if (!boot.ok()) {
    admin.Exec("DROP DATABASE IF EXISTS " + QuoteIdent(name));
    return Outcome::Error("XX000", "mzemu: installing the catalog of database " + name +
                                       " failed: " + boot.error->message);
  }
  Outcome recorded = admin.Exec("INSERT INTO mzemu.databases VALUES ($1, $2)", {name, role});
  if (!recorded.ok()) return recorded;
  std::lock_guard<std::mutex> lock(clients_mu_);
  databases_.insert(name);
  return Outcome::Tag("CREATE DATABASE");
}

Outcome Server::DropDatabase(const std::string& name, bool if_exists, bool restrict,
                             const std::string& role, bool superuser,
                             const std::string& session_db) {
  std::lock_guard<std::mutex> ops(databases_mu_);
  if (name == base_db_ || name == "materialize") {
    return Outcome::Error("0A000", "mzemu: the emulator's backing database cannot be dropped");
  }
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    if (databases_.count(name) == 0) {
      return if_exists ? Outcome::Tag("DROP DATABASE")
                       : Outcome::Error("3D000", "unknown database '" + name + "'");
    }
  }
  Backend admin;
  std::string error;
  if (!admin.Connect(BackingUrl(""), &error)) return Outcome::Error("08006", error);
  Outcome owner = admin.Exec("SELECT owner FROM mzemu.databases WHERE name = $1", {name});
  if (!owner.ok()) return owner;
  if (!superuser && owner.Get(0) != role) {
    return Outcome::Error("42501", "must be owner of DATABASE " + name);
  }
  if (session_db == name) {
    return Outcome::Error("55006", "cannot drop the currently open database");
  }
  if (restrict) {
    Backend db;
    if (!db.Connect(BackingUrl(name), &error)) return Outcome::Error("08006", error);
    Outcome used = db.Exec(
        "SELECT (SELECT count(*) FROM mz_catalog.mz_objects WHERE id LIKE 'u%') + "
        "(SELECT count(*) FROM mz_catalog.mz_schemas WHERE id LIKE 'u%' AND name <> 'public')");
    if (!used.ok()) return used;
    if (used.Get(0) != "0") {
      return Outcome::Error("2BP01", "database '" + name +
                                         "' cannot be dropped with RESTRICT while it contains "
                                         "schemas");
    }
  }
  // Like PostgreSQL: wait up to 5 s for the database's clients to go, then refuse.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int clients = ClientsOn(name);
  while (clients > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    clients = ClientsOn(name);
  }
  if (clients > 0) {
    Outcome busy = Outcome::Error("55006", "database \"" + name +
                                               "\" is being accessed by other users");
    busy.error->detail = "There " + std::string(clients == 1 ? "is " : "are ") +
                         std::to_string(clients) + " other session" +
                         (clients == 1 ? "" : "s") + " using the database.";
    return busy;
  }
  // PostgreSQL itself waits for the backing connections of clients that just left.
  Outcome dropped = admin.Exec("DROP DATABASE IF EXISTS " + QuoteIdent(name));
  if (!dropped.ok()) return dropped;
  admin.Exec("DELETE FROM mzemu.databases WHERE name = $1", {name});
  std::lock_guard<std::mutex> lock(clients_mu_);
  databases_.erase(name);
  return Outcome::Tag("DROP DATABASE");
}

void Server::HandleCancel(int32_t pid, int32_t secret) {
  std::shared_ptr<Backend> backend;
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    auto it = clients_.find(pid);
    if (it == clients_.end() || it->second.secret != secret) return;
    backend = it->second.backend;
  }
  backend->Cancel();
}

void Server::ServeClient(int fd) {
  // Startup: SSL/GSS negotiation is refused with 'N', then the real startup packet.
  std::map<std::string, std::string> params;
  while (true) {
    uint32_t len;
    if (!ReadFull(fd, &len, 4)) return;
    len = ntohl(len);
    if (len < 8 || len > 10000) return;
    std::string body(len - 4, '\0');
    if (!ReadFull(fd, body.data(), body.size())) return;
    PayloadReader r(body);
    int32_t code = r.Int32();
    if (code == kSslRequest || code == kGssEncRequest) {
      if (!WriteFull(fd, "N")) return;
      continue;
    }
    if (code == kCancelRequest) {
      int32_t pid = r.Int32();
      int32_t secret = r.Int32();
      HandleCancel(pid, secret);
      return;
    }
    if (code != kProtocol3) {
      WriteFull(fd,
                ErrorResponseMessage(SqlError{"0A000", "unsupported frontend protocol", "", ""}));
      return;
    }
    while (r.ok()) {
      std::string key = r.CString();
      if (key.empty()) break;
      params[key] = r.CString();
    }
    break;
  }
  std::string user = params.count("user") ? params["user"] : "materialize";

  // The database: "materialize" (libpq's default for user materialize), none, or the backing
  // database's name are the backing database; others must have been made by CREATE DATABASE.
  std::string database = params.count("database") ? params["database"] : "";
  if (database.empty() || database == "materialize") database = base_db_;
  bool known = database == base_db_;
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    known = known || databases_.count(database) > 0;
  }
  if (!known) {
    WriteFull(fd, ErrorResponseMessage(
                      SqlError{"3D000", "database \"" + database + "\" does not exist", "", ""}));
    return;
  }
  auto backend = std::make_shared<Backend>();
  std::string error;
  if (!backend->Connect(BackingUrl(database), &error)) {
    WriteFull(
        fd, ErrorResponseMessage(SqlError{"08006", "mzemu: backing PostgreSQL: " + error, "", ""}));
    return;
  }
  auto stats = std::make_shared<SessionStats>();
  int32_t secret = static_cast<int32_t>(std::random_device{}());
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    stats->pid = next_pid_++;
    clients_[stats->pid] = ClientEntry{secret, backend, database};
  }
  stats->user = user;
  stats->application_name = params.count("application_name") ? params["application_name"] : "";
  shared_.Register(stats);
  Session session(shared_, *backend, stats);
  Outcome started = session.Start(user);
  if (started.ok() && params.count("options")) {
    // Materialize reads session variables from the startup `options`: `--cluster=x` or
    // `-c cluster=x` (e.g. libpq options='--cluster=x').
    std::istringstream words(params["options"]);
    std::string word, pending;
    while (words >> word) {
      std::string setting;
      if (word == "-c") {
        words >> setting;
      } else if (word.rfind("--", 0) == 0) {
        setting = word.substr(2);
      } else if (word.rfind("-c", 0) == 0) {
        setting = word.substr(2);
      }
      size_t eq = setting.find('=');
      if (eq == std::string::npos) continue;
      std::string name = setting.substr(0, eq);
      for (char& ch : name) ch = ch == '-' ? '_' : ch;
      if (name == "cluster" || name == "database" || name == "cluster_replica") {
        session.SetStartupVar(name, setting.substr(eq + 1));
      }
    }
  }

  auto cleanup = [&] {
    shared_.Unregister(stats->pid);
    std::lock_guard<std::mutex> lock(clients_mu_);
    clients_.erase(stats->pid);
  };
  if (!started.ok()) {
    WriteFull(fd, ErrorResponseMessage(*started.error));
    cleanup();
    return;
  }

  std::string out = MessageBuilder('R').Int32(0).Finish();
  const std::pair<const char*, std::string> kStatus[] = {
      {"server_version", "9.5.0"},
      {"server_encoding", "UTF8"},
      {"client_encoding", "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"TimeZone", "UTC"},
      {"IntervalStyle", "postgres"},
      {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"},
      {"is_superuser", session.superuser_login() ? "on" : "off"},
      {"session_authorization", user},
      {"application_name", stats->application_name},
      {"default_transaction_read_only", "off"},
      {"in_hot_standby", "off"},
      // Materialize's session variable mz_version is BuildInfo::human_version(): "v<version>
      // (<9 characters of the build's git sha>)"; the build part here is "mzemu".
      {"mz_version", config_.mz_version.Text() + " (mzemu)"},
  };
  for (const auto& [k, v] : kStatus) out += ParameterStatusMessage(k, v);
  out += MessageBuilder('K').Int32(stats->pid).Int32(secret).Finish();
  out += ReadyForQueryMessage('I');
  if (!WriteFull(fd, out)) {
    cleanup();
    return;
  }

  auto send_outcome = [&](const Outcome& o, bool describe_rows, std::string* buf) {
    if (!o.ok()) {
      *buf += ErrorResponseMessage(*o.error);
      return false;
    }
    if (o.empty) {
      *buf += MessageBuilder('I').Finish();
      return true;
    }
    if (describe_rows && o.has_rows) *buf += RowDescriptionMessage(o.fields);
    for (const auto& row : o.rows) *buf += DataRowMessage(row);
    *buf += CommandCompleteMessage(o.tag);
    return true;
  };

  std::map<std::string, Prepared> prepared;
  std::map<std::string, Portal> portals;
  bool skip_until_sync = false;
  FrontendMessage msg;
  while (ReadMessage(fd, &msg)) {
    std::string buf;
    PayloadReader r(msg.payload);
    if (skip_until_sync && msg.type != 'S' && msg.type != 'X') continue;
    switch (msg.type) {
      case 'Q': {
        ++stats->round_trips;
        std::string sql = r.CString();
        if (config_.log_statements) {
          std::fprintf(stderr, "mzemu[%d %s] %s\n", stats->pid, session.role().c_str(),
                       sql.c_str());
        }
        std::vector<Statement> stmts = SplitStatements(sql);
        if (stmts.empty()) buf += MessageBuilder('I').Finish();
        if (stmts.size() > 1) session.BeginImplicit(stmts[0]);
        bool failed = false;
        for (const auto& st : stmts) {
          if (!send_outcome(session.Execute(st), true, &buf)) {
            failed = true;
            break;
          }
        }
        Outcome end = session.EndImplicit();
        if (!end.ok() && !failed) buf += ErrorResponseMessage(*end.error);
        buf += ReadyForQueryMessage(session.TransactionStatus());
        break;
      }
      case 'P': {
        std::string name = r.CString();
        std::string sql = r.CString();
        if (config_.log_statements) {
          std::fprintf(stderr, "mzemu[%d %s] (extended) %s\n", stats->pid, session.role().c_str(),
                       sql.c_str());
        }
        int16_t n = r.Int16();
        Prepared p;
        for (int i = 0; i < n; ++i) p.param_types.push_back(static_cast<uint32_t>(r.Int32()));
        std::vector<Statement> stmts = SplitStatements(sql);
        if (stmts.size() > 1) {
          buf += ErrorResponseMessage(SqlError{
              "42601", "cannot insert multiple commands into a prepared statement", "", ""});
          skip_until_sync = true;
          break;
        }
        if (!stmts.empty()) {
          p.stmt = stmts[0];
          p.empty = false;
          if (session.IsForwarded(p.stmt)) {
            std::vector<uint32_t> types;
            Outcome d = session.Describe(p.stmt, &types);
            if (!d.ok()) {
              buf += ErrorResponseMessage(*d.error);
              skip_until_sync = true;
              break;
            }
            for (size_t i = 0; i < types.size(); ++i) {
              if (i >= p.param_types.size()) p.param_types.push_back(types[i]);
              if (p.param_types[i] == 0) p.param_types[i] = types[i];
            }
          }
        }
        prepared[name] = p;
        buf += MessageBuilder('1').Finish();
        break;
      }
      case 'B': {
        std::string portal = r.CString();
        std::string name = r.CString();
        auto it = prepared.find(name);
        if (it == prepared.end()) {
          buf += ErrorResponseMessage(
              SqlError{"26000", "prepared statement \"" + name + "\" does not exist", "", ""});
          skip_until_sync = true;
          break;
        }
        // Only the text format is implemented; refuse binary loudly instead of mis-decoding.
        bool binary = false;
        int16_t nformats = r.Int16();
        for (int i = 0; i < nformats; ++i) binary = binary || r.Int16() != 0;
        int16_t nparams = r.Int16();
        Portal p;
        p.prepared = it->second;
        for (int i = 0; i < nparams; ++i) {
          int32_t len = r.Int32();
          if (len < 0) {
            p.params.emplace_back(std::nullopt);
          } else {
            p.params.emplace_back(r.Bytes(static_cast<size_t>(len)));
          }
        }
        int16_t nresults = r.Int16();
        for (int i = 0; i < nresults; ++i) binary = binary || r.Int16() != 0;
        if (binary) {
          buf += ErrorResponseMessage(SqlError{
              "0A000", "mzemu: binary parameter/result formats are not supported", "", ""});
          skip_until_sync = true;
          break;
        }
        portals[portal] = std::move(p);
        buf += MessageBuilder('2').Finish();
        break;
      }
      case 'D': {
        char kind = r.Byte();
        std::string name = r.CString();
        if (kind == 'S') {
          auto it = prepared.find(name);
          if (it == prepared.end()) {
            buf += ErrorResponseMessage(
                SqlError{"26000", "prepared statement \"" + name + "\" does not exist", "", ""});
            skip_until_sync = true;
            break;
          }
          MessageBuilder pd('t');
          pd.Int16(static_cast<int16_t>(it->second.param_types.size()));
          for (uint32_t t : it->second.param_types) pd.Int32(static_cast<int32_t>(t == 0 ? 25 : t));
          buf += pd.Finish();
          Outcome d;
          std::vector<uint32_t> types;
          if (!it->second.empty && session.IsForwarded(it->second.stmt)) {
            d = session.Describe(it->second.stmt, &types);
          }
          if (d.ok() && d.has_rows) {
            buf += RowDescriptionMessage(d.fields);
          } else {
            buf += MessageBuilder('n').Finish();
          }
          break;
        }
        auto it = portals.find(name);
        if (it == portals.end()) {
          buf += ErrorResponseMessage(
              SqlError{"34000", "portal \"" + name + "\" does not exist", "", ""});
          skip_until_sync = true;
          break;
        }
        Portal& p = it->second;
        if (!p.executed && !p.prepared.empty) {
          p.result = session.Execute(p.prepared.stmt, p.params);
          p.executed = true;
        }
        if (p.executed && !p.result.ok()) {
          buf += ErrorResponseMessage(*p.result.error);
          skip_until_sync = true;
          break;
        }
        if (p.executed && p.result.has_rows) {
          buf += RowDescriptionMessage(p.result.fields);
        } else {
          buf += MessageBuilder('n').Finish();
        }
        break;
      }
      case 'E': {
        std::string name = r.CString();
        auto it = portals.find(name);
        if (it == portals.end()) {
          buf += ErrorResponseMessage(
              SqlError{"34000", "portal \"" + name + "\" does not exist", "", ""});
          skip_until_sync = true;
          break;
        }
        Portal& p = it->second;
        if (p.prepared.empty) {
          buf += MessageBuilder('I').Finish();
          break;
        }
        if (!p.executed) {
          p.result = session.Execute(p.prepared.stmt, p.params);
          p.executed = true;
        }
        if (!send_outcome(p.result, false, &buf)) skip_until_sync = true;
        break;
      }
      case 'C': {
        char kind = r.Byte();
        std::string name = r.CString();
        if (kind == 'S') {
          prepared.erase(name);
        } else {
          portals.erase(name);
        }
        buf += MessageBuilder('3').Finish();
        break;
      }
      case 'S':
        ++stats->round_trips;
        skip_until_sync = false;
        portals.erase("");
        buf += ReadyForQueryMessage(session.TransactionStatus());
        break;
      case 'H':
        break;
      case 'X':
        if (session.TransactionStatus() != 'I') session.Execute(SplitStatements("ROLLBACK")[0]);
        cleanup();
        return;
      default:
        buf += ErrorResponseMessage(SqlError{
            "08P01", std::string("mzemu: unsupported message type '") + msg.type + "'", "", ""});
        break;
    }
    if (!buf.empty() && !WriteFull(fd, buf)) break;
  }
  if (session.TransactionStatus() != 'I') session.Execute(SplitStatements("ROLLBACK")[0]);
  cleanup();
}

}  // namespace mzemu
