#include "runtime/plan_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "plans/plan_json.h"

namespace bgplan::runtime {

bool IsPlanFilePath(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

std::string PlanFileToJson(const PlanFile& file) {
  nlohmann::ordered_json j;
  j["format"] = "bgplan-plan-file/1";
  j["url"] = file.url;
  j["deployments"] = file.deployments;
  nlohmann::ordered_json phases = nlohmann::ordered_json::array();
  for (const auto& [phase, fp] : file.fingerprints) {
    nlohmann::ordered_json p;
    p["phase"] = phase;
    p["fingerprint"] = fp;
    auto it = file.sql.find(phase);
    p["sql"] = it == file.sql.end() ? "" : it->second;
    phases.push_back(p);
  }
  j["phases"] = phases;
  j["plan"] = nlohmann::ordered_json::parse(plans::PlanToJson(file.plan));
  return j.dump(2) + "\n";
}

Result<PlanFile> PlanFileFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("not a plan file: invalid JSON");
  }
  if (j.value("format", "") != "bgplan-plan-file/1" || !j.contains("plan")) {
    return Status::InvalidArgument("not a bgplan plan file (format 'bgplan-plan-file/1')");
  }
  PlanFile file;
  try {
    file.url = j.value("url", "");
    if (j.contains("deployments") && j["deployments"].is_array()) {
      for (const auto& d : j["deployments"]) {
        if (d.is_string()) {
          file.deployments.push_back(d.get<std::string>());
        }
      }
    }
    if (j.contains("phases") && j["phases"].is_array()) {
      for (const auto& p : j["phases"]) {
        std::string phase = p.value("phase", "");
        file.fingerprints[phase] = p.value("fingerprint", "");
        file.sql[phase] = p.value("sql", "");
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("not a plan file: ") + e.what());
  }
  Result<plans::Plan> plan = plans::PlanFromJson(j["plan"].dump());
  if (!plan.ok()) {
    return Status::InvalidArgument("plan file: " + plan.status().message());
  }
  file.plan = std::move(plan).value();
  return file;
}

Result<PlanFile> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IoError("cannot read " + path);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return PlanFileFromJson(buffer.str());
}

}  // namespace bgplan::runtime
