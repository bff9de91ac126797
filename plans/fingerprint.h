// SHA-256 and the catalog fingerprint: a hash of the catalog facts a resolved plan depends on, so
// that a plan file can be refused (`stale-plan`) when the catalog changed since `bgplan plan`.
// The OpenSSL adapter: no OpenSSL type appears outside fingerprint.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bgplan::plans {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// Collects "catalog fact" lines (e.g. "schema materialize.marts id=u12 owner=u3") and hashes them
// independently of the order they were added in. Not thread-safe.
class Fingerprint {
 public:
  // Adds one fact. A fact is one line: '\n' and '\\' inside it are escaped before hashing, so two
  // different fact lists can never hash the same text. Adding the same fact twice is the same as
  // adding it once.
  void AddFact(std::string_view fact);

  // The facts, escaped, sorted and de-duplicated: what Hex() hashes.
  std::vector<std::string> SortedFacts() const;

  // SHA-256 hex of "bgplan-fingerprint-v1\n" followed by each sorted fact and a '\n'.
  std::string Hex() const;

 private:
  std::vector<std::string> facts_;
};

}  // namespace bgplan::plans
