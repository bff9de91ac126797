// Output helpers shared by the offline commands: diagnostics as text or JSON lines, atomic file
// writes, colour decisions.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "support/diagnostic.h"
#include "support/file_util.h"

namespace bgplan::cli {

enum class Format { kText, kJson };

struct OutputOptions {
  Format format = Format::kText;
  bool quiet = false;
  int verbose = 0;
  // Colour on stderr: off with --no-color, NO_COLOR, or when stderr is not a terminal.
  bool color = false;
};

// Decides colour for stderr from the flag and the environment.
bool UseColor(bool no_color_flag);

// Prints `output`'s diagnostics: text to stderr, or one JSON object per line to stdout.
void PrintDiagnostics(const driver::CompileOutput& output, const OutputOptions& options);

// One JSON line {"type":"result", "command", "ok", "exit_code", ...extra} on stdout (json only).
void PrintResult(const OutputOptions& options, const std::string& command, int exit_code,
                 const std::vector<std::pair<std::string, std::string>>& extra = {});

// A command-line error (no location): "bgplan: error: message" on stderr, or a JSON diagnostic.
void PrintError(const OutputOptions& options, const std::string& message);

// Current UTC time as 2026-11-24T01:02:03.456Z.
std::string UtcTimestamp();

}  // namespace bgplan::cli
