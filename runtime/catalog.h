// The PostgreSQL catalog reader: everything a phase needs to know about a deployment's schemas,
// read from pg_catalog into plain structs (semantics.md sections 2 and 4). Read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/status.h"
#include "plans/plan.h"
#include "runtime/session.h"

namespace bgplan::runtime {

// One entry of aclexplode(): `grantee` is "" for PUBLIC.
struct AclEntry {
  std::string grantee;
  std::string privilege;  // "USAGE", "CREATE", "SELECT", ...
  bool grantable = false;
  auto operator<=>(const AclEntry&) const = default;
};

// One schema-scoped default privilege (pg_default_acl): for objects that `role` creates in the
// schema, of `object_type` ("TABLES", "SEQUENCES", "FUNCTIONS", "TYPES"), grant `entry`.
struct DefaultAclEntry {
  std::string role;
  std::string object_type;
  AclEntry entry;
  auto operator<=>(const DefaultAclEntry&) const = default;
};

struct SchemaInfo {
  std::string name;
  // Roles of default_acl the current role may act for (member of, or superuser): ALTER DEFAULT
  // PRIVILEGES FOR ROLE r needs it.
  std::vector<std::string> default_acl_roles_ours;
  bool exists = false;
  uint32_t oid = 0;
  std::string owner;
  // The current role is the owner, a member of the owner role, or superuser.
  bool owned_by_us = false;
  std::string comment;
  // Relations, functions and types (other than implicit row types) inside the schema.
  int64_t object_count = 0;
  std::vector<AclEntry> acl;                 // sorted
  std::vector<DefaultAclEntry> default_acl;  // sorted
  // Materialized views inside the schema that are not populated (await: hydrating).
  std::vector<std::string> unpopulated_matviews;
};

// An object outside a set of schemas that references an object inside them (pg_depend).
struct Dependent {
  // "view", "materialized view", "foreign key", "function", "column default", ... or "object".
  std::string kind;
  std::string schema;       // schema of the dependent object ("" if none)
  std::string name;         // relation or object name
  uint32_t oid = 0;         // relation oid for views and materialized views, else 0
  std::string description;  // pg_describe_object() of the dependent
  // The referenced objects inside the schemas, as schema.name.
  std::vector<std::string> references;
  auto operator<=>(const Dependent&) const = default;
};

// A view in a `sinks` schema that reads from a deployment schema; re-created by promote.
struct SinkView {
  std::string schema;
  std::string name;
  uint32_t oid = 0;
  // pg_get_viewdef() output, read with an empty search_path (every name qualified).
  std::string definition;
  // pg_class.reloptions in catalog order ("security_invoker=true", "check_option=local", ...),
  // replayed by the re-creation.
  std::vector<std::string> options;
  // Relations it references inside the deployment's blue schemas, as schema.name.
  std::vector<std::string> references;
  auto operator<=>(const SinkView&) const = default;
};

struct ServerInfo {
  std::string current_user;
  std::string database;
  bool superuser = false;
  bool can_create_in_database = false;
  bool is_materialize = false;
  std::string version;
};

// Makes every later statement of `session` mean what bgplan wrote and wait at most
// `lock_timeout_ms` for any lock, whatever the server, database, role or connection options set:
// standard_conforming_strings on (a backslash in a plain literal is a character, never an
// escape), an empty search_path (every name bgplan reads or writes is qualified), lock_timeout
// for every statement, catalog reads included (SQLSTATE 55P03 when a lock is held longer), jit
// off, and client_connection_check_interval 1 s (PostgreSQL 14+: a backend waiting for a lock
// notices within a second that bgplan died and frees the deployment lock). Idempotent.
Status PreparePgSession(SqlSession& session, int64_t lock_timeout_ms);

// Who holds locks on the relations `oids` that a statement of this session waits for, as
// "pid 123 (user u, application 'psql', AccessExclusiveLock on "rep"."s" since ...)" items; only
// locks of other sessions, and with `exclusive_only` only ACCESS EXCLUSIVE ones (the only mode
// that blocks a read). Empty when none is held any more. Never waits.
Result<std::vector<std::string>> LockHolders(SqlSession& session, const std::vector<uint32_t>& oids,
                                             bool exclusive_only);

// Reads who we are and what the server is.
Result<ServerInfo> ReadServerInfo(SqlSession& session);

// Reads `name` (absent schemas come back with exists = false).
Result<SchemaInfo> ReadSchema(SqlSession& session, const std::string& name);

// Every object outside `schemas` (and outside `exclude`) that depends on an object inside
// `schemas`, one entry per dependent, sorted by (schema, name, description).
Result<std::vector<Dependent>> ReadDependents(SqlSession& session,
                                              const std::vector<std::string>& schemas,
                                              const std::vector<std::string>& exclude);

// pg_get_viewdef() of view `oid`, exactly as the server prints it, and its reloptions. With the
// session's search_path empty (PreparePgSession) every name is schema-qualified, so the
// definition binds by name when it is replayed after a swap. pg_get_viewdef locks the view and
// the relations it reads (ACCESS SHARE): behind another session's ACCESS EXCLUSIVE lock it waits
// at most lock_timeout, then fails with 55P03 naming the view and who holds the lock.
struct ViewDefinition {
  std::string definition;
  std::vector<std::string> options;
};
Result<ViewDefinition> ReadViewDefinition(SqlSession& session, uint32_t oid,
                                          const std::string& shown_name);

// The relations a view reads (pg_depend of its rewrite rule), and the view itself.
Result<std::vector<uint32_t>> ViewRelations(SqlSession& session, uint32_t view_oid);

// Those of `names` that name a schema of the database.
Result<std::vector<std::string>> ExistingSchemas(SqlSession& session,
                                                 const std::vector<std::string>& names);

// Names of relations, functions and types in `schema`, sorted and distinct.
Result<std::vector<std::string>> ReadObjectNames(SqlSession& session, const std::string& schema);

}  // namespace bgplan::runtime
