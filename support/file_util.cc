#include "support/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace bgplan {

// Writes all of `contents` to `fd`; false on error (errno set).
static bool WriteAll(int fd, std::string_view contents) {
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string ReadFileBounded(const std::string& path, size_t limit, std::string* text) {
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return "cannot read '" + path + "': " + std::strerror(errno);
  }
  text->clear();
  char buffer[1 << 16];
  size_t n;
  bool too_large = false;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    if (text->size() + n > limit) {
      too_large = true;
      break;
    }
    text->append(buffer, n);
  }
  bool failed = !too_large && std::ferror(file) != 0;
  int saved_errno = errno;
  if (file != stdin) {
    std::fclose(file);
  }
  if (too_large) {
    text->clear();
    return "'" + path + "' is larger than " + std::to_string(limit >> 20) +
           " MiB, the most bgplan reads of one input file";
  }
  if (failed) {
    return "cannot read '" + path + "': " + std::strerror(saved_errno);
  }
  return "";
}

static std::string Failure(const std::string& path) {
  return "cannot write '" + path + "': " + std::strerror(errno);
}

namespace {

// Writes the pieces to `fd` until one fails; then keeps the error (errno) and ignores the rest.
class ChunkWriter {
 public:
  explicit ChunkWriter(int fd) : fd_(fd) {}
  void Write(std::string_view piece) {
    if (ok_ && !WriteAll(fd_, piece)) {
      ok_ = false;
      error_ = errno;
    }
  }
  // Runs `produce` with this writer; false (errno set) if a write failed.
  bool Run(const std::function<void(const WriteChunk&)>& produce) {
    produce([this](std::string_view piece) { Write(piece); });
    errno = error_;
    return ok_;
  }

 private:
  int fd_;
  bool ok_ = true;
  int error_ = 0;
};

}  // namespace

std::string StreamFileAtomically(const std::string& path,
                                 const std::function<void(const WriteChunk&)>& produce) {
  if (path == "-") {
    std::fflush(stdout);
    return ChunkWriter(STDOUT_FILENO).Run(produce) ? "" : Failure("standard output");
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    int fd = open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) {
      return Failure(path);
    }
    bool ok = ChunkWriter(fd).Run(produce);
    int saved = errno;
    close(fd);
    errno = saved;
    return ok ? "" : Failure(path);
  }
  std::string tmp = path + ".bgplan-tmp-" + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Failure(path);
  }
  bool ok = false;
  try {
    ok = ChunkWriter(fd).Run(produce) && fsync(fd) == 0;
  } catch (...) {
    close(fd);
    unlink(tmp.c_str());
    throw;
  }
  int saved = errno;
  close(fd);
  if (!ok) {
    unlink(tmp.c_str());
    errno = saved;
    return Failure(path);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    unlink(tmp.c_str());
    errno = saved;
    return Failure(path);
  }
  return "";
}

std::string WriteFileAtomically(const std::string& path, const std::string& contents) {
  return StreamFileAtomically(path, [&](const WriteChunk& write) { write(contents); });
}

}  // namespace bgplan
