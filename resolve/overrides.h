// The overrides of the live rules: each flag lets exactly one rule pass, and none skips an
// identity check (cleanup-id-mismatch) or the listing of what a drop removes. Defined once here:
// the CLI registers its flags from OverrideSpecs(), the rules read Overrides, docs/safety.md
// describes them.
#pragma once

#include <span>
#include <string_view>

#include "plans/plan.h"

namespace bgplan::resolve {

struct Overrides {
  bool ignore_existing = false;   // green-not-empty
  bool force = false;             // green-not-ours
  bool allow_orphans = false;     // orphaned-dependents
  bool allow_missing = false;     // missing-in-green
  bool drop_dependents = false;   // cleanup-drops-dependents
  bool before_keep_blue = false;  // keep-blue-not-elapsed
  bool abandon = false;           // not-promoted
};

struct OverrideSpec {
  std::string_view flag;   // "--allow-missing"
  bool Overrides::*field;  // &Overrides::allow_missing
  std::string_view rule;   // the one rule it lets pass
  // The phase commands that take it (plan and apply take every override).
  std::span<const plans::PhaseKind> phases;
  std::string_view help;
};

// Every override, in the order `--help` lists them.
std::span<const OverrideSpec> OverrideSpecs();
// The flag that overrides `rule` ("" if none may).
std::string_view OverrideFlagOf(std::string_view rule);

}  // namespace bgplan::resolve
