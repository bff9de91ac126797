#include "resolve/server_version.h"

#include <cctype>
#include <charconv>

namespace bgplan::resolve {

std::string ServerVersion::Text() const {
  return "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

namespace {

// Reads "<digits>" at `pos` into `out`; advances `pos`.
bool Number(std::string_view text, size_t& pos, int& out) {
  const char* begin = text.data() + pos;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr == begin) {
    return false;
  }
  pos += static_cast<size_t>(ptr - begin);
  return true;
}

// "vN.N.N" at `pos` (the "v" optional when `v_optional`).
std::optional<ServerVersion> VersionAt(std::string_view text, size_t pos, bool v_optional) {
  if (pos < text.size() && text[pos] == 'v') {
    ++pos;
  } else if (!v_optional) {
    return std::nullopt;
  }
  ServerVersion v;
  if (!Number(text, pos, v.major) || pos >= text.size() || text[pos] != '.') {
    return std::nullopt;
  }
  ++pos;
  if (!Number(text, pos, v.minor) || pos >= text.size() || text[pos] != '.') {
    return std::nullopt;
  }
  ++pos;
  if (!Number(text, pos, v.patch)) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::optional<ServerVersion> ParseMaterializeVersion(std::string_view text) {
  if (std::optional<ServerVersion> v = VersionAt(text, 0, false)) {
    return v;  // mz_version() or the handshake parameter
  }
  constexpr std::string_view kMarker = "Materialize ";
  const size_t at = text.find(kMarker);
  // version() prints the release without its "v" (Materialize's unmaterializable.rs).
  return at == std::string_view::npos ? std::nullopt
                                      : VersionAt(text, at + kMarker.size(), true);
}

bool TooOld(const std::optional<ServerVersion>& version, const ServerFeature& feature) {
  return version.has_value() && *version < feature.since;
}

}  // namespace bgplan::resolve
