#include "cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "runtime/events.h"
#include "support/terminal_text.h"

namespace bgplan::cli {

bool UseColor(bool no_color_flag) {
  if (no_color_flag) {
    return false;
  }
  if (const char* no_color = std::getenv("NO_COLOR"); no_color != nullptr && *no_color != '\0') {
    return false;
  }
  return isatty(STDERR_FILENO) == 1;
}

static void EmitJsonLine(const std::string& type, const runtime::EventFields& fields) {
  std::cout << runtime::EventJsonLine(type, nullptr, fields) << '\n';
}

// Wraps "error:"/"warning:"/"note:" and the caret line in ANSI colours.
static std::string Colorize(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(pos, end - pos);
    static const std::pair<const char*, const char*> kLabels[] = {
        {": error: ", "\033[1;31m"}, {": warning: ", "\033[1;35m"}, {": note: ", "\033[1;36m"}};
    bool done = false;
    for (const auto& [label, color] : kLabels) {
      size_t at = line.find(label);
      if (at != std::string::npos) {
        out += "\033[1m" + line.substr(0, at + 2) + "\033[0m" + color +
               line.substr(at + 2, std::char_traits<char>::length(label) - 3) + "\033[0m" +
               line.substr(at + std::char_traits<char>::length(label) - 1);
        done = true;
        break;
      }
    }
    if (!done) {
      bool caret = line.find_first_not_of(' ') != std::string::npos &&
                   line[line.find_first_not_of(' ')] == '^' &&
                   line.find_first_not_of(" ^~") == std::string::npos;
      out += caret ? "\033[1;32m" + line + "\033[0m" : line;
    }
    if (end < text.size()) {
      out += '\n';
    }
    pos = end + 1;
  }
  return out;
}

void PrintDiagnostics(const driver::CompileOutput& output, const OutputOptions& options) {
  if (options.format == Format::kJson) {
    for (const auto& d : output.diagnostics) {
      EmitJsonLine("diagnostic", runtime::DiagnosticFields(d));
    }
    return;
  }
  if (options.quiet) {
    // -q: errors only.
    driver::CompileOutput errors_only;
    for (const auto& d : output.diagnostics) {
      if (d.severity == Severity::kError) {
        errors_only.diagnostics.push_back(d);
      }
    }
    DiagnosticPrinter printer;
    if (output.source != nullptr) {
      printer.AddSource(*output.source);
    }
    std::string text = printer.RenderAll(errors_only.diagnostics);
    std::cerr << (options.color ? Colorize(text) : text);
    return;
  }
  std::string text = driver::RenderDiagnostics(output);
  std::cerr << (options.color ? Colorize(text) : text);
}

void PrintResult(const OutputOptions& options, const std::string& command, int exit_code,
                 const runtime::EventFields& extra) {
  if (options.format != Format::kJson) {
    return;
  }
  runtime::EventFields fields = extra;
  fields["command"] = command;
  fields["ok"] = exit_code == 0;
  fields["exit_code"] = exit_code;
  EmitJsonLine("result", fields);
}

void PrintError(const OutputOptions& options, const std::string& message) {
  if (options.format == Format::kJson) {
    EmitJsonLine("diagnostic", {{"severity", "error"}, {"kind", "usage"}, {"message", message}});
  }
  std::cerr << "bgplan: error: " << EscapeControls(message) << '\n';
}

}  // namespace bgplan::cli
