// Writing output files safely.
#pragma once

#include <string>

namespace bgplan {

// Writes `contents` to `path`. A regular file (or a new path) is replaced atomically: the text goes
// to a temporary file in the same folder, which is then renamed over `path`, so readers never see
// a half-written file and a failed write leaves the old file alone. Anything else that exists
// (a device such as /dev/null or /dev/stdout, a FIFO) is written in place: renaming over it would
// replace the device node itself. "-" writes to standard output.
// Returns "" on success, else a message naming the path.
std::string WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace bgplan
