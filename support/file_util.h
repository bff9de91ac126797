// Reading input files with a bound, writing output files safely.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace bgplan {

// The most bgplan reads of one input file: a .bgplan file or bgplan.toml (16 MiB: a plan of
// 100,000 schemas is under 3 MiB), a plan file (256 MiB).
inline constexpr size_t kMaxSourceBytes = size_t{16} << 20;
inline constexpr size_t kMaxPlanFileBytes = size_t{256} << 20;

// Reads `path` ("-" for standard input) into *text, at most `limit` bytes: a longer input (or an
// endless one, such as /dev/zero) is refused after reading limit + 1 bytes. Returns "" on success,
// else a message naming the path ("'x' is larger than 16 MiB ...", "cannot read 'x': ...").
std::string ReadFileBounded(const std::string& path, size_t limit, std::string* text);

// Writes `contents` to `path`. A regular file (or a new path) is replaced atomically: the text goes
// to a temporary file in the same folder, which is then renamed over `path`, so readers never see
// a half-written file and a failed write leaves the old file alone. Anything else that exists
// (a device such as /dev/null or /dev/stdout, a FIFO) is written in place: renaming over it would
// replace the device node itself. "-" writes to standard output.
// Returns "" on success, else a message naming the path.
std::string WriteFileAtomically(const std::string& path, const std::string& contents);

// Receives the next piece of the text being written.
using WriteChunk = std::function<void(std::string_view)>;

// WriteFileAtomically for text produced in pieces, so that it need not be held whole in memory:
// opens the destination as WriteFileAtomically would (temporary file for a regular file or new
// path, in place for a device or FIFO, standard output for "-"), then calls `produce` once with a
// WriteChunk to call for each piece, in order. Same guarantees for a regular file: the temporary
// file is renamed over `path` only after `produce` returned and every piece was written and
// synced, else it is removed and the old file stays. A device, a FIFO or standard output gets the
// pieces as they come, as a pipe would. After a failed write the remaining pieces are ignored.
// If `produce` throws, the temporary file is removed and the exception passes on; if the process
// aborts meanwhile, `path` is untouched (a temporary file "<path>.bgplan-tmp-<pid>" may remain).
// Returns "" on success, else a message naming the path.
std::string StreamFileAtomically(const std::string& path,
                                 const std::function<void(const WriteChunk&)>& produce);

}  // namespace bgplan
