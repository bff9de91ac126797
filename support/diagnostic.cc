#include "support/diagnostic.h"

#include <algorithm>
#include <tuple>

#include "support/terminal_text.h"

namespace bgplan {

namespace {
struct KindInfo {
  std::string_view name;
  Severity severity;
  bool is_static;
};

const KindInfo kKindInfo[] = {
#define BGPLAN_STATIC_DIAG(Name, kebab, severity) {kebab, Severity::severity, true},
#define BGPLAN_LIVE_DIAG(Name, kebab) {kebab, Severity::kError, false},
#include "support/diagnostic_kinds.def"
};
}  // namespace

std::string_view DiagKindName(DiagKind kind) { return kKindInfo[static_cast<int>(kind)].name; }
Severity DefaultSeverity(DiagKind kind) { return kKindInfo[static_cast<int>(kind)].severity; }
bool IsStaticKind(DiagKind kind) { return kKindInfo[static_cast<int>(kind)].is_static; }

const std::vector<DiagKind>& AllDiagKinds() {
  static const std::vector<DiagKind> kinds = [] {
    std::vector<DiagKind> all;
    for (size_t i = 0; i < std::size(kKindInfo); ++i) {
      all.push_back(static_cast<DiagKind>(i));
    }
    return all;
  }();
  return kinds;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

bool Diagnostic::operator<(const Diagnostic& other) const {
  // too-many-errors always sorts last.
  bool a_cap = kind == DiagKind::kTooManyErrors;
  bool b_cap = other.kind == DiagKind::kTooManyErrors;
  return std::tie(a_cap, file, range.begin, severity, message, range.end) <
         std::tie(b_cap, other.file, other.range.begin, other.severity, other.message,
                  other.range.end);
}

bool Diagnostic::operator==(const Diagnostic& other) const {
  return kind == other.kind && severity == other.severity && file == other.file &&
         range == other.range && message == other.message;
}

void DiagnosticEngine::Report(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::kError) {
    if (saturated_) {
      return;
    }
    if (error_count_ >= max_errors_) {
      saturated_ = true;
      // Located at the first error not shown, so it reads like every other diagnostic.
      Diagnostic cap;
      cap.kind = DiagKind::kTooManyErrors;
      cap.severity = Severity::kError;
      cap.file = diagnostic.file;
      cap.range = diagnostic.range;
      cap.message = "too many errors (more than " + std::to_string(max_errors_) +
                    "); this one and the rest are not shown";
      diagnostics_.push_back(std::move(cap));
      return;
    }
    ++error_count_;
  } else if (diagnostic.severity == Severity::kWarning) {
    ++warning_count_;
  }
  diagnostics_.push_back(std::move(diagnostic));
}

void DiagnosticEngine::Report(DiagKind kind, const std::string& file, SourceRange range,
                              std::string message, std::vector<Diagnostic::Note> notes) {
  Diagnostic d;
  d.kind = kind;
  d.severity = DefaultSeverity(kind);
  d.file = file;
  d.range = range;
  d.message = std::move(message);
  d.notes = std::move(notes);
  Report(std::move(d));
}

std::vector<Diagnostic> DiagnosticEngine::Sorted() const {
  std::vector<Diagnostic> sorted = diagnostics_;
  std::stable_sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

void DiagnosticEngine::Clear() {
  diagnostics_.clear();
  error_count_ = 0;
  warning_count_ = 0;
  saturated_ = false;
}

static std::string LocationPrefix(const std::string& file, const SourceRange& range) {
  std::string out;
  if (!file.empty()) {
    out += EscapeControls(file);
    out += ':';
    if (range.valid()) {
      out += std::to_string(range.begin.line) + ':' + std::to_string(range.begin.column) + ':';
    }
    out += ' ';
  } else {
    out = "bgplan: ";
  }
  return out;
}

// True if `line` starts with "<no spaces>:<digits>:<digits>:", the way a diagnostic does.
static bool LooksLikeLocation(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos ||
      line.substr(0, colon).find_first_of(" \t") != std::string_view::npos) {
    return false;
  }
  size_t at = colon + 1;
  for (int part = 0; part < 2; ++part) {
    size_t digits = at;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') {
      ++digits;
    }
    if (digits == at || digits >= line.size() || line[digits] != ':') {
      return false;
    }
    at = digits + 1;
  }
  return true;
}

// Longest source line printed whole; longer lines are shown as a window around the caret.
constexpr int kMaxSnippetColumns = 160;

// Appends the source line and the caret line for `range`, if the line is known. Tabs print as one
// space so the caret lines up; lines longer than kMaxSnippetColumns code points are cut to a window
// around the range, marked with "..." on the cut side(s).
static void AppendSnippet(std::string& out, const SourceFile* source, const SourceRange& range) {
  if (source == nullptr || !range.valid() || range.begin.line > source->line_count()) {
    return;
  }
  std::string_view full = source->Line(range.begin.line);
  int line_columns = CodePointCount(full);
  int begin = range.begin.column;
  int end = range.end.line == range.begin.line ? range.end.column : line_columns + 1;
  int first = 1;
  int last = line_columns;
  if (line_columns > kMaxSnippetColumns) {
    first = std::max(1, begin - kMaxSnippetColumns / 2);
    last = std::min(line_columns, first + kMaxSnippetColumns - 1);
    end = std::min(end, last + 1);
  }
  size_t from = ByteOffsetOfColumn(full, first);
  size_t to = ByteOffsetOfColumn(full, last + 1);
  std::string prefix = first > 1 ? "..." : "";
  // Control characters become one-column pictures, so the caret still lines up and nothing in
  // the line acts on the terminal (tabs print as one space).
  std::string line = prefix + ControlPictures(full.substr(from, to - from)) +
                     (last < line_columns ? "..." : "");
  // A source line that starts like a diagnostic ("x:1:2: ..." — the rest of a quoted name that
  // spans lines, or any line of a file that is not a .bgplan) is indented, so that no line of
  // the input can pass for one of bgplan's own.
  if (LooksLikeLocation(line)) {
    line = "  " + line;
    prefix = "  " + prefix;
  }
  out += line;
  out += '\n';
  int caret_column = begin - first + 1 + static_cast<int>(prefix.size());
  out += std::string(static_cast<size_t>(std::max(caret_column - 1, 0)), ' ');
  out += '^';
  for (int c = begin + 1; c < end; ++c) {
    out += '~';
  }
  out += '\n';
}

std::string DiagnosticPrinter::Render(const Diagnostic& d) const {
  auto it = sources_.find(d.file);
  const SourceFile* source = it == sources_.end() ? nullptr : it->second;
  std::string out = LocationPrefix(d.file, d.range);
  out += SeverityName(d.severity);
  out += ": ";
  out += EscapeControls(d.message);
  out += " [";
  out += DiagKindName(d.kind);
  out += "]\n";
  AppendSnippet(out, source, d.range);
  for (const auto& note : d.notes) {
    out += LocationPrefix(d.file, note.range);
    out += "note: ";
    out += EscapeControls(note.message);
    out += '\n';
    AppendSnippet(out, source, note.range);
  }
  return out;
}

std::string DiagnosticPrinter::RenderAll(const std::vector<Diagnostic>& diagnostics) const {
  std::string out;
  for (const auto& d : diagnostics) {
    out += Render(d);
  }
  return out;
}

}  // namespace bgplan
