// Emulator fidelity tests (issue 12): transactions.
#include <sys/select.h>

#include <chrono>

#include "tests/mzemu/mzemu_fixture.h"

namespace {

using mzemu_test::Conn;
using mzemu_test::MzemuTest;
using mzemu_test::Res;

// Runs `sql` on `c` and waits at most `seconds` for it. Returns false (after cancelling the
// statement and draining its result) if it did not finish in time, so a test fails instead of
// hanging when the emulator waits on another session.
bool ExecWithin(Conn& c, const std::string& sql, int seconds, Res* out) {
  PGconn* raw = c.raw();
  if (PQsendQuery(raw, sql.c_str()) != 1) {
    out->code = "NOSEND";
    return true;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  bool finished = true;
  while (PQisBusy(raw)) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      finished = false;
      PGcancel* cancel = PQgetCancel(raw);
      char buf[256];
      PQcancel(cancel, buf, sizeof(buf));
      PQfreeCancel(cancel);
      break;
    }
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(PQsocket(raw), &fds);
    timeval tv{static_cast<time_t>(left.count() / 1000000),
               static_cast<suseconds_t>(left.count() % 1000000)};
    select(PQsocket(raw) + 1, &fds, nullptr, nullptr, &tv);
    PQconsumeInput(raw);
  }
  Res last;
  while (PGresult* res = PQgetResult(raw)) last = Conn::Collect(res);
  *out = last;
  return finished;
}

// --- fact 1: a block holds SWAP/RENAMEs, or exactly one other DDL statement run at COMMIT -----

TEST_F(MzemuTest, BlockDefersOneDdlStatementToCommit) {
  Run({"CREATE SCHEMA a", "CREATE SCHEMA b"});
  Conn other(Dsn());
  ASSERT_TRUE(other.ok());
  // The tag comes back at once; nothing happens before COMMIT.
  ASSERT_TRUE(admin_->Exec("BEGIN").ok());
  Res created = admin_->Exec("CREATE SCHEMA c");
  ASSERT_TRUE(created.ok()) << created.code << " " << created.message;
  EXPECT_EQ(admin_->TxStatus(), 'T');
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'c'"), "0");
  ASSERT_TRUE(admin_->Exec("COMMIT").ok());
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'c'"), "1");

  // Its errors are the COMMIT's (Materialize plans it only then); the block is over.
  ASSERT_TRUE(admin_->Exec("BEGIN").ok());
  EXPECT_TRUE(admin_->Exec("CREATE SCHEMA c").ok());
  Res commit = admin_->Exec("COMMIT");
  EXPECT_EQ(commit.code, "XX000");
  EXPECT_EQ(commit.message, "schema 'c' already exists");
  EXPECT_EQ(admin_->TxStatus(), 'I');

  // A second statement of any kind: "this transaction can only execute a single statement".
  for (const char* second :
       {"CREATE SCHEMA e", "ALTER SCHEMA a SWAP WITH b", "SELECT 1", "INSERT INTO x VALUES (1)"}) {
    ASSERT_TRUE(admin_->Exec("BEGIN").ok());
    ASSERT_TRUE(admin_->Exec("DROP SCHEMA a").ok());
    Res r = admin_->Exec(second);
    EXPECT_EQ(r.code, "25000") << second;
    EXPECT_EQ(r.message, "this transaction can only execute a single statement") << second;
    EXPECT_EQ(admin_->TxStatus(), 'E');
    EXPECT_TRUE(admin_->Exec("COMMIT").ok());  // rolls back
  }
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name IN ('a', 'e')"), "1");

  // After SWAP/RENAMEs only more SWAP/RENAMEs.
  Res mixed = admin_->Exec("BEGIN; ALTER SCHEMA a RENAME TO a2; CREATE SCHEMA f");
  EXPECT_EQ(mixed.code, "25000");
  EXPECT_EQ(mixed.message,
            "transactions which modify objects are restricted to just modifying objects");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());

  // Other kinds that defer, with their tags.
  for (const auto& [stmt, tag] : std::vector<std::pair<std::string, std::string>>{
           {"GRANT USAGE ON SCHEMA a TO PUBLIC", "GRANT"},
           {"COMMENT ON SCHEMA a IS 'x'", "COMMENT"},
           {"CREATE CLUSTER d (SIZE = '1')", "CREATE CLUSTER"},
           {"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC",
            "ALTER DEFAULT PRIVILEGES"},
           {"DROP SCHEMA b", "DROP SCHEMA"}}) {
    ASSERT_TRUE(admin_->Exec("BEGIN").ok());
    PGresult* res = PQexec(admin_->raw(), stmt.c_str());
    EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK)
        << stmt << ": " << PQerrorMessage(admin_->raw());
    EXPECT_EQ(std::string(PQcmdStatus(res)), tag) << stmt;
    PQclear(res);
    Res done = admin_->Exec("COMMIT");
    EXPECT_TRUE(done.ok()) << stmt << ": " << done.message;
  }
  EXPECT_EQ(Scalar("SELECT comment FROM mz_internal.mz_comments c JOIN mz_schemas s ON s.id = "
                   "c.id WHERE s.name = 'a'"),
            "x");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_clusters WHERE name = 'd'"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM mz_schemas WHERE name = 'b'"), "0");

  // Not in an implicit transaction (a multi-statement string without BEGIN).
  EXPECT_EQ(admin_->Exec("CREATE SCHEMA g; CREATE SCHEMA h").code, "25001");
}

