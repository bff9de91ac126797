#include "support/strings.h"

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/join.hpp>

namespace bgplan {

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  return items | ranges::views::join(separator) | ranges::to<std::string>();
}

std::string FormatDuration(int64_t ms) {
  if (ms == 0) {
    return "0s";
  }
  std::string out;
  if (ms < 0) {
    out += "-";
    ms = -ms;
  }
  struct Unit {
    int64_t ms;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  for (const Unit& unit : kUnits) {
    if (ms >= unit.ms) {
      out += std::to_string(ms / unit.ms) + unit.name;
      ms %= unit.ms;
    }
  }
  return out;
}

}  // namespace bgplan
