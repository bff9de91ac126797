#include "sql/statements.h"

#include <algorithm>
#include <cstdio>

#include "sql/cluster_options.h"
#include "sql/quote.h"
#include "support/check.h"
#include "plans/names.h"

namespace bgplan::sql {

std::string CreateSchemaSql(const Dialect& dialect, std::string_view database,
                            std::string_view name) {
  return "CREATE SCHEMA " + dialect.SchemaRef(database, name) + ";";
}

std::string DropSchemaSql(const Dialect& dialect, std::string_view database,
                          std::string_view name) {
  return "DROP SCHEMA IF EXISTS " + dialect.SchemaRef(database, name) + " CASCADE;";
}

std::string DropClusterSql(std::string_view name) {
  return "DROP CLUSTER IF EXISTS " + QuoteIdent(name) + " CASCADE;";
}

std::string DropSql(const Dialect& dialect, const plans::ObjectRef& object) {
  if (object.kind == plans::ObjectKind::kCluster) {
    BGPLAN_CHECK(dialect.supports_clusters());
    return DropClusterSql(object.green);
  }
  return DropSchemaSql(dialect, object.database, object.green);
}

std::string CreateClusterSql(std::string_view name, const ManagedClusterOptions& options) {
  std::string sql = "CREATE CLUSTER " + QuoteIdent(name) + " (SIZE = " + QuoteLiteral(options.size);
  if (options.replication_factor.has_value() && !options.on_refresh) {
    sql += ", REPLICATION FACTOR = " + std::to_string(*options.replication_factor);
  }
  if (options.on_refresh) {
    sql += ", SCHEDULE = ON REFRESH";
    if (options.hydration_time_estimate.has_value()) {
      sql += " (HYDRATION TIME ESTIMATE = " + QuoteLiteral(*options.hydration_time_estimate) + ")";
    }
  }
  if (options.auto_scaling.has_value()) {
    sql += ", AUTO SCALING STRATEGY = " + AutoScalingStrategyValue(*options.auto_scaling);
  }
  return sql + ");";
}

std::string CreateUnmanagedClusterSql(std::string_view name, std::vector<ReplicaSpec> replicas) {
  std::stable_sort(replicas.begin(), replicas.end(),
                   [](const ReplicaSpec& a, const ReplicaSpec& b) { return a.name < b.name; });
  std::string sql = "CREATE CLUSTER " + QuoteIdent(name) + " REPLICAS (";
  for (size_t i = 0; i < replicas.size(); ++i) {
    if (i > 0) {
      sql += ", ";
    }
    sql += QuoteIdent(replicas[i].name) + " (SIZE " + QuoteLiteral(replicas[i].size);
    if (replicas[i].availability_zone.has_value()) {
      sql += ", AVAILABILITY ZONE " + QuoteLiteral(*replicas[i].availability_zone);
    }
    sql += ")";
  }
  return sql + ");";
}

std::string SwapSchemaSql(const Dialect& dialect, std::string_view database, std::string_view blue,
                          std::string_view green) {
  return "ALTER SCHEMA " + dialect.SchemaRef(database, blue) + " SWAP WITH " + QuoteIdent(green) +
         ";";
}

std::string SwapClusterSql(std::string_view blue, std::string_view green) {
  return "ALTER CLUSTER " + QuoteIdent(blue) + " SWAP WITH " + QuoteIdent(green) + ";";
}

std::string SwapTempName(std::string_view blue, const Dialect& dialect) {
  return plans::SwapTempName(blue, dialect.max_identifier_bytes());
}

std::vector<std::string> SwapSql(const Dialect& dialect, const plans::ObjectRef& object) {
  if (object.kind == plans::ObjectKind::kCluster) {
    BGPLAN_CHECK(dialect.supports_clusters());
    return {SwapClusterSql(object.blue, object.green)};
  }
  if (dialect.target() == plans::Target::kMaterialize) {
    return {SwapSchemaSql(dialect, object.database, object.blue, object.green)};
  }
  const std::string tmp = QuoteIdent(SwapTempName(object.blue, dialect));
  const std::string blue = dialect.SchemaRef(object.database, object.blue);
  const std::string green = dialect.SchemaRef(object.database, object.green);
  return {
      "ALTER SCHEMA " + blue + " RENAME TO " + tmp + ";",
      "ALTER SCHEMA " + green + " RENAME TO " + QuoteIdent(object.blue) + ";",
      "ALTER SCHEMA " + tmp + " RENAME TO " + QuoteIdent(object.green) + ";",
  };
}

std::string FormatLockTimeout(int64_t ms) { return IntervalText(ms); }

std::string SetLocalEmptySearchPathSql() { return "SET LOCAL search_path = '';"; }

std::string SetLockTimeoutSql(int64_t timeout_ms) {
  return "SET LOCAL lock_timeout = " + QuoteLiteral(FormatLockTimeout(timeout_ms)) + ";";
}

static std::string_view KindKeyword(plans::ObjectKind kind) {
  return kind == plans::ObjectKind::kCluster ? "CLUSTER" : "SCHEMA";
}

static std::string ObjectRefSql(const Dialect& dialect, plans::ObjectKind kind,
                                std::string_view database, std::string_view name) {
  if (kind == plans::ObjectKind::kCluster) {
    BGPLAN_CHECK(dialect.supports_clusters());
    return QuoteIdent(name);
  }
  return dialect.SchemaRef(database, name);
}

std::string CommentOnSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                         std::string_view name, std::string_view text) {
  return "COMMENT ON " + std::string(KindKeyword(kind)) + " " +
         ObjectRefSql(dialect, kind, database, name) + " IS " + QuoteLiteral(text) + ";";
}

