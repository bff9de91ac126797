// Builders for every SQL statement bgplan issues, shared by the offline emitter (`bgplan compile`,
// resolve/render.h) and the runtime (resolve/resolver.h), so that what a reviewer reads
// and what apply runs are the same bytes. Each builder returns one complete statement ending in
// ';' with no trailing newline. Every name goes through Dialect::QuoteIdent and every string
// through Dialect::QuoteLiteral; callers never splice text into SQL themselves.
// Keyword arguments (privilege types, object types) come from the catalog and must satisfy
// IsSqlKeyword(); builders abort on anything else (a caller bug, checked with BGPLAN_CHECK).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/dialect.h"
#include "plans/plan.h"

namespace bgplan::sql {

// ---- Schemas and clusters --------------------------------------------------------------------

// CREATE SCHEMA "db"."name";  (Materialize; unqualified when `database` is empty).
// CREATE SCHEMA "name";       (PostgreSQL: the connection's database).
std::string CreateSchemaSql(const Dialect& dialect, std::string_view database,
                            std::string_view name);

// DROP SCHEMA IF EXISTS "db"."name" CASCADE;  (qualification as for CreateSchemaSql).
std::string DropSchemaSql(const Dialect& dialect, std::string_view database, std::string_view name);

// DROP CLUSTER IF EXISTS "name" CASCADE;  (Materialize only).
std::string DropClusterSql(std::string_view name);

// The DROP of `object`'s green name: DropSchemaSql or DropClusterSql.
std::string DropSql(const Dialect& dialect, const plans::ObjectRef& object);

// A managed Materialize cluster. REPLICATION FACTOR is rendered only when the schedule is manual
// (`on_refresh` false), as the reference does; SCHEDULE = ON REFRESH only when `on_refresh`.
struct AutoScalingStrategy {
  // ON HYDRATION (HYDRATION SIZE = '...'[, LINGER DURATION = '...']). An empty hydration_size
  // renders AUTO SCALING STRATEGY = () (no strategy).
  std::string hydration_size;
  std::optional<std::string> linger_duration;
};
struct ManagedClusterOptions {
  std::string size;
  std::optional<int64_t> replication_factor;
  bool on_refresh = false;
  // Interval text for HYDRATION TIME ESTIMATE (only with on_refresh), e.g. '10m'.
  std::optional<std::string> hydration_time_estimate;
  std::optional<AutoScalingStrategy> auto_scaling;
};

// CREATE CLUSTER "name" (SIZE = '...'[, REPLICATION FACTOR = n][, SCHEDULE = ON REFRESH
// [(HYDRATION TIME ESTIMATE = '...')]][, AUTO SCALING STRATEGY = (...)]);
std::string CreateClusterSql(std::string_view name, const ManagedClusterOptions& options);

struct ReplicaSpec {
  std::string name;
  std::string size;
  std::optional<std::string> availability_zone;
};

// CREATE CLUSTER "name" REPLICAS ("r1" (SIZE '...'[, AVAILABILITY ZONE '...']), ...);
// Replicas are rendered sorted by name (byte order), whatever the input order; none renders
// REPLICAS ().
std::string CreateUnmanagedClusterSql(std::string_view name, std::vector<ReplicaSpec> replicas);

// ---- Swap ------------------------------------------------------------------------------------

// Materialize: ALTER SCHEMA "db"."blue" SWAP WITH "green";  The second name is a bare
// identifier: Materialize resolves it in the first schema's database.
std::string SwapSchemaSql(const Dialect& dialect, std::string_view database, std::string_view blue,
                          std::string_view green);
// Materialize: ALTER CLUSTER "blue" SWAP WITH "green";
std::string SwapClusterSql(std::string_view blue, std::string_view green);

// plans::SwapTempName for `dialect`'s identifier limit (plans/names.h has the rule).
std::string SwapTempName(std::string_view blue, const Dialect& dialect);

// The statements that exchange the names of `object`'s blue and green, in order.
// Materialize: one ALTER SCHEMA|CLUSTER ... SWAP WITH. PostgreSQL: three renames,
//   ALTER SCHEMA "blue" RENAME TO "<tmp>"; ALTER SCHEMA "green" RENAME TO "blue";
//   ALTER SCHEMA "<tmp>" RENAME TO "green";  with <tmp> = SwapTempName(blue).
// Swapping is its own inverse, so rollback issues the same statements.
std::vector<std::string> SwapSql(const Dialect& dialect, const plans::ObjectRef& object);

// PostgreSQL: SET LOCAL lock_timeout = '5s';  (FormatLockTimeout of `timeout_ms`).
std::string SetLockTimeoutSql(int64_t timeout_ms);
// PostgreSQL: SET LOCAL search_path = '';  The swap transaction runs with an empty search path
// so that nothing it reads or re-creates resolves through the user's search_path.
std::string SetLocalEmptySearchPathSql();
// '5s' when `ms` is a whole number of seconds, else '1500ms' (PostgreSQL accepts both).
std::string FormatLockTimeout(int64_t ms);

// ---- Comments (markers and deployment tags) ---------------------------------------------------

// COMMENT ON SCHEMA|CLUSTER <ref> IS '<text>';
std::string CommentOnSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                         std::string_view name, std::string_view text);
// The marker comment a green object carries: "bgplan deployment <deployment> run <run_id>".
std::string MarkerText(std::string_view deployment, std::string_view run_id);
// The tag on a promoted schema:
//   "Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run_id>"
// with " | Commit SHA: <sha>" left out when `sha` is empty.
std::string TagText(std::string_view user, std::string_view time, std::string_view sha,
                    std::string_view run_id);

