#include "plans/names.h"

#include <cstdint>
#include <cstdio>

namespace bgplan::plans {

size_t MaxIdentifierBytes(Target target) { return target == Target::kPostgres ? 63 : 255; }

static uint32_t Fnv1a32(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

std::string SwapTempName(std::string_view blue, size_t max_bytes) {
  constexpr std::string_view kSuffix = "_bgplan_swap";
  if (blue.size() + kSuffix.size() <= max_bytes) {
    return std::string(blue) + std::string(kSuffix);
  }
  char hash[16];
  std::snprintf(hash, sizeof(hash), "_%08x", static_cast<unsigned>(Fnv1a32(blue)));
  const std::string tail = std::string(hash) + std::string(kSuffix);
  size_t keep = max_bytes - tail.size();
  // Never cut a multi-byte UTF-8 sequence: back up over continuation bytes (10xxxxxx).
  while (keep > 0 && keep < blue.size() &&
         (static_cast<unsigned char>(blue[keep]) & 0xC0) == 0x80) {
    --keep;
  }
  return std::string(blue.substr(0, keep)) + tail;
}

}  // namespace bgplan::plans
