// Diagnostics: user mistakes in an input, as data with a location (style.md 7.4, 7.5).
// Stages report to a DiagnosticEngine and keep going; the driver stops between stages.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/source.h"

namespace bgplan {

enum class Severity { kError, kWarning, kNote };

enum class DiagKind {
#define BGPLAN_STATIC_DIAG(Name, kebab, severity) k##Name,
#define BGPLAN_LIVE_DIAG(Name, kebab) k##Name,
#include "support/diagnostic_kinds.def"
};

// Stable kebab-case name of `kind` ("syntax-error").
std::string_view DiagKindName(DiagKind kind);
// Default severity of `kind` (live rules are errors).
Severity DefaultSeverity(DiagKind kind);
// True for the kinds `bgplan check` can report (those with golden cases).
bool IsStaticKind(DiagKind kind);
// Every kind, in registry order.
const std::vector<DiagKind>& AllDiagKinds();
std::string_view SeverityName(Severity severity);

struct Diagnostic {
  Severity severity = Severity::kError;
  DiagKind kind = DiagKind::kSyntaxError;
  // Display name of the file ("" for diagnostics without a file).
  std::string file;
  SourceRange range;
  // Lowercase, no trailing period; user names in 'single quotes'.
  std::string message;
  // Notes printed after this diagnostic, each "file:line:col: note: text" (or "note: text").
  struct Note {
    SourceRange range;
    std::string message;
  };
  std::vector<Note> notes;
  // Live rules: the catalog objects the diagnostic is about ("table marts.events_raw"), listed
  // in the message too; JSON output carries them as an array.
  std::vector<std::string> objects;

  // Sort order: file, line, column, severity, message.
  bool operator<(const Diagnostic& other) const;
  bool operator==(const Diagnostic& other) const;
};

// Collects diagnostics, caps errors, sorts and de-duplicates them. Not thread-safe.
class DiagnosticEngine {
 public:
  explicit DiagnosticEngine(int max_errors = 50) : max_errors_(max_errors) {}

  // Records `diagnostic`. After `max_errors` errors, further errors are dropped and one
  // too-many-errors error is recorded instead.
  void Report(Diagnostic diagnostic);
  // Shorthand: an error/warning of `kind`'s default severity at `range` in `file`.
  void Report(DiagKind kind, const std::string& file, SourceRange range, std::string message,
              std::vector<Diagnostic::Note> notes = {});

  bool has_errors() const { return error_count_ > 0; }
  int error_count() const { return error_count_; }
  int warning_count() const { return warning_count_; }
  // True once the error cap was reached (stages may stop early).
  bool saturated() const { return saturated_; }

  // The diagnostics reported so far, sorted and de-duplicated; too-many-errors last.
  std::vector<Diagnostic> Sorted() const;
  // Forgets everything.
  void Clear();

 private:
  int max_errors_;
  int error_count_ = 0;
  int warning_count_ = 0;
  bool saturated_ = false;
  std::vector<Diagnostic> diagnostics_;
};

// Renders diagnostics as text: "path:line:col: error: message [kind]", the source line (tabs
// shown as one space) and a "^~~" caret line. `sources` maps display names to their files, to
// print source lines; a diagnostic whose file is not in it is printed without them.
class DiagnosticPrinter {
 public:
  void AddSource(const SourceFile& file) { sources_[file.display_name()] = &file; }
  std::string Render(const Diagnostic& diagnostic) const;
  std::string RenderAll(const std::vector<Diagnostic>& diagnostics) const;

 private:
  std::map<std::string, const SourceFile*, std::less<>> sources_;
};

}  // namespace bgplan
