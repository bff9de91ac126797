#include "plans/deploy_env.h"
#include "support/strings.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace bgplan::plans {

std::string DeployEnvKey(std::string_view blue) {
  std::string out = "BGPLAN_GREEN_";
  for (unsigned char c : blue) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += !alnum ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A')
                                                : static_cast<char>(c);
  }
  return out;
}

namespace {

constexpr std::string_view kListVariables[] = {"BGPLAN_GREEN_SCHEMAS", "BGPLAN_GREEN_CLUSTERS",
                                               "BGPLAN_GREEN_JSON"};

// One object of a deployment as the environment names it.
struct EnvObject {
  const Deployment* deployment;
  const char* what;  // "schema" or "cluster"
  std::string blue;
  std::string green;
  SourceRange origin;
};

std::vector<EnvObject> Objects(const Plan& plan, const std::vector<std::string>& selected) {
  std::vector<EnvObject> out;
  for (const Deployment& d : plan.deployments) {
    if (!selected.empty() && std::find(selected.begin(), selected.end(), d.name) == selected.end()) {
      continue;
    }
    for (const SchemaPair& s : d.schemas) {
      out.push_back({&d, "schema", s.blue, s.green, s.origin});
    }
    for (const ClusterPair& c : d.clusters) {
      out.push_back({&d, "cluster", c.blue, c.green, c.origin});
    }
  }
  return out;
}

}  // namespace

std::vector<DeployEnvProblem> DeployEnvProblems(const Plan& plan,
                                                const std::vector<std::string>& selected) {
  std::vector<DeployEnvProblem> problems;
  auto add = [&](const Deployment& d, SourceRange origin, std::string message) {
    problems.push_back({d.name, origin.valid() ? origin : d.origin, std::move(message)});
  };
  for (const Deployment& d : plan.deployments) {
    if (!selected.empty() && std::find(selected.begin(), selected.end(), d.name) == selected.end()) {
      continue;
    }
    if (d.name.find(',') != std::string::npos) {
      add(d, d.origin,
          "deployment name '" + d.name +
              "' holds a comma, so $BGPLAN_DEPLOYMENT (a comma-separated list) cannot be split "
              "by a deploy command; $BGPLAN_GREEN_JSON carries it exactly");
    }
  }
  std::map<std::string, const EnvObject*> by_key;
  const std::vector<EnvObject> objects = Objects(plan, selected);
  for (const EnvObject& o : objects) {
    const std::string key = DeployEnvKey(o.blue);
    const std::string shown = std::string(o.what) + " '" + o.blue + "'";
    if (o.green.find(',') != std::string::npos) {
      add(*o.deployment, o.origin,
          "green name '" + o.green + "' of " + shown + " holds a comma, so $BGPLAN_GREEN_" +
              (std::string(o.what) == "schema" ? "SCHEMAS" : "CLUSTERS") +
              " (a comma-separated list) cannot be split by a deploy command");
    }
    if (std::find(std::begin(kListVariables), std::end(kListVariables), key) !=
        std::end(kListVariables)) {
      add(*o.deployment, o.origin,
          shown + " would be given to a deploy command as $" + key +
              ", which is also the name of bgplan's list variable");
      continue;
    }
    auto [it, inserted] = by_key.emplace(key, &o);
    if (!inserted && it->second->green != o.green) {
      const EnvObject& other = *it->second;
      add(*o.deployment, o.origin,
          shown + " and " + other.what + " '" + other.blue + "' of deployment '" +
              other.deployment->name + "' would both be given to a deploy command as $" + key +
              " (with green names '" + o.green + "' and '" + other.green +
              "'), so a deploy command could put new code into the wrong one; rename one, or "
              "read $BGPLAN_GREEN_JSON");
    }
  }
  return problems;
}

std::vector<std::pair<std::string, std::string>> DeployEnvironment(
    const Plan& plan, const std::vector<std::string>& selected) {
  std::vector<std::string> deployments, schemas, clusters;
  nlohmann::ordered_json json = {{"deployments", nlohmann::ordered_json::array()},
                                 {"schemas", nlohmann::ordered_json::array()},
                                 {"clusters", nlohmann::ordered_json::array()}};
  for (const Deployment& d : plan.deployments) {
    if (!selected.empty() && std::find(selected.begin(), selected.end(), d.name) == selected.end()) {
      continue;
    }
    deployments.push_back(d.name);
    json["deployments"].push_back(d.name);
    for (const SchemaPair& s : d.schemas) {
      schemas.push_back(s.green);
      json["schemas"].push_back(
          {{"deployment", d.name}, {"database", s.database}, {"blue", s.blue}, {"green", s.green}});
    }
    for (const ClusterPair& c : d.clusters) {
      clusters.push_back(c.green);
      json["clusters"].push_back({{"deployment", d.name}, {"blue", c.blue}, {"green", c.green}});
    }
  }
  std::vector<std::pair<std::string, std::string>> env;
  for (const EnvObject& o : Objects(plan, selected)) {
    env.emplace_back(DeployEnvKey(o.blue), o.green);
  }
  env.emplace_back("BGPLAN_DEPLOYMENT", Join(deployments, ","));
  env.emplace_back("BGPLAN_GREEN_SCHEMAS", Join(schemas, ","));
  env.emplace_back("BGPLAN_GREEN_CLUSTERS", Join(clusters, ","));
  env.emplace_back("BGPLAN_GREEN_JSON",
                   json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return env;
}

}  // namespace bgplan::plans
