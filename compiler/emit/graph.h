// `bgplan graph`: the plan's phases, steps and objects as a Graphviz DOT digraph, for people who
// want to see the shape of a deployment. Sits beside the SQL emitter at the end of the pipeline.
#pragma once

#include <string>
#include <string_view>

#include "plans/plan.h"

namespace bgplan::emit {

// Renders `plan` as DOT: one cluster subgraph per phase (in plan order) holding its steps,
// chained in execution order, steps of a kTransaction batch grouped in a nested "transaction"
// cluster; one node per distinct object (kind, deployment, database, blue, green), linked from
// every step that acts on it. Node ids are generated (p0, p0s1, o2); every label goes through
// DotEscape. Deterministic: same plan -> same bytes; LF endings, one trailing newline.
std::string EmitGraph(const plans::Plan& plan);

// `text` as the inside of a DOT double-quoted string: " and \ are backslash-escaped, LF becomes
// \n (a DOT label line break), CR and other control bytes become \xNN-style text so the result
// is always one line.
std::string DotEscape(std::string_view text);

}  // namespace bgplan::emit
