// The nlohmann-json side of plans/ shared by its JSON readers and writers (plan_json.cc,
// plan_file.cc): bounded parsing, and a plan as a JSON value (so a plan file embeds and reads
// its plan without printing and parsing it again). Part of the nlohmann-json adapter: included
// by no file outside plans/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::plans {

// The deepest nesting of arrays and objects a plan or plan file may have: a plan nests 7 levels,
// a plan file 8. A deeper document is refused while it is parsed, before it is built: nlohmann's
// serializer and comparisons recurse once per level, and an 80,000-level value overflowed the
// stack of every phase command.
inline constexpr int kMaxJsonDepth = 32;

// Thrown by ParseBoundedJson; the readers turn it into kInvalidArgument.
struct JsonInputError {
  std::string message;
};

// Parses `text`, refusing a syntax error or a nesting deeper than kMaxJsonDepth. The depth is
// measured by a scan of the text first (brackets outside strings), so nothing deep is ever built.
inline nlohmann::json ParseBoundedJson(std::string_view text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        i += text[i] == '\\' ? 1 : 0;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        throw JsonInputError{"nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw JsonInputError{e.what()};
  }
}

// The JSON value PlanToJson prints.
nlohmann::json PlanToJsonValue(const Plan& plan);
// PlanFromJson on a value already parsed (with ParseBoundedJson).
Result<Plan> PlanFromJsonValue(const nlohmann::json& value);

}  // namespace bgplan::plans
