// SQL of Materialize's SHOW CLUSTERS and SHOW SCHEMAS (MaterializeInc/materialize
// src/sql/src/plan/statement/show.rs: show_clusters, show_schemas), shared by the statements and
// by `(SHOW ...)` subqueries, which Materialize plans like any other query (SetExpr::Show).
#pragma once

#include <cstddef>
#include <string>

#include "tests/mzemu/sql_lexer.h"

namespace mzemu {

// The SELECT for the SHOW whose object words start at token `i` of `stmt` (tokens before `end`):
// `CLUSTERS` (columns name, replicas, comment) or `SCHEMAS [FROM db]` (name, comment; the system
// schemas and those of `database`, or of db), each with an optional `LIKE 'pattern'` or
// `WHERE condition`. "" if the tokens are not one of these.
// With `activity` (Materialize v26.35 and later), SHOW CLUSTERS has the column `activity`
// between replicas and comment: "reconfiguring size to <size>" while a reconfiguration is in
// progress, else NULL (hydration bursts are not emulated).
std::string ShowObjectsSql(const Statement& stmt, size_t i, const std::string& database,
                           size_t end = std::string::npos, bool activity = false);

}  // namespace mzemu
