// The PostgreSQL catalog reader: everything a phase needs to know about a deployment's schemas,
// read from pg_catalog into plain structs (semantics.md sections 2 and 4). Read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/support/status.h"
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

// Reads who we are and what the server is.
Result<ServerInfo> ReadServerInfo(SqlSession& session);

// Reads `name` (absent schemas come back with exists = false).
Result<SchemaInfo> ReadSchema(SqlSession& session, const std::string& name);

// Every object outside `schemas` (and outside `exclude`) that depends on an object inside
// `schemas`, one entry per dependent, sorted by (schema, name, description).
Result<std::vector<Dependent>> ReadDependents(SqlSession& session,
                                              const std::vector<std::string>& schemas,
                                              const std::vector<std::string>& exclude);

// pg_get_viewdef() of view `oid`, exactly as the server prints it. With the session's
// search_path empty (ReadFacts sets it) every name is schema-qualified, so the definition binds
// by name when it is replayed after a swap.
Result<std::string> ReadViewDefinition(SqlSession& session, uint32_t oid);

// Names of relations, functions and types in `schema`, sorted and distinct.
Result<std::vector<std::string>> ReadObjectNames(SqlSession& session, const std::string& schema);

}  // namespace bgplan::runtime
