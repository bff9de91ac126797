// Runs one Materialize test binary on the real-Materialize lane (tests/integration/mz_fixture.h)
// against the emulator, so the real lane's harness (its own database per test, connections by
// rewritten URL, cleanup through the base URL) runs in CI: starts the throwaway PostgreSQL and
// one mzemu in front of a fresh database of it, then runs argv[1..] with BGPLAN_TEST_MZ_LANE=real,
// BGPLAN_TEST_MZ_URL=<the emulator> and BGPLAN_TEST_MZ_KAFKA_BROKER (any value: the emulator
// accepts any broker, so the sink tests run), and returns the binary's exit status.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/mzemu/mzemu_process.h"
#include "tests/support/test_postgres.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <test binary> [args...]\n", argv[0]);
    return 2;
  }
  std::string error;
  auto* pg = bgplan::testing::TestPostgres::Get(&error);
  if (pg == nullptr) {
    std::fprintf(stderr, "throwaway PostgreSQL: %s\n", error.c_str());
    return 1;
  }
  std::string db = pg->CreateDatabase("mzlane");
  bgplan::testing::MzemuProcess mz;
  // BGPLAN_TEST_MZEMU_LOG=1: the emulator prints every statement it receives to stderr.
  std::vector<std::string> extra;
  if (const char* log = std::getenv("BGPLAN_TEST_MZEMU_LOG"); log != nullptr && *log == '1') {
    extra.push_back("--log-statements");
  }
  if (db.empty() || !mz.Start(pg->Url(db), &error, extra)) {
    std::fprintf(stderr, "mzemu: %s\n", error.c_str());
    return 1;
  }
  std::string url = mz.Url("materialize");
  std::printf("real lane on the emulator: BGPLAN_TEST_MZ_URL=%s\n", url.c_str());
  std::fflush(stdout);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    setenv("BGPLAN_TEST_MZ_LANE", "real", 1);
    setenv("BGPLAN_TEST_MZ_URL", url.c_str(), 1);
    setenv("BGPLAN_TEST_MZ_KAFKA_BROKER", "localhost:9092", 0);
    execv(argv[1], argv + 1);
    std::perror(argv[1]);
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    std::perror("run");
    return 1;
  }
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("real lane on the emulator: %s finished in %.1f s\n", argv[1], secs);
  mz.Stop();
  // The harness must leave nothing behind: every test drops the database it created.
  std::string leftover = pg->Scalar(db, "SELECT coalesce(string_agg(name, ', '), '') FROM mzemu.databases");
  if (!leftover.empty()) {
    std::fprintf(stderr, "real lane on the emulator: databases left behind: %s\n",
                 leftover.c_str());
    return 1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  std::fprintf(stderr, "%s killed by signal %d\n", argv[1], WTERMSIG(status));
  return 1;
}