// ---- Privileges ------------------------------------------------------------------------------

// True for an upper-case SQL keyword phrase: [A-Z] words separated by single spaces
// ("USAGE", "CREATE", "SELECT", "TABLES", "ALTER SYSTEM"). Privilege and object types read from
// the catalog must pass this before they reach a builder.
bool IsSqlKeyword(std::string_view text);

// A grantee: a role, or PUBLIC.
struct Grantee {
  std::string role;
  bool is_public = false;
};
// The grantee a catalog row names: "" is PUBLIC.
inline Grantee GranteeOf(const std::string& role) { return {role, role.empty()}; }

// GRANT <privilege> ON SCHEMA|CLUSTER <ref> TO "role"|PUBLIC;
std::string GrantSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                     std::string_view name, std::string_view privilege, const Grantee& grantee);
// REVOKE <privilege> ON SCHEMA|CLUSTER <ref> FROM "role"|PUBLIC;
std::string RevokeSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                      std::string_view name, std::string_view privilege, const Grantee& grantee);
// ALTER DEFAULT PRIVILEGES FOR ROLE "r" | FOR ALL ROLES IN SCHEMA <ref> GRANT <privilege> ON
// <object_types> TO "grantee"|PUBLIC;  `for_role` unset means FOR ALL ROLES (Materialize only;
// PostgreSQL default privileges always belong to a role). `object_types` is the plural keyword
// (TABLES, TYPES, SECRETS, CONNECTIONS, SEQUENCES, FUNCTIONS).
std::string AlterDefaultPrivilegesSql(const Dialect& dialect,
                                      const std::optional<std::string>& for_role,
                                      std::string_view database, std::string_view schema,
                                      std::string_view privilege, std::string_view object_types,
                                      const Grantee& grantee);

// ---- Sinks and dependent views ---------------------------------------------------------------

// A relation name; empty parts are left out ("db"."schema"."name", "schema"."name", "name").
struct RelationName {
  std::string database;
  std::string schema;
  std::string name;
};
std::string QuoteRelation(const RelationName& relation);

// Materialize: ALTER SINK "db"."s"."sink" SET FROM "db"."marts"."upstream";
std::string AlterSinkSetFromSql(const RelationName& sink, const RelationName& upstream);

// PostgreSQL: CREATE OR REPLACE VIEW "s"."v" [WITH (name = 'value', ...)] AS <definition>;
// `definition` is the text of pg_get_viewdef(); trailing whitespace and one trailing ';' are
// removed first. `options` are the view's reloptions ("security_invoker=true",
// "check_option=cascaded", ...), in their catalog order: CREATE OR REPLACE VIEW replaces a view's
// options with the ones it names, so leaving one out would reset it (a security_invoker view
// would run with its owner's rights). Owner, grants and comment stay with the view.
std::string CreateOrReplaceViewSql(const RelationName& view, std::string_view definition,
                                   const std::vector<std::string>& options = {});

// PostgreSQL, inside the transaction of a destructive statement: raises SQLSTATE 40001 unless
// the schema named `name` exists with oid `oid` (the object bgplan recorded), so a schema that
// took the name since it was read is never dropped.
std::string PgSchemaIdentityGuardSql(std::string_view name, std::string_view oid);
// PostgreSQL: a DO block raising SQLSTATE 40001 with `message` when the SQL boolean `condition`
// holds (the executor reads again and retries, or a rule refuses). The dollar-quote tag occurs
// nowhere in the body.
std::string PgRaise40001IfSql(std::string_view condition, std::string_view message);

// ---- Text helpers ----------------------------------------------------------------------------

// `text` made safe to put after "--" on one line: CR, LF, other C0 controls and DEL become
// \r, \n, \xNN, and a backslash becomes \\, so a name can never end a SQL comment early.
std::string CommentSafe(std::string_view text);
// CommentSafe(text) appended to `out` (no temporary: the compile output is mostly names).
void AppendCommentSafe(std::string& out, std::string_view text);

}  // namespace bgplan::sql
