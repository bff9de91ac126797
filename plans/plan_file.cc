#include "plans/plan_file.h"

#include <nlohmann/json.hpp>
#include <set>

#include "support/file_util.h"
#include "plans/fingerprint.h"
#include "plans/json_internal.h"

namespace bgplan::plans {

using nlohmann::json;

bool IsPlanFilePath(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

// The checksum of a plan file document: SHA-256 of its canonical text without the checksum
// itself (nlohmann's default object keeps keys sorted; dump() writes no whitespace).
static std::string ContentSha256(json document) {
  document.erase("content_sha256");
  return Sha256Hex(document.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string PlanFileToJson(const PlanFile& file) {
  // Keys come out sorted (nlohmann's default object), which is also the checksum's canonical form.
  json j;
  j["format"] = kPlanFileFormat;
  j["url"] = file.url;
  j["source"] = {{"name", file.source_name}, {"text", file.source_text}};
  j["compile"] = {{"target", file.target_override},
                  {"deployments", file.deployments},
                  {"disabled_passes", file.disabled_passes}};
  j["phases"] = json::array();
  for (const auto& [phase, fp] : file.fingerprints) {
    auto it = file.sql.find(phase);
    j["phases"].push_back(
        {{"phase", phase}, {"fingerprint", fp}, {"sql", it == file.sql.end() ? "" : it->second}});
  }
  j["plan"] = PlanToJsonValue(file.plan);
  j["content_sha256"] = ContentSha256(j);
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

const json& Member(const json& j, const char* key, json::value_t type, const char* type_name) {
  auto it = j.find(key);
  if (it == j.end()) {
    throw JsonInputError{std::string("\"") + key + "\" is missing"};
  }
  if (it->type() != type) {
    throw JsonInputError{std::string("\"") + key + "\" must be " + type_name};
  }
  return *it;
}

std::string Str(const json& j, const char* key) {
  return Member(j, key, json::value_t::string, "a string").get<std::string>();
}

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const json& v : Member(j, key, json::value_t::array, "an array")) {
    if (!v.is_string()) {
      throw JsonInputError{std::string("\"") + key + "\" must hold strings"};
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

Result<PlanFile> PlanFileFromJson(std::string_view text) {
  PlanFile file;
  json j;
  try {
    j = ParseBoundedJson(text);
    if (!j.is_object() || !j.contains("format") || !j["format"].is_string()) {
      return Status::InvalidArgument("not a bgplan plan file (no \"format\")");
    }
    std::string format = j["format"].get<std::string>();
    if (format != kPlanFileFormat) {
      return Status::InvalidArgument(
          "plan file format '" + format + "' is not '" + std::string(kPlanFileFormat) +
          "' (made by another version of bgplan?); make it again with `bgplan plan -o`");
    }
    if (ContentSha256(j) != Str(j, "content_sha256")) {
      return Status::InvalidArgument(
          "the plan file's checksum does not match its content (was it edited?); make it again "
          "with `bgplan plan -o`");
    }
    file.url = Str(j, "url");
    const json& source = Member(j, "source", json::value_t::object, "an object");
    file.source_name = Str(source, "name");
    file.source_text = Str(source, "text");
    const json& compile = Member(j, "compile", json::value_t::object, "an object");
    file.target_override = Str(compile, "target");
    if (!file.target_override.empty() && file.target_override != "materialize" &&
        file.target_override != "postgres") {
      throw JsonInputError{"compile.target must be \"materialize\", \"postgres\" or \"\""};
    }
    file.deployments = Strings(compile, "deployments");
    file.disabled_passes = Strings(compile, "disabled_passes");
    for (const json& p : Member(j, "phases", json::value_t::array, "an array")) {
      if (!p.is_object()) {
        throw JsonInputError{"\"phases\" must hold objects"};
      }
      std::string phase = Str(p, "phase");
      PhaseKind kind;
      if (!ParsePhaseName(phase, &kind)) {
        throw JsonInputError{"unknown phase '" + phase + "' in \"phases\""};
      }
      std::string fingerprint = Str(p, "fingerprint");
      if (fingerprint.empty()) {
        throw JsonInputError{"phase " + phase + " has an empty fingerprint"};
      }
      if (!file.fingerprints.emplace(phase, fingerprint).second) {
        throw JsonInputError{"phase " + phase + " is listed twice in \"phases\""};
      }
      file.sql[phase] = Str(p, "sql");
    }
    Member(j, "plan", json::value_t::object, "an object");
  } catch (const JsonInputError& e) {
    return Status::InvalidArgument("invalid plan file: " + e.message);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("invalid plan file: ") + e.what());
  }
  Result<Plan> plan = PlanFromJsonValue(j["plan"]);
  if (!plan.ok()) {
    return plan.status();
  }
  file.plan = std::move(plan).value();
  return file;
}

Result<PlanFile> ReadPlanFile(const std::string& path) {
  std::string text;
  if (std::string error = ReadFileBounded(path, kMaxPlanFileBytes, &text); !error.empty()) {
    return Status::IoError(error);
  }
  return PlanFileFromJson(text);
}

}  // namespace bgplan::plans
