#include "sql/quote.h"

namespace bgplan::sql {

static std::string QuoteWith(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  if (text.find(quote) == std::string_view::npos) {
    // Nothing to double (almost every name): one append.
    out += text;
    out += quote;
    return out;
  }
  for (char c : text) {
    if (c == quote) {
      out += quote;
    }
    out += c;
  }
  out += quote;
  return out;
}

std::string QuoteIdent(std::string_view name) { return QuoteWith(name, '"'); }

std::string QuoteQualified(std::string_view database, std::string_view name) {
  if (database.empty()) {
    return QuoteIdent(name);
  }
  return QuoteIdent(database) + "." + QuoteIdent(name);
}

std::string QuoteLiteral(std::string_view text) {
  if (text.find('\\') == std::string_view::npos) {
    return QuoteWith(text, '\'');
  }
  // An escape string constant, read the same whatever standard_conforming_strings says: in a
  // plain '...' a backslash is an escape character when the setting is off, so 'x\'' would end
  // the literal early and let the rest of the text run as SQL.
  std::string out = "E'";
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += c;
    }
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace bgplan::sql
