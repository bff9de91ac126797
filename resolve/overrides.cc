#include "resolve/overrides.h"

namespace bgplan::resolve {

using plans::PhaseKind;

namespace {

constexpr PhaseKind kInitOnly[] = {PhaseKind::kInit};
constexpr PhaseKind kPromoteOnly[] = {PhaseKind::kPromote};
constexpr PhaseKind kSwaps[] = {PhaseKind::kPromote, PhaseKind::kRollback};
constexpr PhaseKind kCleanupOnly[] = {PhaseKind::kCleanup};

constexpr OverrideSpec kOverrides[] = {
    {"--ignore-existing", &Overrides::ignore_existing, "green-not-empty", kInitOnly,
     "adopt a green schema or cluster that exists, is not empty and was not created by bgplan "
     "(green-not-empty)"},
    {"--force", &Overrides::force, "green-not-ours", kPromoteOnly,
     "promote a green that does not carry this run's marker (green-not-ours)"},
    {"--allow-missing", &Overrides::allow_missing, "missing-in-green", kPromoteOnly,
     "promote although blue objects have no counterpart in green; the journal records what is "
     "left behind (missing-in-green)"},
    {"--allow-orphans", &Overrides::allow_orphans, "orphaned-dependents", kSwaps,
     "swap although objects outside the sinks schemas depend on blue (orphaned-dependents)"},
    {"--before-keep-blue", &Overrides::before_keep_blue, "keep-blue-not-elapsed", kCleanupOnly,
     "drop the old objects before keep_blue has passed (keep-blue-not-elapsed)"},
    {"--drop-dependents", &Overrides::drop_dependents, "cleanup-drops-dependents", kCleanupOnly,
     "let DROP ... CASCADE remove the listed objects outside green (cleanup-drops-dependents)"},
    {"--abandon", &Overrides::abandon, "not-promoted", kCleanupOnly,
     "drop a green that was never promoted, abandoning the deployment (not-promoted)"},
};

}  // namespace

std::span<const OverrideSpec> OverrideSpecs() { return kOverrides; }

std::string_view OverrideFlagOf(std::string_view rule) {
  for (const OverrideSpec& o : kOverrides) {
    if (o.rule == rule) {
      return o.flag;
    }
  }
  return "";
}

}  // namespace bgplan::resolve
