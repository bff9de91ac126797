#include "plans/plan_json.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "plans/json_internal.h"
#include "plans/verify.h"

namespace bgplan::plans {

using nlohmann::json;

namespace {

// Thrown (only inside this file) by the readers on a malformed document; caught in PlanFromJson.
struct FormatError {
  std::string message;
};

}  // namespace

static json RangeToJson(const SourceRange& r) {
  return json::array({r.begin.line, r.begin.column, r.end.line, r.end.column});
}

static std::string_view BatchModeName(Batch::Mode mode) {
  return mode == Batch::Mode::kEach ? "each" : "transaction";
}

static std::string_view ObjectKindName(ObjectKind kind) {
  return kind == ObjectKind::kSchema ? "schema" : "cluster";
}

static json ObjectToJson(const ObjectRef& o) {
  return json{{"kind", ObjectKindName(o.kind)},
              {"deployment", o.deployment},
              {"database", o.database},
              {"blue", o.blue},
              {"green", o.green}};
}

template <typename T>
static json Optional(const std::optional<T>& v) {
  return v.has_value() ? json(*v) : json(nullptr);
}

// The keys of a `cluster X { }` block, null when unset, into `j`.
static void SettingsToJson(const ClusterSettings& c, json& j) {
  j["size"] = Optional(c.size);
  j["replication_factor"] = Optional(c.replication_factor);
  j["introspection_interval_ms"] = Optional(c.introspection_interval_ms);
  j["introspection_debugging"] = Optional(c.introspection_debugging);
  j["hydration_size"] = Optional(c.hydration_size);
  j["linger_ms"] = Optional(c.linger_ms);
}

static json DeploymentToJson(const Deployment& d) {
  json j;
  j["name"] = d.name;
  j["origin"] = RangeToJson(d.origin);
  j["database"] = d.database;
  j["suffix"] = d.suffix;
  j["schemas"] = json::array();
  for (const auto& s : d.schemas) {
    j["schemas"].push_back(json{{"database", s.database},
                                {"blue", s.blue},
                                {"green", s.green},
                                {"origin", RangeToJson(s.origin)}});
  }
  j["clusters"] = json::array();
  for (const auto& c : d.clusters) {
    json cj{{"blue", c.blue}, {"green", c.green}, {"origin", RangeToJson(c.origin)}};
    SettingsToJson(c.settings, cj);
    j["clusters"].push_back(std::move(cj));
  }
  j["sink_schemas"] = json::array();
  for (const auto& s : d.sink_schemas) {
    j["sink_schemas"].push_back(
        json{{"database", s.database}, {"name", s.name}, {"origin", RangeToJson(s.origin)}});
  }
  j["sink_clusters"] = json::array();
  for (const auto& c : d.sink_clusters) {
    j["sink_clusters"].push_back(json{{"name", c.name}, {"origin", RangeToJson(c.origin)}});
  }
  j["cluster_overrides"] = json::array();
  for (const auto& o : d.cluster_overrides) {
    json oj{{"name", o.name}, {"origin", RangeToJson(o.origin)}};
    SettingsToJson(o.settings, oj);
    j["cluster_overrides"].push_back(std::move(oj));
  }
  j["await"] = json{{"poll_interval_ms", d.await.poll_interval_ms},
                    {"lag_threshold_ms", d.await.lag_threshold_ms},
                    {"timeout_ms", d.await.timeout_ms},
                    {"stable_for_ms", d.await.stable_for_ms},
                    {"compare_to_blue", d.await.compare_to_blue}};
  j["promote"] = json{{"wait", d.promote.wait},
                      {"max_retries", d.promote.max_retries},
                      {"retry_backoff_ms", d.promote.retry_backoff_ms},
                      {"lock_timeout_ms", d.promote.lock_timeout_ms}};
  j["cleanup"] = json{{"keep_blue_ms", d.cleanup.keep_blue_ms}};
  json asserts = json::array();
  for (const auto& a : d.validate.asserts) {
    asserts.push_back(json{{"name", a.name},
                           {"sql", a.sql},
                           {"origin", RangeToJson(a.origin)},
                           {"sql_origin", RangeToJson(a.sql_origin)}});
  }
  j["validate"] = json{{"asserts", std::move(asserts)},
                       {"row_count_change_pct", d.validate.row_count_change_pct.has_value()
                                                    ? json(*d.validate.row_count_change_pct)
                                                    : json(nullptr)},
                       {"origin", RangeToJson(d.validate.origin)}};
  return j;
}

static json StepToJson(const Step& s) {
  json j{{"kind", StepKindName(s.kind)},
         {"rule", s.rule},
         {"reverse", s.reverse},
         {"origin", RangeToJson(s.origin)}};
  j["objects"] = json::array();
  for (const auto& o : s.objects) {
    j["objects"].push_back(ObjectToJson(o));
  }
  return j;
}

// Readers. `path` names the value for error messages ("deployments[0].name").
static const json& Field(const json& j, const char* key, const std::string& path) {
  if (!j.is_object()) {
    throw FormatError{path + ": expected an object"};
  }
  auto it = j.find(key);
  if (it == j.end()) {
    throw FormatError{path + "." + key + ": missing"};
  }
  return *it;
}

static std::string String(const json& j, const char* key, const std::string& path) {
  const json& v = Field(j, key, path);
  if (!v.is_string()) {
    throw FormatError{path + "." + key + ": expected a string"};
  }
  return v.get<std::string>();
}

static int64_t Int(const json& j, const char* key, const std::string& path) {
  const json& v = Field(j, key, path);
  if (!v.is_number_integer()) {
    throw FormatError{path + "." + key + ": expected an integer"};
  }
  return v.get<int64_t>();
}

static bool Bool(const json& j, const char* key, const std::string& path) {
  const json& v = Field(j, key, path);
  if (!v.is_boolean()) {
    throw FormatError{path + "." + key + ": expected a boolean"};
  }
  return v.get<bool>();
}

static const json& Array(const json& j, const char* key, const std::string& path) {
  const json& v = Field(j, key, path);
  if (!v.is_array()) {
    throw FormatError{path + "." + key + ": expected an array"};
  }
  return v;
}

static SourceRange Range(const json& j, const char* key, const std::string& path) {
  const json& v = Field(j, key, path);
  if (!v.is_array() || v.size() != 4) {
    throw FormatError{path + "." + key + ": expected [line, column, end line, end column]"};
  }
  for (const auto& x : v) {
    if (!x.is_number_integer()) {
      throw FormatError{path + "." + key + ": expected integers"};
    }
  }
  return SourceRange{{v[0].get<int>(), v[1].get<int>()}, {v[2].get<int>(), v[3].get<int>()}};
}

static std::optional<std::string> OptString(const json& j, const char* key,
                                            const std::string& path) {
  if (Field(j, key, path).is_null()) {
    return std::nullopt;
  }
  return String(j, key, path);
}

static std::optional<int64_t> OptInt(const json& j, const char* key, const std::string& path) {
  if (Field(j, key, path).is_null()) {
    return std::nullopt;
  }
  return Int(j, key, path);
}

static std::optional<bool> OptBool(const json& j, const char* key, const std::string& path) {
  if (Field(j, key, path).is_null()) {
    return std::nullopt;
  }
  return Bool(j, key, path);
}

// Keys added after plan files first shipped may be absent (a plan file written before them):
// absent reads as unset.
template <typename T>
static std::optional<T> Newer(const json& j, const char* key, const std::string& path,
                              std::optional<T> (*read)(const json&, const char*,
                                                       const std::string&)) {
  if (j.is_object() && !j.contains(key)) {
    return std::nullopt;
  }
  return read(j, key, path);
}

static ClusterSettings SettingsFromJson(const json& j, const std::string& path) {
  ClusterSettings c;
  c.size = OptString(j, "size", path);
  c.replication_factor = OptInt(j, "replication_factor", path);
  c.introspection_interval_ms = Newer(j, "introspection_interval_ms", path, OptInt);
  c.introspection_debugging = Newer(j, "introspection_debugging", path, OptBool);
  c.hydration_size = Newer(j, "hydration_size", path, OptString);
  c.linger_ms = Newer(j, "linger_ms", path, OptInt);
  return c;
}

static std::string Index(const std::string& path, const char* key, size_t i) {
  return path + "." + key + "[" + std::to_string(i) + "]";
}

static Deployment DeploymentFromJson(const json& j, const std::string& p) {
  Deployment d;
  d.name = String(j, "name", p);
  d.origin = Range(j, "origin", p);
  d.database = String(j, "database", p);
  d.suffix = String(j, "suffix", p);
  const json& schemas = Array(j, "schemas", p);
  for (size_t i = 0; i < schemas.size(); ++i) {
    std::string q = Index(p, "schemas", i);
    d.schemas.push_back({String(schemas[i], "database", q), String(schemas[i], "blue", q),
                         String(schemas[i], "green", q), Range(schemas[i], "origin", q)});
  }
  const json& clusters = Array(j, "clusters", p);
  for (size_t i = 0; i < clusters.size(); ++i) {
    std::string q = Index(p, "clusters", i);
    d.clusters.push_back({String(clusters[i], "blue", q), String(clusters[i], "green", q),
                          SettingsFromJson(clusters[i], q), Range(clusters[i], "origin", q)});
  }
  const json& sink_schemas = Array(j, "sink_schemas", p);
  for (size_t i = 0; i < sink_schemas.size(); ++i) {
    std::string q = Index(p, "sink_schemas", i);
    d.sink_schemas.push_back({String(sink_schemas[i], "database", q),
                              String(sink_schemas[i], "name", q),
                              Range(sink_schemas[i], "origin", q)});
  }
  const json& sink_clusters = Array(j, "sink_clusters", p);
  for (size_t i = 0; i < sink_clusters.size(); ++i) {
    std::string q = Index(p, "sink_clusters", i);
    d.sink_clusters.push_back(
        {String(sink_clusters[i], "name", q), Range(sink_clusters[i], "origin", q)});
  }
  const json& overrides = Array(j, "cluster_overrides", p);
  for (size_t i = 0; i < overrides.size(); ++i) {
    std::string q = Index(p, "cluster_overrides", i);
    d.cluster_overrides.push_back({String(overrides[i], "name", q),
                                   SettingsFromJson(overrides[i], q),
                                   Range(overrides[i], "origin", q)});
  }
  const json& await = Field(j, "await", p);
  std::string q = p + ".await";
  d.await.poll_interval_ms = Int(await, "poll_interval_ms", q);
  d.await.lag_threshold_ms = Int(await, "lag_threshold_ms", q);
  d.await.timeout_ms = Int(await, "timeout_ms", q);
  d.await.stable_for_ms = Int(await, "stable_for_ms", q);
  d.await.compare_to_blue = Newer(await, "compare_to_blue", q, OptBool).value_or(false);
  const json& promote = Field(j, "promote", p);
  q = p + ".promote";
  d.promote.wait = Bool(promote, "wait", q);
  d.promote.max_retries = Int(promote, "max_retries", q);
  d.promote.retry_backoff_ms = Int(promote, "retry_backoff_ms", q);
  d.promote.lock_timeout_ms = Int(promote, "lock_timeout_ms", q);
  d.cleanup.keep_blue_ms = Int(Field(j, "cleanup", p), "keep_blue_ms", p + ".cleanup");
  const json& validate = Field(j, "validate", p);
  q = p + ".validate";
  const json& asserts = Array(validate, "asserts", q);
  for (size_t i = 0; i < asserts.size(); ++i) {
    std::string r = Index(q, "asserts", i);
    d.validate.asserts.push_back({String(asserts[i], "name", r), String(asserts[i], "sql", r),
                                  Range(asserts[i], "origin", r),
                                  Range(asserts[i], "sql_origin", r)});
  }
  d.validate.row_count_change_pct = OptInt(validate, "row_count_change_pct", q);
  d.validate.origin = Range(validate, "origin", q);
  return d;
}

static StepKind StepKindFromName(const std::string& name, const std::string& path) {
  for (int k = 0; k <= static_cast<int>(StepKind::kEndHydrationBurst); ++k) {
    if (StepKindName(static_cast<StepKind>(k)) == name) {
      return static_cast<StepKind>(k);
    }
  }
  throw FormatError{path + ": unknown step kind '" + name + "'"};
}

static Step StepFromJson(const json& j, const std::string& p) {
  Step s;
  s.kind = StepKindFromName(String(j, "kind", p), p + ".kind");
  s.rule = String(j, "rule", p);
  s.reverse = Bool(j, "reverse", p);
  s.origin = Range(j, "origin", p);
  const json& objects = Array(j, "objects", p);
  std::vector<ObjectRef> refs;
  refs.reserve(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) {
    std::string q = Index(p, "objects", i);
    ObjectRef o;
    std::string kind = String(objects[i], "kind", q);
    if (kind == "schema") {
      o.kind = ObjectKind::kSchema;
    } else if (kind == "cluster") {
      o.kind = ObjectKind::kCluster;
    } else {
      throw FormatError{q + ".kind: unknown object kind '" + kind + "'"};
    }
    o.deployment = String(objects[i], "deployment", q);
    o.database = String(objects[i], "database", q);
    o.blue = String(objects[i], "blue", q);
    o.green = String(objects[i], "green", q);
    refs.push_back(std::move(o));
  }
  s.objects = std::move(refs);
  return s;
}

static Plan ReadPlan(const json& j) {
  Plan plan;
  if (Int(j, "format", "$") != kPlanJsonFormat) {
    throw FormatError{"$.format: unsupported plan format " + std::to_string(Int(j, "format", "$")) +
                      " (expected " + std::to_string(kPlanJsonFormat) + ")"};
  }
  std::string target = String(j, "target", "$");
  if (target == "materialize") {
    plan.target = Target::kMaterialize;
  } else if (target == "postgres") {
    plan.target = Target::kPostgres;
  } else {
    throw FormatError{"$.target: unknown target '" + target + "'"};
  }
  plan.target_origin = Range(j, "target_origin", "$");
  plan.source_file = String(j, "source_file", "$");
  plan.catalog_fingerprint = String(j, "catalog_fingerprint", "$");
  const json& deployments = Array(j, "deployments", "$");
  for (size_t i = 0; i < deployments.size(); ++i) {
    plan.deployments.push_back(DeploymentFromJson(deployments[i], Index("$", "deployments", i)));
  }
  const json& phases = Array(j, "phases", "$");
  for (size_t i = 0; i < phases.size(); ++i) {
    std::string p = Index("$", "phases", i);
    Phase phase;
    if (!ParsePhaseName(String(phases[i], "kind", p), &phase.kind)) {
      throw FormatError{p + ".kind: unknown phase '" + String(phases[i], "kind", p) + "'"};
    }
    const json& batches = Array(phases[i], "batches", p);
    for (size_t b = 0; b < batches.size(); ++b) {
      std::string q = Index(p, "batches", b);
      Batch batch;
      std::string mode = String(batches[b], "mode", q);
      if (mode == "each") {
        batch.mode = Batch::Mode::kEach;
      } else if (mode == "transaction") {
        batch.mode = Batch::Mode::kTransaction;
      } else {
        throw FormatError{q + ".mode: unknown batch mode '" + mode + "'"};
      }
      const json& steps = Array(batches[b], "steps", q);
      for (size_t s = 0; s < steps.size(); ++s) {
        batch.steps.push_back(StepFromJson(steps[s], Index(q, "steps", s)));
      }
      phase.batches.push_back(std::move(batch));
    }
    plan.phases.push_back(std::move(phase));
  }
  return plan;
}

json PlanToJsonValue(const Plan& plan) {
  json j;
  j["format"] = kPlanJsonFormat;
  j["target"] = TargetName(plan.target);
  j["target_origin"] = RangeToJson(plan.target_origin);
  j["source_file"] = plan.source_file;
  j["catalog_fingerprint"] = plan.catalog_fingerprint;
  j["deployments"] = json::array();
  for (const auto& d : plan.deployments) {
    j["deployments"].push_back(DeploymentToJson(d));
  }
  j["phases"] = json::array();
  for (const auto& phase : plan.phases) {
    json pj{{"kind", PhaseName(phase.kind)}};
    pj["batches"] = json::array();
    for (const auto& batch : phase.batches) {
      json bj{{"mode", BatchModeName(batch.mode)}};
      bj["steps"] = json::array();
      for (const auto& step : batch.steps) {
        bj["steps"].push_back(StepToJson(step));
      }
      pj["batches"].push_back(std::move(bj));
    }
    j["phases"].push_back(std::move(pj));
  }
  return j;
}

std::string PlanToJson(const Plan& plan) {
  // nlohmann's default object type is a std::map: keys come out sorted, so output is stable.
  // Invalid UTF-8 in a name is replaced rather than thrown (names come from validated input).
  return PlanToJsonValue(plan).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<Plan> PlanFromJsonValue(const json& value) {
  try {
    Plan plan = ReadPlan(value);
    // A plan file is input: refuse one whose structure no compiler could have produced.
    if (Status verified = VerifyPlan(plan); !verified.ok()) {
      return Status::InvalidArgument("invalid plan file: " + verified.message());
    }
    return plan;
  } catch (const FormatError& e) {
    return Status::InvalidArgument("invalid plan file: " + e.message);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("invalid plan file: ") + e.what());
  }
}

Result<Plan> PlanFromJson(std::string_view text) {
  try {
    return PlanFromJsonValue(ParseBoundedJson(text));
  } catch (const JsonInputError& e) {
    return Status::InvalidArgument("invalid plan file: " + e.message);
  }
}

}  // namespace bgplan::plans
