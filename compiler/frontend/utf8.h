// UTF-8 validation and decoding of a .bgplan source before it reaches ANTLR (frontend-internal).
// ANTLR works on code points, so the text is decoded here once; invalid input never reaches it.
#pragma once

#include <string>
#include <string_view>

#include "support/diagnostic.h"
#include "support/source.h"

namespace bgplan::frontend {

// Decodes `source.text()` into `out` (one char32_t per code point), skipping a leading UTF-8 BOM.
// Reports an `invalid-utf8` error for every invalid byte sequence (a truncated sequence is one
// error at its first byte) and a `syntax-error` for every NUL byte, located by 1-based line and
// code-point column (the BOM does not count as a column, matching ANTLR). Stops scanning once
// `diags` is saturated (nothing more could be reported). Returns the number of errors reported;
// 0 means `out` holds the whole text.
int DecodeUtf8Source(const SourceFile& source, DiagnosticEngine& diags, std::u32string& out);

// True when `text` starts with the UTF-8 byte order mark EF BB BF.
bool HasUtf8Bom(std::string_view text);

}  // namespace bgplan::frontend
