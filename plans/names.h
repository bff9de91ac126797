// Names bgplan derives from a plan's names, shared by the compiler (static rules, emitted SQL)
// and the runtime (live rules, executed SQL), so both always agree on them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "plans/plan.h"

namespace bgplan::plans {

// Longest identifier the server keeps, in bytes: PostgreSQL 63 (NAMEDATALEN - 1), Materialize
// 255.
size_t MaxIdentifierBytes(Target target);

// The temporary name PostgreSQL's three-rename swap parks blue under. Rule:
//   blue + "_bgplan_swap" if that fits in `max_bytes`;
//   otherwise the longest prefix of `blue` that ends on a UTF-8 code point boundary and leaves
//   room for "_" + 8 lowercase hex digits of the 32-bit FNV-1a hash of the whole `blue` +
//   "_bgplan_swap", followed by exactly that.
// Deterministic, never longer than the limit, and distinct for blue names that share a long
// prefix. The static rule swap-name-collision refuses a plan where it equals a name of the plan;
// the live rule swap-name-taken refuses a swap while a schema of that name exists.
std::string SwapTempName(std::string_view blue, size_t max_bytes);

}  // namespace bgplan::plans
