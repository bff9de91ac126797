// SourceFile and SourceRange: the text of one input and locations inside it.
// Lines and columns are 1-based; columns count code points (ANTLR counts code points).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bgplan {

struct SourceLocation {
  int line = 0;    // 1-based; 0 means "no location"
  int column = 0;  // 1-based, in code points
  bool valid() const { return line > 0; }
  auto operator<=>(const SourceLocation&) const = default;
};

// A half-open range [begin, end) within one file. end may equal begin (an empty range, e.g. at EOF).
struct SourceRange {
  SourceLocation begin;
  SourceLocation end;
  bool valid() const { return begin.valid(); }
  auto operator<=>(const SourceRange&) const = default;
};

// The text of one input file under a display name. Immutable after construction.
class SourceFile {
 public:
  // `display_name` is the path as given by the user (never absolutized).
  SourceFile(std::string display_name, std::string text);

  const std::string& display_name() const { return display_name_; }
  const std::string& text() const { return text_; }
  int line_count() const { return static_cast<int>(line_starts_.size()); }
  // The text of 1-based `line` without its line terminator ("" when out of range).
  std::string_view Line(int line) const;

 private:
  std::string display_name_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

// Byte offset of 1-based code point column `column` in `line` (clamped to the line's size).
size_t ByteOffsetOfColumn(std::string_view line, int column);

// Number of code points in `text` (invalid bytes count as one each).
int CodePointCount(std::string_view text);

}  // namespace bgplan
