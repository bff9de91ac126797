// Output helpers shared by the offline commands: diagnostics as text or JSON lines, atomic file
// writes, colour decisions.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "runtime/events.h"
#include "support/diagnostic.h"
#include "support/file_util.h"

namespace bgplan::cli {

enum class Format { kText, kJson, kMarkdown };

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

// One JSON line {"type":"result", "schema_version", "timestamp", "command", "ok" (a boolean),
// "exit_code" (a number), ...extra} on stdout (json only). The members of every event are in
// docs/events.schema.json.
void PrintResult(const OutputOptions& options, const std::string& command, int exit_code,
                 const runtime::EventFields& extra = {});

// A command-line error (no location): "bgplan: error: message" on stderr, or a JSON diagnostic.
void PrintError(const OutputOptions& options, const std::string& message);

}  // namespace bgplan::cli
