#include "plans/fingerprint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "support/check.h"

namespace bgplan::plans {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest is the one-shot interface; it fails only on allocation failure.
  int ok = EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  BGPLAN_CHECK(ok == 1 && length == 32);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

void Fingerprint::AddFact(std::string_view fact) {
  std::string escaped;
  escaped.reserve(fact.size());
  for (char c : fact) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  facts_.push_back(std::move(escaped));
}

std::vector<std::string> Fingerprint::SortedFacts() const {
  std::vector<std::string> sorted = facts_;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

std::string Fingerprint::Hex() const {
  std::string text = "bgplan-fingerprint-v1\n";
  for (const auto& fact : SortedFacts()) {
    text += fact;
    text += '\n';
  }
  return Sha256Hex(text);
}

}  // namespace bgplan::plans
