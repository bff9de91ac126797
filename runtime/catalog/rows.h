// Rows of a catalog query indexed by a key (a schema name, a database and schema, a cluster id),
// so that filling the facts of N objects costs one pass over the rows and N lookups, not N scans.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/session.h"

namespace bgplan::runtime {

using RowIndex = std::unordered_map<std::string, std::vector<const Row*>>;

// The rows of `rows` by key(row), each key's rows in the order of `rows`.
template <typename KeyFn>
RowIndex IndexRows(const Rows& rows, KeyFn key) {
  RowIndex out;
  for (const Row& r : rows) {
    out[key(r)].push_back(&r);
  }
  return out;
}

// The rows under `key` (none: empty).
inline const std::vector<const Row*>& RowsAt(const RowIndex& index, const std::string& key) {
  static const std::vector<const Row*> kNone;
  auto it = index.find(key);
  return it == index.end() ? kNone : it->second;
}

// A key of two names (a database and a schema) that no pair of names can share.
inline std::string PairKey(std::string_view a, std::string_view b) {
  std::string key(a);
  key += '\0';
  key += b;
  return key;
}

}  // namespace bgplan::runtime
