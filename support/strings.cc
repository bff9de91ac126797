#include "support/strings.h"

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/join.hpp>

namespace bgplan {

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  return items | ranges::views::join(separator) | ranges::to<std::string>();
}

}  // namespace bgplan
