// What `apply --deploy-cmd` hands the command about the connection (issue 10, point 8), on a
// real server: BGPLAN_URL carries every parameter of the live connection (sslmode,
// connect_timeout, options, keepalives, a Unix-socket directory...) but never the password, the
// PG* variables libpq reads say the same, a variable bgplan inherited that the connection string
// overrode does not leak into the command, the password is in PGPASSWORD and nowhere else, and
// psql connects with those settings from BGPLAN_URL alone as from the PG* variables alone.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/cli_fixture.h"

namespace bgplan::testing {
namespace {

// `env` output as name -> value (no value of these tests spans lines).
std::map<std::string, std::string> ParseEnv(const std::string& dump) {
  std::map<std::string, std::string> vars;
  std::istringstream in(dump);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) {
      vars[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return vars;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

class DeployEnv : public RuntimeCli {
 protected:
  void TearDown() override {
    if (!hba_file_.empty()) {
      std::ofstream(hba_file_, std::ios::trunc) << hba_original_;
      pg_->Exec("postgres", "SELECT pg_reload_conf()");
    }
    if (!role_.empty()) {
      pg_->Exec(db_, "DROP OWNED BY " + role_ + " CASCADE");
      pg_->Exec("postgres", "DROP ROLE IF EXISTS " + role_);
    }
    RuntimeCli::TearDown();
  }

  // A superuser role with a password, which the server makes authenticate with SCRAM over TCP
  // (a line put first in pg_hba.conf; the throwaway server trusts everyone otherwise). Returns
  // false when the server's pg_hba.conf cannot be changed (BGPLAN_TEST_PG_DSN at a server
  // elsewhere): the role still has the password, which bgplan still receives and hands on.
  bool CreatePasswordRole(const std::string& password) {
    role_ = "bgplan_deployer_" + db_;
    Exec("SET password_encryption = 'scram-sha-256'; CREATE ROLE " + role_ +
         " LOGIN SUPERUSER PASSWORD '" + password + "'");
    std::string hba = pg_->Scalar("postgres", "SHOW hba_file");
    std::string original = Slurp(hba);
    if (original.empty()) {
      return false;
    }
    std::ofstream out(hba, std::ios::trunc);
    if (!out) {
      return false;
    }
    hba_file_ = hba;
    hba_original_ = original;
    out << "host all " << role_ << " 127.0.0.1/32 scram-sha-256\n" << original;
    out.close();
    EXPECT_EQ(pg_->Scalar("postgres", "SELECT pg_reload_conf()"), "t");
    return true;
  }

  std::string Psql() const { return "'" + pg_->bindir() + "/psql' -X -At -v ON_ERROR_STOP=1"; }

  std::string role_, hba_file_, hba_original_;
};

TEST_F(DeployEnv, CommandGetsTheWholeConnectionAndThePasswordOnlyInPgpassword) {
  const std::string password = "Dpl0y-S3cret_pw";
  const bool scram = CreatePasswordRole(password);
  if (scram) {
    // The role really has to give its password: without one, libpq is refused.
    std::string refused =
        Run({"status", file_, "--url",
             "postgresql://" + role_ + "@127.0.0.1:" + std::to_string(pg_->port()) + "/" + db_})
            .err;
    EXPECT_NE(refused.find("password"), std::string::npos) << refused;
  }
  const std::string port = std::to_string(pg_->port());
  const std::string url = "postgresql://" + role_ + ":" + password + "@127.0.0.1:" + port + "/" +
                          db_ +
                          "?sslmode=disable&connect_timeout=7&keepalives_idle=33"
                          "&options=-c%20statement_timeout%3D54321&application_name=userapp"
                          "&target_session_attrs=any";
  const std::string env_file = dir_ + "/env.txt";
  const std::string via_url = dir_ + "/via_url.txt";
  const std::string via_env = dir_ + "/via_env.txt";
  // psql from BGPLAN_URL alone (every PG* variable but the password removed), then from the PG*
  // variables alone, then the deploy itself.
  const std::string cmd =
      "env > " + env_file +
      " && env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGOPTIONS -u PGSSLMODE "
      "-u PGCONNECT_TIMEOUT " +
      Psql() +
      " -d \"$BGPLAN_URL\" -c 'SHOW statement_timeout' -c 'SHOW application_name' "
      "-c 'SELECT current_user' > " +
      via_url + " && " + Psql() + " -c 'SHOW statement_timeout' -c 'SELECT current_user' > " +
      via_env + " && " + DeployCmd();
  // bgplan's own environment says otherwise; the connection string wins, and so must the
  // command: PGSSLMODE=require would fail (the server has no TLS), PGCONNECT_TIMEOUT=99 would
  // differ, PGTARGETSESSIONATTRS=read-only would refuse this primary.
  ProcResult r = Run({"apply", file_, "--url", url, "--deploy-cmd", cmd},
                     {"PGSSLMODE=require", "PGCONNECT_TIMEOUT=99", "PGTARGETSESSIONATTRS=read-only",
                      "PGPASSWORD=", "PGAPPNAME=userapp"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Scalar("SELECT v FROM sinks.v"), "green");

  const std::string dump = Slurp(env_file);
  std::map<std::string, std::string> env = ParseEnv(dump);
  const std::string& bgplan_url = env["BGPLAN_URL"];
  RecordProperty("BGPLAN_URL", bgplan_url);
  EXPECT_EQ(bgplan_url.rfind("postgresql://" + role_ + "@127.0.0.1:" + port + "/" + db_ + "?", 0),
            0u)
      << bgplan_url;
  for (const char* param : {"sslmode=disable", "connect_timeout=7", "keepalives_idle=33",
                            "options=-c%20statement_timeout%3D54321"}) {
    EXPECT_TRUE(bgplan_url.find(std::string("?") + param) != std::string::npos ||
                bgplan_url.find(std::string("&") + param) != std::string::npos)
        << param << " missing from " << bgplan_url;
  }
  // application_name is bgplan's own on the live connection: kept out; libpq defaults
  // (target_session_attrs=any, gssencmode=prefer, ...) and the default ~/.pgpass too.
  EXPECT_EQ(bgplan_url.find("application_name"), std::string::npos) << bgplan_url;
  EXPECT_EQ(bgplan_url.find("target_session_attrs"), std::string::npos) << bgplan_url;
  EXPECT_EQ(bgplan_url.find("gssencmode"), std::string::npos) << bgplan_url;
  EXPECT_EQ(bgplan_url.find("password"), std::string::npos) << bgplan_url;
  EXPECT_EQ(bgplan_url.find("passfile"), std::string::npos) << bgplan_url;
  // The PG* variables say the same.
  EXPECT_EQ(env["PGSSLMODE"], "disable") << dump;
  EXPECT_EQ(env["PGCONNECT_TIMEOUT"], "7") << dump;
  EXPECT_EQ(env["PGOPTIONS"], "-c statement_timeout=54321") << dump;
  EXPECT_EQ(env["PGHOST"], "127.0.0.1") << dump;
  EXPECT_EQ(env["PGPORT"], port) << dump;
  EXPECT_EQ(env["PGUSER"], role_) << dump;
  EXPECT_EQ(env["PGDATABASE"], db_) << dump;
  EXPECT_EQ(env.count("PGTARGETSESSIONATTRS"), 0u) << dump;
  EXPECT_EQ(env["PGAPPNAME"], "userapp") << dump;
  // The password: in PGPASSWORD, nowhere else (in any spelling).
  EXPECT_EQ(env["PGPASSWORD"], password) << dump;
  EXPECT_EQ(Count(dump, password), 1u) << dump;
  EXPECT_EQ(Count(dump, "S3cret"), 1u) << dump;

  // psql connected with those settings, from BGPLAN_URL alone and from the variables alone (as
  // the role: with SCRAM, only through PGPASSWORD).
  // (application_name: PGAPPNAME from bgplan's environment, never bgplan's own.)
  EXPECT_EQ(Trimmed(Slurp(via_url)), "54321ms\nuserapp\n" + role_);
  EXPECT_EQ(Trimmed(Slurp(via_env)), "54321ms\n" + role_);
  if (!scram) {
    GTEST_SKIP() << "pg_hba.conf of the test server cannot be changed: the password was handed "
                    "on but not required by the server";
  }
}

// A keyword/value connection string through a Unix socket: BGPLAN_URL names the socket
// directory with ?host= and psql connects through it.
TEST_F(DeployEnv, UnixSocketKeywordValueConnection) {
  std::string socket_dir = Scalar("SHOW unix_socket_directories");
  socket_dir = socket_dir.substr(0, socket_dir.find(','));
  if (socket_dir.empty() || socket_dir[0] != '/') {
    GTEST_SKIP() << "the test server has no Unix socket directory";
  }
  const std::string port = std::to_string(pg_->port());
  const std::string env_file = dir_ + "/env.txt";
  const std::string via_url = dir_ + "/via_url.txt";
  const std::string conninfo = "host=" + socket_dir + " port=" + port +
                               " user=" + pg_->superuser() + " dbname=" + db_ +
                               " connect_timeout=5 sslmode=disable options='-c work_mem=7777kB'";
  const std::string cmd =
      "env > " + env_file + " && env -u PGHOST -u PGPORT -u PGOPTIONS " + Psql() +
      " -d \"$BGPLAN_URL\" -c 'SHOW work_mem' -c 'SELECT inet_server_addr() IS NULL' > " + via_url +
      " && " + DeployCmd();
  ProcResult r = Run({"apply", file_, "--url", conninfo, "--deploy-cmd", cmd});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, std::string> env = ParseEnv(Slurp(env_file));
  const std::string& bgplan_url = env["BGPLAN_URL"];
  RecordProperty("BGPLAN_URL", bgplan_url);
  std::string encoded_dir;
  for (char c : socket_dir) {
    encoded_dir += c == '/' ? std::string("%2F") : std::string(1, c);
  }
  EXPECT_EQ(bgplan_url.rfind("postgresql://" + pg_->superuser() + "@/" + db_ +
                                 "?host=" + encoded_dir + "&port=" + port + "&",
                             0),
            0u)
      << bgplan_url;
  EXPECT_NE(bgplan_url.find("&connect_timeout=5"), std::string::npos) << bgplan_url;
  EXPECT_NE(bgplan_url.find("&sslmode=disable"), std::string::npos) << bgplan_url;
  EXPECT_NE(bgplan_url.find("&options=-c%20work_mem%3D7777kB"), std::string::npos) << bgplan_url;
  EXPECT_EQ(env["PGHOST"], socket_dir);
  EXPECT_EQ(env["PGCONNECT_TIMEOUT"], "5");
  EXPECT_EQ(env["PGSSLMODE"], "disable");
  EXPECT_EQ(env["PGOPTIONS"], "-c work_mem=7777kB");
  EXPECT_EQ(Trimmed(Slurp(via_url)), "7777kB\nt");
}

}  // namespace
}  // namespace bgplan::testing
