#include "sql/dialect.h"

#include <gtest/gtest.h>

namespace bgplan::sql {
namespace {

using plans::StepKind;

TEST(DialectTest, Materialize) {
  auto d = MakeDialect(plans::Target::kMaterialize);
  EXPECT_EQ(plans::Target::kMaterialize, d->target());
  EXPECT_EQ("materialize", d->name());
  EXPECT_EQ(255u, d->max_identifier_bytes());
  EXPECT_TRUE(d->supports_clusters());
  EXPECT_FALSE(d->transactional_ddl());
  EXPECT_EQ("\"db\".\"s\"", d->SchemaRef("db", "s"));
  EXPECT_EQ("\"s\"", d->SchemaRef("", "s"));
  EXPECT_TRUE(d->AllowedInTransaction(StepKind::kSwap));
  for (StepKind kind :
       {StepKind::kCheck, StepKind::kCreateGreenSchema, StepKind::kCopySchemaPrivileges,
        StepKind::kCreateGreenCluster, StepKind::kCopyClusterPrivileges, StepKind::kMarkGreen,
        StepKind::kAwaitReady, StepKind::kJournal, StepKind::kRepointSinks, StepKind::kTagSchemas,
        StepKind::kDropGreen}) {
    EXPECT_FALSE(d->AllowedInTransaction(kind)) << plans::StepKindName(kind);
  }
  EXPECT_EQ(std::vector<std::string>{"40001"}, d->RetryableSqlstates());
  EXPECT_EQ("BEGIN;", d->BeginSql());
  EXPECT_EQ("COMMIT;", d->CommitSql());
}

TEST(DialectTest, Postgres) {
  auto d = MakeDialect(plans::Target::kPostgres);
  EXPECT_EQ(plans::Target::kPostgres, d->target());
  EXPECT_EQ("postgres", d->name());
  EXPECT_EQ(63u, d->max_identifier_bytes());
  EXPECT_FALSE(d->supports_clusters());
  EXPECT_TRUE(d->transactional_ddl());
  // A PostgreSQL schema lives in the connection's database: never qualified.
  EXPECT_EQ("\"s\"", d->SchemaRef("db", "s"));
  EXPECT_TRUE(d->AllowedInTransaction(StepKind::kSwap));
  EXPECT_TRUE(d->AllowedInTransaction(StepKind::kCreateGreenSchema));
  EXPECT_TRUE(d->AllowedInTransaction(StepKind::kRepointSinks));
  EXPECT_TRUE(d->AllowedInTransaction(StepKind::kJournal));
  EXPECT_FALSE(d->AllowedInTransaction(StepKind::kAwaitReady));
  EXPECT_EQ((std::vector<std::string>{"40001", "40P01", "55P03"}), d->RetryableSqlstates());
}

TEST(DialectTest, QuotingIsTheSharedQuoting) {
  for (auto target : {plans::Target::kMaterialize, plans::Target::kPostgres}) {
    auto d = MakeDialect(target);
    EXPECT_EQ("\"a\"\"b\"", d->QuoteIdent("a\"b"));
    EXPECT_EQ("'a''b'", d->QuoteLiteral("a'b"));
  }
}

}  // namespace
}  // namespace bgplan::sql