std::string MarkerText(std::string_view deployment, std::string_view run_id) {
  return "bgplan deployment " + std::string(deployment) + " run " + std::string(run_id);
}

std::string TagText(std::string_view user, std::string_view time, std::string_view sha,
                    std::string_view run_id) {
  std::string text = "Deployment by " + std::string(user) + " on " + std::string(time);
  if (!sha.empty()) {
    text += " | Commit SHA: " + std::string(sha);
  }
  return text + " | bgplan " + std::string(run_id);
}

bool IsSqlKeyword(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') {
    return false;
  }
  char previous = 'A';
  for (char c : text) {
    if (c == ' ') {
      if (previous == ' ') {
        return false;
      }
    } else if (c < 'A' || c > 'Z') {
      return false;
    }
    previous = c;
  }
  return true;
}

static std::string GranteeSql(const Grantee& grantee) {
  return grantee.is_public ? std::string("PUBLIC") : QuoteIdent(grantee.role);
}

std::string GrantSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                     std::string_view name, std::string_view privilege, const Grantee& grantee) {
  BGPLAN_CHECK(IsSqlKeyword(privilege));
  return "GRANT " + std::string(privilege) + " ON " + std::string(KindKeyword(kind)) + " " +
         ObjectRefSql(dialect, kind, database, name) + " TO " + GranteeSql(grantee) + ";";
}

std::string RevokeSql(const Dialect& dialect, plans::ObjectKind kind, std::string_view database,
                      std::string_view name, std::string_view privilege, const Grantee& grantee) {
  BGPLAN_CHECK(IsSqlKeyword(privilege));
  return "REVOKE " + std::string(privilege) + " ON " + std::string(KindKeyword(kind)) + " " +
         ObjectRefSql(dialect, kind, database, name) + " FROM " + GranteeSql(grantee) + ";";
}

std::string AlterDefaultPrivilegesSql(const Dialect& dialect,
                                      const std::optional<std::string>& for_role,
                                      std::string_view database, std::string_view schema,
                                      std::string_view privilege, std::string_view object_types,
                                      const Grantee& grantee) {
  BGPLAN_CHECK(IsSqlKeyword(privilege));
  BGPLAN_CHECK(IsSqlKeyword(object_types));
  BGPLAN_CHECK(for_role.has_value() || dialect.target() == plans::Target::kMaterialize);
  std::string sql = "ALTER DEFAULT PRIVILEGES ";
  sql += for_role.has_value() ? "FOR ROLE " + QuoteIdent(*for_role) : std::string("FOR ALL ROLES");
  sql += " IN SCHEMA " + dialect.SchemaRef(database, schema) + " GRANT " + std::string(privilege) +
         " ON " + std::string(object_types) + " TO " + GranteeSql(grantee) + ";";
  return sql;
}

