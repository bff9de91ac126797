#include "compiler/emit/quote.h"

namespace bgplan::emit {

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

std::string QuoteLiteral(std::string_view text) { return QuoteWith(text, '\''); }

}  // namespace bgplan::emit
