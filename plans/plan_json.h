// The JSON form of a plans::Plan: the plan file written by `bgplan plan -o` and read back by the
// live commands. The nlohmann-json adapter: no nlohmann type appears outside plan_json.cc.
#pragma once

#include <string>
#include <string_view>

#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::plans {

// The version written in "format"; PlanFromJson refuses any other.
inline constexpr int kPlanJsonFormat = 1;

// Serializes `plan` (every field) as one deterministic, pretty-printed JSON document ending in a
// newline. Enums are their kebab names; source ranges are [line, column, end line, end column].
std::string PlanToJson(const Plan& plan);

// Parses a document written by PlanToJson. Returns kInvalidArgument, with the JSON path of the
// problem, when the text is not JSON, has another format version, or a field is missing or of the
// wrong type, or the plan it describes breaks an IR invariant (plans/verify.h).
// PlanFromJson(PlanToJson(p)) equals p for every p that VerifyPlan accepts.
Result<Plan> PlanFromJson(std::string_view text);

}  // namespace bgplan::plans
