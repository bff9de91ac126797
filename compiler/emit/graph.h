// `bgplan graph`: the plan's phases, steps and objects as a Graphviz DOT digraph, for people who
// want to see the shape of a deployment. Sits beside the SQL emitter at the end of the pipeline.
#pragma once

#include <string>
#include <string_view>

#include "plans/plan.h"

namespace bgplan::emit {

// Renders `plan` as DOT for a reviewer, top to bottom: an "objects" box with each deployment
// and its blue -> green pairs (each object once), then the phases in order (init, await,
// promote, rollback, cleanup), each a cluster holding one node per batch in execution order; a
// batch lists its steps (runs of checks on one line, "checks: a, b, c"), a transaction batch
// is bold and dashed and says "transaction (one round trip)", a read-only batch is dotted.
// Node ids are generated (d0, p0, p0b1); every label goes through DotEscape. Deterministic:
// same plan -> same bytes; LF endings, one trailing newline.
std::string EmitGraph(const plans::Plan& plan);

// `text` as the inside of a DOT double-quoted string: " and \ are backslash-escaped, LF becomes
// \n (a DOT label line break), CR and other control bytes become \xNN-style text so the result
// is always one line.
std::string DotEscape(std::string_view text);

}  // namespace bgplan::emit
