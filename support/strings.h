// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bgplan {

// `items` separated by `separator`: Join({"a", "b"}) == "a, b"; Join({}) == "".
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace bgplan