// --- fact 2: the 40001 of a DDL block arrives at its next DDL statement ---------------------

TEST_F(MzemuTest, DdlRaceFailsTheNextDdlStatementOfTheBlock) {
  Run({"CREATE SCHEMA prod", "CREATE SCHEMA prod_dbt_deploy"});
  std::string prod_id = Scalar("SELECT id FROM mz_schemas WHERE name = 'prod'");
  Conn other(Dsn());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(admin_->Exec("BEGIN").ok());
  ASSERT_TRUE(admin_->Exec("ALTER SCHEMA prod SWAP WITH prod_dbt_deploy").ok());
  ASSERT_TRUE(other.Exec("CREATE SCHEMA unrelated").ok());
  Res next = admin_->Exec("ALTER SCHEMA prod RENAME TO prod_old");
  EXPECT_EQ(next.code, "40001");
  EXPECT_EQ(next.message,
            "another session modified the catalog while this DDL transaction was open");
  EXPECT_EQ(admin_->TxStatus(), 'E');
  EXPECT_EQ(admin_->Exec("COMMIT").code, "");  // a failed block rolls back
  EXPECT_EQ(Scalar("SELECT id FROM mz_schemas WHERE name = 'prod'"), prod_id);
}

// --- fact 3: DDL never waits on another session's open block ---------------------------------

TEST_F(MzemuTest, DdlDoesNotWaitOnOtherSessionsOpenBlocks) {
  Run({"CREATE SCHEMA r", "CREATE TABLE r.t (a int)", "CREATE SCHEMA w", "CREATE TABLE w.t (a int)",
       "CREATE SCHEMA p", "CREATE TABLE p.t (a int)"});
  Conn reader(Dsn()), writer(Dsn()), prepared(Dsn());
  ASSERT_TRUE(reader.ok() && writer.ok() && prepared.ok());

  // A read block that has read from the schema.
  ASSERT_TRUE(reader.Exec("BEGIN").ok());
  ASSERT_TRUE(reader.Exec("SELECT * FROM r.t").ok());
  Res drop;
  EXPECT_TRUE(ExecWithin(*admin_, "DROP SCHEMA r CASCADE", 5, &drop))
      << "DROP SCHEMA waited on the reader's open block";
  EXPECT_TRUE(drop.ok()) << drop.code << " " << drop.message;
  EXPECT_TRUE(reader.Exec("COMMIT").ok());

  // A read block whose statement came through the extended protocol (Parse/Describe).
  ASSERT_TRUE(prepared.Exec("BEGIN").ok());
  const char* one = "1";
  ASSERT_TRUE(prepared.Params("SELECT * FROM p.t WHERE a = $1", {one}).ok());
  EXPECT_TRUE(ExecWithin(*admin_, "DROP TABLE p.t", 5, &drop)) << "DROP TABLE waited";
  EXPECT_TRUE(drop.ok()) << drop.code << " " << drop.message;
  EXPECT_TRUE(prepared.Exec("ROLLBACK").ok());

  // A write block: its INSERTs are applied at COMMIT, so the table can go meanwhile, and the
  // COMMIT then fails.
  ASSERT_TRUE(writer.Exec("BEGIN").ok());
  Res insert = writer.Exec("INSERT INTO w.t VALUES (1)");
  ASSERT_TRUE(insert.ok()) << insert.message;
  EXPECT_TRUE(ExecWithin(*admin_, "DROP TABLE w.t", 5, &drop)) << "DROP TABLE waited";
  EXPECT_TRUE(drop.ok()) << drop.code << " " << drop.message;
  EXPECT_FALSE(writer.Exec("COMMIT").ok());
  EXPECT_EQ(writer.TxStatus(), 'I');
}

TEST_F(MzemuTest, WriteBlockAppliesItsInsertsAtCommit) {
  Run({"CREATE TABLE t (a int)"});
  Conn other(Dsn());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(admin_->Exec("BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)").ok());
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM t"), "0");
  ASSERT_TRUE(admin_->Exec("COMMIT").ok());
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM t"), "2");
  // A bad value fails its own statement, and the block writes nothing.
  ASSERT_TRUE(admin_->Exec("BEGIN; INSERT INTO t VALUES (3)").ok());
  EXPECT_EQ(admin_->Exec("INSERT INTO t VALUES ('x')").code, "22P02");
  EXPECT_TRUE(admin_->Exec("COMMIT").ok());
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM t"), "2");
  // Only constant INSERTs: an INSERT ... SELECT from a relation, UPDATE, DELETE are refused.
  for (const char* stmt : {"INSERT INTO t SELECT a FROM t", "UPDATE t SET a = 0", "DELETE FROM t",
                           "INSERT INTO t VALUES (9) RETURNING a"}) {
    ASSERT_TRUE(admin_->Exec("BEGIN").ok());
    Res r = admin_->Exec(stmt);
    EXPECT_EQ(r.code, "25001") << stmt;
    EXPECT_EQ(r.message, std::string(stmt) + " cannot be run inside a transaction block");
    EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  }
  EXPECT_TRUE(admin_->Exec("UPDATE t SET a = a + 10").ok());  // alone it is fine
  EXPECT_EQ(other.Scalar("SELECT min(a) FROM t"), "11");
}

