// The fingerprint of the catalog facts a phase reads (hex SHA-256). A plan file records it per
// phase; a phase run from the file refuses with stale-plan when it changed. Only what the phase
// reads counts: a promote plan does not go stale when something only cleanup reads changes (a
// view reading green), and does when something promote reads changes (a view reading blue, an
// object added to green). The phase is part of it.
#pragma once

#include <string>

#include "plans/plan.h"
#include "resolve/snapshot.h"

namespace bgplan::resolve {

std::string Fingerprint(const Snapshot& snapshot, plans::PhaseKind phase);

}  // namespace bgplan::resolve