std::string QuoteRelation(const RelationName& relation) {
  std::string out;
  for (const std::string* part : {&relation.database, &relation.schema, &relation.name}) {
    if (part->empty()) {
      continue;
    }
    if (!out.empty()) {
      out += ".";
    }
    out += QuoteIdent(*part);
  }
  return out;
}

std::string AlterSinkSetFromSql(const RelationName& sink, const RelationName& upstream) {
  return "ALTER SINK " + QuoteRelation(sink) + " SET FROM " + QuoteRelation(upstream) + ";";
}

std::string CreateOrReplaceViewSql(const RelationName& view, std::string_view definition,
                                   const std::vector<std::string>& options) {
  auto trim = [](std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r')) {
      text.remove_suffix(1);
    }
    return text;
  };
  definition = trim(definition);
  if (!definition.empty() && definition.back() == ';') {
    definition.remove_suffix(1);
    definition = trim(definition);
  }
  while (!definition.empty() && (definition.front() == ' ' || definition.front() == '\n')) {
    definition.remove_prefix(1);
  }
  std::string with;
  for (const std::string& option : options) {
    // reloptions entries are "name=value"; the name is a bare word for every view option
    // PostgreSQL has (check_option, security_barrier, security_invoker), quoted otherwise.
    size_t eq = option.find('=');
    std::string name = option.substr(0, eq);
    bool bare = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
                                     std::string::npos;
    with += (with.empty() ? " WITH (" : ", ") + (bare ? name : QuoteIdent(name)) + " = " +
            QuoteLiteral(eq == std::string::npos ? "true" : option.substr(eq + 1));
  }
  if (!with.empty()) {
    with += ")";
  }
  return "CREATE OR REPLACE VIEW " + QuoteRelation(view) + with + " AS " +
         std::string(definition) + ";";
}

// True for the bytes CommentSafe rewrites.
static bool NeedsCommentEscape(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F || c == '\\';
}

std::string PgSchemaIdentityGuardSql(std::string_view name, std::string_view oid) {
  std::string digits;
  for (char c : oid) {
    if (c >= '0' && c <= '9') {
      digits += c;
    }
  }
  return PgRaise40001IfSql("(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " +
                               QuoteLiteral(name) + ") IS DISTINCT FROM " +
                               (digits.empty() ? "0" : digits) + "::oid",
                           "bgplan: the schema under a green name is not the one the journal "
                           "recorded");
}

std::string PgRaise40001IfSql(std::string_view condition, std::string_view message) {
  const std::string body = " BEGIN IF " + std::string(condition) + " THEN RAISE EXCEPTION " +
                           QuoteLiteral(message) + " USING ERRCODE = '40001'; END IF; END ";
  // A dollar-quote tag that occurs nowhere in the body, so no name or definition can end it.
  std::string tag = "$bgplan$";
  for (int i = 1; body.find(tag) != std::string::npos; ++i) {
    tag = "$bgplan" + std::to_string(i) + "$";
  }
  return "DO " + tag + body + tag + ";";
}

std::string CommentSafe(std::string_view text) {
  std::string out;
  AppendCommentSafe(out, text);
  return out;
}

void AppendCommentSafe(std::string& out, std::string_view text) {
  // Almost every text has nothing to escape: copy it in one piece up to the first byte that does.
  size_t clean = 0;
  while (clean < text.size() && !NeedsCommentEscape(text[clean])) {
    ++clean;
  }
  out.append(text.substr(0, clean));
  if (clean == text.size()) {
    return;
  }
  for (char c : text.substr(clean)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (byte < 0x20 || byte == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
}


}  // namespace bgplan::sql
