#include "runtime/events.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "support/terminal_text.h"

namespace bgplan::runtime {

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, ms);
  return out;
}

std::string EventJsonLine(const std::string& type, const std::string* deployment,
                          const EventFields& fields) {
  nlohmann::ordered_json j;
  j["type"] = type;
  j["schema_version"] = kEventSchemaVersion;
  if (deployment != nullptr) {
    j["deployment"] = *deployment;
  }
  j["timestamp"] = UtcNow();
  for (const auto& [k, v] : fields) {
    j[k] = v;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

EventFields DiagnosticFields(const Diagnostic& d) {
  EventFields fields = {{"severity", std::string(SeverityName(d.severity))},
                        {"kind", std::string(DiagKindName(d.kind))},
                        {"message", d.message}};
  if (!d.file.empty()) {
    fields["file"] = d.file;
  }
  if (d.range.valid()) {
    fields["line"] = d.range.begin.line;
    fields["column"] = d.range.begin.column;
    fields["end_line"] = d.range.end.line;
    fields["end_column"] = d.range.end.column;
  }
  if (!d.notes.empty()) {
    EventValue notes = EventValue::array();
    for (const auto& note : d.notes) {
      EventValue n = {{"message", note.message}};
      if (note.range.valid()) {
        n["line"] = note.range.begin.line;
        n["column"] = note.range.begin.column;
      }
      notes.push_back(std::move(n));
    }
    fields["notes"] = std::move(notes);
  }
  if (!d.objects.empty()) {
    fields["objects"] = d.objects;
  }
  return fields;
}

void EventSink::WriteJson(const std::string& type, const std::string& deployment,
                          const EventFields& fields) {
  std::string line = EventJsonLine(type, &deployment, fields);
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

void EventSink::Emit(const Event& event) {
  if (options_.json) {
    auto fields = event.fields;
    if (!event.message.empty()) {
      fields["message"] = event.message;
    }
    WriteJson(event.type, event.deployment, fields);
    return;
  }
  if (options_.quiet && event.type != "lock") {
    return;
  }
  if (event.type == "statement" && options_.verbose == 0) {
    return;
  }
  if (event.message.empty()) {
    return;
  }
  if (event.type == "statement") {
    // SQL, which may span lines: each line printed escaped, continuation lines indented, so no
    // line of it can pass for one of bgplan's own.
    std::string text;
    size_t start = 0;
    for (;;) {
      size_t end = event.message.find('\n', start);
      text += (start == 0 ? "" : "\n    ") +
              EscapeControls(std::string_view(event.message).substr(
                  start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    std::fprintf(err_, "%s\n", text.c_str());
  } else {
    std::fprintf(err_, "%s\n", EscapeControls(event.message).c_str());
  }
  std::fflush(err_);
}

void EventSink::Product(const std::string& type, const std::string& deployment,
                        const std::string& text) {
  if (options_.json) {
    WriteJson(type, deployment, {{"text", text}});
    return;
  }
  // On a terminal, nothing in a name or comment may act on it; in a pipe or file the product
  // stays byte for byte what bgplan would run (a quoted identifier may hold any character).
  std::fputs(isatty(fileno(out_)) != 0 ? EscapeControlsButLines(text).c_str() : text.c_str(),
             out_);
  if (!text.empty() && text.back() != '\n') {
    std::fputc('\n', out_);
  }
  std::fflush(out_);
}

void EventSink::Diagnose(const Diagnostic& d, const std::string& deployment) {
  if (options_.json) {
    WriteJson("diagnostic", deployment, DiagnosticFields(d));
    return;
  }
  DiagnosticPrinter printer;
  if (source_ != nullptr) {
    printer.AddSource(*source_);
  }
  std::fputs(printer.Render(d).c_str(), err_);
  std::fflush(err_);
}

void EventSink::Error(const std::string& message, const std::string& sqlstate) {
  if (options_.json) {
    EventFields fields = {{"message", message}};
    if (!sqlstate.empty()) {
      fields["sqlstate"] = sqlstate;
    }
    WriteJson("error", "", fields);
    return;
  }
  std::fprintf(err_, "bgplan: error: %s\n", EscapeControls(message).c_str());
  std::fflush(err_);
}

void EventSink::Result(const std::string& command, int exit_code, const EventFields& extra) {
  if (!options_.json) {
    return;
  }
  EventFields fields = extra;
  fields["command"] = command;
  fields["exit_code"] = exit_code;
  fields["ok"] = exit_code == 0 || (command == "plan" && exit_code == 2);
  WriteJson("result", "", fields);
}

}  // namespace bgplan::runtime
