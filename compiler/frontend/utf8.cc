#include "compiler/frontend/utf8.h"

#include <cstdio>

namespace bgplan::frontend {

bool HasUtf8Bom(std::string_view text) {
  return text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
         static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF;
}

// Decodes one well-formed UTF-8 sequence at `text[i]` (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF). Returns the number of bytes consumed and sets `cp`; on an ill-formed
// sequence returns 0 and sets `skip` to the length of its maximal valid prefix (at least 1), the
// Unicode "maximal subpart" practice, so a truncated sequence is reported once.
static size_t DecodeOne(std::string_view text, size_t i, char32_t& cp, size_t& skip) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  skip = 1;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t length = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) {
      lo = 0xA0;
    } else if (b0 == 0xED) {
      hi = 0x9F;
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) {
      lo = 0x90;
    } else if (b0 == 0xF4) {
      hi = 0x8F;
    }
  } else {
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    if (i + k >= text.size()) {
      skip = k;
      return 0;
    }
    unsigned char b = byte(i + k);
    unsigned char min = k == 1 ? lo : 0x80;
    unsigned char max = k == 1 ? hi : 0xBF;
    if (b < min || b > max) {
      skip = k;
      return 0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  return length;
}

int DecodeUtf8Source(const SourceFile& source, DiagnosticEngine& diags, std::u32string& out) {
  std::string_view text = source.text();
  out.clear();
  out.reserve(text.size());
  int errors = 0;
  int line = 1;
  int column = 1;
  size_t i = HasUtf8Bom(text) ? 3 : 0;
  auto report = [&](DiagKind kind, std::string message) {
    ++errors;
    SourceRange range{{line, column}, {line, column + 1}};
    diags.Report(kind, source.display_name(), range, std::move(message));
  };
  while (i < text.size()) {
    if (diags.saturated()) {
      // Nothing more can be reported, and the text will not be parsed anyway.
      break;
    }
    char32_t cp = 0;
    size_t skip = 1;
    size_t length = DecodeOne(text, i, cp, skip);
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02x", static_cast<unsigned char>(text[i]));
      report(DiagKind::kInvalidUtf8, std::string("invalid UTF-8 byte ") + hex);
      i += skip;
      ++column;
      continue;
    }
    if (cp == 0) {
      report(DiagKind::kSyntaxError, "NUL byte is not allowed in a .bgplan file");
    }
    out.push_back(cp);
    i += length;
    if (cp == U'\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return errors;
}

}  // namespace bgplan::frontend
