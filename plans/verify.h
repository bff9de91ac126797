// The IR verifier: structural invariants every plans::Plan must satisfy, whatever passes ran.
// Run after each pass when BGPLAN_VERIFY_IR is defined (compiler/passes/pipeline.cc), and usable
// by the runtime on a plan file it loaded.
#pragma once

#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::plans {

// Returns OK, or kInternal naming the first broken invariant (with its phase/batch/step index):
//  - a deployment's `row_count_change`, when set, is within 0..1000;
//  - phases are absent, or exactly init, await, promote, rollback, cleanup in that order;
//  - no batch is empty; every step acts on at least one object;
//  - each object has a non-empty blue and green name that differ, belongs to a deployment of the
//    plan, and a cluster object has no database;
//  - kCheck and kJournal steps carry a rule, other steps none;
//  - each step kind appears only in the phases it belongs to, on objects of the right kind;
//  - `reverse` is set exactly on the kSwap and kRepointSinks steps of rollback;
//  - a kTransaction batch holds no kAwaitReady step, and on Materialize only kSwap steps (the
//    only statements Materialize allows in a transaction block).
Status VerifyPlan(const Plan& plan);

}  // namespace bgplan::plans
