#include "cli/output.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

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

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buffer, static_cast<int>(millis));
  return out;
}

static void EmitJsonLine(const nlohmann::json& object) {
  std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

static nlohmann::json DiagnosticJson(const Diagnostic& d) {
  nlohmann::json j = {
      {"type", "diagnostic"},
      {"time", UtcTimestamp()},
      {"severity", std::string(SeverityName(d.severity))},
      {"kind", std::string(DiagKindName(d.kind))},
      {"message", d.message},
  };
  if (!d.file.empty()) {
    j["file"] = d.file;
  }
  if (d.range.valid()) {
    j["line"] = d.range.begin.line;
    j["column"] = d.range.begin.column;
    j["end_line"] = d.range.end.line;
    j["end_column"] = d.range.end.column;
  }
  if (!d.notes.empty()) {
    nlohmann::json notes = nlohmann::json::array();
    for (const auto& note : d.notes) {
      nlohmann::json n = {{"message", note.message}};
      if (note.range.valid()) {
        n["line"] = note.range.begin.line;
        n["column"] = note.range.begin.column;
      }
      notes.push_back(std::move(n));
    }
    j["notes"] = std::move(notes);
  }
  return j;
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
      EmitJsonLine(DiagnosticJson(d));
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
                 const std::vector<std::pair<std::string, std::string>>& extra) {
  if (options.format != Format::kJson) {
    return;
  }
  nlohmann::json j = {{"type", "result"},   {"time", UtcTimestamp()},   {"command", command},
                      {"ok", exit_code == 0}, {"exit_code", exit_code}};
  for (const auto& [key, value] : extra) {
    j[key] = value;
  }
  EmitJsonLine(j);
}

void PrintError(const OutputOptions& options, const std::string& message) {
  if (options.format == Format::kJson) {
    EmitJsonLine({{"type", "diagnostic"},
                  {"time", UtcTimestamp()},
                  {"severity", "error"},
                  {"kind", "usage"},
                  {"message", message}});
  }
  std::cerr << "bgplan: error: " << EscapeControls(message) << '\n';
}

}  // namespace bgplan::cli
