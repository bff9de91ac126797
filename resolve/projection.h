// The state a phase will leave, projected from a live snapshot, for `plan` before the phases
// have run: `plan --phase all` resolves each phase against the state it will find on the normal
// path (init against now; await and promote against what init leaves; rollback and cleanup
// against what promote leaves, cleanup after its keep_blue window), and `plan` before init
// evaluates promote's rules early. Only what bgplan's own statements decide is projected: a
// projected object is marked (ContainerFacts::projected) and what the deploy step will build
// into green is not known (missing-in-green then says what green must provide).
#pragma once

#include <map>
#include <string>

#include "plans/plan.h"
#include "resolve/snapshot.h"

namespace bgplan::resolve {

// `now` with every deployment init would act on (no run yet) initialized: green schemas and
// clusters exist (owned by the current role, marked for the run `run_ids` names, with blue's
// grants), a run in phase "initialized" records the ids.
Snapshot ProjectAfterInit(const Snapshot& now, const std::map<std::string, std::string>& run_ids);

// `now` with every initialized deployment promoted: the facts of each blue/green pair
// exchanged, sinks following the blue names, what read the old blue now reading the green names,
// and the rollback window passed.
Snapshot ProjectAfterPromote(const Snapshot& now);

// True if any deployment of `s` was projected (its facts are not all read from the catalog).
bool AnyProjected(const Snapshot& s);

}  // namespace bgplan::resolve
