#include "bench/gen_plan.h"

namespace bgplan::bench {

std::string GeneratePlan(int deployments, int schemas_per_deployment) {
  std::string out = "# generated benchmark plan\ntarget materialize;\n";
  for (int d = 0; d < deployments; ++d) {
    std::string id = std::to_string(d);
    out += "\ndeployment d_" + id + " {\n    schemas ";
    for (int s = 0; s < schemas_per_deployment; ++s) {
      out += (s == 0 ? "" : ", ") + std::string("s_") + id + "_" + std::to_string(s);
    }
    out += ";\n    clusters c_" + id + ";\n";
    out += "    sinks {\n        schemas sink_" + id + ";\n    }\n";
    out += "    await {\n        poll_interval 5s;\n        timeout       1h30m;\n    }\n";
    out += "    promote {\n        max_retries 5;\n    }\n}\n";
  }
  return out;
}

std::string GenerateToml(int deployments, int schemas_per_deployment) {
  std::string out = "# generated benchmark plan\ntarget = \"materialize\"\n";
  for (int d = 0; d < deployments; ++d) {
    std::string id = std::to_string(d);
    out += "\n[deployment.d_" + id + "]\nschemas = [";
    for (int s = 0; s < schemas_per_deployment; ++s) {
      out += (s == 0 ? "" : ", ") + std::string("\"s_") + id + "_" + std::to_string(s) + "\"";
    }
    out += "]\nclusters = [\"c_" + id + "\"]\n";
    out += "[deployment.d_" + id + ".sinks]\nschemas = [\"sink_" + id + "\"]\n";
    out += "[deployment.d_" + id + ".await]\npoll_interval = \"5s\"\ntimeout = \"1h30m\"\n";
    out += "[deployment.d_" + id + ".promote]\nmax_retries = 5\n";
  }
  return out;
}

}  // namespace bgplan::bench
