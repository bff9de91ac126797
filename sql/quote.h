// SQL quoting shared by the offline emitter and the runtime: identifiers are always double-quoted
// with " doubled, string literals single-quoted with ' doubled (and, when they hold a backslash,
// written as E'...' with the backslash doubled too). Never build SQL text without these.
#pragma once

#include <string>
#include <string_view>

namespace bgplan::sql {

// "name" with every " doubled. NUL bytes are impossible here (the frontend rejects them).
std::string QuoteIdent(std::string_view name);
// "db"."name", or "name" when `database` is empty.
std::string QuoteQualified(std::string_view database, std::string_view name);
// 'text' with every ' doubled; when `text` holds a backslash, E'text' with every ' and \ doubled.
// Either form reads back as `text` whatever the session's standard_conforming_strings (PostgreSQL
// and Materialize both accept E'...').
std::string QuoteLiteral(std::string_view text);

}  // namespace bgplan::sql
