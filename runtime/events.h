// Output of the live commands: human text on stderr, or (--format json) one JSON object per
// line on stdout, each with a `type`, the deployment and a UTC timestamp (cli.md "Output").
#pragma once

#include <cstdio>
#include <map>
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

// One event. `fields` are extra string members of the JSON object.
struct Event {
  std::string type;  // phase, statement, poll, diagnostic, lock, result, deploy-cmd, note, ...
  std::string deployment;
  std::string message;
  std::map<std::string, std::string> fields;
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
  virtual void Result(const std::string& command, int exit_code,
                      const std::map<std::string, std::string>& extra = {});

 private:
  // `objects`: a live rule's objects, written as the "objects" array when not null.
  void WriteJson(const std::string& type, const std::string& deployment,
                 const std::map<std::string, std::string>& fields,
                 const std::vector<std::string>* objects = nullptr);
  OutputOptions options_;
  const SourceFile* source_ = nullptr;
  FILE* out_;
  FILE* err_;
};

// Current UTC time as 2026-11-24T01:02:03.456Z.
std::string UtcNow();

}  // namespace bgplan::runtime
