// Text bgplan prints for people (diagnostics, errors, progress) made safe for a terminal: names
// from a .bgplan file and comments or messages read from a database may hold control characters,
// and printed raw an escape sequence reaches the terminal, a bell rings, or a newline starts a
// line that looks like bgplan's own ("fake.bgplan:1:1: error: ...").
#pragma once

#include <string>
#include <string_view>

namespace bgplan {

// True for the code points a terminal acts on: C0 controls (U+0000-U+001F), DEL (U+007F) and
// C1 controls (U+0080-U+009F, two bytes in UTF-8, e.g. CSI U+009B).
// `text` with every control character written out as an escape: \n, \r, \t, \xNN for the other
// C0 controls and DEL, \u0080-\u009f for C1 controls. Everything else is kept byte for byte.
// The result holds no control character, so it stays on one line.
std::string EscapeControls(std::string_view text);

// EscapeControls, but keeping line feeds (for multi-line text such as SQL or a report, whose
// lines bgplan composed itself) and tabs.
std::string EscapeControlsButLines(std::string_view text);

// `text` (one source line) with every control character replaced by one character of the same
// width, so that a caret under it still lines up: C0 controls and DEL by their Unicode control
// pictures (U+2400-U+2421, e.g. ␛ for ESC), C1 controls by U+FFFD, tabs by one space.
std::string ControlPictures(std::string_view text);

}  // namespace bgplan
