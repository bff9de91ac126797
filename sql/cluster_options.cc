#include "sql/cluster_options.h"

#include <algorithm>
#include <cctype>

#include "sql/quote.h"

namespace bgplan::sql {

namespace {

// Splits `list` at the commas outside quotes and parentheses; nullopt when a quote or a
// parenthesis is unbalanced, or a `;` or `--` appears outside quotes.
std::optional<std::vector<std::string_view>> SplitTopLevel(std::string_view list) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (c == '\'' || c == '"') {
      // A quoted string or identifier; a doubled quote is part of it.
      size_t j = i + 1;
      for (;; ++j) {
        if (j >= list.size()) {
          return std::nullopt;
        }
        if (list[j] == c) {
          if (j + 1 < list.size() && list[j + 1] == c) {
            ++j;
            continue;
          }
          break;
        }
      }
      i = j;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) {
        return std::nullopt;
      }
    } else if (c == ';' || (c == '-' && i + 1 < list.size() && list[i + 1] == '-') ||
               (c == '/' && i + 1 < list.size() && list[i + 1] == '*')) {
      return std::nullopt;
    } else if (c == ',' && depth == 0) {
      parts.push_back(list.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) {
    return std::nullopt;
  }
  parts.push_back(list.substr(start));
  return parts;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// "REPLICATION FACTOR": upper-case words separated by single spaces.
bool IsOptionKey(std::string_view key) {
  if (key.empty() || key.front() == ' ' || key.back() == ' ') {
    return false;
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == ' ' ? key[i - 1] == ' ' : !(c >= 'A' && c <= 'Z') && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<ClusterOptionList> ParseCreateClusterOptions(std::string_view create_sql,
                                                           std::string_view name) {
  std::string_view text = Trim(create_sql);
  const std::string prefix = "CREATE CLUSTER " + QuoteIdent(name) + " (";
  if (text.substr(0, prefix.size()) != prefix || text.size() <= prefix.size() ||
      text.back() != ')') {
    return std::nullopt;
  }
  text = text.substr(prefix.size(), text.size() - prefix.size() - 1);
  auto parts = SplitTopLevel(text);
  if (!parts.has_value()) {
    return std::nullopt;
  }
  ClusterOptionList options;
  for (std::string_view part : *parts) {
    part = Trim(part);
    const size_t eq = part.find(" = ");
    if (eq == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view key = part.substr(0, eq);
    std::string_view value = Trim(part.substr(eq + 3));
    if (!IsOptionKey(key) || value.empty() || FindClusterOption(options, key) != nullptr) {
      return std::nullopt;
    }
    options.push_back({std::string(key), std::string(value)});
  }
  return options;
}

const ClusterOption* FindClusterOption(const ClusterOptionList& options, std::string_view key) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const ClusterOption& o) { return o.key == key; });
  return it == options.end() ? nullptr : &*it;
}

void SetClusterOption(ClusterOptionList& options, std::string_view key, std::string value) {
  for (ClusterOption& o : options) {
    if (o.key == key) {
      o.value = std::move(value);
      return;
    }
  }
  options.push_back({std::string(key), std::move(value)});
}

void RemoveClusterOption(ClusterOptionList& options, std::string_view key) {
  std::erase_if(options, [&](const ClusterOption& o) { return o.key == key; });
}

std::string CreateClusterFromOptions(std::string_view name, const ClusterOptionList& options) {
  std::string sql = "CREATE CLUSTER " + QuoteIdent(name) + " (";
  for (size_t i = 0; i < options.size(); ++i) {
    sql += (i > 0 ? ", " : "") + options[i].key + " = " + options[i].value;
  }
  return sql + ");";
}

std::string AutoScalingStrategyValue(const AutoScalingStrategy& strategy) {
  if (strategy.hydration_size.empty()) {
    return "()";
  }
  std::string value = "(ON HYDRATION (HYDRATION SIZE = " + QuoteLiteral(strategy.hydration_size);
  if (strategy.linger_duration.has_value()) {
    value += ", LINGER DURATION = " + QuoteLiteral(*strategy.linger_duration);
  }
  return value + "))";
}

std::string AlterAutoScalingStrategySql(std::string_view name,
                                        const AutoScalingStrategy& strategy) {
  if (strategy.hydration_size.empty()) {
    return "ALTER CLUSTER " + QuoteIdent(name) + " RESET (AUTO SCALING STRATEGY);";
  }
  return "ALTER CLUSTER " + QuoteIdent(name) +
         " SET (AUTO SCALING STRATEGY = " + AutoScalingStrategyValue(strategy) + ");";
}

std::string IntervalText(int64_t ms) {
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  return std::to_string(ms) + "ms";
}

}  // namespace bgplan::sql
