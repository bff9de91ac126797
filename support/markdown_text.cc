#include "support/markdown_text.h"

#include <algorithm>
#include <string_view>

namespace bgplan::markdown {

// `text` as inline code: a fence of more backticks than any run inside it; control characters
// and line breaks as spaces.
std::string Code(const std::string& text) {
  std::string clean;
  size_t run = 0, longest = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    clean += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  const std::string fence(longest + 1, '`');
  const char* pad = clean.empty() || clean.front() == '`' || clean.back() == '`' ? " " : "";
  return fence + pad + clean + pad + fence;
}

// Text in a table cell or list item: Markdown's special characters escaped, one line.
std::string Plain(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out;
}

// `sql` in a fenced block: a fence longer than any run of backticks inside it.
std::string SqlBlock(const std::string& sql) {
  size_t run = 0, longest = 0;
  for (char c : sql) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string body = sql.substr(std::min(sql.size(), sql.find_first_not_of('\n')));
  if (!body.empty() && body.back() != '\n') {
    body += '\n';
  }
  return fence + "sql\n" + body + fence + "\n";
}

}  // namespace bgplan::markdown
