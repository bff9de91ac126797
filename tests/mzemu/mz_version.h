// The Materialize version the emulator pretends to be (`mzemu --mz-version vMAJOR.MINOR.PATCH`,
// default kDefaultMzVersion). Features newer than it are refused like an older Materialize's
// parser refuses unknown syntax, and behaviour that changed (asynchronous ALTER CLUSTER ... SIZE
// from v26.35, SHOW CREATE CLUSTER's options) follows it. See README.md, "Emulated version".
#pragma once

#include <cstdio>
#include <string>

namespace mzemu {

inline constexpr const char* kDefaultMzVersion = "v26.40.0";

struct MzVersion {
  int major = 0, minor = 0, patch = 0;

  // Parses "vMAJOR.MINOR.PATCH" (the leading v is optional). False if malformed.
  static bool Parse(const std::string& text, MzVersion* out) {
    std::string s = !text.empty() && text[0] == 'v' ? text.substr(1) : text;
    int a = 0, b = 0, c = 0, used = 0;
    if (std::sscanf(s.c_str(), "%d.%d.%d%n", &a, &b, &c, &used) != 3 ||
        used != static_cast<int>(s.size()) || a < 0 || b < 0 || c < 0 || b > 999 || c > 99) {
      return false;
    }
    *out = MzVersion{a, b, c};
    return true;
  }
  // "v26.40.0"
  std::string Text() const {
    return "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  }
  // Materialize's mz_version_num(): BuildInfo::version_num formats "{:0>2}{:0>3}{:0>2}" (major,
  // minor, patch) and parses it back, so v26.40.0 is 2604000 and v0.130.0 is 13000
  // (MaterializeInc/materialize src/build-info/src/lib.rs).
  int Num() const { return major * 100000 + minor * 100 + patch; }
  bool AtLeast(int maj, int min, int pat = 0) const {
    return Num() >= MzVersion{maj, min, pat}.Num();
  }
};

}  // namespace mzemu
