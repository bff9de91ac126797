// bgplan talks to Materialize through libpqxx: check the emulator serves its transaction,
// parameter and prepared-statement paths, and survives a concurrent DDL loop during swaps.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "tests/mzemu/mzemu_process.h"
#include "tests/support/test_postgres.h"

namespace {

using bgplan::testing::TestPostgres;

class PqxxClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    TestPostgres* pg = TestPostgres::Get(&error);
    ASSERT_NE(pg, nullptr) << error;
    std::string db = pg->CreateDatabase("mzemu_pqxx");
    ASSERT_TRUE(mz_.Start(pg->Url(db), &error)) << error;
    dsn_ = mz_.Dsn();
  }
  bgplan::testing::MzemuProcess mz_;
  std::string dsn_;
};

TEST_F(PqxxClientTest, WorkNontransactionParamsAndPrepared) {
  pqxx::connection conn(dsn_);
  {
    pqxx::nontransaction n(conn);
    n.exec0("CREATE SCHEMA marts");
    n.exec0("CREATE CLUSTER compute (SIZE = '1')");
  }
  {
    pqxx::work w(conn);
    pqxx::result r = w.exec_params("SELECT id, name FROM mz_clusters WHERE name = $1", "compute");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0][1].as<std::string>(), "compute");
    w.commit();
  }
  conn.prepare("schema_id", "SELECT id FROM mz_schemas WHERE name = $1");
  {
    pqxx::nontransaction n(conn);
    pqxx::result r = n.exec_prepared("schema_id", "marts");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0][0].as<std::string>().substr(0, 1), "u");
  }
  {
    // The swap block as one round trip, through pqxx.
    pqxx::nontransaction n(conn);
    n.exec0("CREATE SCHEMA marts_dbt_deploy");
    n.exec0("BEGIN; ALTER SCHEMA \"marts\" SWAP WITH \"marts_dbt_deploy\"; COMMIT;");
  }
  {
    pqxx::nontransaction n(conn);
    try {
      n.exec0("CREATE SCHEMA marts");
      FAIL() << "expected an error";
    } catch (const pqxx::sql_error& e) {
      EXPECT_EQ(e.sqlstate(), "XX000");
    }
  }
}

TEST_F(PqxxClientTest, SwapRetriesSucceedUnderConcurrentDdlLoop) {
  {
    pqxx::connection setup(dsn_);
    pqxx::nontransaction n(setup);
    n.exec0("CREATE SCHEMA prod");
    n.exec0("CREATE SCHEMA prod_dbt_deploy");
    n.exec0("CREATE CLUSTER prod (SIZE = '1')");
    n.exec0("CREATE CLUSTER prod_dbt_deploy (SIZE = '1')");
  }
  std::atomic<bool> stop{false};
  std::string loop_error;
  std::thread loop([&] {
    try {
      pqxx::connection c(dsn_);
      while (!stop) {
        pqxx::nontransaction n(c);
        n.exec0("CREATE SCHEMA IF NOT EXISTS concurrent_probe");
        n.exec0("DROP SCHEMA IF EXISTS concurrent_probe");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    } catch (const std::exception& e) {
      loop_error = e.what();
    }
  });
  pqxx::connection conn(dsn_);
  int conflicts = 0;
  int swaps = 0;
  std::string other_error;
  for (int attempt = 0; attempt < 200 && swaps < 3; ++attempt) {
    pqxx::nontransaction n(conn);
    try {
      if (attempt % 2 == 0) {
        // Held open across round trips: the loop almost always interferes.
        n.exec0("BEGIN");
        n.exec0("ALTER SCHEMA \"prod\" SWAP WITH \"prod_dbt_deploy\"");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        n.exec0("ALTER CLUSTER \"prod\" SWAP WITH \"prod_dbt_deploy\"");
        n.exec0("COMMIT");
      } else {
        // bgplan's form: one round trip.
        n.exec0(
            "BEGIN; ALTER SCHEMA \"prod\" SWAP WITH \"prod_dbt_deploy\"; ALTER CLUSTER "
            "\"prod\" SWAP WITH \"prod_dbt_deploy\"; COMMIT;");
      }
      ++swaps;
    } catch (const pqxx::serialization_failure&) {
      // libpqxx 6 maps SQLSTATE 40001 to serialization_failure, which derives from
      // transaction_rollback -> failure, not from sql_error.
      ++conflicts;
      n.exec0("ROLLBACK");
    } catch (const pqxx::sql_error& e) {
      other_error = e.sqlstate() + " " + e.what();
      break;
    } catch (const std::exception& e) {
      other_error = e.what();
      break;
    }
  }
  stop = true;
  loop.join();
  EXPECT_EQ(loop_error, "");
  EXPECT_EQ(other_error, "");
  EXPECT_EQ(swaps, 3);
  EXPECT_GT(conflicts, 0);
  // Each committed swap exchanged both pairs together: an odd number of swaps leaves both
  // production names on the originally green ids.
  pqxx::nontransaction n(conn);
  pqxx::result r = n.exec(
      "SELECT (SELECT id FROM mz_schemas WHERE name = 'prod') > (SELECT id FROM mz_schemas WHERE "
      "name = 'prod_dbt_deploy'), (SELECT substr(id, 2)::int FROM mz_clusters WHERE name = "
      "'prod') > (SELECT substr(id, 2)::int FROM mz_clusters WHERE name = 'prod_dbt_deploy')");
  EXPECT_EQ(r[0][0].as<std::string>(), r[0][1].as<std::string>());
}

}  // namespace
