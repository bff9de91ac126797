#include "plans/validation.h"

#include <cctype>

namespace bgplan::plans {

namespace {

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentPart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Walks `sql`: literal text to `text`, each placeholder to `placeholder`.
void Walk(std::string_view sql, const std::function<void(std::string_view)>& text,
          const std::function<void(const ValidationPlaceholder&)>& placeholder) {
  size_t i = 0, plain = 0;
  while (i < sql.size()) {
    if (sql[i] != '{') {
      ++i;
      continue;
    }
    if (i + 1 < sql.size() && sql[i + 1] == '{') {  // `{{`: one literal `{`
      text(sql.substr(plain, i + 1 - plain));
      i += 2;
      plain = i;
      continue;
    }
    ValidationPlaceholder p;
    p.begin = i;
    size_t j = i + 1;
    bool ok = false;
    if (j < sql.size() && IdentStart(sql[j])) {
      while (j < sql.size() && IdentPart(sql[j])) {
        p.schema += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[j])));
        ++j;
      }
      ok = j < sql.size() && sql[j] == '}';
    } else if (j < sql.size() && sql[j] == '"') {
      ++j;
      while (j < sql.size()) {
        if (sql[j] == '"' && j + 1 < sql.size() && sql[j + 1] == '"') {
          p.schema += '"';
          j += 2;
        } else if (sql[j] == '"') {
          break;
        } else {
          p.schema += sql[j++];
        }
      }
      ok = j + 1 < sql.size() && sql[j] == '"' && sql[j + 1] == '}' && !p.schema.empty();
      ++j;
    }
    if (!ok) {
      ++i;  // a literal `{`
      continue;
    }
    p.end = j + 1;
    text(sql.substr(plain, i - plain));
    placeholder(p);
    i = plain = p.end;
  }
  text(sql.substr(plain));
}

}  // namespace

std::vector<ValidationPlaceholder> ValidationPlaceholders(std::string_view sql) {
  std::vector<ValidationPlaceholder> out;
  Walk(sql, [](std::string_view) {}, [&](const ValidationPlaceholder& p) { out.push_back(p); });
  return out;
}

std::string SubstituteValidationSql(std::string_view sql,
                                    const std::function<std::string(const std::string&)>& replace) {
  std::string out;
  Walk(sql, [&](std::string_view t) { out += t; },
       [&](const ValidationPlaceholder& p) { out += replace(p.schema); });
  return out;
}

}  // namespace bgplan::plans
