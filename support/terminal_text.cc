#include "support/terminal_text.h"

#include <cstdio>

namespace bgplan {

namespace {

// Length of the C1 control at `i` (2: bytes C2 80..C2 9F), else 0.
size_t C1At(std::string_view text, size_t i) {
  return i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xC2 &&
                 static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                 static_cast<unsigned char>(text[i + 1]) <= 0x9F
             ? 2
             : 0;
}

bool IsC0OrDel(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string Escape(std::string_view text, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (size_t n = C1At(text, i); n != 0) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      out += buf;
      i += n - 1;
      continue;
    }
    if (!IsC0OrDel(c) || (keep_lines && (c == '\n' || c == '\t'))) {
      out += static_cast<char>(c);
      continue;
    }
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\x%02x", c);
        out += buf;
      }
    }
  }
  return out;
}

}  // namespace

std::string EscapeControls(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsC0OrDel(static_cast<unsigned char>(text[i])) || C1At(text, i) != 0) {
      return Escape(text, false);
    }
  }
  return std::string(text);  // almost always: nothing to escape
}

std::string EscapeControlsButLines(std::string_view text) { return Escape(text, true); }

std::string ControlPictures(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (C1At(text, i) != 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else if (c == '\t') {
      out += ' ';
    } else if (c < 0x20) {
      // U+2400 + c: E2 90 80+c
      out += '\xE2';
      out += '\x90';
      out += static_cast<char>(0x80 + c);
    } else if (c == 0x7F) {
      out += "\xE2\x90\xA1";  // U+2421
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace bgplan
