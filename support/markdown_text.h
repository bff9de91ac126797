// Markdown pieces shared by the Markdown reports (cli/markdown: compile; runtime/execute/
// markdown_report: plan, validate, status), so text from the catalog or the plan never breaks
// out of its place in the report.
#pragma once

#include <string>

namespace bgplan::markdown {

// `text` as inline code: a fence of more backticks than any run inside it; control characters
// and line breaks as spaces.
std::string Code(const std::string& text);

// Text in a table cell or list item: Markdown's special characters escaped, one line.
std::string Plain(const std::string& text);

// `sql` in a fenced ```sql block: a fence longer than any run of backticks inside it; leading
// blank lines dropped, one trailing newline.
std::string SqlBlock(const std::string& sql);

}  // namespace bgplan::markdown
