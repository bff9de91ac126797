// Output of the live commands: human text on stderr, or (--format json) one JSON object per
// line on stdout, each with a `type`, the `schema_version`, the deployment and a UTC `timestamp`
// (cli.md "Output"; every event is described by docs/events.schema.json).
#pragma once

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/diagnostic.h"

namespace bgplan::runtime {

struct OutputOptions {
  bool json = false;
  bool quiet = false;
  int verbose = 0;
  bool color = false;
};

// The version of the JSON events' vocabulary (the `schema_version` member of every event; see
// docs/events.schema.json). Raised when a field changes meaning or type.
inline constexpr int kEventSchemaVersion = 1;

// A typed member of a JSON event: a string, number, boolean, array or object as it is written.
using EventValue = nlohmann::json;
using EventFields = std::map<std::string, EventValue>;

// One event. `fields` are extra members of the JSON object, each with its JSON type (numbers as
// numbers, booleans as booleans).
struct Event {
  std::string type;  // phase, statement, poll, diagnostic, lock, result, deploy-cmd, note, ...
  std::string deployment;
  std::string message;
  EventFields fields;
};

// Where events go. The default writes to the process's stdout/stderr; tests may capture.
// Not thread-safe.
class EventSink {
 public:
  explicit EventSink(OutputOptions options, FILE* out = stdout, FILE* err = stderr)
      : options_(options), out_(out), err_(err) {}
  virtual ~EventSink() = default;

  const OutputOptions& options() const { return options_; }
  // The .bgplan source, so diagnostics show its line and a caret. Not owned; must outlive the
  // sink (or be reset to null).
  void set_source(const SourceFile* source) { source_ = source; }

  // A progress or narrative event: text mode prints `message` on stderr (unless quiet).
  virtual void Emit(const Event& event);
  // Text that is the command's product (SQL of `plan`, `status` report): stdout in text mode;
  // in JSON mode it becomes an event of `type` with the text in "text".
  virtual void Product(const std::string& type, const std::string& deployment,
                       const std::string& text);
  // A live-rule failure or other diagnostic: rendered like the static ones.
  virtual void Diagnose(const Diagnostic& diagnostic, const std::string& deployment);
  // An error line "bgplan: error: message" (text) or {"type":"error"} (JSON).
  virtual void Error(const std::string& message, const std::string& sqlstate = "");
  // The final {"type":"result"} line (JSON mode only).
  virtual void Result(const std::string& command, int exit_code, const EventFields& extra = {});

 private:
  void WriteJson(const std::string& type, const std::string& deployment, const EventFields& fields);
  OutputOptions options_;
  const SourceFile* source_ = nullptr;
  FILE* out_;
  FILE* err_;
};

// Current UTC time as 2026-11-24T01:02:03.456Z.
std::string UtcNow();

// One JSON event line (no newline), shared by the offline commands (cli/output.cc) and the live
// ones: {"type", "schema_version", "deployment" (left out when null), "timestamp", fields...}.
std::string EventJsonLine(const std::string& type, const std::string* deployment,
                          const EventFields& fields);
// A diagnostic's members, the same for static and live rules: severity, kind, message, file
// (when known), line/column/end_line/end_column (when placed), notes, objects (when any).
EventFields DiagnosticFields(const Diagnostic& diagnostic);

}  // namespace bgplan::runtime
