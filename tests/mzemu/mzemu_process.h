// MzemuProcess: runs the Materialize emulator (tests/mzemu) as a child process for tests.
// Usage from any test target linking `mzemu_test_support`:
//   auto* pg = bgplan::testing::TestPostgres::Get();
//   bgplan::testing::MzemuProcess mz;
//   std::string error;
//   ASSERT_TRUE(mz.Start(pg->Url(pg->CreateDatabase("mz")), &error)) << error;
//   PGconn* c = PQconnectdb(mz.Dsn().c_str());
// The child is killed when the object is destroyed (and by the kernel if the test crashes).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bgplan::testing {

// Path of the mzemu binary built by this tree (compile definition of mzemu_test_support).
const char* MzemuBinary();

class MzemuProcess {
 public:
  MzemuProcess() = default;
  ~MzemuProcess() { Stop(); }
  MzemuProcess(const MzemuProcess&) = delete;
  MzemuProcess& operator=(const MzemuProcess&) = delete;

  // Starts `mzemu --postgres <postgres_url> --listen 127.0.0.1:0 <extra_args>` and waits for its
  // "listening on" line. Returns false and sets *error if it does not come up.
  // With set_mz_version(v), `--mz-version v` is passed too.
  bool Start(const std::string& postgres_url, std::string* error,
             const std::vector<std::string>& extra_args = {});
  // The Materialize version the next Start() emulates ("v26.34.0"; "" = mzemu's default,
  // v26.40.0). A catalog may be reused by emulators started with different versions.
  void set_mz_version(const std::string& version) { mz_version_ = version; }
  const std::string& mz_version() const { return mz_version_; }
  // Stops the child (SIGTERM, then waits). The catalog stays in the backing database, so Start()
  // on the same URL resumes where it left off.
  void Stop();

  int port() const { return port_; }
  // libpq keyword/value string, e.g. "host=127.0.0.1 port=N user=materialize dbname=materialize".
  std::string Dsn(const std::string& user = "materialize") const;
  // The same as a URL: postgresql://user@127.0.0.1:N/materialize
  std::string Url(const std::string& user = "materialize") const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string mz_version_;
};

}  // namespace bgplan::testing
