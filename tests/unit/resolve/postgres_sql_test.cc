// Runs the emitted PostgreSQL SQL of every PostgreSQL golden case and example on a real server
// (tests/support/test_postgres.h): blue schemas are created first, then init, promote, rollback
// and cleanup are executed as emitted, and the catalog is checked after each: init creates green,
// promote exchanges the names (each name now carries the other schema's oid), rollback exchanges
// them back, cleanup drops green. Skipped when no server can be started.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "sql/quote.h"
#include "resolve/render.h"
#include "tests/support/test_postgres.h"

namespace bgplan::resolve {

using namespace ::bgplan::sql;  // NOLINT(google-build-using-namespace)
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every .bgplan under tests/golden/emit and examples/ with a PostgreSQL expectation.
std::vector<fs::path> PostgresCases() {
  const fs::path root = BGPLAN_SOURCE_DIR;
  std::vector<fs::path> out;
  for (const fs::path& dir : {root / "tests" / "golden" / "emit", root / "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const fs::path& p = entry.path();
      if (p.extension() != ".bgplan") {
        continue;
      }
      fs::path expected = p.parent_path() / (p.stem().string() + ".pg.sql");
      if (fs::exists(expected) || fs::exists(p.parent_path() / "expected.pg.sql")) {
        out.push_back(p);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PostgresSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    pg_ = testing::TestPostgres::Get(&error);
    if (pg_ == nullptr) {
      GTEST_SKIP() << "no PostgreSQL server: " << error;
    }
  }

  std::string Oid(const std::string& db, const std::string& schema) {
    return pg_->Scalar(
        db, "SELECT oid::text FROM pg_namespace WHERE nspname = " + QuoteLiteral(schema));
  }

  testing::TestPostgres* pg_ = nullptr;
};

TEST_F(PostgresSqlTest, EmittedPhasesRunAndSwap) {
  const std::vector<fs::path> cases = PostgresCases();
  ASSERT_FALSE(cases.empty());
  for (const fs::path& path : cases) {
    SCOPED_TRACE(path.string());
    driver::CompileOptions options;
    options.target = plans::Target::kPostgres;
    driver::CompileOutput out =
        driver::CompileText(path.filename().string(), ReadFile(path), options);
    ASSERT_TRUE(out.ok() && out.plan.has_value()) << driver::RenderDiagnostics(out);
    const plans::Plan& plan = *out.plan;
    const std::string db = pg_->CreateDatabase("emit");

    std::vector<plans::SchemaPair> pairs;
    for (const plans::Deployment& d : plan.deployments) {
      for (const plans::SchemaPair& s : d.schemas) {
        pairs.push_back(s);
        ASSERT_EQ("", pg_->Exec(db, "CREATE SCHEMA " + QuoteIdent(s.blue) + "; CREATE TABLE " +
                                        QuoteIdent(s.blue) + ".t (x int);"));
      }
      for (const plans::SinkSchema& s : d.sink_schemas) {
        ASSERT_EQ("", pg_->Exec(db, "CREATE SCHEMA " + QuoteIdent(s.name) + ";"));
      }
    }
    std::vector<std::string> blue_oids;
    for (const auto& s : pairs) {
      blue_oids.push_back(Oid(db, s.blue));
    }

    auto run = [&](plans::PhaseKind phase) {
      const std::string sql = RenderCompile(plan, phase);
      EXPECT_EQ("", pg_->Exec(db, sql)) << plans::PhaseName(phase) << ":\n" << sql;
    };
    run(plans::PhaseKind::kInit);
    std::vector<std::string> green_oids;
    for (const auto& s : pairs) {
      green_oids.push_back(Oid(db, s.green));
      EXPECT_NE("", green_oids.back()) << s.green;
    }
    run(plans::PhaseKind::kAwait);
    run(plans::PhaseKind::kPromote);
    for (size_t i = 0; i < pairs.size(); ++i) {
      EXPECT_EQ(green_oids[i], Oid(db, pairs[i].blue)) << "after promote: " << pairs[i].blue;
      EXPECT_EQ(blue_oids[i], Oid(db, pairs[i].green)) << "after promote: " << pairs[i].green;
    }
    run(plans::PhaseKind::kRollback);
    for (size_t i = 0; i < pairs.size(); ++i) {
      EXPECT_EQ(blue_oids[i], Oid(db, pairs[i].blue)) << "after rollback: " << pairs[i].blue;
      EXPECT_EQ(green_oids[i], Oid(db, pairs[i].green)) << "after rollback: " << pairs[i].green;
    }
    run(plans::PhaseKind::kCleanup);
    for (size_t i = 0; i < pairs.size(); ++i) {
      EXPECT_EQ(blue_oids[i], Oid(db, pairs[i].blue)) << "after cleanup: " << pairs[i].blue;
      EXPECT_EQ("", Oid(db, pairs[i].green)) << "after cleanup: " << pairs[i].green;
    }
  }
}

}  // namespace
}  // namespace bgplan::resolve
