// bgplan_gen_plan DEPLOYMENTS SCHEMAS_PER_DEPLOYMENT [--toml]: writes a generated plan to stdout.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/gen_plan.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bgplan_gen_plan DEPLOYMENTS SCHEMAS_PER_DEPLOYMENT [--toml]\n");
    return 64;
  }
  int deployments = std::atoi(argv[1]);
  int schemas = std::atoi(argv[2]);
  bool toml = argc > 3 && std::strcmp(argv[3], "--toml") == 0;
  std::string text = toml ? bgplan::bench::GenerateToml(deployments, schemas)
                          : bgplan::bench::GeneratePlan(deployments, schemas);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}
