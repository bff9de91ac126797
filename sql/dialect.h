// The SQL dialects bgplan emits: Materialize and PostgreSQL. A Dialect answers the questions the
// renderer (resolve/render.h) and the runtime share: how names are quoted and qualified,
// how long an identifier may be, which statements may run inside a transaction block and how a
// transaction batch is framed, which SQLSTATEs make a swap transaction retryable.
// Implementations are stateless and immutable, so one instance may be shared between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plans/plan.h"

namespace bgplan::sql {

class Dialect {
 public:
  virtual ~Dialect() = default;

  // The target this dialect renders.
  virtual plans::Target target() const = 0;
  // "materialize" or "postgres" (the spelling of `target` in a .bgplan file).
  virtual std::string_view name() const = 0;
  // Longest identifier the server keeps, in bytes (PostgreSQL 63, Materialize 255). Longer
  // names are rejected by `bgplan check` (name-too-long); SwapTempName() stays within it.
  virtual size_t max_identifier_bytes() const = 0;
  // True if the dialect has clusters (Materialize). PostgreSQL plans never contain clusters.
  virtual bool supports_clusters() const = 0;
  // True if every statement bgplan issues may run inside one transaction (PostgreSQL). On
  // Materialize only the swap block is transactional.
  virtual bool transactional_ddl() const = 0;

  // "name", with " doubled. Both dialects quote every identifier the same way.
  std::string QuoteIdent(std::string_view name) const;
  // 'text', with ' doubled.
  std::string QuoteLiteral(std::string_view text) const;
  // A schema reference. Materialize: "db"."schema", or "schema" when `database` is empty.
  // PostgreSQL: always "schema" (a schema lives in the connection's database; the database of
  // the plan is the one the connection must point to).
  virtual std::string SchemaRef(std::string_view database, std::string_view schema) const = 0;

  // Transaction rules. True if the statements a step of `kind` executes may run inside a
  // BEGIN ... COMMIT block of this dialect. Materialize allows only DDL-only blocks of
  // ALTER ... SWAP/RENAME, so only kSwap; PostgreSQL allows everything except the readiness
  // poll (kAwaitReady), which needs fresh snapshots between polls.
  virtual bool AllowedInTransaction(plans::StepKind kind) const = 0;
  // The statements that open and close a transaction batch: "BEGIN;" and "COMMIT;".
  std::string_view BeginSql() const { return "BEGIN;"; }
  std::string_view CommitSql() const { return "COMMIT;"; }
  // SQLSTATEs on which a failed swap transaction is rolled back and retried (after
  // retry_backoff, at most max_retries times), in ascending order. Materialize: 40001 only.
  // PostgreSQL: 40001, 40P01, 55P03.
  virtual std::vector<std::string> RetryableSqlstates() const = 0;
};

// The dialect for `target`. Never null.
std::unique_ptr<Dialect> MakeDialect(plans::Target target);

}  // namespace bgplan::sql
