// The SQL of a `validate` block's asserts: `{schema}` placeholders name a blue schema of the
// deployment and stand for the quoted name of its green counterpart. Parsed once here, for the
// static rules (compiler/passes) and the resolver (resolve/), which replaces them.
//
// A placeholder is `{` NAME `}` where NAME is an unquoted identifier ([A-Za-z_][A-Za-z0-9_$]*,
// folded to lower case as the databases fold it) or a double-quoted name (`""` inside is one
// `"`; kept exactly). `{{` is a literal `{`. Any other `{` is literal text (`'{1,2}'`,
// `'{"a": 1}'` stay as written).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bgplan::plans {

struct ValidationPlaceholder {
  size_t begin = 0;  // byte offset of `{` in the SQL
  size_t end = 0;    // one past `}`
  std::string schema;  // the final (folded or exact) blue schema name
};

// Every placeholder of `sql`, in order.
std::vector<ValidationPlaceholder> ValidationPlaceholders(std::string_view sql);

// `sql` with each placeholder replaced by `replace(schema)` and `{{` by `{`.
std::string SubstituteValidationSql(std::string_view sql,
                                    const std::function<std::string(const std::string&)>& replace);

}  // namespace bgplan::plans
