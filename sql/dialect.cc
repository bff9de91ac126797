#include "sql/dialect.h"

#include "sql/quote.h"
#include "plans/names.h"

namespace bgplan::sql {

std::string Dialect::QuoteIdent(std::string_view name) const { return sql::QuoteIdent(name); }

std::string Dialect::QuoteLiteral(std::string_view text) const { return sql::QuoteLiteral(text); }

namespace {

class MaterializeDialect final : public Dialect {
 public:
  plans::Target target() const override { return plans::Target::kMaterialize; }
  std::string_view name() const override { return "materialize"; }
  size_t max_identifier_bytes() const override {
    return plans::MaxIdentifierBytes(plans::Target::kMaterialize);
  }
  bool supports_clusters() const override { return true; }
  bool transactional_ddl() const override { return false; }
  std::string SchemaRef(std::string_view database, std::string_view schema) const override {
    return QuoteQualified(database, schema);
  }
  bool AllowedInTransaction(plans::StepKind kind) const override {
    // A DDL-only block may hold ALTER ... SWAP/RENAME; CREATE, COMMENT, GRANT, ALTER SINK, DROP
    // and the journal's INSERTs must each run on their own.
    return kind == plans::StepKind::kSwap;
  }
  std::vector<std::string> RetryableSqlstates() const override { return {"40001"}; }
};

class PostgresDialect final : public Dialect {
 public:
  plans::Target target() const override { return plans::Target::kPostgres; }
  std::string_view name() const override { return "postgres"; }
  size_t max_identifier_bytes() const override {
    return plans::MaxIdentifierBytes(plans::Target::kPostgres);
  }
  bool supports_clusters() const override { return false; }
  bool transactional_ddl() const override { return true; }
  std::string SchemaRef(std::string_view /*database*/, std::string_view schema) const override {
    return sql::QuoteIdent(schema);
  }
  bool AllowedInTransaction(plans::StepKind kind) const override {
    return kind != plans::StepKind::kAwaitReady;
  }
  std::vector<std::string> RetryableSqlstates() const override {
    return {"40001", "40P01", "55P03"};
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeDialect(plans::Target target) {
  if (target == plans::Target::kPostgres) {
    return std::make_unique<PostgresDialect>();
  }
  return std::make_unique<MaterializeDialect>();
}

}  // namespace bgplan::sql
