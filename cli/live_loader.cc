#include "cli/live_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "support/exit_codes.h"
#include "support/terminal_text.h"

namespace bgplan::runtime {

namespace {

// Where the module may be: BGPLAN_LIVE_MODULE, else next to the executable (a build tree), else
// ../lib/bgplan/ from it (an installed tree: bin/bgplan, lib/bgplan/libbgplan_live.so).
std::vector<std::string> Candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("BGPLAN_LIVE_MODULE"); env != nullptr && *env != '\0') {
    out.emplace_back(env);
    return out;
  }
  std::error_code error;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    out.push_back((exe.parent_path() / kLiveModule).string());
    out.push_back((exe.parent_path().parent_path() / "lib" / "bgplan" / kLiveModule).string());
  }
  return out;
}

}  // namespace

int CallLive(const LiveCall& call) {
  std::string tried;
  for (const std::string& path : Candidates()) {
    if (!std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      std::fprintf(stderr, "bgplan: internal error: cannot load %s: %s\n", path.c_str(),
                   EscapeControls(dlerror()).c_str());
      return kExitInternal;
    }
    auto main = reinterpret_cast<LiveMain>(dlsym(module, kLiveMainSymbol));
    if (main == nullptr) {
      std::fprintf(stderr, "bgplan: internal error: %s has no %s\n", path.c_str(),
                   kLiveMainSymbol);
      return kExitInternal;
    }
    return main(&call);
  }
  std::fprintf(stderr,
               "bgplan: internal error: the live commands' module %s is missing (looked for %s); "
               "reinstall bgplan\n",
               kLiveModule, tried.c_str());
  return kExitInternal;
}

}  // namespace bgplan::runtime