// --- fact 4: SET cluster after a read --------------------------------------------------------

TEST_F(MzemuTest, SetClusterAfterTheFirstStatementOfABlockIsRefused) {
  Run({"CREATE CLUSTER other_c (SIZE = '1')"});
  // Before anything else it is fine.
  Res first = admin_->Exec("BEGIN; SET cluster = other_c; SELECT 1; COMMIT");
  EXPECT_TRUE(first.ok()) << first.message;
  Run({"SET cluster = quickstart"});
  for (const char* set : {"SET cluster = other_c", "SET cluster TO DEFAULT", "RESET cluster",
                          "SET LOCAL cluster = other_c"}) {
    ASSERT_TRUE(admin_->Exec("BEGIN; SELECT 1").ok());
    Res r = admin_->Exec(set);
    EXPECT_EQ(r.code, "25001") << set;
    EXPECT_EQ(r.message, "SET cluster cannot be called in an active transaction") << set;
    EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  }
  EXPECT_EQ(Scalar("SHOW cluster"), "quickstart");
  ASSERT_TRUE(admin_->Exec("BEGIN; SELECT 1").ok());
  EXPECT_EQ(admin_->Exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").code, "25001");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  // Other variables may still change.
  EXPECT_TRUE(admin_->Exec("BEGIN; SELECT 1; SET search_path = public; COMMIT").ok());
}

// --- fact 5: constant SELECTs do not make a block read-only ----------------------------------

TEST_F(MzemuTest, ConstantSelectsDoNotMakeABlockReadOnly) {
  Run({"CREATE TABLE t (a int)"});
  Res r =
      admin_->Exec("BEGIN; SELECT 1; SELECT now(); INSERT INTO t VALUES (1); SELECT 2 + 2; COMMIT");
  EXPECT_TRUE(r.ok()) << r.code << " " << r.message;
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), "1");
  // A read of a relation does.
  EXPECT_EQ(admin_->Exec("BEGIN; SELECT 1; SELECT * FROM t; INSERT INTO t VALUES (2)").code,
            "25006");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  // And a write block takes constant reads only.
  EXPECT_EQ(admin_->Exec("BEGIN; INSERT INTO t VALUES (2); SELECT count(*) FROM t").code, "25000");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  // A constant read does make DDL impossible in the block.
  EXPECT_EQ(admin_->Exec("BEGIN; SELECT 1; CREATE SCHEMA s").code, "25006");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM t"), "1");
}

// --- fact 6: (SHOW ...) as a subquery ---------------------------------------------------------

TEST_F(MzemuTest, ShowCanBeUsedAsASubquery) {
  Run({"CREATE SCHEMA marts", "COMMENT ON SCHEMA marts IS 'the marts'"});
  EXPECT_EQ(Scalar("SELECT replicas FROM (SHOW CLUSTERS) WHERE name = 'quickstart'"), "r1 (25cc)");
  EXPECT_EQ(Scalar("SELECT count(*) FROM (SHOW CLUSTERS LIKE 'quick%') AS c"), "1");
  EXPECT_EQ(Scalar("SELECT comment FROM (SHOW SCHEMAS) AS s WHERE s.name = 'marts'"), "the marts");
  // SHOW SCHEMAS lists the system schemas too (database_id IS NULL).
  EXPECT_EQ(Scalar("SELECT count(*) FROM (SHOW SCHEMAS) s WHERE name IN ('public', "
                   "'mz_catalog')"),
            "2");
  // Column names as Materialize gives them; through the extended protocol too.
  const char* name = "quickstart";
  Res p = admin_->Params("SELECT name, replicas, comment FROM (SHOW CLUSTERS) c WHERE name = $1",
                         {name});
  ASSERT_TRUE(p.ok()) << p.message;
  ASSERT_EQ(p.rows.size(), 1u);
  // A session variable cannot be a subquery.
  Res var = admin_->Exec("SELECT * FROM (SHOW cluster)");
  EXPECT_EQ(var.code, "XX000");
  EXPECT_EQ(var.message, "SHOW variable in subqueries not yet supported");
  // A SHOW subquery is a catalog read: it makes a block read-only.
  EXPECT_EQ(
      admin_->Exec("BEGIN; SELECT * FROM (SHOW CLUSTERS); ALTER SCHEMA marts RENAME TO m").code,
      "25006");
  EXPECT_TRUE(admin_->Exec("ROLLBACK").ok());
}

}  // namespace
