// mzemu: a Materialize emulator for tests. See tests/mzemu/README.md.
//   mzemu --postgres URL --listen 127.0.0.1:PORT [--superuser NAME,...] [--reset]
//         [--log-statements] [--mz-version vMAJOR.MINOR.PATCH]
// PORT 0 picks a free port; the chosen one is printed as "listening on 127.0.0.1:<port>".
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "tests/mzemu/server.h"

static void Usage() {
  std::cerr << "usage: mzemu --postgres URL --listen HOST:PORT [--superuser NAME[,NAME...]] "
               "[--reset] [--log-statements] [--mz-version vMAJOR.MINOR.PATCH]\n";
}

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  mzemu::ServerConfig config;
  mzemu::MzVersion::Parse(mzemu::kDefaultMzVersion, &config.mz_version);
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        Usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--postgres") {
      config.postgres_url = next();
    } else if (arg == "--listen") {
      listen = next();
    } else if (arg == "--superuser") {
      config.superusers = next();
    } else if (arg == "--reset") {
      config.reset_catalog = true;
    } else if (arg == "--log-statements") {
      config.log_statements = true;
    } else if (arg == "--mz-version") {
      std::string v = next();
      if (!mzemu::MzVersion::Parse(v, &config.mz_version)) {
        std::cerr << "mzemu: --mz-version wants vMAJOR.MINOR.PATCH, got " << v << "\n";
        return 2;
      }
    } else {
      Usage();
      return 2;
    }
  }
  if (config.postgres_url.empty()) {
    Usage();
    return 2;
  }
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    Usage();
    return 2;
  }
  config.listen_host = listen.substr(0, colon);
  config.listen_port = std::stoi(listen.substr(colon + 1));
  mzemu::Server server(config);
  std::string error;
  if (!server.Start(&error)) {
    std::cerr << "mzemu: " << error << "\n";
    return 1;
  }
  std::cout << "listening on " << config.listen_host << ":" << server.port() << std::endl;
  std::fflush(stdout);
  server.Run();
  return 1;
}
