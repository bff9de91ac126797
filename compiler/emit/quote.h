// SQL quoting shared by the offline emitter and the runtime: identifiers are always double-quoted
// with " doubled, string literals single-quoted with ' doubled. Never build SQL text without these.
#pragma once

#include <string>
#include <string_view>

namespace bgplan::emit {

// "name" with every " doubled. NUL bytes are impossible here (the frontend rejects them).
std::string QuoteIdent(std::string_view name);
// "db"."name", or "name" when `database` is empty.
std::string QuoteQualified(std::string_view database, std::string_view name);
// 'text' with every ' doubled.
std::string QuoteLiteral(std::string_view text);

}  // namespace bgplan::emit
