// Small string helpers shared by every layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bgplan {

// `items` separated by `separator`: Join({"a", "b"}) == "a, b"; Join({}) == "".
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// A duration in the .bgplan notation, largest unit first: 0 -> "0s", 500 -> "500ms",
// 5400000 -> "1h30m", 90061001 -> "1d1h1m1s1ms". Negative values render as "-" + |ms|. Every
// duration bgplan prints for people (messages, compile comments, fmt) goes through it; SQL
// literals do not (sql/cluster_options.h, IntervalText: PostgreSQL settings have no "m" unit).
std::string FormatDuration(int64_t ms);

}  // namespace bgplan
