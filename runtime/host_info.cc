#include "runtime/host_info.h"

#include <unistd.h>

#include <cstdio>

namespace bgplan::runtime {

std::string GitCommit() {
  FILE* p = popen("git rev-parse HEAD 2>/dev/null", "r");
  if (p == nullptr) {
    return "";
  }
  char buf[128] = {0};
  std::string out;
  if (std::fgets(buf, sizeof(buf), p) != nullptr) {
    out = buf;
  }
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out.size() == 40 ? out : "";
}

std::string Hostname() {
  char buf[256] = {0};
  gethostname(buf, sizeof(buf) - 1);
  return buf;
}

}  // namespace bgplan::runtime
