#include "support/source.h"

namespace bgplan {

SourceFile::SourceFile(std::string display_name, std::string text)
    : display_name_(std::move(display_name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
    }
  }
}

std::string_view SourceFile::Line(int line) const {
  if (line < 1 || line > line_count()) {
    return {};
  }
  size_t begin = line_starts_[line - 1];
  size_t end = line < line_count() ? line_starts_[line] - 1 : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (!view.empty() && view.back() == '\r') {
    view.remove_suffix(1);
  }
  return view;
}

// Length of the UTF-8 sequence starting with `lead`, or 1 for an invalid lead byte.
static size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    return 2;
  }
  if ((lead & 0xF0) == 0xE0) {
    return 3;
  }
  if ((lead & 0xF8) == 0xF0) {
    return 4;
  }
  return 1;
}

size_t ByteOffsetOfColumn(std::string_view line, int column) {
  size_t offset = 0;
  for (int c = 1; c < column && offset < line.size(); ++c) {
    offset += SequenceLength(static_cast<unsigned char>(line[offset]));
  }
  return offset < line.size() ? offset : line.size();
}

int CodePointCount(std::string_view text) {
  int count = 0;
  for (size_t i = 0; i < text.size(); i += SequenceLength(static_cast<unsigned char>(text[i]))) {
    ++count;
  }
  return count;
}

}  // namespace bgplan
