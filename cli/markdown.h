// `--format markdown`: which commands have a Markdown report, and `bgplan compile`'s (the live
// reports, plan, validate and status, are runtime/execute/markdown_report.h). A report is for a
// pull-request comment or $GITHUB_STEP_SUMMARY (docs/ci.md).
#pragma once

#include <string>
#include <string_view>

#include "compiler/driver/compile.h"

namespace bgplan::cli {

// The commands that accept --format markdown, for the usage error of the others.
inline constexpr const char* kMarkdownCommands = "compile, plan, validate and status";
bool IsMarkdownCommand(std::string_view command);

// `bgplan compile --format markdown`: per phase (only `phase` when set) and deployment what the
// phase does, the live rules it will check, its SQL in a fenced block; the static rules' result.
// `compiled` compiled without errors.
std::string CompileMarkdown(const driver::CompileOutput& compiled, const std::string& file,
                            std::optional<plans::PhaseKind> phase);

}  // namespace bgplan::cli
