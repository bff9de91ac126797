#include "compiler/support/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace bgplan {

// Writes all of `contents` to `fd`; false on error (errno set).
static bool WriteAll(int fd, const std::string& contents) {
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

static std::string Failure(const std::string& path) {
  return "cannot write '" + path + "': " + std::strerror(errno);
}

std::string WriteFileAtomically(const std::string& path, const std::string& contents) {
  if (path == "-") {
    std::fflush(stdout);
    return WriteAll(STDOUT_FILENO, contents) ? "" : Failure("standard output");
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    int fd = open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) {
      return Failure(path);
    }
    bool ok = WriteAll(fd, contents);
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
  bool ok = WriteAll(fd, contents) && fsync(fd) == 0;
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

}  // namespace bgplan
