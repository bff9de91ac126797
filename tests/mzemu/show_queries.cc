#include "tests/mzemu/show_queries.h"

#include "tests/mzemu/interpreter.h"

namespace mzemu {

std::string ShowObjectsSql(const Statement& stmt, size_t i, const std::string& database,
                           size_t end, bool activity) {
  const auto& t = stmt.tokens;
  if (end > t.size()) end = t.size();
  if (i >= end) return "";
  std::string sql;
  if (t[i].IsWord("clusters")) {
    // mz_internal.mz_show_clusters: replicas as "r1 (size), r2 (size)".
    sql =
        "SELECT c.name, (SELECT string_agg(r.name || ' (' || r.size || ')', ', ' ORDER BY r.name) "
        "FROM mz_catalog.mz_cluster_replicas r WHERE r.cluster_id = c.id) AS replicas, " +
        std::string(activity ? "(SELECT 'reconfiguring size to ' || (rc.target->>'size') FROM "
                               "mz_internal.mz_cluster_reconfigurations rc WHERE rc.cluster_id "
                               "= c.id AND rc.status = 'in-progress') AS activity, "
                             : "") +
        "cm.comment FROM mz_catalog.mz_clusters c LEFT JOIN mz_internal.mz_comments cm ON "
        "cm.id = c.id AND cm.object_type = 'cluster'";
    ++i;
  } else if (t[i].IsWord("schemas")) {
    std::string db = database;
    ++i;
    if (i + 1 < end && t[i].IsWord("from") && t[i + 1].IsName()) {
      db = t[i + 1].text;
      i += 2;
    }
    sql =
        "SELECT s.name, cm.comment FROM mz_catalog.mz_schemas s LEFT JOIN "
        "mz_internal.mz_comments cm ON cm.id = s.id AND cm.object_type = 'schema' WHERE "
        "s.database_id IS NULL OR s.database_id = (SELECT id FROM mz_catalog.mz_databases WHERE "
        "name = " +
        QuoteLiteral(db) + ")";
  } else {
    return "";
  }
  if (i < end && t[i].IsWord("like") && i + 2 == end && t[i + 1].kind == TokenKind::kString) {
    return "SELECT * FROM (" + sql + ") AS mzemu_show WHERE name LIKE " +
           QuoteLiteral(t[i + 1].text);
  }
  if (i < end && t[i].IsWord("where") && i + 1 < end) {
    return "SELECT * FROM (" + sql + ") AS mzemu_show WHERE " +
           stmt.text.substr(t[i + 1].begin, t[end - 1].end - t[i + 1].begin);
  }
  return i == end ? sql : "";
}

// Materialize allows `(SHOW ...)` wherever a subquery may stand (SetExpr::Show), except SHOW of a
// session variable: "SHOW variable in subqueries not yet supported" (a plan error, which
// AdapterError::code maps to XX000).
Outcome Session::RewriteShowSubqueries(const Statement& stmt, Statement* out) const {
  const auto& t = stmt.tokens;
  std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].IsOp("(") || !t[i + 1].IsWord("show")) continue;
    size_t close = i + 1;
    for (int depth = 1; close < t.size(); ++close) {
      if (t[close].IsOp("(")) ++depth;
      if (t[close].IsOp(")") && --depth == 0) break;
    }
    if (close >= t.size() || close < i + 3) {
      return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
    }
    std::string sql =
        ShowObjectsSql(stmt, i + 2, var("database"), close, mz_version().AtLeast(26, 35));
    if (sql.empty()) {
      for (const char* objects :
           {"tables",  "views",      "sources",   "sinks",        "indexes", "connections",
            "secrets", "roles",      "databases", "materialized", "objects", "columns",
            "create",  "privileges", "default",   "role",         "types",   "subsources",
            "network", "continual",  "cluster"}) {
        if (t[i + 2].IsWord(objects) &&
            !(t[i + 2].IsWord("cluster") && !(close > i + 3 && t[i + 3].IsWord("replicas")))) {
          return Outcome::Error("0A000", "mzemu: (SHOW " + t[i + 2].text +
                                             " ...) in a query is not emulated (only SHOW "
                                             "CLUSTERS and SHOW SCHEMAS)");
        }
      }
      return Outcome::Error("XX000", "SHOW variable in subqueries not yet supported");
    }
    edits.push_back({{t[i + 1].begin, t[close - 1].end}, sql});
    // Materialize needs no alias for a subquery in FROM; PostgreSQL before 16 does.
    bool alias = close + 1 < t.size() &&
                 (t[close + 1].IsWord("as") || t[close + 1].kind == TokenKind::kQuotedIdent);
    if (close + 1 < t.size() && t[close + 1].kind == TokenKind::kIdent && !alias) {
      alias = true;
      for (const char* keyword :
           {"where",   "join",   "inner",     "left",   "right",  "full",  "cross",
            "natural", "on",     "using",     "group",  "order",  "limit", "offset",
            "union",   "except", "intersect", "having", "window", "fetch"}) {
        if (t[close + 1].IsWord(keyword)) alias = false;
      }
    }
    if (!alias) {
      edits.push_back({{t[close].end, t[close].end}, " AS mzemu_show" + std::to_string(i)});
    }
    i = close;
  }
  if (edits.empty()) {
    *out = stmt;
    return Outcome::Tag("");
  }
  std::vector<Statement> split = SplitStatements(Splice(stmt.text, edits));
  if (split.size() != 1)
    return Outcome::Error("42601", "mzemu: unsupported statement: " + stmt.text);
  *out = split[0];
  return Outcome::Tag("");
}

}  // namespace mzemu
